"""What ``sroi.run`` and ``sroi.load_scenario`` take, checked up front with
a message naming the argument, instead of a raw OSError, a silent
acceptance or a failure deep inside the run."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

import sroi
from sroi.scenario.money import with_price_year

ROOT = Path(__file__).resolve().parents[1]
SITES = ROOT / "scenarios" / "family_action_pss"
OXFORD = SITES / "oxford.yaml"


@pytest.fixture(scope="module")
def oxford() -> sroi.Scenario:
    return sroi.load_scenario(OXFORD)


def test_files_records_the_file_that_holds_the_scenario(oxford: sroi.Scenario) -> None:
    results = sroi.run(oxford, draws=0, files={"oxford": OXFORD})
    assert results.scenarios[0].file == str(OXFORD)
    repriced = with_price_year(oxford, 2020)  # as `sroi run --price-year` gives it
    assert sroi.run(repriced, draws=0, files={"oxford": str(OXFORD)}).scenarios[0].file


@pytest.mark.parametrize(
    ("files", "error", "message"),
    [
        ({"oxford": "/etc/passwd"}, ValueError, "files['oxford'] holds no valid scenario"),
        ({"oxfrod": str(OXFORD)}, ValueError, "the ids of the Scenarios given are oxford"),
        ({"oxford": "/no/such.yaml"}, sroi.PathError, "files['oxford']: /no/such.yaml: no such"),
        ({"oxford": str(SITES)}, sroi.PathError, "a folder; expected a scenario file"),
        ({"oxford": 3}, ValueError, "files['oxford'] must be the path of a file; found int 3"),
        ({"oxford": ""}, sroi.PathError, "a path is empty"),
        (["a"], ValueError, "files must be a mapping of scenario id"),
        (
            {"oxford": str(SITES / "hackney.yaml")},
            ValueError,
            "files['oxford'] holds a scenario other than the one given (edited since it was "
            "loaded?)",
        ),
    ],
)
def test_files_must_map_a_given_id_to_the_file_that_holds_it(
    oxford: sroi.Scenario, files: object, error: type[Exception], message: str
) -> None:
    """/etc/passwd was recorded with its SHA-256; an unknown id ignored; a
    missing path a raw FileNotFoundError, a list accepted."""
    with pytest.raises(error, match=re.escape(message)):
        sroi.run(oxford, draws=0, files=files)  # type: ignore[arg-type]


def test_files_refuses_a_scenario_edited_since_it_was_loaded(oxford: sroi.Scenario) -> None:
    edited = sroi.with_values(oxford, {"costs.coordinator.fte": 1.0})
    with pytest.raises(ValueError, match=re.escape("holds a scenario other than the one given")):
        sroi.run(edited, draws=0, files={"oxford": OXFORD})


@pytest.mark.parametrize(
    "given",
    [
        [SITES, OXFORD],
        [OXFORD, OXFORD],
        [OXFORD, str(OXFORD)],
        [SITES, SITES / "." / "oxford.yaml"],
    ],
)
def test_a_file_given_twice_is_run_once_as_on_the_command_line(given: list[object]) -> None:
    """It failed with "id 'oxford' is already used by" the same file."""
    results = sroi.run(given, draws=0)
    assert [s.id for s in results.scenarios].count("oxford") == 1


def test_two_files_with_one_id_are_still_refused(tmp_path: Path) -> None:
    copy = tmp_path / "a" / "oxford.yaml"
    copy.parent.mkdir()
    copy.write_text(OXFORD.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "a" / "_common.yaml").write_text(
        (SITES / "_common.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    with pytest.raises(sroi.ScenarioError, match="already used"):
        sroi.run([OXFORD, copy], draws=0)


@pytest.mark.skipif(sys.version_info < (3, 12), reason="Path('') is Path('.') before Python 3.12")
def test_an_empty_path_object_is_refused_as_an_empty_string_is() -> None:
    """``Path("")`` ran every scenario under the working folder."""
    with pytest.raises(sroi.PathError, match="a path is empty"):
        sroi.run(Path(""), draws=0)
    with pytest.raises(sroi.ScenarioError, match="the path is empty"):
        sroi.load_scenario(Path(""))


def test_the_working_folder_given_as_a_path_is_still_read(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(SITES)
    assert len(sroi.run(Path("."), draws=0).scenarios) == 4
    with pytest.raises(sroi.PathError, match="a path is empty"):
        sroi.run("", draws=0)


def test_a_scenarios_text_given_for_its_path_is_named_not_echoed() -> None:
    text = OXFORD.read_text(encoding="utf-8")
    lines = len(text.splitlines())
    expected = (
        f"expected a path to a scenario file or folder; found text of {lines} lines that looks "
        "like YAML (read it with sroi.load_scenario(path) or write it to a file)"
    )
    with pytest.raises(sroi.PathError) as caught:
        sroi.run(text, draws=0)
    assert str(caught.value) == expected
    with pytest.raises(sroi.ScenarioError) as loaded:
        sroi.load_scenario(text)
    assert [p.message for p in loaded.value.problems] == [expected]
    assert "Oxford" not in str(loaded.value)


@pytest.mark.parametrize(
    ("argument", "message"),
    [
        ({"progress": 1}, "progress must be a function (or None); found int 1"),
        ({"keep_outcomes": "no"}, "keep_outcomes must be True or False; found 'no'"),
        ({"keep_outcomes": 1}, "keep_outcomes must be True or False; found 1"),
        ({"allow_extends": 3}, "allow_extends must be a folder or a sequence of folders"),
        ({"allow_extends": "/no/such/folder"}, "allow_extends: expected a folder"),
    ],
)
def test_run_names_a_bad_argument_before_any_work(
    argument: dict[str, object], message: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``progress=1`` failed inside the runner after work began;
    ``keep_outcomes="no"`` was read as true."""
    import sroi.api

    monkeypatch.setattr(sroi.api, "load_run", None)  # never reached
    with pytest.raises(ValueError, match=re.escape(message)):
        sroi.run(OXFORD, draws=10, **argument)  # type: ignore[arg-type]


def test_the_run_docstring_names_the_errors_raised() -> None:
    """It said a wrong type raises TypeError; the arguments raise ValueError."""
    doc = sroi.run.__doc__ or ""
    raises = doc[doc.index("Raises") : doc.index("Examples")]
    assert "of the wrong type" in raises.split("TypeError")[0]
    with pytest.raises(ValueError, match="draws must be"):
        sroi.run(OXFORD, draws="10")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="scenarios: expected"):
        sroi.run(5, draws=0)  # type: ignore[arg-type]


def test_results_compare_and_hash_by_identity() -> None:
    """``==`` of two identical runs was False, or raised "truth value of an
    array is ambiguous"; ``hash`` raised TypeError."""
    a = sroi.run(OXFORD, draws=50, seed=1)
    b = sroi.run(OXFORD, draws=50, seed=1)
    assert a == a and a != b and (a == b) is False
    assert len({a, b, a}) == 2 and hash(a) == hash(a)
    assert a.to_dict() == b.to_dict()
    assert "identity" in (sroi.Results.__doc__ or "")


@pytest.mark.parametrize(
    ("path", "given", "read"),
    [
        ("costs.coordinator.fte", "int64", 5.0),
        ("costs.coordinator.fte", "float32", 0.5),
        ("delivery.referrals_per_year", "array", [60.0, 90.0, 130.0]),
        ("delivery.referrals_per_year", "tuple", [60.0, 90.0, 130.0]),
    ],
)
def test_with_values_takes_numpy_numbers_tuples_and_arrays(
    oxford: sroi.Scenario, path: str, given: str, read: object
) -> None:
    """They were refused: "expected a number or a mapping ...; found np.int64(5)"."""
    import numpy as np

    value = {
        "int64": np.int64(5),
        "float32": np.float32(0.5),
        "array": {"pert": np.array([60.0, 90.0, 130.0])},
        "tuple": {"pert": (60, 90, 130)},
    }[given]
    case = sroi.with_values(oxford, {path: value})
    field = case.costs.coordinator.fte if "fte" in path else case.delivery.referrals_per_year
    assert (field.value if "fte" in path else field.pert) == read
    assert type(field.value if "fte" in path else field.pert[0]) is float


def test_with_values_still_refuses_a_bool_and_a_table_with_where_it_is(
    oxford: sroi.Scenario,
) -> None:
    import numpy as np

    with pytest.raises(sroi.ScenarioError, match=r"<overrides>:1:1: costs\.coordinator\.fte: "):
        sroi.with_values(oxford, {"costs.coordinator.fte": np.bool_(True)})
    with pytest.raises(sroi.ScenarioError, match=r"referrals_per_year\.pert: expected a list"):
        sroi.with_values(oxford, {"delivery.referrals_per_year": {"pert": np.ones((2, 2))}})


def test_allow_extends_lets_a_python_caller_read_another_folder(tmp_path: Path) -> None:
    """The refusal said "pass --allow-extends FOLDER", which Python could not."""
    base = tmp_path / "base"
    base.mkdir()
    for name in ("oxford.yaml", "_common.yaml"):
        (base / name).write_text((SITES / name).read_text(encoding="utf-8"), encoding="utf-8")
    child = tmp_path / "x" / "y" / "city.yaml"
    child.parent.mkdir(parents=True)
    child.write_text("extends: ../../base/oxford.yaml\nid: city\n", encoding="utf-8")
    with pytest.raises(sroi.ScenarioError) as caught:
        sroi.load_scenario(child)
    assert "pass --allow-extends FOLDER (allow_extends= in Python)" in str(caught.value)
    assert sroi.load_scenario(child, allow_extends=base).id == "city"
    results = sroi.run(child, draws=0, allow_extends=[str(base)])
    assert results.scenarios[0].id == "city"
    loaded = sroi.load_scenario(child, allow_extends=[base])
    sroi.run(loaded, draws=0, files={"city": child}, allow_extends=base)


def test_results_give_every_perspectives_return_and_net_value_by_name() -> None:
    """docs/methodology.md §6 names ``<P>_roi`` and ``<P>_npv``; they raised KeyError."""
    import numpy as np

    r = sroi.run(SITES, draws=300, seed=1)
    for p in ("nhs", "public_sector", "local_authority"):
        line = r.headline("oxford", p)
        ratio, net = line.perspective.ratio_metric, line.perspective.net_metric
        assert r.expected(ratio, "oxford") == line.ratio.expected
        assert r.expected(net, "oxford") == line.net.expected
        assert r.base_value(ratio, "oxford") == line.ratio.modal
        assert r.metric(ratio, "oxford").shape == (300,)
        assert np.median(r.metric(net, "oxford")) == pytest.approx(line.net.median)
    assert r.expected("public_roi") == r.headline(perspective="public_sector").ratio.expected
    with pytest.raises(KeyError, match="nhs_roi"):
        r.metric("nhs_rio")
