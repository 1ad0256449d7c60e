"""Compare sites and replication proposals: league table, chance of being the
best value, rank uncertainty, acceptability curve, and what each payer gets
back.

Every scenario is run in one run, so values marked ``shared: true`` (the
treatment effect, national unit costs) are drawn once per draw for all of
them: common random numbers.  Differences between scenarios then come from
what really differs between them, and draw-by-draw comparisons ("A beats B
in this draw") are meaningful.  See ``docs/compare.md``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from sroi._version import __version__
from sroi.analysis._draws import ScenarioLike, load_scenarios, walk
from sroi.engine.model import Flows
from sroi.engine.runner import DEFAULT_CHUNK, RunPlan
from sroi.vocabulary import PAYERS

if TYPE_CHECKING:
    import pandas as pd

#: Metrics of the league table, in column order.
LEAGUE_METRICS = ("sroi_ratio", "npv", "unit_cost", "cost_per_case_averted")
#: Default thresholds of the acceptability curve [value per unit cost].
DEFAULT_THRESHOLDS = (0.5, 1.0, 2.0, 3.0)


def payer_value_by_year(flows: Flows, by_year: int | None, n: int) -> dict[str, np.ndarray]:
    """Cumulative discounted value to each payer over analysis years
    ``0 .. by_year`` (every year when None), per draw [currency].

    Year numbering is that of ``payback_year``: year 0 is the first delivery
    year, so ``by_year=4`` covers the first five years.
    """
    stop = flows.horizon if by_year is None else min(by_year + 1, flows.horizon)
    out = {}
    for payer in PAYERS:
        discounted = flows.value_by_payer[payer][:, :stop] * flows.discount[:, :stop]
        out[payer] = np.broadcast_to(np.sum(discounted, axis=1), (n,)).copy()
    return out


@dataclass(frozen=True)
class Comparison:
    """Sites and proposals compared draw by draw with common random numbers.

    Money is in the scenarios' currency at their price year; rankings are by
    SROI ratio (value PV per cost PV), highest first.
    """

    #: Package version that produced the results.
    version: str
    #: Run seed.
    seed: int
    #: Monte Carlo draws N.
    draws: int
    #: Scenario id -> display name, in id order.
    names: dict[str, str]
    #: Currency and price year of money values (those of the first scenario).
    currency: str
    price_year: int
    #: Acceptability thresholds [value per unit cost], ascending.
    thresholds: tuple[float, ...]
    #: Last analysis year counted for payer values (None: every year).
    by_year: int | None
    #: Payer -> stated contribution [currency].
    contributions: dict[str, float]
    #: One row per scenario, best mean rank first: ``name``; for each of
    #: sroi_ratio, npv [currency], unit_cost [currency per woman] and
    #: cost_per_case_averted [currency per case]: ``<metric>_mean``,
    #: ``<metric>_p5``, ``<metric>_p95`` (over draws where defined);
    #: ``prob_best``, ``mean_rank``, ``rank_p5``, ``rank_p95``.
    league: pd.DataFrame
    #: P(row's SROI ratio > column's), draw by draw; the diagonal is NaN.
    #: Ties count for neither, so P(A beats B) + P(B beats A) = 1 - P(tie).
    pairwise: pd.DataFrame
    #: P(rank = r), one row per scenario, one column per rank 1..k; a tie
    #: shares its ranks equally, so rows and columns each sum to 1.
    ranks: pd.DataFrame
    #: P(SROI ratio >= threshold): one row per threshold, one column per scenario.
    acceptability: pd.DataFrame
    #: One row per scenario and payer with a contribution: ``scenario``,
    #: ``payer``, ``contribution`` [currency], ``by_year``, ``prob_recovered``
    #: (P(cumulative discounted value to the payer by that year > contribution)),
    #: ``value_mean``, ``value_p5``, ``value_p95`` [currency].
    payers: pd.DataFrame
    #: Per-draw SROI ratio per scenario id (NaN where undefined).
    sroi_ratio: dict[str, np.ndarray]
    #: Per-draw cumulative discounted value to each payer by ``by_year``:
    #: scenario id -> payer -> array [currency].
    payer_values: dict[str, dict[str, np.ndarray]]

    def prob_recovered(self, scenario: str, payer: str, contribution: float) -> float:
        """P(cumulative discounted value to ``payer`` by ``by_year`` exceeds
        ``contribution`` [currency]) for one scenario."""
        values = self.payer_values[scenario][payer]
        return float(np.mean(values > contribution))

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready document: stable keys, scenarios in league order, NaN
        and infinities as None."""
        ids = list(self.league.index)
        scenarios = []
        for position, sid in enumerate(ids, start=1):
            row = self.league.loc[sid]
            entry: dict[str, Any] = {
                "id": sid,
                "name": self.names[sid],
                "position": position,
            }
            for metric in LEAGUE_METRICS:
                entry[metric] = {s: _finite(row[f"{metric}_{s}"]) for s in ("mean", "p5", "p95")}
            entry["prob_best"] = _finite(row["prob_best"])
            entry["rank"] = {
                "mean": _finite(row["mean_rank"]),
                "p5": _finite(row["rank_p5"]),
                "p95": _finite(row["rank_p95"]),
                "probabilities": [_finite(p) for p in self.ranks.loc[sid]],
            }
            entry["beats"] = {
                other: _finite(self.pairwise.loc[sid, other]) for other in ids if other != sid
            }
            entry["prob_sroi_at_least"] = [
                {"threshold": float(t), "probability": _finite(self.acceptability.loc[t, sid])}
                for t in self.thresholds
            ]
            mine = self.payers[self.payers["scenario"] == sid]
            entry["payers"] = {
                r["payer"]: {
                    "contribution": _finite(r["contribution"]),
                    "by_year": self.by_year,
                    "prob_recovered": _finite(r["prob_recovered"]),
                    "value_mean": _finite(r["value_mean"]),
                    "value_p5": _finite(r["value_p5"]),
                    "value_p95": _finite(r["value_p95"]),
                }
                for _, r in mine.iterrows()
            }
            scenarios.append(entry)
        return {
            "sroi_version": self.version,
            "seed": self.seed,
            "draws": self.draws,
            "currency": self.currency,
            "price_year": self.price_year,
            "ranked_by": "sroi_ratio",
            "thresholds": [float(t) for t in self.thresholds],
            "by_year": self.by_year,
            "contributions": {k: float(v) for k, v in self.contributions.items()},
            "scenarios": scenarios,
        }


def _finite(x: Any) -> float | None:
    x = float(x)
    return x if math.isfinite(x) else None


def _interval(values: np.ndarray) -> tuple[float, float, float]:
    """Mean, 5th and 95th percentile over the draws where a metric is defined."""
    finite = values[~np.isnan(values)]
    if not finite.size:
        return math.nan, math.nan, math.nan
    p5, p95 = np.percentile(finite, [5.0, 95.0])
    return float(np.mean(finite)), float(p5), float(p95)


def rank_probabilities(ratios: np.ndarray) -> np.ndarray:
    """P(rank = r) of each of k alternatives from draws of a score, highest first.

    Parameters
    ----------
    ratios : array, shape (k, n)
        The score of each alternative per draw; NaN ranks below everything.

    Returns
    -------
    ndarray, shape (k, k)
        Row i, column r-1: P(alternative i has rank r).  A tie between m
        alternatives gives each 1/m of each rank the tie spans.

    >>> rank_probabilities(np.array([[2.0, 1.0], [1.0, 1.0]]))
    array([[0.75, 0.25],
           [0.25, 0.75]])
    """
    score = np.where(np.isnan(ratios), -np.inf, ratios)
    k, n = score.shape
    above = np.sum(score[None, :, :] > score[:, None, :], axis=1)  # (k, n)
    level = np.sum(score[None, :, :] == score[:, None, :], axis=1)  # tie size, self included
    out = np.zeros((k, k))
    for r in range(k):
        # rank r+1 lies in the span above+1 .. above+level
        inside = (above <= r) & (r < above + level)
        out[:, r] = np.sum(np.where(inside, 1.0 / level, 0.0), axis=1) / n
    return out


def compare(
    paths: ScenarioLike | Sequence[ScenarioLike],
    draws: int = 10_000,
    seed: int = 0,
    *,
    thresholds: Sequence[float] = DEFAULT_THRESHOLDS,
    contributions: Mapping[str, float] | None = None,
    by_year: int | None = None,
    chunk_size: int = DEFAULT_CHUNK,
) -> Comparison:
    """Compare scenarios draw by draw in one run (common random numbers).

    Parameters
    ----------
    paths : path, Scenario, or a sequence of them
        Scenario files, folders or loaded scenarios; ids must be unique.
    draws : int
        Monte Carlo draws N (at least 1).
    seed : int
        Fixes every random number; the draws are those of ``sroi.run``.
    thresholds : sequence of float
        SROI ratios for the acceptability curve [value per unit cost].
    contributions : mapping, optional
        Payer (``nhs``, ``local_authority``, ``central_government``, ...) ->
        the contribution it is asked for [currency, price year, undiscounted].
    by_year : int, optional
        Count the payer's value over analysis years ``0 .. by_year`` (year 0
        is the first delivery year, as for ``payback_year``); None: every year.
    chunk_size : int
        Draws per unit of work; changes memory, not results.

    Examples
    --------
    >>> c = compare("scenarios/family_action_pss", draws=200, seed=1)
    >>> round(float(c.league["prob_best"].sum()), 6)
    1.0
    """
    import pandas as pd

    if draws < 1:
        raise ValueError(f"a comparison needs at least 1 draw; found {draws}")
    contributions = dict(contributions or {})
    for payer, amount in contributions.items():
        if payer not in PAYERS:
            raise ValueError(f"unknown payer {payer!r}; expected one of {', '.join(PAYERS)}")
        if not math.isfinite(amount) or amount < 0:
            raise ValueError(f"contribution of {payer} must be a number >= 0; found {amount}")
    if by_year is not None and by_year < 0:
        raise ValueError(f"by_year must be >= 0; found {by_year}")
    levels = tuple(sorted({float(t) for t in thresholds}))
    if not all(math.isfinite(t) for t in levels):
        raise ValueError("thresholds must be finite numbers")

    plan = RunPlan.build(load_scenarios(paths), seed)
    ids = plan.ids
    parts: dict[str, dict[str, list[np.ndarray]]] = {
        sid: {m: [] for m in LEAGUE_METRICS} for sid in ids
    }
    payer_parts: dict[str, dict[str, list[np.ndarray]]] = {
        sid: {p: [] for p in PAYERS} for sid in ids
    }
    for chunk in walk(plan, draws, chunk_size):
        n = chunk.stop - chunk.start
        for sid, flows in zip(ids, chunk.flows, strict=True):
            for m in LEAGUE_METRICS:
                parts[sid][m].append(chunk.metrics[sid][m])
            for payer, values in payer_value_by_year(flows, by_year, n).items():
                payer_parts[sid][payer].append(values)
    metrics = {sid: {m: np.concatenate(v) for m, v in d.items()} for sid, d in parts.items()}
    payer_values = {
        sid: {p: np.concatenate(v) for p, v in d.items()} for sid, d in payer_parts.items()
    }

    ratios = np.vstack([metrics[sid]["sroi_ratio"] for sid in ids])
    probs = rank_probabilities(ratios)
    positions = np.arange(1, len(ids) + 1)
    # Average rank per draw (ties share), for the mean and the interval.
    score = np.where(np.isnan(ratios), -np.inf, ratios)
    above = np.sum(score[None, :, :] > score[:, None, :], axis=1)
    level = np.sum(score[None, :, :] == score[:, None, :], axis=1)
    rank = above + (level + 1) / 2.0

    rows = []
    for i, sid in enumerate(ids):
        row: dict[str, Any] = {"scenario": sid, "name": plan.scenarios[i].name}
        for m in LEAGUE_METRICS:
            row[f"{m}_mean"], row[f"{m}_p5"], row[f"{m}_p95"] = _interval(metrics[sid][m])
        row["prob_best"] = float(probs[i, 0])
        row["mean_rank"] = float(probs[i] @ positions)
        row["rank_p5"], row["rank_p95"] = (float(v) for v in np.percentile(rank[i], [5, 95]))
        rows.append(row)
    league = (
        pd.DataFrame(rows)
        .set_index("scenario")
        .sort_values(["mean_rank", "prob_best"], ascending=[True, False], kind="stable")
    )
    pairwise = pd.DataFrame(
        [
            [math.nan if a == b else float(np.mean(score[a] > score[b])) for b in range(len(ids))]
            for a in range(len(ids))
        ],
        index=ids,
        columns=ids,
    ).loc[league.index, league.index]
    ranks = pd.DataFrame(probs, index=ids, columns=positions).loc[league.index]
    acceptability = pd.DataFrame(
        {sid: [float(np.mean(score[i] >= t)) for t in levels] for i, sid in enumerate(ids)},
        index=pd.Index(levels, name="threshold"),
    )[list(league.index)]
    payer_rows = []
    for sid in league.index:
        for payer, amount in contributions.items():
            values = payer_values[sid][payer]
            p5, p95 = np.percentile(values, [5, 95])
            payer_rows.append(
                {
                    "scenario": sid,
                    "payer": payer,
                    "contribution": float(amount),
                    "by_year": by_year,
                    "prob_recovered": float(np.mean(values > amount)),
                    "value_mean": float(np.mean(values)),
                    "value_p5": float(p5),
                    "value_p95": float(p95),
                }
            )
    payers = pd.DataFrame(
        payer_rows,
        columns=[
            "scenario",
            "payer",
            "contribution",
            "by_year",
            "prob_recovered",
            "value_mean",
            "value_p5",
            "value_p95",
        ],
    )
    return Comparison(
        __version__,
        int(seed),
        int(draws),
        {s.id: s.name for s in plan.scenarios},
        plan.scenarios[0].currency,
        plan.scenarios[0].price_year,
        levels,
        by_year,
        contributions,
        league,
        pairwise,
        ranks,
        acceptability,
        payers,
        {sid: metrics[sid]["sroi_ratio"] for sid in ids},
        payer_values,
    )


__all__ = [
    "DEFAULT_THRESHOLDS",
    "LEAGUE_METRICS",
    "Comparison",
    "compare",
    "payer_value_by_year",
    "rank_probabilities",
]
