"""The vocabulary is complete, the engine has a formula for every driver, and
nothing else in the package keeps its own copy of a list the vocabulary owns."""

from __future__ import annotations

import ast
import typing
from collections.abc import Iterator, Mapping
from pathlib import Path

import numpy as np
import pytest

import sroi
from sroi import vocabulary as v
from sroi.engine import drivers
from sroi.engine.metrics import flow_metrics, programme_metrics
from sroi.engine.model import compute
from sroi.reports import style
from sroi.reports.headline import lines
from sroi.reports.sensitivity import metric_label, metric_value
from sroi.sampling.sampler import ScenarioSampler
from sroi.scenario.loader import load_scenario
from sroi.scenario.model import CostDriver, OutcomeDriver, Payer, ValueType
from sroi.scenario.schema import scenario_schema
from sroi.scenario.values import Evidence

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "sroi"
HAND_A = ROOT / "tests" / "cases" / "hand_a.yaml"


def _texts(entry: object, *fields: str) -> None:
    for name in fields:
        text = getattr(entry, name)
        assert isinstance(text, str) and text.strip(), f"{entry!r} has no {name}"


# --------------------------------------------------------------------------- complete


def test_every_payer_value_type_and_grade_has_a_label_and_a_meaning() -> None:
    for payer in v.PAYERS.values():
        _texts(payer, "label", "phrase", "meaning")
    for kind in v.VALUE_TYPES.values():
        _texts(kind, "label", "meaning")
    for grade in v.REPORTED_GRADES.values():
        _texts(grade, "label", "phrase", "meaning")
    assert v.NOT_GRADED.id not in v.EVIDENCE_GRADES, "not_graded is never written in a file"


def test_every_driver_has_a_label_a_unit_and_a_formula() -> None:
    for driver in (*v.COST_DRIVERS.values(), *v.OUTCOME_DRIVERS.values()):
        _texts(driver, "label", "unit", "units", "meaning", "formula")
        assert driver.formula in drivers.FORMULAS, (
            f"driver {driver.id!r} names the formula {driver.formula!r}; "
            "define it in sroi/engine/drivers.py and add it to FORMULAS"
        )


def test_every_formula_serves_a_driver() -> None:
    named = {d.formula for d in (*v.COST_DRIVERS.values(), *v.OUTCOME_DRIVERS.values())}
    unused = set(drivers.FORMULAS) - named
    assert not unused, f"formulas no driver names: {sorted(unused)}"
    for name, formula in drivers.FORMULAS.items():
        assert formula.__name__ == name
        assert formula.__doc__ and "[" in formula.__doc__, f"{name}: docstring with its unit"


def test_every_metric_has_a_label_a_unit_a_meaning_and_a_format() -> None:
    formats = typing.get_args(v.Format)
    for metric in (*v.METRICS.values(), *v.SPLITS.values()):
        _texts(metric, "label", "unit", "meaning")
        assert metric.format in formats, f"{metric.id}: format {metric.format!r}"
        assert set(metric.unit.replace("{c}", "GBP")) - set("{}") == set(
            metric.unit.replace("{c}", "GBP")
        ), f"{metric.id}: only {{c}} may be a placeholder in a unit"
    for metric in v.METRICS.values():
        assert metric.heading("GBP").endswith("]")
        assert metric.heading("£", spelt_out=True).endswith("]")
        if metric.undefined_when is not None:
            assert not metric.additive, f"{metric.id}: a sum is always defined"
    for split in v.SPLITS.values():
        assert "{key}" in split.label and split.keys


def test_every_perspective_defines_its_value_and_its_cost() -> None:
    for p in v.PERSPECTIVES.values():
        _texts(p, "label", "meaning", "definition")
        assert p.payers and set(p.payers) <= set(v.PAYERS), p.id
        assert p.cost in ("cost_pv", "cash_cost_pv")
    society = v.PERSPECTIVES["society"]
    assert society.payers == tuple(v.PAYERS) and society.cost == "cost_pv"
    assert v.PERSPECTIVES["public_sector"].payers == (
        "nhs",
        "local_authority",
        "central_government",
    )
    assert v.PERSPECTIVES["cashable"].cashable_only
    for payer in v.PUBLIC_PAYERS:
        assert v.PERSPECTIVES[payer].payers == (payer,)


def test_every_perspective_names_its_value_return_net_and_payback() -> None:
    metrics = set(v.metric_names())
    names = [
        n for p in v.PERSPECTIVES.values() for n in (p.ratio_metric, p.net_metric, p.payback_metric)
    ]
    assert len(names) == len(set(names)), "two perspectives share a name"
    for p in v.PERSPECTIVES.values():
        assert p.value_metric in metrics, p.id
        assert p.ratio_label.endswith("return")
    # Where a metric already holds a perspective's return, the perspective uses it.
    assert [v.PERSPECTIVES[p].ratio_metric for p in v.SIDE_BY_SIDE] == [
        "sroi_ratio",
        "public_roi",
        "cashable_roi",
    ]
    assert set(v.perspective_metric_names()).isdisjoint(metrics)
    assert set(v.perspective_paybacks()) <= set(v.perspective_metric_names())


# --------------------------------------------------------------------------- engine


def test_driver_formulas_on_a_toy_caseload() -> None:
    """Two delivery years, one draw; each quantity written out by hand."""
    row = lambda *xs: np.array([xs], dtype=float)  # noqa: E731
    c = drivers.Caseload(
        referrals=row(10, 20),
        users=row(8, 16),
        engaged=row(6, 12),
        cases_averted=row(1.5, 3),
        pool=row(4),
        recruited=row(4, 1),  # the pool in year 0, pool x turnover 0.25 after
        contact_hours=row(80, 160),
        volunteer_hours=row(100, 170),
        demand=row(8, 16),
        capacity=None,
    )
    expected = {
        "year": [1, 1],
        "once": [1, 0],
        "referral": [10, 20],
        "user": [8, 16],
        "volunteer": [4, 4],
        "volunteer_recruited": [4, 1],
    }
    for per, want in expected.items():
        assert drivers.cost_driver(per, c).tolist() == [want], per
    expected = {
        "case_averted": [1.5, 3],
        "engaged_user": [6, 12],
        "user": [8, 16],
        "referral": [10, 20],
        "volunteer": [4, 4],
    }
    assert set(expected) == set(v.OUTCOME_DRIVERS)
    for per, want in expected.items():
        assert drivers.outcome_driver(per, c).tolist() == [want], per


def test_engine_computes_exactly_the_vocabulary_metrics() -> None:
    scenario = load_scenario(HAND_A)
    x = ScenarioSampler.build(scenario, 1).central()
    flows = compute(scenario, x)
    one = flow_metrics(flows)
    every = {*v.metric_names(), *v.perspective_paybacks()}
    assert set(one) == every, "add the metric's computation to flow_metrics"
    both = programme_metrics([flows, flows], [one, one])
    for key in v.additive_metrics():
        assert both[key] == pytest.approx(2 * one[key]), f"{key} is declared additive"


# --------------------------------------------------------------------------- no drift


def test_scenario_literals_and_schema_follow_the_vocabulary() -> None:
    pairs: list[tuple[object, Mapping[str, object]]] = [
        (Payer, v.PAYERS),
        (ValueType, v.VALUE_TYPES),
        (CostDriver, v.COST_DRIVERS),
        (OutcomeDriver, v.OUTCOME_DRIVERS),
        (Evidence, v.EVIDENCE_GRADES),
    ]
    for literal, table in pairs:
        assert typing.get_args(literal) == tuple(table)
    enums = [tuple(node["enum"]) for node in _schema_nodes(scenario_schema()) if "enum" in node]
    for table in (v.PAYERS, v.VALUE_TYPES, v.COST_DRIVERS, v.OUTCOME_DRIVERS, v.EVIDENCE_GRADES):
        assert tuple(table) in enums


def _schema_nodes(node: object) -> Iterator[dict[str, object]]:
    if isinstance(node, dict):
        yield node
        for child in node.values():
            yield from _schema_nodes(child)
    elif isinstance(node, list):
        for child in node:
            yield from _schema_nodes(child)


def test_report_views_cover_the_vocabulary() -> None:
    assert set(style.PAYER_COLOURS) == set(v.PAYERS), "one colour per payer"
    assert set(style.EVIDENCE_COLOURS) == set(v.REPORTED_GRADES), "one colour per grade"
    assert set(style.EVIDENCE_HATCHES) == set(v.JUDGEMENT_GRADES), "hatch judgement grades"
    for metric in v.metric_names():
        label, unit = metric_label(metric, "GBP")
        assert label and unit and "{" not in label + unit, metric
        assert metric_value(metric, 1234.5678)
    shown = {line.metric for line in lines("GBP")}
    # Probabilities are counted over the draws, not metrics: P(SROI > 1) and
    # each side-by-side perspective's P(return > 1).
    probabilities = {"prob_sroi_above_1"} | {f"prob_ratio_above_1.{p}" for p in v.SIDE_BY_SIDE}
    assert shown - probabilities <= set(v.metric_names())


def test_a_perspective_is_named_in_a_sentence_as_written() -> None:
    """An initialism keeps its capitals in running text: "NHS perspective",
    never "nhs perspective", in the report's and workbook's NPV row, the
    league table of ``sroi compare`` and the sensitivity labels."""
    assert [p.phrase for p in v.PERSPECTIVES.values()] == [
        "society",
        "public sector",
        "NHS",
        "local authority",
        "central government",
        "cashable",
    ]
    assert lines("GBP", "nhs")[-1].label == "Net present value, NHS perspective [£]"
    assert lines("GBP", "public_sector")[-1].label == (
        "Net present value, public sector perspective [£]"
    )
    assert metric_label("nhs_npv", "GBP")[0] == "net present value, NHS perspective"
    assert metric_label("nhs_payback_year", "GBP")[0] == "payback year, NHS perspective"
    from sroi.analysis.compare import compare
    from sroi.reports.compare import compare_table

    family = ROOT / "scenarios" / "family_action_pss"
    text = compare_table(compare([str(family)], draws=50, seed=1, perspective="nhs"))
    assert "League table: NHS perspective (value PV to NHS / cash cost PV)" in text


def test_payers_are_named_in_a_row_as_sroi_run_names_them() -> None:
    """The report's and workbook's value-by-payer rows read as ``sroi run``'s
    table does: "to local authority", not "to Local authority"."""
    from sroi.reports.xlsx.site_results import metric_heading

    by_payer = [x.label for x in lines("GBP") if x.metric.startswith("value_pv_by_payer.")]
    assert by_payer == [
        "to NHS",
        "to local authority",
        "to central government",
        "to individuals",
        "to wider society",
    ]
    heading = metric_heading("value_pv_by_payer.local_authority", "GBP")
    assert heading == "Value to local authority, present value [£]"


def test_compare_accepts_exactly_the_vocabulary_payers() -> None:
    import argparse

    from sroi.cli.compare_cmd import _contribution

    for payer in v.PAYERS:
        assert _contribution(f"{payer}=1") == {payer: 1.0}
    with pytest.raises(argparse.ArgumentTypeError, match=", ".join(v.PAYERS)):
        _contribution("treasury=1")


#: Tables whose ids are a closed set: two of them together in a literal
#: collection anywhere but the vocabulary are a copy of (part of) a list.
_CLOSED: dict[str, Mapping[str, object]] = {
    "payers": v.PAYERS,
    "value types": v.VALUE_TYPES,
    "evidence grades": v.REPORTED_GRADES,
    "cost drivers": v.COST_DRIVERS,
    "outcome drivers": v.OUTCOME_DRIVERS,
    "perspectives": v.PERSPECTIVES,
}


def _strings(nodes: list[ast.expr | None]) -> list[str]:
    return [n.value for n in nodes if isinstance(n, ast.Constant) and isinstance(n.value, str)]


def _is_text(node: ast.expr) -> bool:
    """A string literal, an f-string, or a tuple of them (a label, or label and unit)."""
    if isinstance(node, ast.Tuple):
        return all(_is_text(e) for e in node.elts)
    return isinstance(node, ast.JoinedStr) or (
        isinstance(node, ast.Constant) and isinstance(node.value, str)
    )


#: Mappings keyed by vocabulary ids that may stay where they are, because
#: :func:`test_report_views_cover_the_vocabulary` checks their keys: colours
#: and hatching are the style's choice, not the vocabulary's.
_GUARDED = {
    ("sroi/reports/style.py", "PAYER_COLOURS"),
    ("sroi/reports/style.py", "EVIDENCE_COLOURS"),
    ("sroi/reports/style.py", "EVIDENCE_HATCHES"),
}


def _guarded_lines(tree: ast.Module, path: str) -> set[int]:
    """Lines of the literal mappings assigned to a :data:`_GUARDED` name."""
    out = set()
    for node in tree.body:
        if isinstance(node, ast.AnnAssign | ast.Assign) and isinstance(node.value, ast.Dict):
            targets = [node.target] if isinstance(node, ast.AnnAssign) else node.targets
            names = {t.id for t in targets if isinstance(t, ast.Name)}
            if any((path, name) in _GUARDED for name in names):
                out.add(node.value.lineno)
    return out


def _copies(tree: ast.AST) -> Iterator[tuple[int, str]]:
    """``(line, what)`` for each literal collection that repeats vocabulary ids."""
    metrics = set(v.metric_names())
    for node in ast.walk(tree):
        if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
            found = _strings(list(node.elts))
        elif isinstance(node, ast.Dict):
            found = _strings(node.keys)
            labels = [
                k.value
                for k, value in zip(node.keys, node.values, strict=True)
                if isinstance(k, ast.Constant) and k.value in metrics and _is_text(value)
            ]
            if len(labels) >= 2:
                yield node.lineno, f"labels of metrics {labels}"
        else:
            continue
        for what, table in _CLOSED.items():
            ids = [s for s in found if s in table]
            if len(set(ids)) >= 2:
                yield node.lineno, f"{what} {ids}"
        if not isinstance(node, ast.Dict) and len(set(found) & metrics) > len(v.METRICS) // 2:
            yield node.lineno, "a list of metrics"


def test_no_module_keeps_its_own_copy_of_a_vocabulary_list() -> None:
    """Outside the vocabulary, no literal tuple, list, set or mapping names two
    payers, value types, grades, drivers or perspectives, labels two metrics,
    or lists most of them."""
    problems = []
    paths = [p for folder in (PACKAGE, ROOT / "tools") for p in sorted(folder.rglob("*.py"))]
    for path in paths:
        if path.name == "vocabulary.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        where = path.relative_to(ROOT).as_posix()
        allowed = _guarded_lines(tree, where)
        problems += [f"{where}:{n}: {what}" for n, what in _copies(tree) if n not in allowed]
    assert not problems, "read these from sroi.vocabulary:\n" + "\n".join(problems)


def test_the_copy_check_can_fail() -> None:
    tree = ast.parse(
        'PAYERS = ("nhs", "society")\n'
        'LABELS = {"npv": "NPV", "cost_pv": "cost PV"}\n'
        "FINE = ('nhs', 'sroi_ratio')\n"
    )
    assert {line for line, _ in _copies(tree)} == {1, 2}


def test_ratio_metrics_divide_the_metrics_they_name() -> None:
    """Each ``ratio_of`` (which the workbook's formulas follow) is what the engine computes."""
    results = sroi.run(str(ROOT / "scenarios" / "family_action_pss"), draws=0)
    ratios = [m for m in v.METRICS.values() if m.ratio_of is not None]
    assert {m.id for m in ratios} >= {"sroi_ratio", "public_roi", "cashable_roi"}
    for m in ratios:
        assert m.ratio_of is not None and m.format in ("ratio", "money")
        top, bottom = m.ratio_of
        for name in results.names:
            expected = results.base_value(top, name) / results.base_value(bottom, name)
            assert results.base_value(m.id, name) == pytest.approx(expected, rel=1e-12), m.id


def test_a_perspective_return_metric_is_labelled_as_the_perspective_names_it() -> None:
    """The public-sector and cashable returns read as their perspectives name
    them ("public-sector return", not "public ROI") wherever a metric's label
    is shown (sensitivity tables, break-even, errors); the SROI ratio keeps
    the SROI Guide's name."""
    from sroi.vocabulary import METRICS, PERSPECTIVES

    for p in PERSPECTIVES.values():
        if p.id != "society" and p.ratio_metric in METRICS:
            assert METRICS[p.ratio_metric].label == p.ratio_phrase, p.id
    assert not [m.id for m in METRICS.values() if " ROI" in m.label]
