"""A proposal next to the pilot sites: its unit cost and SROI ratio, and
the answers to check before trusting them."""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

    from sroi.replication.answers import Answers
    from sroi.replication.cautions import Caution
    from sroi.replication.template import Template
    from sroi.scenario import Scenario


def compare_with_pilots(
    proposal: str | os.PathLike[str] | Scenario,
    pilots: Sequence[str | os.PathLike[str] | Scenario],
    draws: int = 10_000,
    seed: int = 0,
) -> pd.DataFrame:
    """Unit cost and SROI ratio of a proposal next to the pilot sites, from one
    run with common random numbers.

    Returns
    -------
    DataFrame
        One row per scenario id, the proposal first: ``name``, ``proposal``
        (bool), ``unit_cost_expected`` (mean cost / mean women, the number
        ``sroi run`` leads with), ``unit_cost_mean``, ``unit_cost_p5``,
        ``unit_cost_p95`` [currency per woman], ``sroi_ratio_mean``, ``sroi_ratio_p5``,
        ``sroi_ratio_p95``, ``prob_sroi_at_least_1``, ``prob_best`` and
        ``sroi_ratio_expected`` (mean value / mean cost across draws: the
        number ``sroi run``, ``sroi compare`` and the report lead with).
    """
    from sroi.analysis.collect import load_scenarios
    from sroi.analysis.compare import compare

    mine = load_scenarios(proposal)[0]
    result = compare([mine, *pilots], draws=draws, seed=seed, thresholds=(1.0,))
    league = result.league
    cols = [
        f"{m}_{s}" for m in ("unit_cost", "sroi_ratio") for s in ("expected", "mean", "p5", "p95")
    ]
    table = league[["name", *cols, "prob_best"]].copy()
    table.insert(1, "proposal", [sid == mine.id for sid in table.index])
    table.insert(
        len(table.columns) - 1,
        "prob_sroi_at_least_1",
        [float(result.acceptability.loc[1.0, sid]) for sid in table.index],
    )
    table["sroi_ratio_expected"] = league["ratio_expected"]
    order = [mine.id, *(sid for sid in table.index if sid != mine.id)]
    return table.loc[order]


def proposal_cautions(answers: Answers, template: Template, proposal: Scenario) -> list[Caution]:
    """The answers to check of a proposal built from ``answers``: those
    valid but far from what the pilots saw (:func:`sroi.replication.cautions.cautions`),
    then where its volunteer pool caps the caseload
    (:func:`sroi.results.capacity.capacity_cap`; a plan of 20 befrienders for
    155 women turns 24 away), keyed to the answer that set the pool
    (``volunteers_planned`` when none did: the answer that would)."""
    from sroi.replication.cautions import Caution, cautions
    from sroi.replication.rules import caseload
    from sroi.results.capacity import capacity_cap

    found = cautions(answers, template, caseload(answers, template))
    cap = capacity_cap(proposal)
    if cap is not None:
        trained = answers.volunteers_trained is not None
        found.append(
            Caution("volunteers_trained" if trained else "volunteers_planned", cap.sentence())
        )
    return found


__all__ = ["compare_with_pilots", "proposal_cautions"]
