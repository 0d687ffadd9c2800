"""The apps are layers (STYLE.md): data flows one way, so an app imports only from apps below
it, never a private `_name` of another app, and no import cycle runs through two apps.

    lib < tenants < residents < catalog < printing < accounts < counter < preentry < training
    < backoffice < queues < remote

accounts is cross-cutting at the counter's level: counter and everything above may use it,
while lib, residents, catalog and printing (the pure renderer) must not. The project package
(madoguchi) and the `demo` and `analytics` apps sit on top and may import anything; of
madoguchi, only its INFRASTRUCTURE modules (plain helpers that import no app) may be
imported by the apps. queues and backoffice are neighbours, not a stack: the queue imports
neither backoffice nor remote (issue 11). Every import counts, also one inside a function: a
lazy import is the same dependency, only later. Tests are left out: they may build a world
across the layers to exercise their own app.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ORDER = ["lib", "tenants", "residents", "catalog", "printing", "accounts", "counter", "preentry",
         "training", "backoffice", "queues", "remote"]  # fmt: skip
TOP = ("madoguchi", "demo", "analytics")
LEVEL = {app: n for n, app in enumerate(ORDER)} | {app: len(ORDER) for app in TOP}
APPS = tuple(LEVEL)
# madoguchi's helpers for every app's views, forms and commands; they import no app (checked
# below).
INFRASTRUCTURE = (
    "madoguchi.inputs",
    "madoguchi.throttle",
    "madoguchi.dbpool",
    "madoguchi.apikit",
    "madoguchi.errors",
    "madoguchi.loops",
)
# Pairs where the order alone would allow the import but the design does not.
APART = {("queues", "backoffice"), ("queues", "remote")}

# Known violations, each owned by a change in progress elsewhere (none now); remove an entry
# when fixed.
KNOWN: set[tuple[str, str]] = set()


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    out = {}
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")) if (ROOT / app).is_dir() else []:
            if "migrations" in path.parts or "tests" in path.parts:
                # Migrations are history and name models by string; tests see note above.
                continue
            out[_module_name(path)] = path
    return out


MODULES = _modules()


def _resolve(name: str) -> str | None:
    """The project module `name` is (or is in): `a.b.c` → a.b.c if that is a module, else a.b."""
    while name:
        if name in MODULES:
            return name
        name = name.rpartition(".")[0]
    return None


def _imports(module: str, path: Path):
    """(imported project module, names taken from it, line) for every import of the file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for a in node.names:
                target = _resolve(a.name)
                if target:
                    yield target, [], node.lineno
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            for a in node.names:
                sub = f"{base}.{a.name}"
                if sub in MODULES:  # `from app import module`
                    yield sub, [], node.lineno
                elif (target := _resolve(base)) is not None:
                    yield target, [a.name], node.lineno


def _app(module: str) -> str:
    return module.split(".")[0]


def _may_import(importer: str, imported: str) -> bool:
    a, b = _app(importer), _app(imported)
    if a == b or (importer, imported) in KNOWN:
        return True
    if b == "madoguchi":
        # printing is a pure renderer (PacketData in, PDF bytes out): no web helpers either.
        return a in TOP or (imported in INFRASTRUCTURE and a not in ("lib", "printing"))
    if (a, b) in APART:
        return False
    return LEVEL[b] < LEVEL[a] or (a in TOP and b in TOP)


EDGES = {m: list(_imports(m, p)) for m, p in MODULES.items()}


def test_no_app_imports_from_an_app_above_it():
    wrong = [
        f"{MODULES[m].relative_to(ROOT)}:{line} imports {target}"
        for m, edges in EDGES.items()
        for target, _names, line in edges
        if not _may_import(m, target)
    ]
    assert not wrong, "\n".join(wrong)


def test_no_app_imports_a_private_name_of_another_app():
    wrong = [
        f"{MODULES[m].relative_to(ROOT)}:{line} imports {target}.{name}"
        for m, edges in EDGES.items()
        for target, names, line in edges
        if _app(target) != _app(m)
        for name in names
        if name.startswith("_") and not name.startswith("__")
    ]
    # `from counter import views` and then `views._helper(...)` is the same thing.
    for m, path in MODULES.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        aliases = {}
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and not node.level:
                for a in node.names:
                    full = f"{node.module}.{a.name}"
                    if full in MODULES and _app(full) != _app(m):
                        aliases[a.asname or a.name] = full
            elif isinstance(node, ast.Import):
                for a in node.names:
                    if a.asname and a.name in MODULES and _app(a.name) != _app(m):
                        aliases[a.asname] = a.name
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id in aliases
                and node.attr.startswith("_")
                and not node.attr.startswith("__")
            ):
                wrong.append(
                    f"{path.relative_to(ROOT)}:{node.lineno} uses "
                    f"{aliases[node.value.id]}.{node.attr}"
                )
    assert not wrong, "\n".join(wrong)


def _cycles(graph: dict[str, list[str]]) -> list[list[str]]:
    """Strongly connected groups of modules (Tarjan), biggest first."""
    index, low, stack, on_stack, groups = {}, {}, [], set(), []

    def visit(v):
        # Iterative, so a long chain of imports cannot hit the recursion limit.
        work = [(v, iter(graph[v]))]
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(graph[child])))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    w = stack.pop()
                    on_stack.discard(w)
                    group.append(w)
                    if w == node:
                        break
                if len(group) > 1:
                    groups.append(sorted(group))

    for v in graph:
        if v not in index:
            visit(v)
    return sorted(groups, key=len, reverse=True)


def test_no_import_cycle_runs_through_two_apps():
    graph = {m: sorted({t for t, _n, _l in edges if t != m}) for m, edges in EDGES.items()}
    crossing = [g for g in _cycles(graph) if len({_app(m) for m in g}) > 1]
    assert not crossing, crossing


def test_every_known_violation_is_still_there():
    """An allow-list entry whose import is gone is removed, so it cannot hide a new one."""
    present = {(m, t) for m, edges in EDGES.items() for t, _n, _l in edges}
    assert KNOWN <= present, KNOWN - present


@pytest.mark.parametrize("module", INFRASTRUCTURE)
def test_madoguchi_s_shared_helpers_import_no_app_but_lib(module):
    assert module in MODULES
    used = {_app(t) for t, _n, _l in EDGES[module]} - {"madoguchi"}
    # tenants is below every app too: the error page names the current tenant's city.
    assert used <= {"lib", "tenants"}, used


def test_the_check_sees_a_violation():
    """The rules themselves: an upward import, a private name, the allowed directions."""
    assert not _may_import("printing.pdf", "counter.models")
    assert not _may_import("printing.pdf", "accounts.audit")
    assert not _may_import("catalog.pack", "madoguchi.urls")
    assert not _may_import("queues.views", "backoffice.api")
    assert _may_import("counter.views", "accounts.access")
    assert _may_import("counter.forms", "madoguchi.inputs")
    assert _may_import("madoguchi.urls", "remote.views")
    assert _may_import("analytics.figures", "remote.models")
    assert not _may_import("lib.kana", "madoguchi.inputs")
    assert not _may_import("printing.pdf", "madoguchi.inputs")
    assert not _may_import("counter.services", "training.services")
    assert _may_import("training.services", "counter.services")
    graph = {"a.x": ["b.y"], "b.y": ["b.z"], "b.z": ["a.x"], "c.q": ["a.x"], "a.w": []}
    assert _cycles(graph) == [["a.x", "b.y", "b.z"]]
