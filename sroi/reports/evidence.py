"""The evidence profile: how much of the value rests on each grade of evidence.

Each outcome's base-case present value is attributed, whole, to the evidence
grade of its **financial proxy** (``evidence:`` on ``outcomes.<id>.proxy``;
"not graded" when the file gives none).  Divided by the cost PV, the grades
split the SROI ratio itself: a reader sees how many pounds of value per pound
of cost rest on trials, on published unit costs, or on assumptions.

The proxy is one input of several.  The profile also records, per grade, how
much of that value comes from outcomes whose *probability* (the share of the
driver that experiences the outcome) is itself graded an assumption or
expert judgement, so a well-sourced proxy on an assumed quantity is not mistaken for
solid ground.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sroi.engine.outcomes import OutcomeValues
from sroi.reports.style import EVIDENCE_ORDER
from sroi.results.results import OutcomeInfo, Results
from sroi.scenario.model import Scenario
from sroi.vocabulary import JUDGEMENT_GRADES, NOT_GRADED, PROGRAMME


@dataclass(frozen=True)
class EvidenceProfile:
    """Base-case value PV split by the evidence grade of each outcome's proxy.

    Mappings are keyed by scenario id and ``"programme"``, then by grade
    (every grade that occurs anywhere, in :data:`EVIDENCE_ORDER`).
    """

    #: Grades that occur, strongest first.
    grades: tuple[str, ...]
    #: Value PV by proxy grade [currency].
    pv: dict[str, dict[str, float]]
    #: Of that, value whose outcome probability is a judgement [currency].
    pv_judged_probability: dict[str, dict[str, float]]
    #: Cost PV, base case [currency].
    cost_pv: dict[str, float]
    #: Outcome ids per grade (across scenarios).
    outcomes: dict[str, tuple[str, ...]]

    def ratio(self, name: str, grade: str) -> float:
        """Pounds of value per pound of cost that rest on ``grade`` [ratio]."""
        cost = self.cost_pv[name]
        return self.pv[name][grade] / cost if cost > 0 else float("nan")

    def share(self, name: str, grades: Sequence[str]) -> float:
        """Share of the value PV that rests on any of ``grades`` [fraction]."""
        total = sum(self.pv[name].values())
        part = sum(self.pv[name].get(g, 0.0) for g in grades)
        return part / total if total else float("nan")


def grade(evidence: str | None) -> str:
    """A value's evidence grade, ``not_graded`` when it has none."""
    return evidence or NOT_GRADED.id


def profile(
    scenarios: Sequence[Scenario], results: Results, values: dict[str, OutcomeValues]
) -> EvidenceProfile:
    """The evidence profile of a run's base case, from its scenarios and each
    outcome's values (:func:`~sroi.engine.outcomes.outcome_values`)."""
    info = {
        s.id: tuple(
            OutcomeInfo(
                oid, o.label, o.proxy.evidence, o.probability.evidence, values[s.id].base_pv[oid]
            )
            for oid, o in s.outcomes.items()
        )
        for s in scenarios
    }
    return _profile(info, results)


def results_profile(results: Results) -> EvidenceProfile:
    """The evidence profile of a run's base case from its :class:`Results`
    alone (the outcomes :func:`sroi.run` records in ``outcome_info``).

    >>> import sroi
    >>> ev = results_profile(sroi.run("scenarios/family_action_pss/oxford.yaml", draws=0))
    >>> ev.grades
    ('observational', 'published_unit_cost')
    """
    missing = [s.id for s in results.scenarios if s.id not in results.outcome_info]
    if missing:
        raise ValueError(
            f"these results do not record their outcomes ({', '.join(missing)}); "
            "make them with sroi.run"
        )
    return _profile(results.outcome_info, results)


def _profile(info: dict[str, tuple[OutcomeInfo, ...]], results: Results) -> EvidenceProfile:
    names = [*info, PROGRAMME]
    pv = {n: {g: 0.0 for g in EVIDENCE_ORDER} for n in names}
    judged = {n: {g: 0.0 for g in EVIDENCE_ORDER} for n in names}
    outcomes: dict[str, list[str]] = {g: [] for g in EVIDENCE_ORDER}
    for sid, entries in info.items():
        for o in entries:
            g = grade(o.proxy_evidence)
            assumed_q = o.probability_evidence in JUDGEMENT_GRADES
            for name in (sid, PROGRAMME):
                pv[name][g] += o.base_pv
                if assumed_q:
                    judged[name][g] += o.base_pv
            if o.id not in outcomes[g]:
                outcomes[g].append(o.id)
    used = tuple(g for g in EVIDENCE_ORDER if outcomes[g])
    return EvidenceProfile(
        grades=used,
        pv={n: {g: pv[n][g] for g in used} for n in names},
        pv_judged_probability={n: {g: judged[n][g] for g in used} for n in names},
        cost_pv={n: results.base_value("cost_pv", n) for n in names},
        outcomes={g: tuple(outcomes[g]) for g in used},
    )
