"""An import of the project's own modules inside a function says why it is not at the top of
the module: a comment on its line, or on the line above it (or above the run of imports it
belongs to), such as "# lazy: CLI-only dependency" or "# cycle: X imports this module".

The import graph has no cycle (test_layers.py), so a function-level import hides none; one that
stays is a choice a reader should not have to guess."""

import ast

from tests.import_graph import PACKAGES, ROOT


def _project_import(node) -> bool:
    if isinstance(node, ast.ImportFrom):
        return node.level > 0 or (node.module or "").split(".")[0] in PACKAGES
    if isinstance(node, ast.Import):
        return any(alias.name.split(".")[0] in PACKAGES for alias in node.names)
    return False


def function_level_imports(tree) -> list:
    """Project imports inside a function (methods and nested blocks included)."""
    found = []

    def visit(node, in_function):
        for child in ast.iter_child_nodes(node):
            inside = in_function or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef))
            if in_function and _project_import(child):
                found.append(child)
            visit(child, inside)

    visit(tree, False)
    return found


def _is_import_line(line: str) -> bool:
    return line.lstrip().startswith(("import ", "from "))


def unexplained(source: str) -> list[int]:
    """Lines of function-level project imports with no comment saying why."""
    lines = source.splitlines()
    missing = []
    for node in function_level_imports(ast.parse(source)):
        own = lines[node.lineno - 1 : node.end_lineno]
        above = node.lineno - 2
        while above >= 0 and _is_import_line(lines[above]):  # the run of imports it is in
            above -= 1
        if any("#" in line for line in own):
            continue
        if above >= 0 and lines[above].lstrip().startswith("#"):
            continue
        missing.append(node.lineno)
    return missing


def test_every_function_level_project_import_says_why():
    problems = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            for line in unexplained(path.read_text(encoding="utf-8")):
                problems.append(f"{relative}:{line}")
    assert problems == []


def test_the_check_accepts_a_comment_above_and_refuses_none():
    source = (
        "def a():\n"
        "    # lazy: CLI-only dependency\n"
        "    from shop.cli import demo\n"
        "    from shop.cli import translations\n"
        "\n"
        "def b():\n"
        "    from shop.core import money  # cycle: money imports this module\n"
        "\n"
        "def c():\n"
        "    x = 1\n"
        "    from shop.core import urls\n"
        "    import json\n"
        "\n"
        "class D:\n"
        "    def e(self):\n"
        "        if True:\n"
        "            from admin import base\n"
        "\n"
        "from shop.core import errors\n"
    )
    assert unexplained(source) == [11, 17]
