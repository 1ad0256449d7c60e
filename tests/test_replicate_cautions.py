"""Answers that are valid but far from what the pilots saw are queried, not
refused: ``sroi replicate`` names each by its flag after writing the file, and
the file's header keeps them.  Each case here was a slip that went through
silently: a share of 0.5 meant as half a percent, a part-time post entered for
three times a pilot's caseload, a month's pay as the salary."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from sroi.cli.main import main
from sroi.prices import GDP_DEFLATOR
from sroi.replication.answers import Answers
from sroi.replication.cautions import cautions
from sroi.replication.rules import caseload
from sroi.replication.template import Template

CONTEXT = {
    "area": "Kirklees",
    "childrens_centre": True,
    "management": True,
    "it_systems": True,
    "referral_network": False,
    "public_transport": True,
}
FLAGS = [
    "--childrens-centre", "yes", "--management", "yes", "--it-systems", "yes",
    "--referral-network", "no", "--public-transport", "yes",
]  # fmt: skip


@pytest.fixture(scope="module")
def template() -> Template:
    return Template.load()


def queried(template: Template, **answers: Any) -> dict[str, str]:
    a = Answers(**CONTEXT, **answers)
    return {c.key: c.message for c in cautions(a, template, caseload(a, template))}


def test_pilot_like_answers_are_not_queried(template: Template) -> None:
    # 2,000 births x 1.8% = 36 referrals a year, a pilot's caseload; 1 FTE
    # and 32,000 a year at FY 2025-26 prices sit inside the pilots' ranges.
    found = queried(
        template,
        births=2000,
        share_referred=0.018,
        coordinator_fte=1.0,
        coordinator_salary=32000,
        money_year=2025,
    )
    assert found == {}


def test_a_share_referred_above_those_at_risk_suggests_a_percentage(template: Template) -> None:
    found = queried(template, births=650, share_referred=0.5)
    assert (
        "50% of births referred is more than the 15% of mothers at risk" in found["share_referred"]
    )
    assert found["share_referred"].endswith("did you mean 0.5% (0.005)?")
    # 650 x 0.5 = 325 referrals a year: far above the pilots' 45 too.
    assert found["births"].startswith("325 referrals a year at full running is more than twice")


@pytest.mark.parametrize(
    ("births", "queried_as"),
    [
        (5300, "more than twice the most a pilot site had (45)"),
        (1000, None),
        (500, "less than half"),
    ],
)
def test_caseloads_far_from_the_pilots_are_queried(
    template: Template, births: int, queried_as: str | None
) -> None:
    # x 1.8%: 95.4, 18.0 and 9.0 referrals a year, against the pilots' 32 to
    # 45 (West Mansfield; Oxford, Swaffham, Hackney): queried above 2 x 45 =
    # 90 and below 32 / 2 = 16.
    found = queried(template, births=births, share_referred=0.018)
    if queried_as is None:
        assert found == {}
        return
    shown = {5300: "95.4", 500: "9"}[births]  # 9.0 is written 9
    assert found["births"].startswith(f"{shown} referrals a year")
    assert queried_as in found["births"]


def test_a_post_smaller_than_the_caseload_needs_is_queried(template: Template) -> None:
    # 5,300 x 2% = 106 referrals a year, 106 / 45 = 2.356 times a pilot's:
    # the template's post (0.5 to 1.0 FTE) scales to 1.18 to 2.36 FTE, so
    # 0.8 FTE (132 referrals per full-time post) is queried and 1.5 is not.
    small = queried(template, births=5300, share_referred=0.02, coordinator_fte=0.8)
    message = small["coordinator_fte"]
    assert message.startswith("0.8 FTE for 106 referrals a year (132 a year per full-time post)")
    assert "the template would set 1.18 to 2.36 FTE" in message  # as _fte writes them
    assert "(45 a year on 0.5 FTE, 90 per full-time post, at the busiest)" in message
    enough = queried(template, births=5300, share_referred=0.02, coordinator_fte=1.5)
    assert "coordinator_fte" not in enough


@pytest.mark.parametrize(("referrals", "fte"), [(36, 0.4), (20, 0.3), (45, 0.5)])
def test_a_small_post_for_a_small_caseload_is_not_queried(
    template: Template, referrals: float, fte: float
) -> None:
    """0.4 FTE for 36 referrals is 90 a year per full-time post, the pilots'
    own busiest load: it was queried as "a smaller post than the pilots'"."""
    assert queried(template, referrals_per_year=referrals, coordinator_fte=fte) == {}


@pytest.mark.parametrize("births", [300, 4800])
def test_the_share_of_those_at_risk_typed_as_a_share_of_births_is_queried(
    template: Template, births: int
) -> None:
    """12% is the template's share of the mothers at risk who are referred;
    typed as the share of births it was queried only through the caseload it
    made, under births, or (with 300 births, 36 a year) not at all."""
    found = queried(template, births=births, share_referred=0.12)
    assert found["share_referred"] == (
        "12% of births referred would be 80% of the 15% of mothers at risk; the template "
        "assumes 12% of them are referred (1.8% of births). If 12% is the share of mothers "
        "at risk who are referred, write 1.8% (0.018)"
    )
    # 4% of births is a quarter of those at risk: high, but not queried.
    assert queried(template, births=2000, share_referred=0.04) == {}


def test_a_share_is_shown_with_the_digits_it_was_given(template: Template) -> None:
    """0.1501 read "15% of births referred is more than the 15% ... at risk"."""
    found = queried(template, births=4800, share_referred=0.1501)
    assert found["share_referred"].startswith("15.01% of births referred is more than the 15%")


def test_a_planned_pool_too_small_for_the_caseload_is_queried(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """20 befrienders for 5,300 births x 1.8% turn 24 of 155 women away; the
    command that took the plan said nothing of it."""
    out = tmp_path / "newham.yaml"
    args = ["replicate", "--area", "Newham", "--births", "5300", "--share-referred", "1.8%"]
    assert main([*args, "--volunteers", "20", *FLAGS, "-o", str(out), "--draws", "0"]) == 0
    printed = capsys.readouterr().out
    assert (
        "\n  --volunteers: Volunteer capacity caps the caseload (modal inputs): 131 of the "
        "155 women who would use the service are supported." in printed
    )
    assert "#   volunteers: Volunteer capacity caps the caseload" in out.read_text(encoding="utf-8")
    enough = tmp_path / "enough.yaml"
    assert main([*args, "--volunteers", "30", *FLAGS, "-o", str(enough), "--draws", "0"]) == 0
    assert "Volunteer capacity" not in capsys.readouterr().out


@pytest.mark.parametrize(("salary", "queried_as"), [(3200, "less than half"), (32000, None)])
def test_a_salary_far_from_the_pilots_is_queried(
    template: Template, salary: float, queried_as: str | None
) -> None:
    # The template's 21,000 to 30,000 at FY 2011-12 prices, repriced to
    # FY 2025-26 with the GDP deflator: x 103.2388 / 70.3261 = 30,828 to 44,040.
    factor = GDP_DEFLATOR[2025] / GDP_DEFLATOR[2011]
    assert (round(21000 * factor), round(30000 * factor)) == (30828, 44040)
    found = queried(
        template, births=2000, share_referred=0.018, coordinator_salary=salary, money_year=2025
    )
    if queried_as is None:
        assert found == {}
        return
    assert found["coordinator_salary"].startswith(
        f"{salary:,.0f} a year is {queried_as} the lowest of the pilots' range "
        "(30,828 to 44,040 at FY 2025-26 prices)"
    )


def test_replicate_prints_the_cautions_by_flag_and_the_file_keeps_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "kirklees.yaml"
    args = ["replicate", "--area", "Kirklees", "--births", "5300", "--share-referred", "2%"]
    args += ["--coordinator-fte", "0.8", *FLAGS, "-o", str(out), "--draws", "0"]
    assert main(args) == 0
    printed = capsys.readouterr().out
    assert "Check these answers: each is valid, but far from what the pilots saw." in printed
    assert "\n  --births: 106 referrals a year" in printed
    assert "\n  --coordinator-fte: 0.8 FTE for 106 referrals" in printed
    header = out.read_text(encoding="utf-8").split("\n\n")[0]
    assert "# Check these answers" in header and "#   coordinator-fte: 0.8 FTE" in header

    calm = tmp_path / "calm.yaml"
    args = ["replicate", "--area", "Calm", "--births", "2000", "--share-referred", "1.8%"]
    assert main([*args, *FLAGS, "-o", str(calm), "--draws", "0"]) == 0
    assert "Check these answers" not in capsys.readouterr().out
    assert "Check these answers" not in calm.read_text(encoding="utf-8")
