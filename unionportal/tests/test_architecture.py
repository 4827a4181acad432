"""The layout shows the design: dependencies point one way, and nothing imports in a circle.

Read from the source (every `import`, at module level or inside a function), so a new
upward import or circle fails here before anyone has to draw the graph again.
"""

import ast
from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# Each room and the rooms it may use (the project package is the ground floor).
ALLOWED = {
    "unionportal": set(),
    "grassroots": {"unionportal"},
    "members": {"unionportal", "grassroots"},
    # activities reads the recruiting officer of the support scheme from the organising pipeline
    "activities": {"unionportal", "grassroots", "members", "organising"},
    "organising": {"unionportal", "grassroots", "members"},
    "imports": {"unionportal", "grassroots", "members", "organising", "activities"},
    "reports": {"unionportal", "grassroots", "members", "organising", "activities"},
    "approvals": {"unionportal", "grassroots", "members", "organising", "reports", "activities"},
    "demo": {
        "unionportal",
        "grassroots",
        "members",
        "organising",
        "reports",
        "approvals",
        "activities",
    },
    "benchmarks": {
        "unionportal",
        "grassroots",
        "members",
        "organising",
        "reports",
        "imports",
        "approvals",
        "demo",
        "activities",
    },
}
ROOMS = set(ALLOWED)


def _modules():
    for room in ROOMS:
        for path in (ROOT / room).rglob("*.py"):
            parts = path.relative_to(ROOT).with_suffix("").parts
            if "migrations" in parts or "tests" in parts:
                continue
            if parts[-1] == "__init__":
                parts = parts[:-1]
            yield ".".join(parts), path


def _imports(name: str, path: Path) -> set[str]:
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names)
    return {m for m in found if m.split(".")[0] in ROOMS}


@pytest.fixture(scope="module")
def graph() -> dict[str, set[str]]:
    modules = dict(_modules())
    edges: dict[str, set[str]] = defaultdict(set)
    for name, path in modules.items():
        for target in _imports(name, path):
            # `from pkg import name` may name a module or an attribute: keep what is a module.
            while target and target not in modules:
                target = target.rpartition(".")[0]
            if target and target != name and not name.startswith(target + "."):
                edges[name].add(target)
    return edges


def test_dependencies_point_downward(graph):
    wrong = sorted(
        f"{source} -> {target}"
        for source, targets in graph.items()
        for target in targets
        if (room := source.split(".")[0]) != (other := target.split(".")[0])
        and other not in ALLOWED[room]
    )
    assert wrong == []


def test_no_import_circle(graph):
    """Tarjan's strongly connected components over the module graph: none larger than one."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    circles: list[list[str]] = []
    counter = 0

    def visit(node: str) -> None:
        nonlocal counter
        index[node] = low[node] = counter
        counter += 1
        stack.append(node)
        on_stack.add(node)
        for target in graph.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                circles.append(sorted(component))

    for node in sorted({*graph, *(t for ts in graph.values() for t in ts)}):
        if node not in index:
            visit(node)
    assert circles == []
