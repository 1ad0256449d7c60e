"""Where the volunteer pool caps the caseload, the run says so: the women
turned away and the volunteers needed were shown nowhere but the workbook."""

from __future__ import annotations

from pathlib import Path

import pytest

import sroi
from sroi.reports.table import run_table
from sroi.results.capacity import capacity_cap

ROOT = Path(__file__).resolve().parents[1]
HAND_A = ROOT / "tests" / "cases" / "hand_a.yaml"
PILOTS = ROOT / "scenarios" / "family_action_pss"


def test_the_cap_by_hand() -> None:
    # hand_a: 40 referrals a year x ramp [0.5, 1, 1] x uptake 0.5 = 10, 20, 20
    # women would use the service (50 in all); the pool of 4 volunteers, 4
    # women each, supports 16 a year, so years 1 and 2 (0 the first) are capped: 10 + 16 +
    # 16 = 42 supported, and 20 / 4 = 5 volunteers would support them all.
    cap = capacity_cap(sroi.load_scenario(HAND_A))
    assert cap is not None
    assert (cap.demand, cap.supported, cap.capacity) == (50.0, 42.0, 16.0)
    assert (cap.pool, cap.per_volunteer, cap.years, cap.needed) == (4.0, 4.0, (1, 2), 5)
    assert cap.sentence() == (
        "Volunteer capacity caps the caseload (modal inputs): 42 of the 50 women who "
        "would use the service are supported. In delivery years 1 and 2 (year 0 is the "
        "first) the pool of 4 volunteers, 4 women each a year, supports 16 a year; about 5 "
        "volunteers would support every woman"
    )


def test_the_pilots_are_not_capped() -> None:
    sites = sorted(p for p in PILOTS.glob("*.yaml") if not p.name.startswith("_"))
    assert len(sites) == 4
    assert all(capacity_cap(sroi.load_scenario(p)) is None for p in sites)


def test_the_run_table_notes_the_cap_under_the_site(tmp_path: Path) -> None:
    results = sroi.run(HAND_A, draws=0)
    text = " ".join(run_table(results).split())
    assert "Note: Volunteer capacity caps the caseload (modal inputs): 42 of the 50" in text
    assert "about 5 volunteers would support every woman." in text
    assert "Volunteer capacity" not in run_table(sroi.run(PILOTS, draws=0))


def test_a_shortfall_too_small_to_show_is_not_noted(tmp_path: Path) -> None:
    """A pool of 4.995 turns 0.02 of a woman away in each capped year: the
    note read "50.0 of the 50.0 women ... are supported"."""
    path = tmp_path / "s.yaml"
    path.write_text(
        HAND_A.read_text(encoding="utf-8").replace("pool: 4", "pool: 4.995"), encoding="utf-8"
    )
    # 4.995 x 4 = 19.98 a year against 20: 0.02 in each of two years.
    assert capacity_cap(sroi.load_scenario(path)) is None


@pytest.mark.parametrize("per", [0, 1])
def test_a_pool_or_volunteer_that_supports_no_one(tmp_path: Path, per: int) -> None:
    """No volunteers at all, or volunteers who support no one: every woman is
    turned away, and the sentence still reads."""
    text = HAND_A.read_text(encoding="utf-8")
    if per == 0:
        text = text.replace("max_users_per_volunteer: 4", "max_users_per_volunteer: 0")
    else:
        text = text.replace("pool: 4", "pool: 0")
    path = tmp_path / "s.yaml"
    path.write_text(text, encoding="utf-8")
    cap = capacity_cap(sroi.load_scenario(path))
    assert cap is not None and cap.supported == 0.0 and cap.years == (0, 1, 2)
    assert ("about" in cap.sentence()) == (per != 0)


def test_the_reports_key_findings_note_the_cap() -> None:
    from sroi.reports import html
    from sroi.reports.report import build

    scenario = sroi.load_scenario(HAND_A)
    results = sroi.run(scenario, draws=200, keep_outcomes=True)
    page = html.render(build([scenario], results, with_sensitivity=False))
    assert '<a href="#vm-' in page
    assert "Volunteer capacity caps the caseload (modal inputs): 42 of the 50" in page
