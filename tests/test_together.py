"""Scenarios run together must agree on ids, money units and shared correlations."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

import sroi
from sroi.cli.main import main
from sroi.scenario.together import check_together

SITES = Path(__file__).resolve().parent.parent / "scenarios" / "family_action_pss"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    shutil.copy(SITES / "_common.yaml", tmp_path / "_common.yaml")
    return tmp_path


def site(folder: Path, sid: str, extra: str = "") -> Path:
    path = folder / f"{sid}.yaml"
    path.write_text(
        f"extends: _common.yaml\nid: {sid}\nname: Site {sid}\n"
        "delivery:\n  referrals_per_year: {value: 40, source: c4eo_case_study}\n"
        "volunteers:\n  pool: {value: 10, source: c4eo_case_study}\n" + extra
    )
    return path


def test_agreeing_scenarios_pass(folder: Path) -> None:
    a, b = site(folder, "a"), site(folder, "b")
    pairs = [(str(p), sroi.load_scenario(p)) for p in (a, b)]
    assert check_together(pairs) == []


def test_duplicate_ids_point_at_the_second_id_line(folder: Path, capsys) -> None:
    site(folder, "a")
    (folder / "b.yaml").write_text(
        "extends: _common.yaml\nname: Copy\nid: a\n"
        "delivery:\n  referrals_per_year: {value: 40, source: c4eo_case_study}\n"
        "volunteers:\n  pool: {value: 10, source: c4eo_case_study}\n"
    )
    assert main(["validate", str(folder)]) == 2
    err = capsys.readouterr().err
    assert f"{folder / 'b.yaml'}:3:5: id: scenario id 'a' is already used by" in err


def test_price_year_must_match(folder: Path, capsys) -> None:
    site(folder, "a")
    site(folder, "b", "price_year: 2015\n")
    assert main(["run", str(folder), "--draws", "0"]) == 2
    err = capsys.readouterr().err
    assert "b.yaml:8:13: price_year: expected 2011" in err
    assert "found 2015" in err
    with pytest.raises(sroi.ScenarioError, match="programme totals add money"):
        sroi.run(folder, draws=0)


def test_a_price_year_several_scenarios_inherit_is_one_problem_naming_them(
    folder: Path, tmp_path_factory: pytest.TempPathFactory, capsys
) -> None:
    """It was the same line once per scenario, pointing at the shared file
    and naming none of the scenarios at the other price year."""
    for sid in ("a", "b", "c"):
        site(folder, sid)
    other = tmp_path_factory.mktemp("other")
    shutil.copy(folder / "_common.yaml", other / "_common.yaml")
    site(other, "z", "price_year: 2015\n")
    assert main(["validate", str(other), str(folder)]) == 2
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if "price_year: expected 2015" in line]
    assert len(lines) == 1, err
    assert lines[0].startswith(f"{folder / '_common.yaml'}:")
    assert "found 2011 (the value of " in lines[0]
    assert all(str(folder / f"{sid}.yaml") in lines[0] for sid in ("a", "b", "c"))
    assert "which extend this file)" in lines[0]


def test_shared_values_must_share_their_correlations(folder: Path) -> None:
    base = sroi.load_scenario(site(folder, "a"))
    shared = [
        path
        for path in ("effect.risk_without", "effect.relative_risk")
        if getattr(base.effect, path.split(".")[1]).shared
    ]
    assert len(shared) == 2, "the bundled effect pair is expected to be shared"
    corr = "correlations:\n  - {between: [effect.risk_without, effect.relative_risk], rank: %s}\n"
    b = site(folder, "b", corr % "0.3")
    c = site(folder, "c", corr % "-0.3")
    pairs = [(str(p), sroi.load_scenario(p)) for p in (b, c)]
    problems = check_together(pairs)
    assert len(problems) == 1
    assert "shared values effect.relative_risk and effect.risk_without" in problems[0].message
    # One scenario correlating them and one not is just as inconsistent.
    problems = check_together([(str(b), pairs[0][1]), (None, base)])
    assert len(problems) == 1


def test_bad_seed_and_draws_are_refused() -> None:
    with pytest.raises(ValueError, match="seed must be a whole number >= 0; found -1"):
        sroi.run(SITES / "oxford.yaml", draws=0, seed=-1)
    with pytest.raises(ValueError, match="draws must be a whole number"):
        sroi.run(SITES / "oxford.yaml", draws=1.5)  # type: ignore[arg-type]


def test_numpy_integers_are_whole_numbers() -> None:
    """A count computed with numpy (``np.int64``) is a whole number, as the
    same count in a Python int: the run is the same."""
    import numpy as np

    given = sroi.run(SITES / "oxford.yaml", draws=np.int64(300), seed=np.uint8(3))
    plain = sroi.run(SITES / "oxford.yaml", draws=300, seed=3)
    assert given.draws == 300 and type(given.draws) is int
    assert given.expected("sroi_ratio", "oxford") == plain.expected("sroi_ratio", "oxford")


def test_an_executor_that_is_not_one_is_a_type_error() -> None:
    with pytest.raises(TypeError, match=r"^executor must be a concurrent.futures.Executor"):
        sroi.run(SITES / "oxford.yaml", draws=10, executor=5)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("scenarios", "found"),
    [
        (5, "int 5"),
        (None, "NoneType None"),
        (b"oxford.yaml", "bytes b'oxford.yaml'"),
        ({"id": "oxford"}, "dict {'id': 'oxford'}"),
        ([str(SITES / "oxford.yaml"), 3], "int 3"),
    ],
)
def test_what_is_not_a_scenario_is_a_type_error_naming_the_argument(
    scenarios: object, found: str
) -> None:
    """An int or None failed with "'int' object is not iterable"; a mapping
    was read as a list of its keys, each reported as a missing file."""
    with pytest.raises(TypeError, match=r"^scenarios: expected a scenario file or folder") as e:
        sroi.run(scenarios, draws=0)  # type: ignore[arg-type]
    assert str(e.value).endswith(f"; found {found}")


def test_an_unknown_metric_is_a_key_error_naming_the_metrics() -> None:
    results = sroi.run(SITES / "oxford.yaml", draws=20)
    for read in (results.base_value, results.metric, results.expected):
        with pytest.raises(KeyError, match=r"no metric 'roi'; expected one of referrals, "):
            read("roi", "oxford")
    # Without draws an unknown metric was NaN, like a metric with no draws.
    with pytest.raises(KeyError, match="no metric 'roi'"):
        sroi.run(SITES / "oxford.yaml", draws=0).expected("roi")


@pytest.mark.parametrize(
    ("option", "bad", "minimum"),
    [("workers", 0, 1), ("workers", "2", 1), ("chunk_size", "x", 1), ("chunk_size", 0, 1)],
)
def test_bad_workers_and_chunk_size_are_refused(option: str, bad: object, minimum: int) -> None:
    # A chunk size may also be None: the run chooses it.
    either = " or None" if option == "chunk_size" else ""
    message = f"{option} must be a whole number >= {minimum}{either}; found {bad!r}"
    with pytest.raises(ValueError, match=re.escape(message)):
        sroi.run(SITES / "oxford.yaml", draws=10, **{option: bad})


def test_a_price_year_given_as_text_is_shown_as_text() -> None:
    with pytest.raises(ValueError, match=re.escape("found '2011'")):
        sroi.run(SITES / "oxford.yaml", draws=0, price_year="2011")  # type: ignore[arg-type]
