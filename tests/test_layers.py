"""Imports run one way: the layer table of docs/architecture.md, checked by
walking every import statement in ``sroi/`` with ``ast``.

Every import counts: at module level, inside functions, and under
``if TYPE_CHECKING``.  A module may import from its own layer or a lower one;
no two modules may import each other, directly or round a loop.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "sroi"
ARCHITECTURE = ROOT / "docs" / "architecture.md"


def layer_table(text: str) -> dict[str, int]:
    """Module or package name -> layer, from the Markdown table rows
    ``| 3 | `sroi.sampling`, ... | ... |``."""
    table: dict[str, int] = {}
    for line in text.splitlines():
        row = re.match(r"\|\s*(\d+)\s*\|([^|]*)\|", line)
        if row:
            for name in re.findall(r"`(sroi[\w.]*)`", row.group(2)):
                table[name] = int(row.group(1))
    return table


LAYERS = layer_table(ARCHITECTURE.read_text())


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def layer_of(module: str) -> int | None:
    """The layer of the longest table entry that is ``module`` or a package above it."""
    parts = module.split(".")
    for k in range(len(parts), 0, -1):
        name = ".".join(parts[:k])
        if name in LAYERS:
            return LAYERS[name]
    return None


def _resolve(module: str, name: str | None) -> str:
    """The module an import names: ``from a import b`` is module ``a.b`` when
    that module exists, else ``a``."""
    if name and f"{module}.{name}" in MODULES:
        return f"{module}.{name}"
    return module


def _type_only(tree: ast.Module) -> set[int]:
    """Ids of the import nodes under ``if TYPE_CHECKING:``."""
    out: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            out.update(id(n) for stmt in node.body for n in ast.walk(stmt))
    return out


def imports(module: str, path: Path) -> Iterator[tuple[str, int, bool]]:
    """``(imported sroi module, line, type only)`` for every import in the file."""
    tree = ast.parse(path.read_text(), str(path))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    typing_only = _type_only(tree)
    for node in ast.walk(tree):
        hint = id(node) in typing_only
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "sroi":
                    yield alias.name, node.lineno, hint
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                source = ".".join([*base, *([node.module] if node.module else [])])
            else:
                source = node.module or ""
            if source.split(".")[0] == "sroi":
                for alias in node.names:
                    yield _resolve(source, alias.name), node.lineno, hint
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, (ast.Attribute, ast.Name))
            and getattr(node.func, "attr", getattr(node.func, "id", "")) == "import_module"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and str(node.args[0].value).startswith("sroi")
        ):
            yield str(node.args[0].value), node.lineno, hint


#: Module -> ``(imported module, line, type only)``, sorted.
EDGES = {module: sorted(set(imports(module, path))) for module, path in MODULES.items()}


def test_the_table_is_read() -> None:
    assert LAYERS["sroi.scenario"] < LAYERS["sroi.engine"] < LAYERS["sroi.reports"]
    assert set(LAYERS.values()) == set(range(max(LAYERS.values()) + 1))


def test_every_module_has_a_layer() -> None:
    missing = [m for m in MODULES if layer_of(m) is None]
    assert not missing, (
        f"modules with no layer: {missing}; give their package a row in docs/architecture.md"
    )


def test_no_module_imports_from_a_higher_layer() -> None:
    found = []
    for module, edges in EDGES.items():
        own = layer_of(module)
        for target, line, _ in edges:
            theirs = layer_of(target)
            if own is not None and theirs is not None and theirs > own:
                found.append(
                    f"{MODULES[module].relative_to(ROOT)}:{line}: {module} (layer {own})"
                    f" imports {target} (layer {theirs})"
                )
    assert not found, "imports against the pipeline:\n" + "\n".join(found)


def test_every_import_names_a_module() -> None:
    """An import of a module that no longer exists (a function-level one runs
    only when called) fails here rather than in front of a user."""
    found = [
        f"{MODULES[module].relative_to(ROOT)}:{line}: {target}"
        for module, edges in EDGES.items()
        for target, line, _ in edges
        if target not in MODULES
    ]
    assert not found, "imports of modules that do not exist:\n" + "\n".join(found)


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                out.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def test_cycles_finds_a_loop_and_only_a_loop() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set(), "c": {"c"}}) == []


def test_no_import_loops() -> None:
    """Type-only imports are left out here: they never run, and a module that
    documents the type it reads (``document(results: Results)``) next to a
    class that offers it as a method is not a loop."""
    graph = {
        m: {t for t, _, hint in edges if t in MODULES and t != m and not hint}
        for m, edges in EDGES.items()
    }
    found = cycles(graph)
    assert not found, "modules that import each other (directly or round a loop):\n" + "\n".join(
        " <-> ".join(c) for c in found
    )


def test_the_walk_sees_every_kind_of_import(tmp_path: Path) -> None:
    """Relative, function-level, type-only and ``importlib`` imports all count."""
    source = tmp_path / "probe.py"
    source.write_text(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from sroi.reports import html\n"
        "def f():\n    import sroi.cli.main\n"
        "    from . import summary\n"
        "    importlib.import_module('sroi.api')\n"
    )
    found = [(t, hint) for t, _, hint in imports("sroi.results.probe", source)]
    assert found == [
        ("sroi.reports.html", True),
        ("sroi.cli.main", False),
        ("sroi.results.summary", False),
        ("sroi.api", False),
    ]


def loads_by_name(path: Path) -> list[int]:
    """Lines that import a module named by a string (``import_module``, ``__import__``)."""
    tree = ast.parse(path.read_text(), str(path))
    return [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and getattr(node.func, "attr", getattr(node.func, "id", None))
        in ("import_module", "__import__")
    ]


def test_loads_by_name_sees_both_spellings(tmp_path: Path) -> None:
    source = tmp_path / "probe.py"
    source.write_text(
        "from importlib import resources\n"
        "import importlib\n"
        "importlib.import_module('sroi.api')\n"
        "__import__('sroi.cli')\n"
    )
    assert loads_by_name(source) == [3, 4]


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_module_is_loaded_by_name(module: str) -> None:
    """A module imported by name hides its import from this walk; only
    ``sroi``'s own lazy attributes do it.  (``importlib.resources``, which
    reads package data, is fine.)"""
    if module == "sroi":
        return
    assert not loads_by_name(MODULES[module]), f"{module} imports a module by name"
