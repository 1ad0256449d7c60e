"""``sroi replicate``: answers become a valid, sourced scenario; bad answers
are asked again (interactive) or refused (flags); the output path is checked
first and never replaces the template or a file it extends."""

from __future__ import annotations

import datetime
import io
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

import sroi
from sroi.cli import replicate_cmd
from sroi.cli.main import main
from sroi.replication import answers as ans
from sroi.replication import rules
from sroi.replication.template import Template, read_advice
from sroi.replication.writer import write_scenario
from sroi.scenario import ScenarioError, check_file
from sroi.scenario.money import price_factors
from sroi.scenario.values import Value

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE = ROOT / "scenarios" / "replication" / "new_area.yaml"

CONTEXT_FLAGS = [
    "--childrens-centre",
    "yes",
    "--management",
    "yes",
    "--it-systems",
    "no",
    "--referral-network",
    "yes",
    "--public-transport",
    "no",
]
FLAGS = ["--area", "Newham", "--births", "4,800", "--share-referred", "1.8%", *CONTEXT_FLAGS]
#: The worked example of docs/replicate.md.
RECORDED = [
    "--area",
    "Riverside",
    "--years",
    "2",
    "--referrals-total",
    "150",
    "--share-accepted",
    "85%",
    "--paired",
    "60",
    "--visits",
    "8",
    "--weeks",
    "12",
    "--volunteers-trained",
    "25",
    "--childrens-centre",
    "yes",
    "--management",
    "yes",
    "--it-systems",
    "no",
    "--referral-network",
    "no",
    "--public-transport",
    "yes",
]


class Terminal(io.StringIO):
    """Typed input that says it is a terminal."""

    def isatty(self) -> bool:
        return True


def value_at(scenario: Any, path: str) -> Value:
    node = scenario
    for part in path.split("."):
        node = node[part] if isinstance(node, dict) else getattr(node, part)
    assert isinstance(node, Value), path
    return node


def written_values(data: Any, prefix: str = "") -> dict[str, dict[str, Any]]:
    """Every value mapping written in a proposal file, by dotted path."""
    out: dict[str, dict[str, Any]] = {}
    if isinstance(data, dict):
        if "evidence" in data:
            return {prefix: data}
        for key, child in data.items():
            if key not in ("site", "sources"):
                out.update(written_values(child, f"{prefix}.{key}" if prefix else key))
    elif isinstance(data, list):
        for i, child in enumerate(data):
            out.update(written_values(child, f"{prefix}[{i}]"))
    return out


def replicate(*args: str) -> int:
    try:
        return main(["replicate", *args])
    except SystemExit as exc:  # argparse errors
        return exc.code if isinstance(exc.code, int) else 2


@pytest.fixture()
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr("sys.stdin", io.StringIO(""))  # not a terminal
    return tmp_path


@pytest.fixture()
def scenarios_copy(tmp_path: Path) -> Path:
    """A copy of the bundled scenarios, so a failed refusal cannot harm them."""
    copy = tmp_path / "bundled"
    shutil.copytree(ROOT / "scenarios", copy)
    return copy


def test_flags_write_a_valid_sourced_scenario(
    in_tmp: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = replicate(*FLAGS, "--draws", "60")
    out, err = capsys.readouterr()
    assert code == 0, err
    written = in_tmp / "newham.yaml"
    assert [p.name for p in in_tmp.iterdir()] == ["newham.yaml"]  # no temporary left
    scenario = sroi.load_scenario(written)
    assert scenario.id == "newham"
    assert "Newham commissioner via sroi replicate" in scenario.sources[rules.SOURCE].citation
    # 4,800 births x 1.8% = 86.4 referrals a year, entered.
    referrals = value_at(scenario, "delivery.referrals_per_year")
    assert referrals.central() == pytest.approx(86.4)
    assert (referrals.source, referrals.evidence) == (rules.SOURCE, "local_data")
    # Yes: the template's advice, read from its "# replicate if" lines.
    for path in ("premises", "line_management", "clinical_supervision"):
        value = value_at(scenario, f"costs.lines.{path}.amount")
        assert (value.central(), value.evidence) == (0, "local_data"), path
    network = value_at(scenario, "costs.lines.referral_networks_and_promotion.amount")
    assert (network.central(), network.evidence) == (200, "assumption")
    # No public transport: the template's advice for drivers, assumed.
    expenses = value_at(scenario, "volunteers.expenses_per_hour")
    assert (expenses.central(), expenses.evidence) == (6, "assumption")
    # No IT systems: the template's value stays, with its own grade and note.
    it = value_at(scenario, "costs.lines.it_and_monitoring.amount")
    assert (it.central(), it.evidence, it.source) == (1000, "assumption", None)
    assert "it_and_monitoring" not in yaml.safe_load(written.read_text())["costs"]["lines"]
    assert "Newham (your proposal)" in out
    for site in ("Oxford", "Hackney", "Swaffham", "West Mansfield"):
        assert site in out


@pytest.mark.parametrize(
    "flags",
    [FLAGS, RECORDED, [*FLAGS, "--volunteers", "20"]],
    ids=["births", "recorded", "planned"],
)
def test_only_entered_values_are_local_data(in_tmp: Path, flags: list[str]) -> None:
    assert replicate(*flags, "-o", "p.yaml", "--draws", "0") == 0
    data = yaml.safe_load((in_tmp / "p.yaml").read_text(encoding="utf-8"))
    values = written_values(data)
    assert values
    for path, value in values.items():
        note = " ".join(str(value.get("note", "")).split())
        if value["evidence"] == "local_data":
            assert value.get("source") == rules.SOURCE, path
            assert note.startswith("Entered by the"), path
        else:
            assert "Entered by the" not in note, path
            assert path.startswith("delivery.ramp") or note.startswith("Assumed:"), path


def test_recorded_figures_map_onto_the_scenario(in_tmp: Path) -> None:
    """The worked example of docs/replicate.md, checked by hand.

    150 referrals over 2 years with the template's ramp (0.5, 1): 150 / 1.5 =
    100 a year at full running.  Uptake: 60 paired of 150, Beta(60, 90), mean
    0.4.  Pool from 25 trained: 25 / (1 + turnover), turnover PERT 0.25-0.5-0.8
    gives 25 / 1.8 = 13.9, 25 / 1.5 = 16.7, 25 / 1.25 = 20.  Hours: 8 visits x
    1.5-2-3 h = 12-16-24.  Capacity: 52 / 12 x 1-1.5-2 = 4.33-6.5-8.67 women a
    year.  Base-case users: 100 x (0.5 + 1) x 0.4 = 60, the women paired
    (below capacity: 16.7 x 6.5 = 108 a year).
    """
    assert replicate(*RECORDED, "--draws", "0") == 0
    scenario = sroi.load_scenario(in_tmp / "riverside.yaml")
    assert scenario.years == 2
    assert scenario.ramp() == [0.5, 1.0]
    assert value_at(scenario, "delivery.referrals_per_year").central() == pytest.approx(100)
    uptake = value_at(scenario, "delivery.uptake")
    assert uptake.beta is not None and (uptake.beta.successes, uptake.beta.trials) == (60, 150)
    assert uptake.evidence == "local_data"
    assert value_at(scenario, "volunteers.pool").pert == [13.9, 16.7, 20]
    assert value_at(scenario, "volunteers.hours_per_user").pert == [12, 16, 24]
    assert value_at(scenario, "volunteers.max_users_per_volunteer").pert == [4.33, 6.5, 8.67]
    result = sroi.run(scenario, draws=0)
    assert result.base_value("users") == pytest.approx(60)
    assert result.base_value("referrals") == pytest.approx(150)


#: A large new area: 5,300 births x 1.8% = 95.4 referrals a year.
LARGE = ["--area", "Bigtown", "--births", "5300", "--share-referred", "1.8%", *CONTEXT_FLAGS]


def test_befrienders_planned_set_the_pool_as_local_data(in_tmp: Path) -> None:
    assert replicate(*LARGE, "--volunteers", "20", "--draws", "0") == 0
    scenario = sroi.load_scenario(in_tmp / "bigtown.yaml")
    pool = value_at(scenario, "volunteers.pool")
    assert (pool.central(), pool.evidence, pool.source) == (20, "local_data", rules.SOURCE)
    assert pool.pert is None  # the number entered, not a range
    note = " ".join((pool.note or "").split())
    assert note.startswith("Entered by the Bigtown commissioner on")
    assert "the planned number of active befrienders, 20 at a time" in note
    assert "#   volunteers: 20\n" in (in_tmp / "bigtown.yaml").read_text(encoding="utf-8")


def test_a_plan_of_too_few_befrienders_is_noted_by_sroi_run(
    in_tmp: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """20 befrienders, 2.5 women each a year, support 50 of the 95.4 referrals
    a year x 65% uptake: ``sroi run`` of the file says the pool caps the
    caseload.  Without the plan the pool grows with the caseload, uncapped."""
    assert replicate(*LARGE, "--volunteers", "20", "--draws", "0") == 0
    assert replicate(*LARGE, "-o", "grown.yaml", "--draws", "0") == 0
    capsys.readouterr()
    assert main(["run", "bigtown.yaml", "--draws", "1000"]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "Note: Volunteer capacity caps the caseload (modal inputs)" in out
    assert "the pool of 20 volunteers" in out
    assert main(["run", "grown.yaml", "--draws", "1000"]) == 0
    assert "Volunteer capacity" not in capsys.readouterr().out


@pytest.mark.parametrize("extra", [[], ["--births", "4800", "--share-referred", "1.8%"]])
def test_befrienders_planned_and_volunteers_trained_are_refused_together(
    in_tmp: Path, capsys: pytest.CaptureFixture[str], extra: list[str]
) -> None:
    assert replicate(*RECORDED, "--volunteers", "20", *extra, "--draws", "0") == 2
    err = capsys.readouterr().err
    assert (
        "sroi replicate: error: --volunteers: give the befrienders planned or the volunteers "
        "trained (--volunteers-trained), not both" in err
    ), err
    assert list(in_tmp.iterdir()) == []
    problems = ans.check_answers({"years": 2, "volunteers_trained": 25.0, "volunteers_planned": 20})
    assert [p.flag for p in problems] == ["--volunteers"]


def test_befrienders_planned_are_a_whole_number_of_at_least_one(
    in_tmp: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert replicate(*FLAGS, "--volunteers", "0", "--draws", "0") == 2
    assert "--volunteers: expected at least 1 befriender" in capsys.readouterr().err
    assert replicate(*FLAGS, "--volunteers", "2.5", "--draws", "0") == 2
    assert "--volunteers: expected a whole number of befrienders" in capsys.readouterr().err
    assert list(in_tmp.iterdir()) == []


def test_interactive_mode_asks_the_befrienders_planned_only_for_a_new_area() -> None:
    keys = {"years", "volunteers_trained", "volunteers_planned"}
    new_area = {"area": "X", "births": 1000.0, "share_referred": 0.02}
    stdout = io.StringIO()
    new = replicate_cmd.ask(new_area, Terminal("\n20\n"), stdout, keys=keys)
    assert new == {"volunteers_planned": 20.0}
    said = stdout.getvalue()
    assert "How many befrienders do you plan to have active at a time? (e.g. 20; Enter " in said
    assert "volunteers were trained" not in said
    stdout = io.StringIO()
    new = replicate_cmd.ask({"area": "X"}, Terminal("2\n25\n"), stdout, keys=keys)
    assert new == {"years": 2, "volunteers_trained": 25.0}
    assert "befrienders do you plan" not in stdout.getvalue()


def test_entered_post_salary_and_local_costs(in_tmp: Path) -> None:
    args = [*RECORDED, "--coordinator-fte", "0.8", "--coordinator-salary", "34,000"]
    args += ["--cost", "premises=1200", "--cost", "monitoring_and_evaluation=800"]
    assert replicate(*args, "--money-year", "2024-25", "--draws", "0") == 0
    scenario = sroi.load_scenario(in_tmp / "riverside.yaml")
    for path, expected, year in (
        ("costs.coordinator.fte", 0.8, None),
        # Money is written as entered, with the price year it was entered at.
        ("costs.coordinator.salary", 34_000, 2024),
        # An entered cost wins over the yes answer's zero for the same line.
        ("costs.lines.premises.amount", 1200, 2024),
        ("costs.lines.monitoring_and_evaluation.amount", 800, 2024),
    ):
        value = value_at(scenario, path)
        assert (value.central(), value.evidence, value.price_year) == (
            expected,
            "local_data",
            year,
        ), path
    # The run converts it to the template's FY 2011-12 prices with the GDP
    # deflator: 34,000 x 70.3261 / 100 = 23,910.87 a year.
    assert price_factors(scenario)["costs.coordinator.salary"] * 34_000 == pytest.approx(
        23_910.874, abs=1e-3
    )
    note = value_at(scenario, "costs.coordinator.salary").note or ""
    assert "FY 2024-25 prices (converted to the scenario's FY 2011-12 prices" in note
    # The answers are recorded as they would be typed: money in plain digits
    # (never 3.4e+04), in the header and in the site's notes.
    text = (in_tmp / "riverside.yaml").read_text(encoding="utf-8")
    assert "#   coordinator-salary: 34000\n" in text
    assert "#   cost: premises=1200, monitoring_and_evaluation=800\n" in text
    notes = " ".join((scenario.site.notes or "").split())
    assert "coordinator-salary: 34000; cost: premises=1200, monitoring_and_evaluation=800;" in notes
    assert "e+0" not in text
    # The yes to --childrens-centre would make premises 0: the note says the
    # entered figure was charged anyway, so neither answer is dropped unseen.
    premises = value_at(scenario, "costs.lines.premises.amount").note or ""
    assert "Charged although the answer yes to --childrens-centre" in " ".join(premises.split())
    monitoring = value_at(scenario, "costs.lines.monitoring_and_evaluation.amount").note or ""
    assert "Charged although" not in monitoring


def test_the_comparison_is_at_the_money_year_when_money_is_entered(
    in_tmp: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """With a salary at 2024-25 prices the table was still at 2011-12
    prices, while the web page showed the same answers at 2024-25: a
    commissioner quoted a different unit cost depending on the tool."""
    import re

    def oxford_unit_cost(out: str) -> float:
        row = re.search(r"^  Oxford +([\d,]+) ", out, re.M)
        assert row is not None, out
        return float(row.group(1).replace(",", ""))

    assert replicate(*RECORDED, "-o", "a.yaml", "--draws", "200") == 0
    plain = capsys.readouterr().out
    assert "(200 draws; GBP at FY 2011-12 prices)" in plain
    money = ["--coordinator-salary", "34000", "--money-year", "2024-25"]
    assert replicate(*RECORDED, *money, "-o", "b.yaml", "--draws", "200") == 0
    priced = capsys.readouterr().out
    assert "(200 draws; GBP at FY 2024-25 prices)" in priced
    # The pilots' own figures, repriced by the GDP deflator: 100 / 70.3261.
    factor = 100 / 70.3261
    assert oxford_unit_cost(priced) / oxford_unit_cost(plain) == pytest.approx(factor, abs=1e-3)


def test_the_comparison_keeps_a_parenthesis_in_the_area_name(
    in_tmp: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--area "Birmingham (scaled FTE)" was shown as "Birmingham (your
    proposal)", so two options for one area looked the same."""
    flags = [*FLAGS[2:], "--area", "Birmingham (scaled FTE)"]
    assert replicate(*flags, "-o", "b.yaml", "--draws", "100") == 0
    out = capsys.readouterr().out
    assert "\n  Birmingham (scaled FTE) (your proposal)  " in out
    assert "\n  Oxford  " in out  # the pilots' names still drop their "(... pilot)"


def test_the_suggested_run_command_shows_the_prices_the_comparison_showed(
    in_tmp: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The comparison was at FY 2024-25 prices but the suggested `sroi run`
    printed FY 2011-12 prices, so the unit cost the user had just read
    changed (from 13,892 to 9,463 in a commissioner's test)."""
    money = ["--coordinator-salary", "34000", "--money-year", "2024-25"]
    assert replicate(*RECORDED, *money, "-o", "king's lynn.yaml", "--draws", "200") == 0
    out = capsys.readouterr().out
    assert "(200 draws; GBP at FY 2024-25 prices)" in out
    assert "then run `sroi run 'king'\"'\"'s lynn.yaml' --price-year 2024`." in out
    # The command it suggests prints the comparison's unit cost.
    row = next(line for line in out.splitlines() if "(your proposal)" in line)
    assert main(["run", "king's lynn.yaml", "--price-year", "2024", "--draws", "200"]) == 0
    run_out = capsys.readouterr().out
    assert "GBP at FY 2024-25 prices" in run_out
    unit = next(line for line in run_out.splitlines() if line.strip().startswith("Unit cost"))
    assert unit.split("]")[1].split()[0] == row.split(")")[1].split()[0]
    # Without money the file's own prices need no flag; with no comparison
    # shown (--draws 0) the money entered still sets them.
    assert replicate(*RECORDED, "-o", "plain.yaml", "--draws", "200") == 0
    assert "then run `sroi run plain.yaml`." in capsys.readouterr().out
    assert replicate(*RECORDED, *money, "-o", "quiet.yaml", "--draws", "0") == 0
    assert "then run `sroi run quiet.yaml --price-year 2024`." in capsys.readouterr().out


def test_money_needs_its_price_year(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert replicate(*RECORDED, "--coordinator-salary", "34000", "--draws", "0") == 2
    assert "missing answers: --money-year" in capsys.readouterr().err
    assert replicate(*RECORDED, "--money-year", "2024", "--draws", "0") == 2
    assert "--money-year: not used without --coordinator-salary" in capsys.readouterr().err
    salary = ["--coordinator-salary", "34000"]
    assert replicate(*RECORDED, *salary, "--money-year", "1999", "--draws", "0") == 2
    assert "from 2008 to 2025; found '1999'" in capsys.readouterr().err
    assert not (in_tmp / "riverside.yaml").exists()


def test_every_answer_is_used_by_a_rule() -> None:
    used = {key for rule in rules.RULES for key in rule.answers}
    used |= {a.answer for a in Template.load().advice} | {"local_costs"}
    assert used == set(ans.BY_KEY) - {"area"}


def test_every_yes_no_question_has_template_advice() -> None:
    template = Template.load()
    assert rules.check_advice(template) == []
    paths = rules.context_paths(template)
    assert set(paths) == set(ans.CONTEXT)
    assert all(paths.values()), paths


def test_bad_advice_line_is_located() -> None:
    with pytest.raises(ScenarioError, match=r"t\.yaml:2:1"):
        read_advice("# fine\n# replicate if management=maybe: x = 0\n", "t.yaml")


def test_extends_is_relative_to_the_output(
    in_tmp: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = in_tmp / "plans" / "2026" / "area.yaml"
    target.parent.mkdir(parents=True)
    assert replicate(*FLAGS, "-o", str(target), "--draws", "0") == 0
    data = yaml.safe_load(target.read_text(encoding="utf-8"))
    assert not Path(data["extends"]).is_absolute()
    assert (target.parent / data["extends"]).resolve() == TEMPLATE.resolve()
    assert "Wrote" in capsys.readouterr().out


def test_the_suggested_run_command_quotes_the_file(
    in_tmp: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A name with a space was suggested as `sroi run my area.yaml`, which
    runs two files that do not exist."""
    assert replicate(*FLAGS, "-o", "my area.yaml", "--draws", "0") == 0
    assert "then run `sroi run 'my area.yaml'`." in capsys.readouterr().out


def test_a_template_in_an_installed_package_is_extended_by_its_full_path(
    tmp_path: Path,
) -> None:
    """Installed with pip, the template lies in the environment's
    site-packages: a relative path there would break when the proposal
    moves, so extends names it in full; elsewhere it stays relative."""
    from sroi.replication.writer import _relative

    installed = tmp_path / "env" / "lib" / "python3.11" / "site-packages" / "sroi" / "t.yaml"
    checkout = tmp_path / "project" / "scenarios" / "t.yaml"
    out = tmp_path / "plans"
    assert _relative(installed, out) == installed.resolve().as_posix()
    assert _relative(checkout, out) == "../project/scenarios/t.yaml"


def test_a_long_extends_path_keeps_its_file_name_in_the_message(tmp_path: Path) -> None:
    """A parent path too long to quote whole keeps its start and its end."""
    folder = "a" * 40 + "/" + "b" * 40 + "/" + "c" * 40 + "/" + "d" * 40
    child = tmp_path / "child.yaml"
    child.write_text(f"extends: {folder}/missing_parent.yaml\n", encoding="utf-8")
    _, problems = check_file(child)
    message = " ".join(str(p) for p in problems)
    assert "missing_parent.yaml' does not exist" in message and "..." in message


def test_no_overwrite_without_force(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert replicate(*FLAGS, "--draws", "0") == 0
    first = (in_tmp / "newham.yaml").read_text(encoding="utf-8")
    other = [*FLAGS[:3], "5000", *FLAGS[4:]]
    assert replicate(*other, "--draws", "0") == 2
    assert "already exists" in capsys.readouterr().err
    assert (in_tmp / "newham.yaml").read_text(encoding="utf-8") == first
    assert replicate(*other, "--draws", "0", "--force") == 0
    assert (in_tmp / "newham.yaml").read_text(encoding="utf-8") != first


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("replication/new_area.yaml", "is the replication template"),
        ("family_action_pss/_common.yaml", "a file the template extends"),
        ("family_action_pss/oxford.yaml", "one of the pilot scenarios"),
    ],
)
def test_force_never_replaces_the_template_its_chain_or_a_pilot(
    in_tmp: Path,
    scenarios_copy: Path,
    capsys: pytest.CaptureFixture[str],
    target: str,
    message: str,
) -> None:
    before = {p: p.read_bytes() for p in scenarios_copy.rglob("*.yaml")}
    args = ["--template", str(scenarios_copy / "replication" / "new_area.yaml")]
    args += ["--pilots", str(scenarios_copy / "family_action_pss")]
    code = replicate(*FLAGS, *args, "-o", str(scenarios_copy / target), "--force", "--draws", "0")
    assert code == 2
    assert message in capsys.readouterr().err
    assert {p: p.read_bytes() for p in scenarios_copy.rglob("*.yaml")} == before


def test_force_never_replaces_a_copy_of_the_bundled_files_or_a_file_others_extend(
    in_tmp: Path, scenarios_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """In a clone of the project the pilots, their base and the template are
    copies of the installed ones, which alone were protected: ``--force``
    replaced them, and the other pilots then ran on a proposal's inputs."""
    before = {p: p.read_bytes() for p in scenarios_copy.rglob("*.yaml")}
    for target, message in [
        ("family_action_pss/_common.yaml", "is a file other scenarios extend (hackney.yaml, "),
        ("family_action_pss/oxford.yaml", "is a copy of sroi's bundled oxford.yaml"),
        ("replication/new_area.yaml", "is a copy of sroi's bundled new_area.yaml"),
    ]:
        code = replicate(*FLAGS, "-o", str(scenarios_copy / target), "--force", "--draws", "0")
        assert code == 2
        assert message in capsys.readouterr().err
    assert {p: p.read_bytes() for p in scenarios_copy.rglob("*.yaml")} == before
    mine = in_tmp / "mine.yaml"
    mine.write_text("# an earlier proposal\n", encoding="utf-8")
    assert replicate(*FLAGS, "-o", str(mine), "--force", "--draws", "0") == 0


def test_force_never_replaces_a_file_the_pilots_extend(
    in_tmp: Path, scenarios_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Pilots in a folder of their own: their base is not in the template's chain.
    pilots = in_tmp / "pil"
    shutil.copytree(scenarios_copy / "family_action_pss", pilots)
    before = {p: p.read_bytes() for p in pilots.iterdir()}
    args = ["--template", str(scenarios_copy / "replication" / "new_area.yaml")]
    args += ["--pilots", str(pilots), "--force", "--draws", "0"]
    assert replicate(*FLAGS, *args, "-o", str(pilots / "_common.yaml")) == 2
    err = capsys.readouterr().err
    assert f"{pilots / '_common.yaml'} is a file the pilot scenarios extend" in err
    assert replicate(*FLAGS, *args, "-o", "pil/../pil/_common.yaml") == 2
    assert "is a file the pilot scenarios extend" in capsys.readouterr().err
    assert {p: p.read_bytes() for p in pilots.iterdir()} == before


def test_output_checked_before_the_first_question(
    in_tmp: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (in_tmp / "taken.yaml").write_text("keep me\n", encoding="utf-8")
    monkeypatch.setattr("sys.stdin", Terminal("Newham\n"))
    assert replicate("-o", "taken.yaml", "--draws", "0") == 2
    out, err = capsys.readouterr()
    assert "?" not in out  # nothing was asked
    assert "taken.yaml already exists" in err
    # Named after the area: refused right after the area, before anything else.
    (in_tmp / "newham.yaml").write_text("keep me\n", encoding="utf-8")
    monkeypatch.setattr("sys.stdin", Terminal("Newham\n2\n"))
    assert replicate("--draws", "0") == 2
    out, err = capsys.readouterr()
    assert out.count("?") == 1 and "newham.yaml already exists" in err
    assert (in_tmp / "newham.yaml").read_text(encoding="utf-8") == "keep me\n"


@pytest.mark.parametrize(
    ("flag", "bad", "message"),
    [
        ("--births", "-5", "above 0"),
        ("--births", "lots", "expected a number"),
        ("--share-referred", "15", "between 0 and 1"),
        ("--share-referred", "0", "above 0"),
        ("--childrens-centre", "maybe", "yes or no"),
        ("--area", "123", "area's name"),
    ],
)
def test_bad_flags_are_refused(
    in_tmp: Path, capsys: pytest.CaptureFixture[str], flag: str, bad: str, message: str
) -> None:
    args = list(FLAGS)
    args[args.index(flag) + 1] = bad
    assert replicate(*args, "--draws", "0") == 2
    err = capsys.readouterr().err
    assert f"sroi replicate: error: {flag}: " in err and message in err
    assert list(in_tmp.iterdir()) == []


@pytest.mark.parametrize(
    ("change", "flag", "message"),
    [
        (["--paired", "160"], "--paired", "at most the 150 referrals"),
        (["--paired", "140"], "--paired", "at most the 127.5 referrals accepted"),
        (["--years", None], "--years", "needed because you gave --referrals-total"),
        (["--visits", "-8"], "--visits", "above 0"),
        (["--weeks", "twelve"], "--weeks", "expected a number"),
        (["--volunteers-trained", "2.5"], "--volunteers-trained", "whole number"),
    ],
)
def test_answers_that_cannot_hold_together_are_refused(
    in_tmp: Path,
    capsys: pytest.CaptureFixture[str],
    change: list[str | None],
    flag: str,
    message: str,
) -> None:
    args = list(RECORDED)
    i = args.index(str(change[0]))
    if change[1] is None:
        del args[i : i + 2]
    else:
        args[i + 1] = change[1]
    assert replicate(*args, "--draws", "0") == 2
    err = capsys.readouterr().err
    assert f"sroi replicate: error: {flag}: " in err and message in err, err
    assert list(in_tmp.iterdir()) == []


def test_unknown_cost_line_names_the_answer(
    in_tmp: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        replicate(*RECORDED, "--cost", "premsies=100", "--money-year", "2024", "--draws", "0") == 2
    )
    err = capsys.readouterr().err
    assert "--cost: no cost line 'premsies'" in err and "did you mean 'premises'?" in err
    assert list(in_tmp.iterdir()) == []


def test_invalid_scenario_is_reported_against_the_answer(
    in_tmp: Path, scenarios_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    template = scenarios_copy / "replication" / "new_area.yaml"
    text = template.read_text(encoding="utf-8")
    text = text.replace("expenses_per_hour = {pert: [4, 6, 8]}", "expenses_per_hour = -3")
    template.write_text(text, encoding="utf-8")
    args = ["--template", str(template), "--pilots", str(scenarios_copy / "family_action_pss")]
    assert replicate(*FLAGS, *args, "-o", "p.yaml", "--draws", "0") == 2
    err = capsys.readouterr().err
    assert "error: --public-transport: volunteers.expenses_per_hour:" in err, err
    assert ".tmp" not in err and "nothing was written" in err
    assert [p.name for p in in_tmp.iterdir()] == ["bundled"]


def test_missing_answers_without_a_terminal_are_an_error(
    in_tmp: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert replicate("--area", "Newham", "--births", "4800", "--draws", "0") == 2
    err = capsys.readouterr().err
    assert "missing answers: --share-referred, --childrens-centre" in err
    assert "--public-transport" in err and "--area" not in err.split("missing answers:")[1]
    assert list(in_tmp.iterdir()) == []


def test_interactive_mode_asks_again_after_a_bad_answer(
    in_tmp: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    typed = [
        "Stoke-on-Trent",
        "",  # years: skipped
        "",  # referrals a year: skipped, so births are asked
        "-5",  # refused
        "3,100",
        "15",  # refused: a share, not a percentage
        "2%",
        *[""] * 7,  # accepted, visits, weeks, befrienders planned, FTE, salary, costs
        "maybe",  # refused
        "y",
        "no",
        "YES",
        "n",
        "yes",
    ]
    monkeypatch.setattr("sys.stdin", Terminal("\n".join(typed) + "\n"))
    assert replicate("--draws", "0") == 0
    out = capsys.readouterr().out
    assert out.count("Sorry:") == 3
    assert out.count("How many births a year") == 2
    assert "did you mean 15%?" in out
    assert "women paired" not in out  # counts over years are asked only with years
    assert out.count("How many befrienders do you plan to have active at a time?") == 1
    scenario = sroi.load_scenario(in_tmp / "stoke_on_trent.yaml")
    assert value_at(scenario, "delivery.referrals_per_year").central() == pytest.approx(62)
    assert value_at(scenario, "costs.lines.premises.amount").central() == 0
    assert value_at(scenario, "costs.lines.line_management.amount").central() == 3500


def test_interactive_answer_that_contradicts_an_earlier_one_is_asked_again() -> None:
    given = {"area": "X", "years": 2, "referrals_total": 150.0, "share_accepted": 0.85}
    stdin, stdout = Terminal("160\n140\n90\n"), io.StringIO()
    new = replicate_cmd.ask(given, stdin, stdout, keys={"paired"})
    assert new == {"paired": 90.0}
    said = stdout.getvalue()
    assert "Sorry: expected at most the 150 referrals; found 160 women paired" in said
    assert "Sorry: expected at most the 127.5 referrals accepted (85% of 150)" in said


def test_interactive_cost_line_not_in_the_template_is_asked_again() -> None:
    """A misspelt line was reported only after the last question, and every
    answer was lost; it is asked again at once, with the lines to choose from."""
    given = {"area": "X", "births": 1000.0, "share_referred": 0.02}
    lines = Template.load(TEMPLATE).line_ids()
    stdin = Terminal("premises=1200, montoring=500\npremises=1200, monitoring_and_evaluation=500\n")
    stdout = io.StringIO()
    new = replicate_cmd.ask(given, stdin, stdout, keys={"local_costs"}, lines=lines)
    assert new == {"local_costs": (("premises", 1200.0), ("monitoring_and_evaluation", 500.0))}
    said = stdout.getvalue()
    assert "Sorry: no cost line 'montoring' in the template" in said
    assert f"(its lines: {', '.join(lines)}). Please try again." in said


def test_interactive_enter_at_a_required_question_says_it_needs_an_answer() -> None:
    """With no referrals given, births are required: Enter was read as a
    number and refused as "expected a number; found ''"."""
    given = {"area": "X"}
    stdin, stdout = Terminal("\n\n\n3000\n"), io.StringIO()
    new = replicate_cmd.ask(given, stdin, stdout, keys={"years", "referrals_per_year", "births"})
    assert new == {"births": 3000.0}
    said = stdout.getvalue()
    assert (
        said.count("Sorry: this question needs an answer (Enter skips only those that say so)") == 1
    )
    assert "found ''" not in said


def test_interactive_mode_asks_only_what_flags_left_out() -> None:
    given = {"area": "X", "births": 1000.0, "share_referred": 0.02}
    given.update(childrens_centre=True, management=True, referral_network=False)
    stdin, stdout = Terminal("no\nyes\n"), io.StringIO()
    answers = replicate_cmd.ask(given, stdin, stdout, required_only=True)
    assert answers == {"it_systems": False, "public_transport": True}
    assert stdout.getvalue().count("> ") == 2


def test_interactive_input_ending_early_is_an_error(
    in_tmp: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.stdin", Terminal("Newham\n\n\n4800\n"))
    assert replicate("--draws", "0") == 2
    assert "--share-referred" in capsys.readouterr().err
    assert list(in_tmp.iterdir()) == []


def test_area_named_like_a_pilot_gets_its_own_id(
    in_tmp: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = list(FLAGS)
    args[1] = "Hackney"
    assert replicate(*args, "--draws", "30") == 0
    assert sroi.load_scenario(in_tmp / "hackney_proposal.yaml").id == "hackney_proposal"
    assert "Hackney (your proposal)" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("text", "share"), [("0.018", 0.018), ("1.8%", 0.018), ("15%", 0.15), (" 1 ", 1.0)]
)
def test_parse_share(text: str, share: float) -> None:
    assert ans.parse_share(text) == pytest.approx(share)


def _small_area(area: str = "Little Snoring") -> ans.Answers:
    """The answers of a small area, from births, dated 5 January 2026."""
    return ans.Answers(
        area=area,
        births=900,
        share_referred=0.02,
        childrens_centre=False,
        management=False,
        it_systems=True,
        referral_network=False,
        public_transport=True,
        date=datetime.date(2026, 1, 5),
    )


def test_write_scenario_directly(tmp_path: Path) -> None:
    answers = _small_area()
    out = tmp_path / "ls.yaml"
    scenario = write_scenario(answers, out)
    assert scenario.id == "little_snoring"
    text = out.read_text(encoding="utf-8")
    assert "Answers given by Little Snoring commissioner via sroi replicate, 2026-01-05." in text
    assert "yaml-language-server: $schema=" in text
    with pytest.raises(FileExistsError):
        write_scenario(answers, out)
    # Small caseload: the co-ordinator post keeps the template's size.
    assert "coordinator" not in yaml.safe_load(text)["costs"]


def test_the_written_comment_wraps_a_long_area_name(tmp_path: Path) -> None:
    area = "Newham and the Royal Docks of East London"
    out = tmp_path / "n.yaml"
    write_scenario(_small_area(area), out)
    lines = out.read_text(encoding="utf-8").splitlines()
    prose = lines[lines.index("#") + 1 : lines.index("# Answers:") - 1]
    assert len(prose) >= 5 and all(len(line) <= 80 for line in prose), prose
    assert f"# Perinatal Support Service in {area}: a" == prose[0]
    assert " ".join(line[2:] for line in prose).endswith("run `sroi validate` on this file.")


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--template", ""], "sroi replicate: error: --template: the file name is empty"),
        (["--pilots", ""], "sroi replicate: error: --pilots: the file name is empty"),
        (["-o", ""], "sroi replicate: error: -o: the file name is empty"),
        (["-o", "a" * 5000 + ".yaml"], "sroi replicate: error: cannot write -o 'aaa"),
        (["--draws", "100000001"], "--draws: expected a number <= 100,000,000"),
    ],
)
def test_empty_or_impossible_paths_and_draws_are_refused(
    in_tmp: Path, capsys: pytest.CaptureFixture[str], extra: list[str], message: str
) -> None:
    """An empty --template, --pilots or -o is an error, never the default;
    a name too long for the system is an input error; --draws has the
    limit every other command has."""
    assert replicate(*FLAGS, *extra) == 2
    err = capsys.readouterr().err
    assert message in err and "internal error" not in err
    assert list(in_tmp.iterdir()) == []


@pytest.mark.parametrize(
    ("answers", "flag", "found"),
    [
        (["--births", "4800", "--share-referred", "0.0000001"], "--share-referred", "= 0.00048"),
        (["--referrals-per-year", "0.001"], "--referrals-per-year", "found 0.001"),
        (["--years", "20", "--referrals-total", "1"], "--referrals-total", "found 1 over 20 years"),
    ],
)
def test_a_caseload_too_small_to_write_names_the_answer(
    in_tmp: Path, capsys: pytest.CaptureFixture[str], answers: list[str], flag: str, found: str
) -> None:
    """Fewer than 0.1 referrals a year was refused as "delivery.referrals_per_year:
    low must be below high; found low=0, high=0", naming no answer."""
    assert replicate("--area", "Newham", *answers, *CONTEXT_FLAGS, "--draws", "0") == 2
    err = capsys.readouterr().err
    assert f"sroi replicate: error: {flag}: expected at least 0.1 referrals a year" in err
    assert found in err and "low must be below high" not in err
    assert list(in_tmp.iterdir()) == []


def test_every_independent_problem_is_reported_at_once(
    in_tmp: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Delivery years of 0 hid a misspelt cost line until the years were fixed."""
    args = list(RECORDED)
    args[args.index("--years") + 1] = "0"
    assert replicate(*args, "--cost", "premisis=4", "--paired", "sixty", "--draws", "0") == 2
    err = capsys.readouterr().err
    assert "--years: expected a whole number of years from 1 to 50; found '0'" in err
    assert "--paired: expected a number; found 'sixty'" in err
    assert "no cost line 'premisis' in the template; did you mean 'premises'?" in err
    assert list(in_tmp.iterdir()) == []


def test_missing_delivery_years_is_one_error_on_the_years(
    in_tmp: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = list(RECORDED)
    del args[args.index("--years") : args.index("--years") + 2]
    assert replicate(*args, "--draws", "0") == 2
    err = capsys.readouterr().err
    assert err.count("error:") == 1
    assert (
        "--years: needed because you gave --referrals-total, --paired and "
        "--volunteers-trained: the delivery years they cover" in err
    )


@pytest.mark.parametrize(
    ("flag", "typed", "message"),
    [
        ("--coordinator-salary", "1e30", "expected a salary of at most 1,000,000; found '1e30'"),
        ("--cost", "premises=5e11", "expected an amount from 0 to 1,000,000 for premises"),
        ("--cost", "premises=1e300", "found '1e300'"),
        ("--referrals-total", "-5", "expected a whole number of referrals, 1 or more"),
    ],
)
def test_money_and_counts_are_quoted_as_typed_with_plain_limits(
    in_tmp: Path, capsys: pytest.CaptureFixture[str], flag: str, typed: str, message: str
) -> None:
    assert replicate(*RECORDED, flag, typed, "--money-year", "2024", "--draws", "0") == 2
    err = capsys.readouterr().err
    assert message in err
    assert "e+" not in err and "0" * 20 not in err


def test_a_very_long_answer_is_quoted_shortened() -> None:
    with pytest.raises(ValueError, match=r"found '9{30}…' \(40 characters\)"):
        ans.BY_KEY["coordinator_salary"].parse("9" * 40)


def test_a_cost_with_a_thousands_separator_is_read(in_tmp: Path) -> None:
    """`--cost premises=1,200` was refused as "found '200'": the comma split
    it into two cost lines, though 1,200 is read as 1200 in every other answer."""
    args = [*RECORDED, "--cost", "premises=1,200,monitoring_and_evaluation=12,000.50"]
    assert replicate(*args, "--money-year", "2024", "--draws", "0") == 0
    scenario = sroi.load_scenario(in_tmp / "riverside.yaml")
    assert value_at(scenario, "costs.lines.premises.amount").central() == 1200
    amount = value_at(scenario, "costs.lines.monitoring_and_evaluation.amount")
    assert amount.central() == 12_000.5
    # As typed at the question, with its line break.
    assert ans.parse_costs("premises=1,200\n") == (("premises", 1200.0),)


@pytest.mark.parametrize(
    ("costs", "found"),
    [
        # Not a thousands group: too few digits, too many, or a space.
        (["premises=1,20"], "'20'"),
        (["premises=1200,300"], "'300'"),
        (["premises=1, 200"], "'200'"),
        # Two flags are never joined into one amount.
        (["premises=1", "200"], "'200'"),
    ],
)
def test_digits_after_a_comma_that_are_no_thousands_are_refused_saying_why(
    in_tmp: Path, capsys: pytest.CaptureFixture[str], costs: list[str], found: str
) -> None:
    args = [*RECORDED, *(w for c in costs for w in ("--cost", c))]
    assert replicate(*args, "--money-year", "2024", "--draws", "0") == 2
    assert capsys.readouterr().err == (
        f"sroi replicate: error: --cost: expected LINE=AMOUNT, e.g. premises=1200; found {found} "
        "after a comma: commas separate cost lines, and in an amount only thousands "
        "(premises=1,200 or premises=1200)\n"
    )
    assert list(in_tmp.iterdir()) == []


@pytest.mark.parametrize(
    ("flag", "typed", "message"),
    [
        (
            "--coordinator-salary",
            "£32,000",
            "expected a number; found '£32,000'; write it without the £ sign, e.g. 32000",
        ),
        ("--cost", "premises=£1,200", "found '£1,200'; write it without the £ sign, e.g. 1200"),
        ("--coordinator-salary", "32k", "expected a number; found '32k' (did you mean 32000?)"),
        ("--referrals-total", "1.5K", "found '1.5K' (did you mean 1500?)"),
        ("--births", "0.2m", "found '0.2m' (did you mean 200000?)"),
        (
            "--coordinator-salary",
            "$34k",
            "found '$34k'; write it without the $ sign and the k: did you mean 34000?",
        ),
        # Where a million cannot be meant, no guess at one.
        ("--weeks", "3m", "--weeks: expected a number; found '3m'\n"),
    ],
)
def test_money_with_a_currency_sign_or_a_k_is_refused_with_what_to_write(
    in_tmp: Path, capsys: pytest.CaptureFixture[str], flag: str, typed: str, message: str
) -> None:
    assert replicate(*RECORDED, flag, typed, "--money-year", "2024", "--draws", "0") == 2
    err = capsys.readouterr().err
    assert f"sroi replicate: error: {flag}: " in err and message in err
    assert list(in_tmp.iterdir()) == []


def test_interactive_input_that_ends_says_nothing_was_written(
    in_tmp: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Ctrl-D named the next question but not that nothing was written, as
    the message for bad flags says."""
    monkeypatch.setattr("sys.stdin", Terminal("Riverside\n"))
    assert replicate("--draws", "0") == 2
    assert capsys.readouterr().err == (
        "sroi replicate: error: input ended before every question was answered "
        "(next: --years); nothing was written\n"
    )
    assert list(in_tmp.iterdir()) == []


def test_interactive_money_year_is_asked_after_the_cost_lines(
    in_tmp: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """As docs/replicate.md says: once, after the salary and the cost lines."""
    typed = ["X", "", "", "3000", "2%", *[""] * 5, "32000", "premises=1,200", "2024-25"]
    monkeypatch.setattr("sys.stdin", Terminal("\n".join([*typed, *["yes"] * 5]) + "\n"))
    assert replicate("--draws", "0") == 0
    out = capsys.readouterr().out
    salary = out.index("What is the co-ordinator's annual gross salary?")
    costs = out.index("Any cost lines you know locally")
    year = out.index("In which financial year's prices are those amounts?")
    assert salary < costs < year and out.count("financial year's prices") == 1
    scenario = sroi.load_scenario(in_tmp / "x.yaml")
    assert value_at(scenario, "costs.lines.premises.amount").price_year == 2024
