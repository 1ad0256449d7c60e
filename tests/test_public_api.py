"""The public API: a few names at the top level, each one documented and
reachable, and the rest named in the subpackages' ``__all__``."""

from __future__ import annotations

import ast
import importlib
import subprocess
import sys
from pathlib import Path

import pytest

import sroi

ROOT = Path(__file__).resolve().parents[1]
#: Subpackages whose ``__all__`` is part of the public API.
SUBPACKAGES = (
    "sroi.scenario",
    "sroi.distributions",
    "sroi.results",
    "sroi.reports.plots",
    "sroi.reports.xlsx",
)


def test_top_level_is_small_and_every_name_resolves() -> None:
    assert len(sroi.__all__) <= 10
    assert len(set(sroi.__all__)) == len(sroi.__all__)
    for name in sroi.__all__:
        assert getattr(sroi, name) is not None, name


def test_dir_lists_the_lazy_names() -> None:
    """``dir(sroi)`` (used by tab completion) shows names that load on first use."""
    listed = dir(sroi)
    assert set(sroi.__all__) <= set(listed)
    assert listed == sorted(listed)


def test_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        _ = sroi.nope  # type: ignore[attr-defined]


def test_every_top_level_name_is_commented_in_all() -> None:
    """Each entry of ``__all__`` says what it is, in a comment on its line."""
    source = (ROOT / "sroi" / "__init__.py").read_text(encoding="utf-8")
    tree = ast.parse(source)
    (node,) = (
        n
        for n in tree.body
        if isinstance(n, ast.Assign) and any(getattr(t, "id", "") == "__all__" for t in n.targets)
    )
    lines = source.splitlines()
    assert isinstance(node.value, ast.List)
    for item in node.value.elts:
        assert isinstance(item, ast.Constant)
        if item.value == "__version__":
            continue
        assert "#" in lines[item.lineno - 1], f"__all__ entry {item.value!r} has no comment"


def test_import_sroi_loads_no_heavy_module() -> None:
    """``import sroi`` stays quick: numpy, pandas and pydantic load on first use."""
    code = "import sys, sroi; print(sorted({'numpy', 'pandas', 'pydantic'} & set(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    assert done.stdout.strip() == "[]"


@pytest.mark.parametrize("name", SUBPACKAGES)
def test_subpackage_all_resolves(name: str) -> None:
    module = importlib.import_module(name)
    assert module.__all__, f"{name} has an empty __all__"
    for entry in module.__all__:
        assert hasattr(module, entry), f"{name}.__all__ names {entry!r}, which it lacks"
