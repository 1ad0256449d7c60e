"""Hand-worked base cases: the engine against arithmetic done on paper.

Each ``tests/cases/NAME.expected.yaml`` names a scenario file and gives every
base-case metric, the per-delivery-year caseload and the per-year cash flows,
with the working in comments. Expected numbers may be written as arithmetic
(``20785.6/1.035**2``) and may name another scalar metric of the same file
(``value_pv / cost_pv``). When the engine and the working disagree, the working
was checked first; a disagreement that survives is an engine bug.
"""

from __future__ import annotations

import ast
import math
import operator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml

import sroi
from sroi import vocabulary
from sroi.engine.metrics import SCALAR_METRICS, SPLIT_METRICS
from sroi.scenario import load_scenario
from sroi.scenario.money import money_values

CASES = Path(__file__).parent / "cases"
EXPECTED = sorted(CASES.glob("*.expected.yaml"))
REL = 1e-9
ABS_FOR_ZERO = 1e-9

_OPS = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.Pow: operator.pow,
    ast.USub: operator.neg,
    ast.UAdd: operator.pos,
}


def evaluate(text: Any, names: dict[str, Any] | None = None) -> float | None:
    """A number, null, or an arithmetic expression over numbers and ``names``."""
    if text is None:
        return None
    if isinstance(text, (int, float)) and not isinstance(text, bool):
        return float(text)
    names = names or {}

    def walk(node: ast.AST) -> float:
        if isinstance(node, ast.Expression):
            return walk(node.body)
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):
            return float(node.value)
        if isinstance(node, ast.BinOp) and type(node.op) in _OPS:
            return _OPS[type(node.op)](walk(node.left), walk(node.right))
        if isinstance(node, ast.UnaryOp) and type(node.op) in _OPS:
            return _OPS[type(node.op)](walk(node.operand))
        if isinstance(node, ast.Name) and node.id in names:
            value = evaluate(names[node.id], names)
            assert value is not None, f"{node.id} is null and cannot be used in arithmetic"
            return value
        raise ValueError(f"unsupported expression {ast.dump(node)} in {text!r}")

    return walk(ast.parse(str(text), mode="eval"))


def close(actual: float, expected: float | None) -> bool:
    """Relative 1e-9, absolute 1e-9 for an expected zero; None matches NaN."""
    if expected is None:
        return math.isnan(actual)
    return math.isclose(actual, expected, rel_tol=REL, abs_tol=ABS_FOR_ZERO if expected == 0 else 0)


def load_expected(path: Path) -> dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def flat_metrics(expected: dict[str, Any]) -> dict[str, float | None]:
    """Expected metrics evaluated, split metrics flattened as ``"a.b"``."""
    raw = expected["metrics"]
    scalars = {k: v for k, v in raw.items() if not isinstance(v, dict)}
    out: dict[str, float | None] = {}
    for key, value in raw.items():
        if isinstance(value, dict):
            for sub, v in value.items():
                out[f"{key}.{sub}"] = evaluate(v, scalars)
        else:
            out[key] = evaluate(value, scalars)
    return out


def case_id(path: Path) -> str:
    return path.name.removesuffix(".expected.yaml")


@pytest.fixture(scope="module", params=EXPECTED, ids=case_id)
def case(request: pytest.FixtureRequest) -> tuple[dict[str, Any], sroi.Results]:
    expected = load_expected(request.param)
    results = sroi.run(CASES / expected["scenario"], draws=0)
    return expected, results


def test_there_are_cases() -> None:
    assert len(EXPECTED) >= 2


def test_expected_files_list_every_metric() -> None:
    """Each file gives every metric a base case has: the scalar metrics, each
    part of each split metric and every perspective's payback year."""
    every = (
        set(SCALAR_METRICS)
        | {f"{s}.{k}" for s, ks in SPLIT_METRICS.items() for k in ks}
        | set(vocabulary.perspective_paybacks())
    )
    for path in EXPECTED:
        assert set(flat_metrics(load_expected(path))) == every, path.name


def test_every_base_case_metric(case: tuple[dict[str, Any], sroi.Results]) -> None:
    expected, results = case
    sid = expected["id"]
    want = flat_metrics(expected)
    got = results.base[sid]
    assert set(got) == set(want), "the engine's metric set differs from the expected file"
    wrong = {
        name: (results.base_value(name, sid), want[name])
        for name in sorted(want)
        if not close(results.base_value(name, sid), want[name])
    }
    assert not wrong, f"metrics differ from the hand working (engine, hand): {wrong}"


def test_programme_of_one_equals_the_scenario(
    case: tuple[dict[str, Any], sroi.Results],
) -> None:
    expected, results = case
    sid = expected["id"]
    for name, values in results.base[sid].items():
        np.testing.assert_array_equal(results.base["programme"][name], values, err_msg=name)


def test_caseload_by_delivery_year(case: tuple[dict[str, Any], sroi.Results]) -> None:
    expected, results = case
    flows = results.base_flows[expected["id"]]
    for name, values in expected["delivery"].items():
        got = np.asarray(getattr(flows, name))[0]
        want = [evaluate(v) for v in values]
        assert len(got) == len(want), name
        for year, (g, w) in enumerate(zip(got, want, strict=True)):
            assert close(float(g), w), f"{name} in year {year}: engine {g}, hand {w}"


def test_cash_flows_name_only_the_scenarios_they_have(
    case: tuple[dict[str, Any], sroi.Results],
) -> None:
    """An unknown id listed "programme" among the choices, which is refused."""
    expected, results = case
    with pytest.raises(KeyError) as info:
        results.cash_flows("nosuch")
    assert str(info.value) == f"\"no scenario 'nosuch'; expected one of {expected['id']}\""
    with pytest.raises(ValueError, match="cash flows are per scenario"):
        results.cash_flows("programme")


def test_cash_flows_by_year(case: tuple[dict[str, Any], sroi.Results]) -> None:
    expected, results = case
    scalars = {k: v for k, v in expected["metrics"].items() if not isinstance(v, dict)}
    frame = results.cash_flows(expected["id"])
    want = expected["cash_flows"]
    assert set(frame.columns) == set(want), "cash flow columns differ"
    assert len(frame) == len(want["year"]), "years in the cash flow table differ"
    for column, values in want.items():
        for year, (g, w) in enumerate(zip(frame[column], values, strict=True)):
            hand = evaluate(w, scalars)
            assert close(float(g), hand), f"{column} in year {year}: engine {g}, hand {hand}"


def _price_year(expected: dict[str, Any]) -> int:
    return load_scenario(CASES / expected["scenario"]).price_year


@pytest.mark.parametrize("year", sorted({_price_year(load_expected(p)) for p in EXPECTED}))
def test_run_together_programme_adds_up(year: int) -> None:
    """All cases at one price year in one run: each scenario's base case is
    unchanged by the others, and the programme adds the additive metrics."""
    expected = [e for e in map(load_expected, EXPECTED) if _price_year(e) == year]
    results = sroi.run([CASES / e["scenario"] for e in expected], draws=0)
    for e in expected:
        want = flat_metrics(e)
        for name, value in want.items():
            assert close(results.base_value(name, e["id"]), value), (e["id"], name)
    total_value = sum(flat_metrics(e)["value_pv"] or 0.0 for e in expected)
    total_cost = sum(flat_metrics(e)["cost_pv"] or 0.0 for e in expected)
    assert close(results.base_value("value_pv"), total_value)
    assert close(results.base_value("cost_pv"), total_cost)
    assert close(results.base_value("sroi_ratio"), total_value / total_cost)


# --------------------------------------------------------------------------- coverage


def _scenarios() -> list[Any]:
    return [load_scenario(CASES / load_expected(p)["scenario"]) for p in EXPECTED]


def test_cases_are_all_fixed() -> None:
    from sroi.sampling.parameters import parameters

    for s in _scenarios():
        uncertain = [p for p, v in parameters(s).items() if v.uncertain]
        assert not uncertain, f"{s.id}: hand-worked cases must be fixed; found {uncertain}"


def test_cases_cover_every_feature() -> None:
    """Together the hand-worked cases use every feature of the scenario
    language (docs/scenarios.md §1) and the equations (docs/methodology.md §2 to §6)."""
    scenarios = _scenarios()
    c = lambda v: v.central()  # noqa: E731
    outcomes = [o for s in scenarios for o in s.outcomes.values()]
    # Every driver in the vocabulary: a new driver needs a hand-worked case.
    assert {line.per for s in scenarios for line in s.costs.lines.values()} == set(
        vocabulary.COST_DRIVERS
    )
    assert {o.per for o in outcomes} == set(vocabulary.OUTCOME_DRIVERS)
    d = [s.discounting for s in scenarios]
    assert {x.schedule for x in d} == {"green_book", "green_book_health", "constant"}
    assert any(o.discount_schedule == "green_book_health" for o in outcomes)
    assert any(o.spread is not None and o.spread.start > 0 and o.spread.weights for o in outcomes)
    assert any(o.spread is not None and c(o.lag) > 0 for o in outcomes)
    money = [v for s in scenarios for v in money_values(s).values()]
    assert any(v.price_year is not None for v in money), "a value with its own price year"
    assert {s.price_year for s in scenarios} > {2011}, "a scenario at another price year"
    assert {x.convention for x in d} == {"green_book", "end_of_year"}
    assert {x.discount_costs for x in d} == {True, False}
    # Every schedule under both conventions would be nice; each is used at least once.
    assert {s.volunteers.value_time_as_input for s in scenarios} == {True, False}
    assert any(s.delivery.ramp and len({c(r) for r in s.delivery.ramp}) > 1 for s in scenarios)
    assert any(s.delivery.ramp is None for s in scenarios), "the default ramp"
    binding = False
    for s in scenarios:
        v = s.volunteers
        if v.max_users_per_volunteer is None:
            continue
        cap = c(v.pool) * c(v.max_users_per_volunteer)
        demand = [c(s.delivery.referrals_per_year) * r * c(s.delivery.uptake) for r in s.ramp()]
        binding |= any(u > cap for u in demand) and any(u < cap for u in demand)
    assert binding, "a capacity cap that binds in some years and not others"
    assert any(c(s.volunteers.turnover) > 0 and s.years > 1 for s in scenarios)
    assert any(c(s.costs.overhead_rate) > 0 for s in scenarios)
    assert any(c(s.costs.optimism_bias) > 0 for s in scenarios)
    assert any(s.effect.relative_risk is not None for s in scenarios)
    assert any(s.effect.risk_with is not None for s in scenarios)
    assert any(not float(c(o.duration)).is_integer() for o in outcomes), "fractional duration"
    assert any(c(o.lag) > 0 for o in outcomes)
    assert any(c(o.proxy) < 0 for o in outcomes), "a disbenefit"
    assert any(o.cashable for o in outcomes)
    for name in ("deadweight", "attribution", "displacement", "drop_off"):
        assert any(getattr(o, name) is not None for o in outcomes), f"{name} override"
    # Drop-off used both as an outcome's own value and as the scenario default,
    # each on an outcome lasting more than a year.
    assert any(o.drop_off is not None and c(o.duration) > 1 for o in outcomes)
    assert any(
        o.drop_off is None and c(s.adjustments.drop_off) > 0 and c(o.duration) > 1
        for s in scenarios
        for o in s.outcomes.values()
    )
    expected = [flat_metrics(load_expected(p)) for p in EXPECTED]
    paybacks = [e["payback_year"] for e in expected]
    assert any(p is None for p in paybacks) and any(p is not None for p in paybacks)
    # A perspective that pays back, and one whose payback year is not society's.
    others = [
        (e["payback_year"], e[name]) for e in expected for name in vocabulary.perspective_paybacks()
    ]
    assert any(p is not None for _, p in others)
    assert any(society != p for society, p in others)
