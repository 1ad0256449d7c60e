"""``sroi.with_values``: validated overrides by dotted path, with provenance."""

from __future__ import annotations

from pathlib import Path

import pytest

import sroi
from sroi.scenario import ScenarioError, with_values
from sroi.scenario.model import scenario_values
from sroi.scenario.money import price_factors
from sroi.scenario.problems import Mark

ROOT = Path(__file__).resolve().parents[1]
OXFORD = ROOT / "scenarios" / "family_action_pss" / "oxford.yaml"
WEST_MANSFIELD = ROOT / "scenarios" / "family_action_pss" / "west_mansfield.yaml"


@pytest.fixture(scope="module")
def base() -> sroi.Scenario:
    return sroi.load_scenario(OXFORD)


def problems(base: sroi.Scenario, values: dict, **kw: object) -> list[str]:
    with pytest.raises(ScenarioError) as info:
        with_values(base, values, **kw)  # type: ignore[arg-type]
    return [str(p) for p in info.value.problems]


def test_no_overrides_gives_an_equal_scenario(base: sroi.Scenario) -> None:
    assert with_values(base, {}) == base


def test_numbers_and_distributions_replace_values_and_record_provenance(
    base: sroi.Scenario,
) -> None:
    case = with_values(
        base,
        {
            "costs.coordinator.fte": 1,
            "delivery.referrals_per_year": {"pert": [60, 90, 130], "note": "local count"},
            "delivery.ramp[0]": 0.4,
            "effect.risk_without": {"beta": {"mean": 0.3, "sd": 0.05}, "evidence": "rct"},
        },
    )
    fte = case.costs.coordinator.fte
    assert (fte.value, fte.evidence, fte.source) == (1.0, "local_data", None)
    assert fte.note == "Set by an override."
    referrals = case.delivery.referrals_per_year
    assert referrals.pert == [60.0, 90.0, 130.0]
    # the base's source does not stick to the new number; a given note is kept
    assert (referrals.source, referrals.note, referrals.evidence) == (
        None,
        "local count",
        "local_data",
    )
    assert case.delivery.ramp is not None and case.delivery.ramp[0].value == 0.4
    assert case.effect.risk_without.evidence == "rct"  # as given
    # nothing else changed, and the base is untouched
    changed = {p for p, v in scenario_values(case).items() if scenario_values(base).get(p) != v}
    assert changed == {
        "costs.coordinator.fte",
        "delivery.referrals_per_year",
        "delivery.ramp[0]",
        "effect.risk_without",
    }
    assert base.costs.coordinator.fte.pert == [0.5, 0.6, 1.0]
    assert case.id == base.id


def test_shared_values_stay_shared(base: sroi.Scenario) -> None:
    assert base.volunteers.value_per_hour.shared
    case = with_values(base, {"volunteers.value_per_hour": 9.5})
    assert case.volunteers.value_per_hour.shared
    assert case.volunteers.value_per_hour.value == 9.5


def test_an_overriding_number_keeps_the_price_year_of_the_value_it_replaces(
    base: sroi.Scenario,
) -> None:
    # Children's social care is costed in 2008-09 prices; the scenario is at 2011-12.
    path = "outcomes.childrens_social_care.proxy"
    assert base.outcomes["childrens_social_care"].proxy.price_year == 2008 != base.price_year
    factor = price_factors(base)[path]
    assert factor != pytest.approx(1.0)
    for raw in (1000.0, {"pert": [800, 1000, 1300]}):
        case = with_values(base, {path: raw})
        assert case.outcomes["childrens_social_care"].proxy.price_year == 2008
        assert price_factors(case)[path] == factor
    # An override that states its own prices keeps them.
    own = with_values(base, {path: {"value": 1000.0, "price_year": base.price_year}})
    assert price_factors(own)[path] == 1.0
    # The engine reads the plain number exactly as the same number at 2008-09 prices.
    as_number = sroi.run(with_values(base, {path: 1000.0}), draws=0)
    as_written = sroi.run(with_values(base, {path: {"value": 1000.0, "price_year": 2008}}), draws=0)
    assert as_number.base_value("value_pv") == as_written.base_value("value_pv")
    assert as_number.base_value("value_pv") != sroi.run(own, draws=0).base_value("value_pv")


def test_metadata_only_merges_into_the_value(base: sroi.Scenario) -> None:
    case = with_values(base, {"costs.coordinator.salary": {"note": "checked locally"}})
    salary = case.costs.coordinator.salary
    assert salary.pert == base.costs.coordinator.salary.pert
    assert salary.note == "checked locally"


def test_metadata_only_price_year_over_money_is_refused_as_in_a_file(
    base: sroi.Scenario,
) -> None:
    """``{price_year: 2015}`` alone relabelled the value at 2015 prices (value
    PV 5.7% lower, the deflator's 2011 to 2015) where a file is refused."""
    proxy = "outcomes.gp_consultations.proxy"
    held = base.outcomes["gp_consultations"].proxy.price_year or base.price_year
    assert problems(base, {proxy: {"price_year": held + 2}}) == [
        f"<overrides>:1:1: {proxy}.price_year: a price_year without its number would relabel "
        f"the inherited pert distribution (at {held} prices) as {held + 2} prices; leave "
        f"price_year out to keep it at {held} prices (a file's own price_year converts the "
        f"money it inherits), or write the number too, e.g. {{value: ..., price_year: {held + 2}}}"
    ]
    # Its own year changes nothing, and a number with its year is a new value.
    assert (
        with_values(base, {proxy: {"price_year": held, "note": "x"}})
        .outcomes["gp_consultations"]
        .proxy.note
        == "x"
    )
    case = with_values(base, {proxy: {"value": 50, "price_year": held + 2}})
    assert case.outcomes["gp_consultations"].proxy.price_year == held + 2


def test_null_for_an_entry_that_is_not_there_is_refused(base: sroi.Scenario) -> None:
    """A misspelt line or outcome removed nothing, and stayed in the results."""
    assert problems(base, {"outcomes.gp_consultationz": None}) == [
        "<overrides>:1:1: outcomes.gp_consultationz: null removes nothing: outcomes has no "
        "'gp_consultationz'; did you mean 'gp_consultations'?"
    ]
    found = problems(base, {"costs.lines.zzz": None})
    assert found[0].startswith("<overrides>:1:1: costs.lines.zzz: null removes nothing: ")
    assert "; it holds central_coordination, central_promotion, " in found[0]


def test_a_scenario_and_a_mapping_are_asked_for_by_name(base: sroi.Scenario) -> None:
    with pytest.raises(TypeError, match=r"scenario: expected a Scenario \(load a file with"):
        with_values(str(OXFORD), {})  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="values: expected a mapping of dotted path -> value"):
        with_values(base, None)  # type: ignore[arg-type]


def test_a_whole_entry_of_a_keyed_section_can_be_added(base: sroi.Scenario) -> None:
    line = {
        "label": "Counsellor-led group",
        "per": "year",
        "amount": {"pert": [1926, 3852, 7222], "source": "gmca_ucd", "evidence": "assumption"},
    }
    case = with_values(base, {"costs.lines.counsellor_group": line})
    added = case.costs.lines["counsellor_group"]
    assert added.per == "year" and added.amount.pert == [1926.0, 3852.0, 7222.0]
    assert added.amount.source == "gmca_ucd"


def test_null_removes_an_optional_value_so_another_can_be_set() -> None:
    wm = sroi.load_scenario(WEST_MANSFIELD)
    field = "relative_risk" if wm.effect.relative_risk is not None else "risk_with"
    other = "risk_with" if field == "relative_risk" else "relative_risk"
    case = with_values(wm, {f"effect.{field}": None, f"effect.{other}": 0.5})
    assert getattr(case.effect, field) is None
    assert getattr(case.effect, other).value == 0.5


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (
            {"costs.coordinator.fte": -1},
            "<overrides>:1:1: costs.coordinator.fte: expected a count, hours or cost >= 0; "
            "found -1",
        ),
        (
            {"costs.coordinatr.fte": 1},
            "<overrides>:1:1: costs.coordinatr: unknown key 'coordinatr'; "
            "did you mean 'coordinator'?",
        ),
        (
            {"delivery.uptake": {"pert": [0.5, 0.7, 1.4]}},
            "<overrides>:1:1: delivery.uptake: expected a probability or fraction within "
            "[0, 1], for every possible draw; found a pert ranging over [0.5, 1.4]",
        ),
        (
            {"delivery.ramp[7]": 1},
            "<overrides>:1:1: delivery.ramp[7]: expected an entry [0] to [2] of delivery.ramp",
        ),
        (
            {"delivery.years": {"uniform": [2, 4]}},
            "<overrides>:1:1: delivery.years: expected a fixed whole number; "
            "found a uniform distribution",
        ),
        (
            {"costs.coordinator.fte": {"value": 1, "source": "nhs_pay"}},
            "<overrides>:1:1: costs.coordinator.fte.source: undefined source 'nhs_pay'; "
            "define it under `sources`",
        ),
        (
            {"costs.lines.no_such_line.amount": 5},
            "<overrides>:1:1: costs.lines.no_such_line: no entry 'no_such_line' in costs.lines",
        ),
        (
            {"name": 3},
            "<overrides>:1:1: name: name is not a numeric value; expected the path of a value "
            "(e.g. costs.coordinator.fte) or of an entry of a keyed section "
            "(e.g. costs.lines.new_line)",
        ),
        (
            {"delivery.uptake": "high"},
            "<overrides>:1:1: delivery.uptake: expected a number or a mapping such as "
            "{pert: [low, mode, high]}; found the text 'high'",
        ),
        (
            {"costs..fte": 1},
            "<overrides>:1:1: costs..fte: expected a dotted path such as costs.coordinator.fte "
            "or delivery.ramp[0] (keys separated by dots, list entries as [n])",
        ),
    ],
)
def test_errors_name_the_path_and_what_was_expected(
    base: sroi.Scenario, values: dict, expected: str
) -> None:
    assert problems(base, values) == [expected]


def test_every_problem_is_reported_at_the_mark_of_its_override(base: sroi.Scenario) -> None:
    marks = {
        "costs.coordinator.fte": Mark("grid.csv", 4, 3),
        "delivery.uptake": Mark("grid.csv", 4, 5),
    }
    found = problems(
        base,
        {"costs.coordinator.fte": -2, "delivery.uptake": 1.5},
        origin=Mark("grid.csv", 4, 1),
        marks=marks,
    )
    assert found == [
        "grid.csv:4:3: costs.coordinator.fte: expected a count, hours or cost >= 0; found -2",
        "grid.csv:4:5: delivery.uptake: expected a probability or fraction within [0, 1]; "
        "found 1.5; if you mean 1.5%, write 0.015",
    ]


def test_a_rule_over_a_section_points_at_the_origin(base: sroi.Scenario) -> None:
    # Oxford states relative_risk (from the shared base); setting risk_with as
    # well breaks the section's "exactly one" rule, which belongs to no one override.
    assert base.effect.relative_risk is not None
    found = problems(base, {"effect.risk_with": 0.2}, origin=Mark("areas.yaml", 9, 5))
    assert found == [
        "areas.yaml:9:5: effect: expected exactly one of risk_with or relative_risk; found both"
    ]


def test_the_note_names_where_an_override_was_written(base: sroi.Scenario) -> None:
    case = with_values(base, {"volunteers.pool": 12}, origin=Mark("areas.csv", 3, 1))
    assert case.volunteers.pool.note == "Set by an override in areas.csv, line 3."
