"""The shape of the code: imports point down the layers, and no two modules import each other.

Each app sits on one layer; a module may import its own app, apps on lower layers and `mpro`
(the ground). `mpro` imports no app, except the URL configuration, which mounts them all. Every
import counts, also one inside a function: hiding an upward import in a function body still makes
the lower app depend on the upper one.

To add an app, put it on the layer it belongs to (apps on one layer must not import each other).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Lowest first. An app may import apps of lower layers only.
LAYERS: list[list[str]] = [
    ["users"],
    ["companies"],
    ["vehicles"],
    ["packs"],
    # connected services and the public showcase: they read packs, retail reads them.
    # telematics records what the vans report; the other connected services read it.
    ["telematics"],
    ["trips", "commands", "maintenance", "integrations", "jobs", "alerts", "helpcentre"],
    # the driver app is a face over the connected services: it reads trips, jobs and commands.
    ["driverapp"],
    ["privacy", "operations"],
    ["retail"],
]
GROUND = "mpro"
# The URL configuration mounts every app; it is the one module of the ground that sees them.
GROUND_MAY_IMPORT_APPS = {"mpro.urls"}

# Known departures, each to be removed (none today). The test fails when one of them is no longer
# needed, so the list cannot go stale.
TOLERATED: set[str] = set()

LAYER_OF = {app: depth for depth, apps in enumerate(LAYERS) for app in apps}
PACKAGES = [GROUND, *LAYER_OF]


def _modules() -> dict[str, Path]:
    """Every Python module of the project's apps and of `mpro`, migrations aside (they are
    generated, and reference other apps' migrations by name, not by import)."""
    found = {}
    for package in PACKAGES:
        base = ROOT / package
        if not base.is_dir():
            continue
        for path in base.rglob("*.py"):
            relative = path.relative_to(ROOT).with_suffix("")
            if "migrations" in relative.parts:
                continue
            parts = list(relative.parts)
            if parts[-1] == "__init__":
                parts = parts[:-1]
            found[".".join(parts)] = path
    return found


MODULES = _modules()


def _resolve(module: str, is_package: bool, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    base = module.split(".") if is_package else module.split(".")[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def _imports(module: str, path: Path) -> list[tuple[str, int, bool]]:
    """(imported module, line, at module level) for each import of the project's packages."""
    tree = ast.parse(path.read_text(), filename=str(path))
    is_package = path.name == "__init__.py"
    top_level = {id(node) for node in tree.body}
    type_checking = set()
    for node in tree.body:
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            type_checking |= {id(child) for child in ast.walk(node)}
    found = []
    for node in ast.walk(tree):
        if id(node) in type_checking:
            continue
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            target = _resolve(module, is_package, node)
            # `from package import module` imports the submodule when there is one.
            names = [
                f"{target}.{alias.name}" if f"{target}.{alias.name}" in MODULES else target
                for alias in node.names
            ]
        else:
            continue
        for name in names:
            if name.split(".")[0] in PACKAGES:
                found.append((name, node.lineno, id(node) in top_level))
    return found


def _app(module: str) -> str:
    return module.split(".")[0]


def test_every_app_is_on_a_layer():
    installed = {
        line.strip().strip('",')
        for line in (ROOT / "mpro" / "settings.py").read_text().splitlines()
        if line.strip().startswith('"') and line.strip().strip('",').isidentifier()
    }
    project_apps = {
        name for name in installed if (ROOT / name / "apps.py").exists() or (ROOT / name).is_dir()
    }
    unplaced = sorted(project_apps - set(LAYER_OF) - {GROUND})
    assert not unplaced, f"put these apps on a layer in tests/test_architecture.py: {unplaced}"


def _wrong_imports() -> set[str]:
    wrong = set()
    for module, path in sorted(MODULES.items()):
        app = _app(module)
        for imported, _line, _top in _imports(module, path):
            target = _app(imported)
            if target == app or target == GROUND:
                continue
            if app == GROUND and module in GROUND_MAY_IMPORT_APPS:
                continue
            if app == GROUND or LAYER_OF[target] >= LAYER_OF[app]:
                wrong.add(f"{path.relative_to(ROOT)}: {app} imports {imported}")
    return wrong


def test_imports_point_down_the_layers():
    wrong = _wrong_imports()
    assert not wrong - TOLERATED, "imports against the layer order:\n" + "\n".join(sorted(wrong - TOLERATED))
    assert not TOLERATED - wrong, f"no longer needed, remove from TOLERATED: {sorted(TOLERATED - wrong)}"


def _graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {module: set() for module in MODULES}
    for module, path in MODULES.items():
        for imported, _line, _top in _imports(module, path):
            # An import of a name from a package resolves to the package (its __init__).
            while imported and imported not in MODULES:
                imported = imported.rpartition(".")[0]
            if imported and imported != module:
                graph[module].add(imported)
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = [0]

    def visit(node: str) -> None:
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for succ in graph[node]:
            if succ not in index:
                visit(succ)
                low[node] = min(low[node], low[succ])
            elif succ in on_stack:
                low[node] = min(low[node], index[succ])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_module_import_cycles():
    cycles = _cycles(_graph())
    assert not cycles, "modules that import each other (directly or in a ring):\n" + "\n".join(
        " ↔ ".join(cycle) for cycle in cycles
    )


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("from packs.models import Pack", ["packs.models"]),
        ("from . import selectors", ["vehicles.selectors"]),
        ("def f():\n    from retail import services", ["retail.services"]),
    ],
)
def test_the_walker_sees_imports_inside_functions_too(source, expected, tmp_path):
    path = tmp_path / "mod.py"
    path.write_text(source)
    assert [name for name, _line, _top in _imports("vehicles.views", path)] == expected


# --- sizes: a function reads on one screen -------------------------------------------------------
MAX_FUNCTION_LINES = 60


def _long_functions() -> set[str]:
    """`path:name (N lines)` of every function or method longer than MAX_FUNCTION_LINES (its
    decorators aside, its docstring included) in the apps and `mpro`, migrations aside."""
    found = set()
    for path in MODULES.values():
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                length = node.end_lineno - node.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    found.add(f"{path.relative_to(ROOT)}:{node.name}")
    return found


def test_no_function_is_longer_than_sixty_lines():
    long = _long_functions()
    assert not long, (
        f"split these functions (over {MAX_FUNCTION_LINES} lines) into named steps:\n"
        + "\n".join(sorted(long))
    )


# --- sizes: a module is about one thing ------------------------------------------------------------
MAX_MODULE_LINES = 500


def test_no_module_is_longer_than_five_hundred_lines():
    long = {
        f"{path.relative_to(ROOT)} ({lines} lines)"
        for path in MODULES.values()
        if (lines := len(path.read_text().splitlines())) > MAX_MODULE_LINES
    }
    assert not long, f"split these modules (over {MAX_MODULE_LINES} lines) by concern:\n" + "\n".join(
        sorted(long)
    )
