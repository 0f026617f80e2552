"""Every write goes through a service (docs/architecture.md, "Requests"): no view commits.

The back office (every module of admin/) and the storefront's views (shop/**/views.py) parse
input, call a service and show its outcome; the service owns the transaction. Flask-Admin's own
saving commits inside Flask-Admin, which is not our code and not scanned. The files are read
with `ast`, so a commit in a comment or a string does not count and one in a nested function
does.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def view_modules() -> list[Path]:
    found = set((ROOT / "admin").rglob("*.py"))
    found |= set((ROOT / "shop").rglob("views.py"))
    found |= set((ROOT / "shop").rglob("views/*.py"))
    return sorted(found)


def commits_in(source: str, filename: str = "<source>") -> list[int]:
    """Line numbers of every `<anything>.commit(...)` call in `source`."""
    return sorted(
        node.lineno
        for node in ast.walk(ast.parse(source, filename))
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "commit"
    )


def test_no_view_commits():
    found = [
        f"{path.relative_to(ROOT)}:{line}"
        for path in view_modules()
        for line in commits_in(path.read_text(encoding="utf-8"), str(path))
    ]
    assert found == [], "commits in views (move them into a service): " + ", ".join(found)


def test_the_scan_covers_the_back_office_and_the_storefront_views():
    names = {str(path.relative_to(ROOT)) for path in view_modules()}
    assert {"admin/base.py", "admin/orders.py", "admin/imports.py"} <= names
    assert {"shop/catalog/views.py", "shop/orders/views.py", "shop/core/views.py"} <= names
    assert "shop/orders/services.py" not in names


def test_the_scan_sees_every_commit_call_and_nothing_else():
    source = '''
"""db.session.commit() in a docstring is no call"""
from shop.extensions import db

def view():
    # db.session.commit() in a comment is no call either
    def inner():
        db.session.commit()
    session = db.session
    session.commit()
    commit_message = "commit()"
    return commit_message
'''
    assert commits_in(source) == [8, 10]
