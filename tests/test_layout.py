"""The code's layout stays the one ARCHITECTURE.md draws: no import cycle inside reemploi/ (lazy imports
inside functions included: they hide a cycle, they do not cut it), every domain exports its routes and
the application assembles them all, and the architecture document names every domain."""

from __future__ import annotations

import ast
import inspect
from collections.abc import Iterable, Mapping
from pathlib import Path

from litestar import Controller

from reemploi import app

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "reemploi"


def module_name(path: Path, base: Path = ROOT) -> str:
    parts = path.relative_to(base).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(source: str, modules: Iterable[str]) -> set[str]:
    """The reemploi modules a source imports, at any depth (module level or inside a function)."""
    known = set(modules)
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                full = f"{node.module}.{alias.name}"
                found.add(full if full in known else node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {name for name in found if name in known}


def import_graph(root: Path = PACKAGE) -> dict[str, set[str]]:
    paths = {module_name(p, root.parent): p for p in root.rglob("*.py")}
    return {name: imports_of(path.read_text(encoding="utf-8"), paths) - {name} for name, path in paths.items()}


def cycles(graph: Mapping[str, set[str]]) -> list[list[str]]:
    """Every import cycle, each as the modules along it (Tarjan's strongly connected components)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
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


def test_no_import_cycle_inside_reemploi() -> None:
    found = cycles(import_graph())
    assert not found, "import cycles (cut them: the lower domain must not import the higher one):\n" + "\n".join(
        " ↔ ".join(c) for c in found
    )


def test_the_cycle_check_finds_a_cycle_hidden_in_a_function(tmp_path: Path) -> None:
    package = tmp_path / "reemploi"
    (package / "devices").mkdir(parents=True)
    (package / "workshop").mkdir()
    for init in (package, package / "devices", package / "workshop"):
        (init / "__init__.py").write_text("")
    (package / "devices" / "service.py").write_text(
        "def move():\n    from reemploi.workshop.service import step_changes\n    return step_changes\n"
    )
    (package / "workshop" / "service.py").write_text("from reemploi.devices import service as devices\n")
    graph = import_graph(package)
    assert cycles(graph) == [["reemploi.devices.service", "reemploi.workshop.service"]]


def _controllers_defined_in_reemploi() -> set[type[Controller]]:
    import importlib

    found: set[type[Controller]] = set()
    for path in PACKAGE.rglob("*.py"):
        if path.name in ("routes.py", "pages.py"):
            module = importlib.import_module(module_name(path))
            found.update(
                obj
                for obj in vars(module).values()
                if inspect.isclass(obj) and issubclass(obj, Controller) and obj.__module__ == module.__name__
            )
    return found


def test_every_domain_exports_its_routes_and_the_application_assembles_them_all() -> None:
    defined = _controllers_defined_in_reemploi()
    assembled = set(app.DOMAIN_ROUTES)
    assert defined, "no controller found: the layout test is looking in the wrong place"
    assert defined - assembled == set(), "controllers no domain exports in its ROUTES (so the app does not serve them)"
    assert len(app.DOMAIN_ROUTES) == len(assembled), "a controller is exported twice"


def test_routes_live_only_in_routes_and_pages_modules() -> None:
    """API controllers in <domain>/routes.py, HTML pages in <domain>/pages.py: a newcomer finds them."""
    misplaced = []
    for path in PACKAGE.rglob("*.py"):
        if path.name in ("routes.py", "pages.py", "app.py"):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:
            if isinstance(node, ast.ClassDef) and any(
                isinstance(base, ast.Name) and base.id == "Controller" for base in node.bases
            ):
                misplaced.append(f"{path.relative_to(ROOT)}: {node.name}")
    assert not misplaced, misplaced


def test_the_architecture_document_names_every_domain() -> None:
    text = (ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8")
    domains = sorted(p.parent.name for p in PACKAGE.glob("*/__init__.py") if p.parent.name not in ("rules", "texts"))
    missing = [d for d in domains if f"`{d}/`" not in text]
    assert not missing, f"ARCHITECTURE.md does not describe these domains: {missing}"
