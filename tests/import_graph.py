"""The import graph of the project's own modules (shop/, admin/), function-level imports
included, and the layering rules it must keep (docs/architecture.md).

    python tests/import_graph.py        # lists import cycles and broken rules; exit 1 on any

Used by tests/architecture/test_layers.py.
"""

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("shop", "admin")
# shop.core is the floor: it may import only itself and the unbound extensions.
CORE_MAY_IMPORT = ("shop.core", "shop.extensions")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def project_modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            found[module_name(path)] = path
    return found


def imports_of(name: str, path: Path, known) -> list[tuple[str, int]]:
    """(imported project module, line) for every import in the file, wherever it stands."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    is_package = path.name == "__init__.py"
    raw = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            raw += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = name.split(".") if is_package else name.split(".")[:-1]
                base = base[: len(base) - (node.level - 1)]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            for alias in node.names:
                sub = f"{module}.{alias.name}"
                raw.append((sub if sub in known else module, node.lineno))
    found = []
    for target, line in raw:
        while target and target not in known:
            target = target.rpartition(".")[0]
        if target and target != name and target.split(".")[0] in PACKAGES:
            found.append((target, line))
    return found


def graph() -> dict[str, dict[str, int]]:
    known = project_modules()
    edges = {}
    for name, path in known.items():
        edges[name] = {}
        for target, line in imports_of(name, path, known):
            edges[name].setdefault(target, line)
    return edges


def cycles(edges) -> list[list[str]]:
    """Groups of modules that import each other, directly or through others (Tarjan)."""
    index, low, stack, on_stack, groups = {}, {}, [], set(), []
    counter = [0]

    def visit(node):
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for target in edges.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10000))
    for node in sorted(edges):
        if node not in index:
            visit(node)
    return groups


def _within(module: str, prefixes) -> bool:
    return any(module == p or module.startswith(p + ".") for p in prefixes)


def broken_rules(edges) -> list[str]:
    problems = []
    for name, targets in sorted(edges.items()):
        for target, line in sorted(targets.items()):
            if _within(name, ("shop.core",)) and not _within(target, CORE_MAY_IMPORT):
                problems.append(f"{name}:{line} imports {target}: core knows no feature")
            if name.startswith("shop") and name != "shop" and _within(target, ("admin",)):
                problems.append(f"{name}:{line} imports {target}: only create_app registers admin")
    return problems


def main() -> int:
    edges = graph()
    found = cycles(edges)
    for group in found:
        print("cycle:", " <-> ".join(group))
    problems = broken_rules(edges)
    for problem in problems:
        print(problem)
    print(f"{len(edges)} modules, {len(found)} import cycles, {len(problems)} broken rules")
    return 1 if found or problems else 0


if __name__ == "__main__":
    sys.exit(main())
