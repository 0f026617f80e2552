"""Issue 15: layers point one way. Payments builds on orders (a payment outcome calls public
`shop.orders.services` functions); orders never imports payments, not even inside a function,
and neither package reaches for the other's private names.

The imports are read from the source with `ast`, so an import hidden in a function body, or a
private name reached through a module (`services._apply`), counts as much as a top-level one.
"""

import ast
from pathlib import Path

import pytest

import shop

SHOP = Path(shop.__file__).parent
LOWER, UPPER = "shop.orders", "shop.payments"  # payments may import orders, never the reverse


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SHOP.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules_of(package: str) -> dict[str, Path]:
    folder = SHOP.parent.joinpath(*package.split("."))
    return {module_name(path): path for path in sorted(folder.rglob("*.py"))}


ALL = {**modules_of(LOWER), **modules_of(UPPER)}


def _is_module(name: str) -> bool:
    path = SHOP.parent.joinpath(*name.split("."))
    return path.with_suffix(".py").exists() or (path / "__init__.py").exists()


def imports(source: str, module: str, is_package: bool = False) -> list[tuple[str, str | None]]:
    """(module imported, name taken from it or None) for every import in `source`, at any
    depth: top level, functions, classes; relative imports resolved against `module`; also
    `importlib.import_module("...")` and `__import__("...")` with a literal name, and a private
    attribute read through a name bound to an imported module (`services._apply`)."""
    found: list[tuple[str, str | None]] = []
    bound: dict[str, str] = {}  # local name -> module it stands for
    package = module if is_package else module.rpartition(".")[0]
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                found.append((alias.name, None))
                if alias.asname:
                    bound[alias.asname] = alias.name
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                submodule = f"{base}.{alias.name}"
                if _is_module(submodule):
                    found.append((submodule, None))
                    bound[alias.asname or alias.name] = submodule
                else:
                    found.append((base, alias.name))
        elif isinstance(node, ast.Call) and node.args:
            func = node.func
            called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            first = node.args[0]
            if called in ("import_module", "__import__") and isinstance(first, ast.Constant):
                found.append((str(first.value), None))
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in bound
        ):
            found.append((bound[node.value.id], node.attr))
    return found


def _private(name: str | None) -> bool:
    return bool(name) and name.startswith("_") and not name.startswith("__")


def _within(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def graph() -> dict[str, list[tuple[str, str | None]]]:
    return {
        name: imports(path.read_text(encoding="utf-8"), name, path.name == "__init__.py")
        for name, path in ALL.items()
    }


def test_orders_never_imports_payments():
    wrong = [
        f"{module} imports {target}"
        for module, found in graph().items()
        if _within(module, LOWER)
        for target, _name in found
        if _within(target, UPPER)
    ]
    assert wrong == []


def test_no_private_names_across_the_two_packages():
    wrong = []
    for module, found in graph().items():
        other = UPPER if _within(module, LOWER) else LOWER
        for target, name in found:
            if not _within(target, other):
                continue
            hidden = [part for part in target.split(".") if _private(part)]
            if hidden or _private(name):
                wrong.append(f"{module} uses {target}{'.' + name if name else ''}")
    assert wrong == []


def test_no_import_cycle_between_orders_and_payments():
    """No cycle among the modules of the two packages (function-level imports included)."""
    edges = {
        module: {target for target, _name in found if target in ALL and target != module}
        for module, found in graph().items()
    }
    cycles = []

    def visit(module, path):
        for target in sorted(edges[module]):
            if target in path:
                cycles.append(" -> ".join([*path[path.index(target):], target]))
            elif target not in done:
                visit(target, [*path, target])
        done.add(module)

    done: set[str] = set()
    for module in sorted(edges):
        if module not in done:
            visit(module, [module])
    assert cycles == []


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        # what shop.orders.services did before issue 15: an import inside a function
        ("def f():\n    from shop.payments.services import close_payments\n",
         ("shop.payments.services", "close_payments")),
        ("from shop.orders import services\nservices._apply(1, 2)\n",
         ("shop.orders.services", "_apply")),
        ("from ..orders.views import _guest\n", ("shop.orders.views", "_guest")),
        ("import importlib\nimportlib.import_module('shop.payments.services')\n",
         ("shop.payments.services", None)),
    ],
)
def test_the_check_sees_hidden_imports(source, expected):
    assert expected in imports(source, "shop.payments.views")
