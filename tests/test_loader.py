"""The scenario loader: ``extends`` and its deep merge, where problems are
located, the objects returned, and how ``sroi validate`` treats paths."""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

import pytest
from pydantic import ValidationError

from sroi.cli.main import main
from sroi.scenario import Problem, Scenario, ScenarioError, check_file, load_scenario
from sroi.scenario.loader import load_document
from sroi.scenario.overrides import with_values

BASE = """\
schema_version: 1
id: base
name: Base
currency: GBP
price_year: 2011
sources:
  c4eo: {citation: "C4EO 2012"}
  warwick: {citation: "Barlow and Coe 2012"}
delivery:
  years: 3
  referrals_per_year: {pert: [20, 30, 45], source: c4eo}
  ramp: [0.5, 1, 1]
  uptake: 0.6
volunteers:
  pool: 10
  turnover: 0.3
  hours_per_user: 40
  training_hours: 27
  supervision_hours_per_year: 12
  expenses_per_hour: 2
  value_per_hour: {uniform: [6, 12]}
costs:
  coordinator:
    fte: 0.6
    salary: {pert: [22000, 25000, 30000], source: c4eo, evidence: local_data}
    on_costs: 0.2
  lines:
    training: {label: Training, amount: 500, per: year}
    venue: {label: Venue hire, amount: 40, per: volunteer}
effect:
  risk_without: {beta: {mean: 0.5, sd: 0.08}, source: warwick}
  relative_risk: {pert: [0.3, 0.5, 0.9]}
outcomes:
  nhs_costs:
    label: Depression care avoided
    stakeholder: NHS
    payer: nhs
    value_type: fiscal
    per: case_averted
    proxy: {gamma: {mean: 1200, sd: 300}}
    duration: {uniform: [1, 2.5]}
correlations:
  - between: [effect.risk_without, effect.relative_risk]
    rank: -0.3
"""


def write(folder: Path, name: str, text: str) -> Path:
    """Write ``text`` (dedented) to ``folder/name`` and return the path."""
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def line_of(path: Path, needle: str) -> int:
    """1-based number of the only line of ``path`` containing ``needle``."""
    hits = [i for i, line in enumerate(path.read_text().splitlines(), 1) if needle in line]
    assert len(hits) == 1, (needle, hits)
    return hits[0]


def problems_of(path: Path) -> list[Problem]:
    scenario, problems = check_file(path)
    assert scenario is None
    return problems


@pytest.fixture
def base(tmp_path: Path) -> Path:
    return write(tmp_path, "base.yaml", BASE)


def child(tmp_path: Path, text: str) -> Scenario:
    """Load a child of ``base.yaml`` that adds ``text`` (dedented)."""
    header = "extends: base.yaml\nid: child\n"
    return load_scenario(write(tmp_path, "child.yaml", header + textwrap.dedent(text)))


# --------------------------------------------------------------------------- merge


def test_base_is_valid(base: Path) -> None:
    assert load_scenario(base).id == "base"


def test_mappings_merge_key_by_key(tmp_path: Path, base: Path) -> None:
    s = child(tmp_path, "volunteers:\n  pool: 12\ncosts:\n  coordinator: {fte: 1}\n")
    assert s.id == "child"
    assert s.name == "Base"
    assert s.volunteers.pool.value == 12
    assert s.volunteers.turnover.value == 0.3  # sibling kept
    assert s.volunteers.value_per_hour.uniform == [6, 12]
    assert s.costs.coordinator.fte.value == 1
    assert s.costs.coordinator.salary.pert == [22000, 25000, 30000]  # nested sibling kept
    assert set(s.costs.lines) == {"training", "venue"}


def test_a_child_adds_a_cost_line_beside_the_parents(tmp_path: Path, base: Path) -> None:
    s = child(tmp_path, "costs:\n  lines:\n    phones: {label: Phones, amount: 300, per: year}\n")
    assert set(s.costs.lines) == {"training", "venue", "phones"}


def test_lists_replace(tmp_path: Path, base: Path) -> None:
    s = child(tmp_path, "delivery:\n  ramp: [1, 1, 1]\ncorrelations: []\n")
    assert s.ramp() == [1, 1, 1]
    assert s.correlations == []
    s = child(tmp_path, "delivery:\n  years: 2\n  ramp: [0.2, 0.8]\n")
    assert s.ramp() == [0.2, 0.8]


def test_null_removes_a_parent_key(tmp_path: Path, base: Path) -> None:
    s = child(
        tmp_path,
        """\
        delivery:
          ramp: null
        costs:
          lines:
            venue: null
        outcomes:
          nhs_costs: null
        correlations: null
        """,
    )
    assert s.delivery.ramp is None
    assert s.ramp() == [1, 1, 1]
    assert set(s.costs.lines) == {"training"}
    assert s.outcomes == {}
    assert s.correlations == []


def test_an_unknown_key_left_null_or_empty_is_reported(tmp_path: Path, base: Path) -> None:
    """Null means "not set" for a key the scenario knows; an unknown key is
    still a typo when its value is left empty, in a file without extends, in
    a mapping the parent lacks, and in a new outcome."""
    standalone = write(
        tmp_path,
        "alone.yaml",
        BASE + "bogus_top: null\nsite:\n  notez:\n  notes: null\n",
    )
    assert [str(p) for p in problems_of(standalone)] == [
        f"{standalone}:45:1: bogus_top: unknown key 'bogus_top'; expected one of: "
        "adjustments, correlations, costs, currency, delivery, discounting, effect, extends, "
        "id, name, outcomes, price_year, schema_version, site, sources, volunteers",
        f"{standalone}:47:3: site.notez: unknown key 'notez'; did you mean 'notes'?",
    ]
    path = write(
        tmp_path,
        "child.yaml",
        """\
        extends: base.yaml
        id: child
        site: {notez: }
        outcomes:
          new_one:
            label: New
            stakeholder: NHS
            payer: nhs
            value_type: fiscal
            per: case_averted
            proxy: {value: 100, sourse: null}
            duration: 1
            deadwieght: null
        """,
    )
    assert [str(p) for p in problems_of(path)] == [
        f"{path}:3:8: site.notez: unknown key 'notez'; did you mean 'notes'?",
        f"{path}:11:25: outcomes.new_one.proxy.sourse: unknown key 'sourse'; "
        "did you mean 'source'?",
        f"{path}:13:5: outcomes.new_one.deadwieght: unknown key 'deadwieght'; "
        "did you mean 'deadweight'?",
    ]


def test_a_value_key_replaces_the_parents_value_mapping_whole(tmp_path: Path, base: Path) -> None:
    s = child(tmp_path, "costs:\n  coordinator:\n    salary: {uniform: [20000, 30000]}\n")
    salary = s.costs.coordinator.salary
    assert salary.uniform == [20000, 30000]
    assert salary.pert is None
    assert salary.source is None  # the parent's source does not stick to the new number
    assert salary.evidence is None
    s = child(tmp_path, "costs:\n  coordinator:\n    salary: 26000\n")
    assert (s.costs.coordinator.salary.value, s.costs.coordinator.salary.source) == (26000, None)


def test_metadata_only_merges_into_the_parents_value(tmp_path: Path, base: Path) -> None:
    s = child(tmp_path, "costs:\n  coordinator:\n    salary: {note: checked 2013}\n")
    salary = s.costs.coordinator.salary
    assert salary.pert == [22000, 25000, 30000]
    assert (salary.source, salary.evidence, salary.note) == ("c4eo", "local_data", "checked 2013")
    s = child(tmp_path, "costs:\n  coordinator:\n    salary: {source: warwick, evidence: null}\n")
    salary = s.costs.coordinator.salary
    assert (salary.pert, salary.source, salary.evidence) == ([22000, 25000, 30000], "warwick", None)


def test_metadata_only_merges_into_a_parents_bare_number(tmp_path: Path, base: Path) -> None:
    """A bare number is read as {value: x}, so a child can cite a source for it."""
    s = child(tmp_path, "delivery:\n  uptake: {source: c4eo, note: from the pilot}\n")
    assert (s.delivery.uptake.value, s.delivery.uptake.source) == (0.6, "c4eo")


def test_a_chain_of_three_files(tmp_path: Path, base: Path) -> None:
    """Each `extends` is relative to the file that writes it."""
    write(
        tmp_path,
        "common/region.yaml",
        """\
        extends: ../base.yaml
        name: East Midlands
        volunteers:
          pool: 14
          turnover: 0.25
        """,
    )
    site = write(
        tmp_path,
        "sites/mansfield.yaml",
        """\
        extends: ../common/region.yaml
        id: mansfield
        volunteers:
          pool: 16
        outcomes:
          la_costs:
            label: Children's services contact avoided
            stakeholder: Local authority
            payer: local_authority
            value_type: fiscal
            per: case_averted
            proxy: 300
            duration: 1
        """,
    )
    s = load_scenario(site)
    assert (s.id, s.name) == ("mansfield", "East Midlands")
    assert s.volunteers.pool.value == 16  # child over parent over grandparent
    assert s.volunteers.turnover.value == 0.25  # parent over grandparent
    assert s.volunteers.hours_per_user.value == 40  # grandparent
    assert set(s.outcomes) == {"nhs_costs", "la_costs"}


def test_a_child_can_mend_a_parents_bad_value(tmp_path: Path) -> None:
    write(tmp_path, "base.yaml", BASE.replace("  pool: 10", "  pool: -10"))
    assert child(tmp_path, "volunteers:\n  pool: 10\n").volunteers.pool.value == 10


# --------------------------------------------------------------------------- locations


def test_problems_point_to_the_file_that_wrote_the_value(tmp_path: Path) -> None:
    grand = write(
        tmp_path, "base.yaml", BASE.replace("  hours_per_user: 40", "  hours_per_user: -40")
    )
    mid = write(
        tmp_path,
        "common/mid.yaml",
        "extends: ../base.yaml\nvolunteers:\n  turnover: 1.5\ncosts:\n  overhead_rte: 0.1\n",
    )
    site = write(
        tmp_path,
        "sites/site.yaml",
        "extends: ../common/mid.yaml\nid: site\ndelivery:\n  uptake: {uniform: [0.5, 1.5]}\n",
    )
    found = {p.path: p for p in problems_of(site)}
    assert set(found) == {
        "volunteers.hours_per_user",
        "volunteers.turnover",
        "costs.overhead_rte",
        "delivery.uptake",
    }

    def where(path: str) -> tuple[Path, int, int]:
        m = found[path].mark
        return Path(m.file).resolve(), m.line, m.column

    hours = line_of(grand, "hours_per_user")
    assert where("volunteers.hours_per_user") == (grand.resolve(), hours, 19)
    assert where("volunteers.turnover") == (mid.resolve(), 3, 13)
    assert where("costs.overhead_rte") == (mid.resolve(), 5, 3)  # an unknown key: at the key
    assert where("delivery.uptake") == (site.resolve(), 4, 11)
    # The file names are shown as reached from the path given.
    assert found["delivery.uptake"].mark.file == str(site)
    assert os.path.normpath(found["volunteers.turnover"].mark.file) == os.path.normpath(mid)


def test_a_parents_value_keeps_its_location_when_a_child_adds_metadata(tmp_path: Path) -> None:
    base = write(tmp_path, "base.yaml", BASE.replace("{uniform: [6, 12]}", "{uniform: [-6, 12]}"))
    site = write(
        tmp_path,
        "site.yaml",
        "extends: base.yaml\nid: site\nvolunteers:\n  value_per_hour: {note: minimum wage}\n",
    )
    [problem] = problems_of(site)
    assert problem.path == "volunteers.value_per_hour"
    assert (problem.mark.file, problem.mark.line) == (str(base), line_of(base, "value_per_hour"))


def test_a_null_on_a_required_key_is_reported_where_the_null_is(tmp_path: Path, base: Path) -> None:
    site = write(
        tmp_path, "site.yaml", "extends: base.yaml\nid: site\ncosts:\n  coordinator: null\n"
    )
    [problem] = problems_of(site)
    assert problem.path == "costs.coordinator"
    assert problem.message == "required key 'coordinator' is missing"
    assert (problem.mark.file, problem.mark.line, problem.mark.column) == (str(site), 4, 16)


def test_merged_document_keeps_marks_of_both_files(tmp_path: Path, base: Path) -> None:
    site = write(tmp_path, "site.yaml", "extends: base.yaml\nid: site\nvolunteers:\n  pool: 12\n")
    doc = load_document(site, str(site))
    assert not doc.problems
    assert "extends" not in doc.data
    assert doc.values[("volunteers", "pool")].file == str(site)
    assert doc.values[("volunteers", "turnover")].file == str(base)
    assert doc.keys[("id",)].file == str(site)


# --------------------------------------------------------------------------- API


def test_load_scenario_returns_a_frozen_model(base: Path) -> None:
    s = load_scenario(str(base))
    assert isinstance(s, Scenario)
    with pytest.raises(ValidationError):
        s.name = "Changed"  # type: ignore[misc]
    with pytest.raises(ValidationError):
        s.volunteers.pool = s.volunteers.turnover  # type: ignore[misc]
    with pytest.raises(ValidationError):
        s.costs.coordinator.salary.pert = [1, 2, 3]  # type: ignore[misc]


def test_load_scenario_raises_scenario_error_with_every_problem(tmp_path: Path) -> None:
    bad = write(tmp_path, "bad.yaml", BASE.replace("  uptake: 0.6", "  uptake: 1.6"))
    with pytest.raises(ScenarioError) as caught:
        load_scenario(bad)
    [problem] = caught.value.problems
    assert isinstance(problem, Problem)
    assert str(problem) == (
        f"{bad}:{line_of(bad, 'uptake')}:11: delivery.uptake: "
        "expected a probability or fraction within [0, 1]; found 1.6; "
        "if you mean 1.6%, write 0.016"
    )
    assert str(caught.value) == str(problem)


def test_every_problem_of_a_file_is_reported_in_one_run(tmp_path: Path) -> None:
    text = (
        BASE.replace("name: Base", "name: [Base]")
        .replace("  uptake: 0.6", "  uptake: 1.6")
        .replace("source: warwick}", "source: warwik}")
        .replace("amount: 40,", "amount: -40,")
        .replace("    rank: -0.3", "    rank: -1.3")
    )
    bad = write(tmp_path, "bad.yaml", text)
    problems = problems_of(bad)
    assert [p.path for p in problems] == [
        "name",
        "delivery.uptake",
        "costs.lines.venue.amount",
        "effect.risk_without.source",
        "correlations[0].rank",
    ]
    assert [p.mark.line for p in problems] == sorted(p.mark.line for p in problems)
    assert "did you mean 'warwick'?" in problems[3].message


def test_arithmetic_failure_in_a_distribution_is_a_located_problem(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Every distribution refuses parameters it cannot compute with; should an
    # ArithmeticError slip through one, it is reported at the value, not raised.
    from sroi import distributions

    def overflow(*args: object) -> None:
        raise OverflowError("math range error")

    monkeypatch.setattr(distributions.Gamma, "__init__", overflow)
    bad = write(tmp_path, "bad.yaml", BASE)
    [problem] = problems_of(bad)
    assert problem.path == "outcomes.nhs_costs.proxy"
    assert problem.mark.line == line_of(bad, "proxy:")
    assert problem.message.startswith(
        "the gamma parameters are too extreme to compute with (math range error)"
    )


# --------------------------------------------------------------------------- command line


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    status = main(["validate", *args])
    out, err = capsys.readouterr()
    return status, out, err


def test_validate_a_folder_skips_underscore_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A base meant only to be extended: incomplete on its own (no id, no name).
    partial = BASE.replace("id: base\nname: Base\n", "")
    write(tmp_path, "_common.yaml", partial)
    write(tmp_path, "oxford.yaml", "extends: _common.yaml\nid: oxford\nname: Oxford\n")
    write(tmp_path, "more/_draft.yaml", "not: [valid\n")
    write(tmp_path, "more/hackney.yaml", "extends: ../_common.yaml\nid: hackney\nname: Hackney\n")
    write(tmp_path, "notes.txt", "not a scenario\n")
    status, out, err = run([str(tmp_path)], capsys)
    assert (status, err) == (0, "")
    assert out.splitlines() == [
        f"ok  {os.path.normpath(tmp_path / 'more/hackney.yaml')}  (hackney: Hackney)",
        f"ok  {os.path.normpath(tmp_path / 'oxford.yaml')}  (oxford: Oxford)",
    ]
    # Named on the command line, a `_` file is checked like any other.
    status, out, err = run([str(tmp_path / "_common.yaml")], capsys)
    assert status == 2
    assert "required key 'id' is missing" in err


def test_duplicate_ids_in_one_run(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path, "base.yaml", BASE)
    write(tmp_path, "a.yaml", "extends: base.yaml\nid: same\n")
    b = write(tmp_path, "b.yaml", "# second site\nextends: base.yaml\nid: same\n")
    status, out, err = run([str(tmp_path / "a.yaml"), str(b)], capsys)
    assert status == 2
    assert out.startswith("ok  ")  # the first file is valid
    assert err == (
        "sroi validate: these scenarios cannot run together as one programme "
        "(each may still run alone):\n"
        f"{b}:3:5: id: scenario id 'same' is already used by {tmp_path / 'a.yaml'}; "
        "ids must be unique in a run\n"
    )


def test_an_id_inherited_twice_is_located_in_the_parent(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base = write(tmp_path, "base.yaml", BASE)
    write(tmp_path, "a.yaml", "extends: base.yaml\nname: A\n")
    write(tmp_path, "b.yaml", "extends: base.yaml\nname: B\n")
    status, _, err = run([str(tmp_path / "a.yaml"), str(tmp_path / "b.yaml")], capsys)
    assert status == 2
    problem = err.splitlines()[1]
    assert problem.startswith(f"{base}:{line_of(base, 'id: base')}:5: id: scenario id 'base'")


def test_the_same_file_twice_is_checked_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], base: Path
) -> None:
    status, out, err = run([str(base), str(tmp_path)], capsys)
    assert (status, err) == (0, "")
    assert len(out.splitlines()) == 1


def test_a_missing_path(tmp_path: Path, capsys: pytest.CaptureFixture[str], base: Path) -> None:
    missing = tmp_path / "nowhere.yaml"
    status, out, err = run([str(base), str(missing)], capsys)
    assert status == 2
    assert out == ""
    assert err == f"sroi: error: {missing}: no such file or folder\n"


def test_a_missing_bundled_path_says_where_the_bundled_copy_is(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The docs write `sroi compare scenarios/family_action_pss riverside.yaml`;
    from the folder a proposal was written in, that path names nothing."""
    from sroi.scenario.bundled import bundled_path

    monkeypatch.chdir(tmp_path)
    for written, name in (
        ("scenarios/family_action_pss", "family_action_pss"),
        ("family_action_pss/oxford.yaml", "family_action_pss/oxford.yaml"),
    ):
        status, out, err = run([written], capsys)
        assert (status, out) == (2, "")
        assert err == (
            f"sroi: error: {written}: no such file or folder; sroi's bundled copy is "
            f"{bundled_path(name)}\n"
        )
    for written in ("scenarios/nowhere", "../scenarios/family_action_pss"):
        assert run([written], capsys)[2] == f"sroi: error: {written}: no such file or folder\n"


def test_a_folder_without_scenarios(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "empty").mkdir()
    status, _, err = run([str(tmp_path / "empty")], capsys)
    assert status == 2
    assert err.startswith("sroi: error: ")
    assert "no scenario files" in err


def test_a_folder_of_bases_and_sweep_inputs_says_why_none_is_a_scenario(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A folder whose YAML files are all bases or sweep inputs is not empty:
    the error names them and says what each is for."""
    folder = tmp_path / "inputs"
    folder.mkdir()
    (folder / "_base.yaml").write_text("schema_version: 1\n", encoding="utf-8")
    (folder / "areas.yaml").write_text("cases:\n  - {id: a}\n", encoding="utf-8")
    status, _, err = run([str(folder)], capsys)
    assert status == 2
    assert err == (
        f"sroi: error: {folder}: no scenario files (*.yaml) in this folder (_base.yaml: "
        "base(s), checked through the files that extend them; areas.yaml: sweep input(s), "
        "for `sroi sweep`)\n"
    )


def test_a_base_named_alone_says_it_is_a_base(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A base need not be a whole scenario: validated alone, its problems are
    followed by a note saying so, after the located problems."""
    base = tmp_path / "_base.yaml"
    base.write_text("schema_version: 1\n", encoding="utf-8")
    status, _, err = run([str(base)], capsys)
    assert status == 2
    lines = err.splitlines()
    assert all(line.startswith(f"{base}:") for line in lines)
    assert lines[-1] == (
        f"{base}: note: a file whose name starts with _ is a base: it need not be a whole "
        "scenario, and is checked through the files that extend it"
    )
    assert "required key" in lines[0]


# --------------------------------------------------------------------------- folder scans


@pytest.mark.parametrize("kind", ["outside", "broken", "fifo"])
def test_a_folder_scan_reads_only_regular_files_within_it(tmp_path: Path, kind: str) -> None:
    """A link out of the folder is refused, naming the link and never what the
    file it points to holds; so are broken links and FIFOs, which a scan
    skipped without a word."""
    from sroi.scenario.discover import PathError, scenario_files

    folder = tmp_path / "mail"
    folder.mkdir()
    (folder / "site.yaml").write_text("id: site\n", encoding="utf-8")
    secret = tmp_path / "secret.yaml"
    secret.write_text("-----BEGIN PRIVATE KEY----- abc\n", encoding="utf-8")
    odd = folder / "odd.yaml"
    if kind == "outside":
        odd.symlink_to(secret)
    elif kind == "broken":
        odd.symlink_to(tmp_path / "missing.yaml")
    else:
        os.mkfifo(odd)
    with pytest.raises(PathError) as caught:
        scenario_files([str(folder)])
    message = str(caught.value)
    assert message.startswith(str(odd)) and "PRIVATE" not in message
    # A link within the folder is read, once (it and its target are one file).
    odd.unlink()
    (folder / "again.yaml").symlink_to(folder / "site.yaml")
    assert [Path(p).name for p in scenario_files([str(folder)])] == ["again.yaml"]


def test_a_whole_number_too_long_to_read_is_over_the_magnitude_limit(tmp_path: Path) -> None:
    """5,000 digits is beyond what Python reads as a whole number; the
    message says it is too large, not that it breaks a tag nobody wrote."""
    text = (Path(__file__).parent / "cases" / "hand_a.yaml").read_text(encoding="utf-8")
    assert text.count("proxy: 300\n") == 1
    (tmp_path / "big.yaml").write_text(text.replace("proxy: 300\n", f"proxy: {'9' * 5000}\n"))
    scenario, problems = check_file(tmp_path / "big.yaml")
    assert scenario is None
    (problem,) = problems
    assert problem.path == "outcomes.volunteering.proxy"
    assert "found a whole number of 5,000 digits" in problem.message
    assert "tag" not in problem.message


def test_a_whole_number_field_too_large_is_reported_once(tmp_path: Path) -> None:
    """A 23-digit ``schema_version`` is over the magnitude limit; pydantic's
    own words about it ("exceeded maximum size") are not repeated beside."""
    text = (Path(__file__).parent / "cases" / "hand_a.yaml").read_text(encoding="utf-8")
    assert text.count("schema_version: 1\n") == 1
    big = text.replace("schema_version: 1\n", f"schema_version: {'9' * 23}\n")
    (tmp_path / "big.yaml").write_text(big, encoding="utf-8")
    scenario, problems = check_file(tmp_path / "big.yaml")
    assert scenario is None
    (problem,) = problems
    assert problem.path == "schema_version"
    assert "the largest a scenario may hold" in problem.message


def test_a_whole_number_written_with_a_decimal_point_says_how_to_write_it(
    tmp_path: Path,
) -> None:
    """``price_year: 2011.0`` is a YAML float; the message shows the fix."""
    text = (Path(__file__).parent / "cases" / "hand_a.yaml").read_text(encoding="utf-8")
    line = next(x for x in text.splitlines() if x.startswith("price_year: "))
    year = int(line.split(":")[1])
    (tmp_path / "dot.yaml").write_text(text.replace(line, f"{line}.0"), encoding="utf-8")
    scenario, problems = check_file(tmp_path / "dot.yaml")
    assert scenario is None
    (problem,) = problems
    assert problem.path == "price_year"
    assert problem.message.endswith(f"write it without a decimal point, as {year}")


@pytest.mark.parametrize("kind", ["empty", "long", "fifo", "broken"])
def test_a_path_that_names_nothing_readable(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str
) -> None:
    """An empty path is not the working folder, a name too long for the
    system is an input error naming it, and a FIFO or a broken link named on
    the command line is said to be one, not to be missing."""
    named = {
        "empty": "",
        "long": str(tmp_path / ("a" * 5000)),
        "fifo": str(tmp_path / "pipe.yaml"),
        "broken": str(tmp_path / "link.yaml"),
    }[kind]
    if kind == "fifo":
        os.mkfifo(named)
    elif kind == "broken":
        os.symlink(tmp_path / "missing.yaml", named)
    expected = {
        "empty": "sroi: error: a path is empty; expected a scenario file or folder\n",
        "long": f"sroi: error: {named[:80]}...: the name is too long for this system\n",
        "fifo": f"sroi: error: {named}: not a regular file (a FIFO, device or socket)\n",
        "broken": f"sroi: error: {named}: a broken link or a loop of links\n",
    }[kind]
    for command in ("validate", "run"):
        status = main([command, named])
        out, err = capsys.readouterr()
        assert (status, out, err) == (2, "", expected)


def test_an_empty_path_is_refused_not_read_as_the_working_folder() -> None:
    scenario, problems = check_file("")
    assert scenario is None
    assert [str(p) for p in problems] == [
        "(empty path):1:1: (document): expected a scenario file; the path is empty"
    ]


def test_require_sources_refuses_a_number_without_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A value with neither a source nor an evidence grade is valid (a draft
    can run), but ``--require-sources`` refuses it with one located problem at
    the line where it is written; with evidence: assumption it passes."""
    folder = Path(__file__).resolve().parent.parent / "scenarios" / "family_action_pss"
    for name in ("_common.yaml", "oxford.yaml"):
        (tmp_path / name).write_text((folder / name).read_text(encoding="utf-8"), encoding="utf-8")
    site = tmp_path / "oxford.yaml"
    text = site.read_text(encoding="utf-8")
    written = "  referrals_per_year:\n    pert: [20, 45, 80]\n"
    cited = written + "    source: warwick_evaluation\n    evidence: assumption\n"
    assert cited in text
    line = text[: text.index(cited)].count("\n") + 2  # the pert line
    site.write_text(text.replace(cited, written), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    status, out, err = run(["oxford.yaml"], capsys)
    assert (status, err) == (0, "") and out.startswith("ok  oxford.yaml")
    status, out, err = run(["--require-sources", "oxford.yaml"], capsys)
    assert (status, out) == (2, "")
    assert err == (
        f"oxford.yaml:{line}:5: delivery.referrals_per_year: no source and no evidence "
        "grade; name a source (source: KEY) or say it is an assumption "
        "(evidence: assumption) with a note that shows the working\n"
    )
    site.write_text(text.replace(cited, written + "    evidence: assumption\n"), encoding="utf-8")
    assert run(["--require-sources", "oxford.yaml"], capsys)[:3:2] == (0, "")
    # The bundled scenarios give a source or a grade for every number.
    monkeypatch.chdir(folder.parent.parent)
    assert run(["--require-sources", "scenarios"], capsys)[:3:2] == (0, "")


def test_a_clash_with_an_inherited_key_says_where_it_is_and_how_to_drop_it(
    tmp_path: Path, base: Path
) -> None:
    """A child that sets risk_with over a parent's relative_risk is told where
    relative_risk is written and that `relative_risk: null` drops it; doing so
    gives a valid scenario."""
    site = write(
        tmp_path, "child.yaml", "extends: base.yaml\nid: child\neffect:\n  risk_with: 0.3\n"
    )
    [problem] = problems_of(site)
    at = line_of(base, "relative_risk: {pert")
    assert str(problem) == (
        f"{site}:3:1: effect: expected exactly one of risk_with or relative_risk; found both; "
        f"relative_risk is inherited (through extends) from {base}:{at}; to drop it, write "
        "`relative_risk: null` under effect in this file"
    )
    text = "extends: base.yaml\nid: child\neffect:\n  risk_with: 0.3\n  relative_risk: null\n"
    site.write_text(text + "correlations: []\n", encoding="utf-8")
    assert load_scenario(site).effect.risk_with is not None
    # Both keys written in one file: nothing is inherited, nothing more is said.
    both = BASE.replace("  relative_risk:", "  risk_with: 0.3\n  relative_risk:")
    [problem] = problems_of(write(tmp_path, "both.yaml", both))
    assert problem.message.endswith("found both")


def test_a_rate_inherited_under_another_schedule_says_how_to_drop_it(
    tmp_path: Path,
) -> None:
    write(tmp_path, "base.yaml", BASE + "discounting: {schedule: constant, rate: 0.035}\n")
    site = write(
        tmp_path,
        "child.yaml",
        "extends: base.yaml\nid: child\ndiscounting:\n  schedule: green_book\n",
    )
    [problem] = problems_of(site)
    assert problem.path == "discounting"
    assert problem.message.endswith("to drop it, write `rate: null` under discounting in this file")


@pytest.mark.parametrize(
    ("old", "new", "hint"),
    [
        ("  uptake: 0.6", "  uptake: 62", "found 62; for 62%, write 0.62"),
        ("  uptake: 0.6", "  uptake: 1.5", "found 1.5; if you mean 1.5%, write 0.015"),
        ("    on_costs: 0.2", "    on_costs: {value: 28}", "found 28; for 28%, write 0.28"),
        (
            "  uptake: 0.6",
            "  uptake: {pert: [50, 62, 70]}",
            "; for percentages, write fractions: pert: [0.5, 0.62, 0.7]",
        ),
        ("  uptake: 0.6", "  uptake: 62%", "found the text '62%'; for 62%, write 0.62"),
        ("  uptake: 0.6", "  uptake: {value: 62 %}", "; for 62%, write 0.62"),
        ("    fte: 0.6", "    fte: '0.6'", "; remove the quotes: a number in quotes is text"),
        # A thousands separator as some locales paste it.
        (
            "    salary: {pert: [22000, 25000, 30000], source: c4eo, evidence: local_data}",
            "    salary: 32\u00a0500",
            "; write numbers without spaces between the digits (here U+00A0 (no-break space)): "
            "32500",
        ),
        # Pasted from a document: the quotes hint was wrong (there were none).
        (
            "    fte: 0.6",
            "    fte: 0.6\u00a0",
            "; it holds the character U+00A0 (no-break space), which a number cannot: write 0.6",
        ),
        (
            "    fte: 0.6",
            "    fte: \uff10.\uff16",
            "; it holds the character U+FF10 (fullwidth digit zero), which a number cannot: "
            "write 0.6",
        ),
        (
            "    salary: {pert: [22000, 25000, 30000], source: c4eo, evidence: local_data}",
            "    salary: 32,500",
            "found the text '32,500'; write numbers without thousands separators: 32500",
        ),
        (
            "    salary: {pert: [22000, 25000, 30000], source: c4eo, evidence: local_data}",
            "    salary: 32k",
            "found the text '32k'; write the number in full: 32000",
        ),
        (
            "    salary: {pert: [22000, 25000, 30000], source: c4eo, evidence: local_data}",
            "    salary: £32,500",
            "; write the number alone, without the currency sign or commas: 32500",
        ),
        (
            "price_year: 2011",
            "price_year: 2024-25",
            "found the text '2024-25'; a price year is the calendar year its financial year "
            "starts in: for 2024-25, write 2024",
        ),
        (
            "price_year: 2011",
            "price_year: 2024/25",
            "for 2024/25, write 2024",
        ),
        (
            "{pert: [20, 30, 45], source: c4eo}",
            "{pert: '20, 30, 45', source: c4eo}",
            "found the text '20, 30, 45'; write the list in brackets: [20, 30, 45]",
        ),
    ],
)
def test_a_number_written_as_a_person_would_gets_what_to_write(
    tmp_path: Path, old: str, new: str, hint: str
) -> None:
    assert old in BASE
    problems = problems_of(write(tmp_path, "site.yaml", BASE.replace(old, new)))
    assert any(p.message.endswith(hint) or hint in p.message for p in problems), problems


def test_a_utf16_file_without_its_byte_order_mark_is_named(tmp_path: Path) -> None:
    """It was reported as a control character U+0000, with no word of why."""
    path = tmp_path / "site.yaml"
    path.write_bytes(BASE.encode("utf-16-le"))
    [problem] = problems_of(path)
    assert problem.message.endswith(
        "found the control character U+0000; the file looks like UTF-16 text (every other "
        "byte is 0): save it as UTF-8"
    )
    path.write_bytes(BASE.encode("utf-8").replace(b"uptake", b"up\x00take", 1))
    [problem] = problems_of(path)
    assert problem.message.endswith("found the control character U+0000")


def test_a_number_out_of_range_but_not_a_percentage_gets_no_hint(tmp_path: Path) -> None:
    [problem] = problems_of(
        write(tmp_path, "site.yaml", BASE.replace("uptake: 0.6", "uptake: 160"))
    )
    assert problem.message.endswith("found 160")
    text = BASE.replace("supervision_hours_per_year: 12", "supervision_hours_per_year: '12 h'")
    [problem] = problems_of(write(tmp_path, "site.yaml", text))
    assert problem.message.endswith("found the text '12 h'")


def test_price_year_on_a_cost_line_says_it_goes_on_the_amount(tmp_path: Path) -> None:
    text = BASE.replace(
        "training: {label: Training, amount: 500, per: year}",
        "training: {label: Training, amount: 500, per: year, price_year: 2013}",
    )
    [problem] = problems_of(write(tmp_path, "site.yaml", text))
    assert (problem.path, problem.message) == (
        "costs.lines.training.price_year",
        "unknown key 'price_year'; price_year goes on the money value: "
        "amount: {value: ..., price_year: ...}",
    )
    text = BASE.replace("    on_costs: 0.2", "    on_costs: 0.2\n    price_year: 2013")
    [problem] = problems_of(write(tmp_path, "site.yaml", text))
    assert problem.message.endswith("salary: {value: ..., price_year: ...}")


def test_schema_version_2_says_1_is_the_only_one_read(tmp_path: Path) -> None:
    text = BASE.replace("schema_version: 1", "schema_version: 2")
    [problem] = problems_of(write(tmp_path, "site.yaml", text))
    assert problem.message == "expected 1 (the only schema version this sroi reads); found 2"


def test_a_missing_parent_says_where_it_was_looked_for(
    tmp_path: Path, base: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The path is taken from the file's own folder; a path that names a file
    from the working folder instead gets the path to write."""
    site = write(tmp_path, "sites/site.yaml", "extends: base.yaml\nid: site\n")
    monkeypatch.chdir(tmp_path)
    [problem] = problems_of(site)
    looked = tmp_path.resolve() / "sites" / "base.yaml"
    assert problem.message == (
        f"parent file 'base.yaml' does not exist; looked for {looked} (the path is taken "
        "from the folder of the file that names it); to extend 'base.yaml' of the working "
        "folder, write `extends: ../base.yaml`"
    )
    monkeypatch.chdir(tmp_path / "sites")
    [problem] = problems_of(site)
    assert problem.message.endswith("(the path is taken from the folder of the file that names it)")


def test_require_sources_says_a_default_is_not_written_and_how_to_grade_it(
    tmp_path: Path, base: Path
) -> None:
    """A default (an outcome's lag, adjustments.deadweight) has no source
    because no file writes it: the problem says so and what to write; once
    written with a grade, it is no longer refused."""
    from sroi.scenario.unsourced import MESSAGE, unsourced_problems

    scenario = load_scenario(base)
    found = {p.path: p for p in unsourced_problems(base, scenario)}
    assert found["delivery.uptake"].message == MESSAGE  # written, with no grade
    assert found["adjustments.deadweight"].message == (
        "not written; the default 0 is used. To grade it, write "
        "`deadweight: {value: 0, evidence: assumption, note: ...}` (or a source)"
    )
    assert found["outcomes.nhs_costs.probability"].message.startswith(
        "not written; the default 1 is used. To grade it, write `probability: {value: 1, "
    )
    graded = write(
        tmp_path,
        "graded.yaml",
        BASE + "adjustments:\n  deadweight: {value: 0, evidence: assumption, note: none}\n",
    )
    paths = {p.path for p in unsourced_problems(graded, load_scenario(graded))}
    assert "adjustments.deadweight" not in paths and "adjustments.drop_off" in paths


def test_negative_zero_reads_as_zero() -> None:
    """-0.0 is 0: a result built from it is never shown as "-0"."""
    import math

    from sroi.scenario.yamlio import parse_yaml

    data = parse_yaml("a: -0.0\nb: -0\nc: -0e0\nd: -0.5\n", "z.yaml").data
    assert [math.copysign(1.0, data[k]) for k in "abc"] == [1.0, 1.0, 1.0]
    assert data["d"] == -0.5


@pytest.mark.parametrize(
    ("written", "shown"),
    [
        ("1e-400", "1e-400"),
        ("-1e-400", "-1e-400"),
        ("!!float 1e-400", "1e-400"),
        ("0." + "0" * 5000 + "1", "0.00000000000000000000000000000000000..."),
    ],
)
def test_a_number_too_small_for_a_float_is_refused_not_read_as_0(
    tmp_path: Path, written: str, shown: str
) -> None:
    path = write(tmp_path, "tiny.yaml", BASE.replace("uptake: 0.6", f"uptake: {written}"))
    assert [str(p) for p in problems_of(path)] == [
        f"{path}:13:11: delivery.uptake: expected 0 or a number at least 1e-12 in size (the "
        f"smallest a scenario may hold other than 0); found {shown}, which would read as 0"
    ]


@pytest.mark.parametrize("written", ["0e-400", "-0.0e-999", "0.000"])
def test_zero_written_with_an_exponent_is_0(tmp_path: Path, written: str) -> None:
    path = write(tmp_path, "zero.yaml", BASE.replace("uptake: 0.6", f"uptake: {written}"))
    assert load_scenario(path).delivery.uptake.value == 0


_SLASHES = (
    "; in double quotes, write \\\\ for a backslash, or put the text in single quotes, "
    "where a backslash is just a backslash"
)
_HEX = ": \\x takes 2 hexadecimal digits, \\u 4 and \\U 8, naming a Unicode character"


@pytest.mark.parametrize(
    ("line", "col", "message"),
    [
        ('name: "a\\qb"', 9, "`\\q` is not a YAML escape"),
        ('name: "see C:\\data\\costs.xlsx"', 14, "`\\d` is not a YAML escape"),
        ('name: "\\xZZ"', 8, "`\\xZZ` is not a YAML escape" + _HEX),
        ('name: "\\U00110000"', 8, "`\\U00110000` is not a YAML escape" + _HEX),
        (
            'name: "\\ud83d\\ude00"',
            8,
            "`\\ud83d` is not a YAML escape"
            + _HEX
            + " (a surrogate such as \\ud83d is half of a JSON pair: write the character "
            "itself, or one \\U escape of 8 digits such as \\U0001F600)",
        ),
    ],
)
def test_a_bad_escape_is_named_at_its_backslash(
    tmp_path: Path, line: str, col: int, message: str
) -> None:
    path = write(tmp_path, "esc.yaml", f"id: q\n{line}\n")
    assert [str(p) for p in problems_of(path)] == [
        f"{path}:2:{col}: (document): YAML syntax error: {message}{_SLASHES}"
    ]


def test_a_bad_correlation_entry_is_reported_alone(tmp_path: Path, base: Path) -> None:
    """Three rank correlations of 0.9 hold together; with one path misspelt,
    the other two alone (the third taken as 0) would not: only the typo is
    reported, not a matrix that the file does not ask for."""
    text = """\
        extends: base.yaml
        id: child
        correlations:
          - {between: [effect.risk_without, effect.relative_risk], rank: 0.9}
          - {between: [effect.risk_without, costs.coordinator.salary], rank: 0.9}
          - {between: [effect.relative_risk, costs.coordinator.salary], rank: 0.9}
        """
    assert child(tmp_path, text.split("\n", 1)[1].split("\n", 1)[1]).correlations
    path = write(
        tmp_path,
        "child.yaml",
        text.replace("effect.relative_risk, costs", "effect.relative_rsk, costs"),
    )
    assert [str(p) for p in problems_of(path)] == [
        f"{path}:6:16: correlations[2].between[0]: unknown value 'effect.relative_rsk'; "
        "did you mean 'effect.relative_risk'?"
    ]


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        # A fixed field is not told to write a distribution, which it refuses.
        (
            "delivery: {years: true}",
            "3:19: delivery.years: expected a fixed whole number; found true",
        ),
        (
            "delivery: {ramp: [1, true, 1]}",
            "3:22: delivery.ramp[1]: expected a fixed number; found true",
        ),
        (
            "outcomes: {nhs_costs: {lag: [1]}}",
            "3:29: outcomes.nhs_costs.lag: expected a fixed whole number; "
            "found a list of 1 item(s)",
        ),
        # A duration needs both bounds: the hint names both.
        (
            "outcomes: {nhs_costs: {duration: {normal: {mean: 5, sd: 1}}}}",
            "3:34: outcomes.nhs_costs.duration: expected a duration >= 0, for every possible "
            "draw; found a normal ranging over [-inf, inf] (give the normal min: 0 and a max)",
        ),
    ],
)
def test_a_fixed_or_bounded_field_gets_a_hint_that_fits(
    tmp_path: Path, base: Path, text: str, problem: str
) -> None:
    path = write(tmp_path, "child.yaml", f"extends: base.yaml\nid: child\n{text}\n")
    assert [str(p) for p in problems_of(path)] == [f"{path}:{problem}"]


@pytest.mark.parametrize(
    ("written", "shown"),
    [
        ("1" + "0" * 400, "found a whole number of 401 digits"),
        ("0x" + "F" * 260, "found a whole number of 314 digits"),
        ("-" + "9" * 309, "found a whole number of 309 digits"),
        # Rounded to 6 digits this read "found 1e+12", within the limit it names.
        ("1.0000001e12", "found 1000000100000.0"),
        ("2e12", "found 2e+12"),
    ],
)
def test_a_number_beyond_the_limit_is_shown_as_written(
    tmp_path: Path, written: str, shown: str
) -> None:
    """A whole number too large for a float stopped validation with an
    internal OverflowError (exit 1); now it is a located problem."""
    text = (Path(__file__).parent / "cases" / "hand_a.yaml").read_text(encoding="utf-8")
    assert text.count("schema_version: 1\n") == 1
    (tmp_path / "big.yaml").write_text(
        text.replace("schema_version: 1\n", f"schema_version: {written}\n"), encoding="utf-8"
    )
    scenario, problems = check_file(tmp_path / "big.yaml")
    assert scenario is None
    (problem,) = problems
    assert (problem.path, problem.mark.line) == (
        "schema_version",
        1 + text.split("\n").index("schema_version: 1"),
    )
    assert problem.message.endswith(f"(the largest a scenario may hold); {shown}")


def test_with_values_reports_a_whole_number_too_large_for_text() -> None:
    """Past 4,300 digits Python will not turn an int into text; the message
    still says what was found (it raised a bare ValueError)."""
    oxford = Path(__file__).parent.parent / "scenarios" / "family_action_pss" / "oxford.yaml"
    scenario = load_scenario(oxford)
    with pytest.raises(ScenarioError, match="found a whole number of over 4,300 digits"):
        with_values(scenario, {"volunteers.pool": 10**5000})


@pytest.mark.parametrize(
    ("old", "new", "path", "message"),
    [
        ("name: Hand-worked A", 'name: "  "', "name", "expected a name; found only spaces"),
        ("name: Hand-worked A", "name: ''", "name", "expected a name; found empty text"),
        (
            "name: Hand-worked A",
            "name: " + "x" * 201,
            "name",
            "expected at most 200 characters (a name or label is shown in tables and charts; "
            "longer text belongs in a note); found 201",
        ),
        (
            "id: hand_a",
            "id: h" + "x" * 100,
            "id",
            "expected an id of at most 100 characters; found 101",
        ),
    ],
)
def test_a_name_is_not_blank_and_names_and_ids_have_a_length_limit(
    tmp_path: Path, old: str, new: str, path: str, message: str
) -> None:
    """A blank name made a nameless block in every table, and a 900 KB name
    was echoed whole on one line."""
    text = (Path(__file__).parent / "cases" / "hand_a.yaml").read_text(encoding="utf-8")
    assert text.count(old + "\n") == 1
    (tmp_path / "site.yaml").write_text(text.replace(old + "\n", new + "\n"), encoding="utf-8")
    scenario, problems = check_file(tmp_path / "site.yaml")
    assert scenario is None
    assert [(p.path, p.message) for p in problems] == [(path, message)]
    ok = text.replace(old + "\n", new[: len(old.split(":")[0]) + 2] + "y" * 100 + "\n")
    (tmp_path / "ok.yaml").write_text(ok, encoding="utf-8")
    assert check_file(tmp_path / "ok.yaml")[1] == []


def test_a_key_left_empty_in_a_file_that_extends_says_to_write_its_value(tmp_path: Path) -> None:
    """``name:`` left empty while drafting is null, which removes an inherited
    key; the message listed the parent's keys, which does not help."""
    assert BASE.count("name: Base\n") == 1
    parent = BASE.replace("name: Base\n", "")  # a shared base, as _common.yaml is
    (tmp_path / "base.yaml").write_text(parent, encoding="utf-8")
    (tmp_path / "site.yaml").write_text("extends: base.yaml\nname:\n", encoding="utf-8")
    found = [str(p) for p in problems_of(tmp_path / "site.yaml")]
    assert any(
        "name: null removes nothing: the file inherits no 'name'; an empty `name:` is null, "
        "which removes a key the parent has: write its value after the colon" in p
        for p in found
    ), found


def test_a_parent_from_another_installation_names_this_ones_copy(tmp_path: Path) -> None:
    """A file written by ``sroi replicate`` or the page on another computer
    extends that computer's installed template; the message only said to
    allow its folder, which then said the file does not exist."""
    from sroi.scenario.bundled import bundled_path

    elsewhere = "/home/analyst/.venv/lib/python3.12/site-packages/sroi/bundled"
    (tmp_path / "corby.yaml").write_text(
        f"extends: {elsewhere}/replication/new_area.yaml\nid: corby\nname: Corby\n",
        encoding="utf-8",
    )
    found = [p.message for p in problems_of(tmp_path / "corby.yaml")]
    mine = bundled_path() / "replication" / "new_area.yaml"
    assert any(m.endswith(f"this one's is {mine} (write `extends: {mine}`)") for m in found), found
