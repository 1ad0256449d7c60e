"""The public API: a few names at the top level, each one documented and
reachable, and the rest named in the subpackages' ``__all__``."""

from __future__ import annotations

import ast
import importlib
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

import sroi
from sroi.analysis.compare import compare
from sroi.analysis.oneway import oneway
from sroi.analysis.sobol import sobol
from sroi.analysis.voi import voi

ROOT = Path(__file__).resolve().parents[1]
OXFORD_FILE = ROOT / "scenarios" / "family_action_pss" / "oxford.yaml"
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


def test_dir_hides_the_modules_own_imports_and_lists_the_subpackages() -> None:
    listed = dir(sroi)
    assert not {"Any", "TYPE_CHECKING", "annotations"} & set(listed)
    assert {"analysis", "plots", "reports", "scenario"} <= set(listed)


def test_a_subpackage_loads_on_first_use() -> None:
    # In a fresh process, as a notebook user meets it: no import of
    # sroi.analysis first.
    code = (
        "import sys, sroi; assert 'sroi.analysis' not in sys.modules; "
        "print(sroi.analysis.__name__, sroi.plots.__name__)"
    )
    done = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    assert done.stdout.split() == ["sroi.analysis", "sroi.plots"]


def test_a_path_with_no_scenario_is_a_value_error_named_at_the_top(tmp_path: Path) -> None:
    missing = tmp_path / "nope.yaml"
    with pytest.raises(sroi.PathError, match=r"nope\.yaml: no such file or folder"):
        sroi.run(missing, draws=0)
    with pytest.raises(ValueError, match=r"nope\.yaml"):
        sroi.run([OXFORD_FILE, missing], draws=0)


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


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            lambda: compare(OXFORD_FILE, draws=20, seed=2.5),
            "seed must be a whole number >= 0; found 2.5",
        ),
        (lambda: compare(OXFORD_FILE, draws=True), "draws must be a whole number >= 1; found True"),
        (lambda: compare(OXFORD_FILE, draws=0), "draws must be a whole number >= 1; found 0"),
        (lambda: compare(OXFORD_FILE, draws=20, thresholds=2), "thresholds must be a sequence"),
        (lambda: compare(OXFORD_FILE, draws=20, by_year=1.5), "by_year must be a whole number"),
        (
            lambda: compare(OXFORD_FILE, draws=20, contributions={"nhs": True}),
            "contribution of nhs must be a finite number; found True",
        ),
        (lambda: compare(OXFORD_FILE, draws=20, perspective=["nhs"]), "unknown perspective"),
        (lambda: voi(OXFORD_FILE, draws=50, seed=True), "seed must be a whole number >= 0"),
        (lambda: voi(OXFORD_FILE, draws=50, groups=["a"]), "groups must map names"),
        (
            lambda: voi(OXFORD_FILE, draws=50, population="100", horizon=5),
            "population must be a finite number; found '100'",
        ),
        (
            lambda: voi(OXFORD_FILE, draws=50, population=100, horizon=2.5),
            "horizon must be a whole number >= 0; found 2.5",
        ),
        (lambda: oneway(OXFORD_FILE, band="0.2"), "band must be a finite number; found '0.2'"),
        (lambda: sobol(OXFORD_FILE, base_samples=16.5), "base samples must be a whole number"),
        (lambda: compare(OXFORD_FILE, draws=float("nan")), "draws must be a whole number"),
        (lambda: compare(OXFORD_FILE, draws=float("inf")), "draws must be a whole number"),
        (lambda: sobol(OXFORD_FILE, base_samples=16, bootstrap=1.5), "bootstrap must be a whole"),
        (lambda: sobol(OXFORD_FILE, metrics="npv"), "metrics must be a list of metric names"),
        (lambda: sroi.run(OXFORD_FILE, draws=0, price_year=[2020]), "price_year must be a whole"),
    ],
)
def test_the_analyses_name_a_bad_argument_instead_of_failing_inside(
    call: Callable[[], object], message: str
) -> None:
    """Each once failed deep inside (``'<' not supported``, ``unhashable
    type``) or silently rounded (a seed of 2.5 ran as 2, ``draws=True`` as
    one draw)."""
    with pytest.raises(ValueError, match=re.escape(message)):
        call()


def test_a_result_reprs_in_a_few_lines_saying_what_was_run() -> None:
    """The repr of a run, a comparison or a value-of-information result names
    the run; it does not print the draws it holds (half a megabyte)."""
    from sroi.analysis.compare import compare

    sites = Path(__file__).resolve().parents[1] / "scenarios" / "family_action_pss"
    results = sroi.run(sites, draws=300, seed=4, perspective="public_sector")
    v = sroi.__version__
    assert repr(results) == (
        f"<Results of sroi {v}: 4 scenarios (hackney, oxford, swaffham, west_mansfield)\n"
        "  300 draws (random), seed 4; perspective public_sector\n"
        "  money in GBP at FY 2011-12 prices>"
    )
    assert repr(sroi.run(sites / "oxford.yaml", draws=0)).splitlines()[1] == (
        "  base case only, seed 0; perspective society"
    )
    assert repr(compare(sites, draws=50)).startswith("<Comparison of sroi ")
    assert len(repr(compare(sites, draws=50)).splitlines()) == 3


def test_a_scenario_is_shown_by_what_names_it() -> None:
    # Its whole content ran to 70,000 characters in a notebook's output.
    scenario = sroi.load_scenario(OXFORD_FILE)
    shown = repr(scenario)
    assert shown.startswith("Scenario(id='oxford', name='Oxford") and len(shown) < 200
    assert "price_year=2011" in shown and len(str(scenario)) < 200
    assert scenario.model_dump()["outcomes"]  # everything is still there


def test_a_whole_float_is_read_as_the_whole_number_it_is() -> None:
    """``draws=2e3`` is what ``--draws 2e3`` is on the command line: 2,000
    draws, the same results as ``draws=2000``.  (It was refused as "not a
    whole number; found 2000.0".)  A fraction is still refused."""
    as_int = sroi.run(OXFORD_FILE, draws=2000, seed=7)
    as_float = sroi.run(OXFORD_FILE, draws=2e3, seed=7.0)
    assert as_float.draws == 2000 and as_float.seed == 7
    assert as_float.summaries("oxford") == as_int.summaries("oxford")
    assert compare(OXFORD_FILE, draws=1e3, by_year=2.0) is not None
    refused = "draws must be a whole number >= 0; found 2000.5"
    with pytest.raises(ValueError, match=re.escape(refused)):
        sroi.run(OXFORD_FILE, draws=2000.5)


def test_a_problem_has_the_attributes_the_readme_names(tmp_path: Path) -> None:
    """README: each problem has ``mark.file``, ``mark.line``, ``mark.column``,
    ``path`` and ``message`` (it once named attributes a problem lacks)."""
    text = OXFORD_FILE.read_text(encoding="utf-8").replace("\nname:", "\nnmae:", 1)
    bad = tmp_path / "_common.yaml"
    bad.write_text((OXFORD_FILE.parent / "_common.yaml").read_text(encoding="utf-8"))
    (tmp_path / "oxford.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(sroi.ScenarioError) as caught:
        sroi.load_scenario(tmp_path / "oxford.yaml")
    problem = next(p for p in caught.value.problems if p.path == "nmae")
    line = text.splitlines().index(next(x for x in text.splitlines() if x.startswith("nmae:"))) + 1
    assert (problem.mark.file, problem.mark.line, problem.mark.column) == (
        str(tmp_path / "oxford.yaml"),
        line,
        1,
    )
    assert problem.message and str(problem).startswith(f"{problem.mark.file}:{line}:1: nmae: ")
