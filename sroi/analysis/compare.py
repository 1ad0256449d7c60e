"""Compare sites and replication proposals: league table, chance of being the
best value, rank uncertainty, acceptability curve, and what each payer gets
back.

Every scenario is run in one run, so values marked ``shared: true`` (the
treatment effect, national unit costs) are drawn once per draw for all of
them: common random numbers.  Differences between scenarios then come from
what really differs between them, and draw-by-draw comparisons ("A beats B
in this draw") are meaningful.  See ``docs/compare.md``.

The work is split as in SALib: :func:`~sroi.analysis.collect.collect`
gathers the draws once, and estimators on arrays (:func:`rank_spans`,
:func:`rank_probabilities`, :func:`mean_ranks`, :func:`pairwise`,
:func:`acceptability`, :func:`interval`, :func:`recovery`) turn them into
the tables, each with its own tests on toy arrays.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

import numpy as np

from sroi.analysis.collect import Draws, ScenarioLike, collect
from sroi.arguments import finite, whole
from sroi.engine.model import Flows, horizon
from sroi.engine.runner import DEFAULT_CHUNK
from sroi.results.cautions import scenario_cautions
from sroi.results.perspective import PerspectiveDraws, check_perspective, perspective_draws
from sroi.results.run_info import DEFAULT_SAMPLER, RunFields, RunInfo
from sroi.vocabulary import METRICS, PAYERS, PERSPECTIVES, expected_value

if TYPE_CHECKING:
    import pandas as pd

    from sroi.scenario import Scenario

#: Metrics of the league table, in column order.
LEAGUE_METRICS = ("sroi_ratio", "npv", "unit_cost", "cost_per_case_averted")
#: What the league's expected values of ratios divide (docs/methodology.md
#: section 8): each ratio's numerator and denominator.
_RATIO_PARTS = tuple(dict.fromkeys(p for m in LEAGUE_METRICS for p in METRICS[m].ratio_of or ()))
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
        discounted = flows.discounted_by_payer[payer][:, :stop]
        out[payer] = np.broadcast_to(np.sum(discounted, axis=1), (n,)).copy()
    return out


def check_by_year(by_year: int | None, horizon: int, name: str = "by_year") -> None:
    """Refuse a ``by_year`` past the last analysis year of the scenarios,
    ``horizon - 1`` (the longest horizon of those compared) [years].

    >>> check_by_year(24, 25)
    >>> check_by_year(1000, 25)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: by_year 1000 is past the scenarios' horizon: ... to 24; give 24 or less, ...
    """
    if by_year is not None and by_year > horizon - 1:
        raise ValueError(
            f"{name} {by_year} is past the scenarios' horizon: their analysis years run from "
            f"0 (the first delivery year) to {horizon - 1}; give {horizon - 1} or less, or "
            "leave it out to count every year"
        )


@dataclass(frozen=True, repr=False)
class Comparison(RunFields):
    """Sites and proposals compared draw by draw with common random numbers.

    Money is in the scenarios' currency at their price year; rankings are by
    the return of the run's perspective (``run.perspective``: the SROI ratio,
    value PV per cost PV, for society), highest first.
    """

    #: What identifies the run: version, seed, draws N, scenario files.
    run: RunInfo
    #: Scenario id -> display name, in id order.
    names: dict[str, str]
    #: Acceptability thresholds [value per unit cost], ascending.
    thresholds: tuple[float, ...]
    #: Last analysis year counted for payer values (None: every year).
    by_year: int | None
    #: Payer -> stated contribution [currency].
    contributions: dict[str, float]
    #: One row per scenario, best mean rank first: ``name``; for each of
    #: sroi_ratio, npv [currency], unit_cost [currency per woman] and
    #: cost_per_case_averted [currency per case]: ``<metric>_expected`` (for
    #: a ratio, mean numerator / mean denominator, as ``sroi run`` leads
    #: with; else the mean), ``<metric>_mean``, ``<metric>_p5``,
    #: ``<metric>_p95`` (over draws where defined);
    #: ``prob_best``, ``mean_rank``, ``rank_p5``, ``rank_p95``; and the
    #: perspective's return (``ratio_expected``, the ratio of the mean value
    #: to the mean cost, ``ratio_median``, ``ratio_p5``, ``ratio_p95``) and
    #: net present value (``net_mean``, ``net_median``, ``net_p5``,
    #: ``net_p95``) [currency].  Ranks and ``prob_best`` are by its return.
    league: pd.DataFrame
    #: P(row's return > column's), draw by draw; the diagonal is NaN.
    #: Ties count for neither, so P(A beats B) + P(B beats A) = 1 - P(tie).
    pairwise: pd.DataFrame
    #: P(rank = r), one row per scenario, one column per rank 1..k; a tie
    #: shares its ranks equally, so rows and columns each sum to 1.
    ranks: pd.DataFrame
    #: P(return >= threshold): one row per threshold, one column per scenario.
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
    #: Per-draw return of the perspective per scenario id, what the ranks are
    #: of (:func:`ranked_return`): +inf for a draw with value at no cost, NaN
    #: where undefined.
    ratios: dict[str, np.ndarray] = field(default_factory=dict)
    #: Scenario id -> what to check before trusting its results, as
    #: sentences (:func:`sroi.results.cautions.scenario_cautions`); empty
    #: for a scenario like the pilots.
    cautions: dict[str, tuple[str, ...]] = field(default_factory=dict)

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
                entry[metric] = {
                    s: _finite(row[f"{metric}_{s}"]) for s in ("expected", "mean", "p5", "p95")
                }
            entry["ratio"] = {
                s: _finite(row[f"ratio_{s}"]) for s in ("expected", "median", "p5", "p95")
            }
            entry["net"] = {s: _finite(row[f"net_{s}"]) for s in ("mean", "median", "p5", "p95")}
            entry["prob_best"] = _finite(row["prob_best"])
            entry["cautions"] = list(self.cautions.get(sid, ()))
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
            **self.run.header(money=True, files=True),
            "ranked_by": PERSPECTIVES[self.perspective].ratio_metric,
            "thresholds": [float(t) for t in self.thresholds],
            "by_year": self.by_year,
            "contributions": {k: float(v) for k, v in self.contributions.items()},
            "scenarios": scenarios,
        }


def _finite(x: Any) -> float | None:
    x = float(x)
    return x if math.isfinite(x) else None


# --------------------------------------------------------------------------
# Estimators on arrays


def interval(values: np.ndarray) -> tuple[float, float, float]:
    """Mean, 5th and 95th percentile over the draws where a metric is defined
    (NaN left out; all NaN when none is).

    >>> interval(np.array([1.0, np.nan, 3.0]))
    (2.0, 1.1, 2.9)
    """
    finite = values[~np.isnan(values)]
    if not finite.size:
        return math.nan, math.nan, math.nan
    p5, p95 = np.percentile(finite, [5.0, 95.0])
    return float(np.mean(finite)), float(p5), float(p95)


def expected(metrics: Mapping[str, np.ndarray], metric: str) -> float:
    """The expected value of ``metric`` over the draws of ``metrics``: for a
    ratio, the mean of its numerator over the mean of its denominator (NaN
    unless that is above 0), as ``sroi run`` leads with; else its mean."""
    return expected_value(metric, lambda m: float(np.mean(metrics[m])))


def _spread(values: np.ndarray) -> tuple[float, float, float]:
    """Median, 5th and 95th percentile over the draws where a value is defined."""
    finite = values[~np.isnan(values)]
    if not finite.size:
        return math.nan, math.nan, math.nan
    median, p5, p95 = np.percentile(finite, [50.0, 5.0, 95.0])
    return float(median), float(p5), float(p95)


def ranked_return(draws: PerspectiveDraws) -> np.ndarray:
    """The return to rank by, per draw: the perspective's return, and for a
    draw with no cost, +inf when it has value (something for nothing beats
    every return), NaN (undefined, ranked last) when it has none or loses."""
    free = np.isnan(draws.ratio) & (draws.cost == 0) & (draws.value > 0)
    return np.where(free, np.inf, draws.ratio)


def _score(ratios: np.ndarray) -> np.ndarray:
    """Scores to rank by: NaN (undefined) ranks below everything."""
    return np.where(np.isnan(ratios), -np.inf, ratios)


def rank_spans(ratios: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Where each of k alternatives ranks in each draw, highest score first:
    the one rank routine every ranking here reads.

    Parameters
    ----------
    ratios : array, shape (k, n)
        The score of each alternative per draw; NaN ranks below everything.

    Returns
    -------
    above, level : arrays of int, shape (k, n)
        How many alternatives score strictly higher, and the size of the tie
        the alternative is in (itself included): it spans ranks ``above + 1
        .. above + level``.

    >>> above, level = rank_spans(np.array([[2.0, 1.0], [1.0, 1.0]]))
    >>> above.tolist(), level.tolist()
    ([[0, 0], [1, 0]], [[1, 2], [1, 2]])
    """
    score = _score(ratios)
    above = np.sum(score[None, :, :] > score[:, None, :], axis=1)
    level = np.sum(score[None, :, :] == score[:, None, :], axis=1)
    return above, level


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
    above, level = rank_spans(ratios)
    k, n = above.shape
    out = np.zeros((k, k))
    for r in range(k):
        # rank r+1 lies in the span above+1 .. above+level
        inside = (above <= r) & (r < above + level)
        out[:, r] = np.sum(np.where(inside, 1.0 / level, 0.0), axis=1) / n
    return out


def mean_ranks(ratios: np.ndarray) -> np.ndarray:
    """Rank of each alternative in each draw, a tie sharing the average of
    the ranks it spans; shape (k, n).

    >>> mean_ranks(np.array([[2.0, 1.0], [1.0, 1.0]])).tolist()
    [[1.0, 1.5], [2.0, 1.5]]
    """
    above, level = rank_spans(ratios)
    return above + (level + 1) / 2.0


def pairwise(ratios: np.ndarray) -> np.ndarray:
    """P(row's score > column's), draw by draw, shape (k, k); the diagonal is
    NaN and ties count for neither.

    >>> pairwise(np.array([[2.0, 1.0], [1.0, 1.0]])).tolist()
    [[nan, 0.5], [0.0, nan]]
    """
    score = _score(ratios)
    k = score.shape[0]
    return np.array(
        [
            [math.nan if a == b else float(np.mean(score[a] > score[b])) for b in range(k)]
            for a in range(k)
        ]
    ).reshape(k, k)


def acceptability(ratios: np.ndarray, thresholds: Sequence[float]) -> np.ndarray:
    """P(score >= threshold) per threshold (rows) and alternative (columns);
    an undefined score never reaches a threshold.

    >>> acceptability(np.array([[0.5, 2.0], [np.nan, 1.0]]), [1.0]).tolist()
    [[0.5, 0.5]]
    """
    score = _score(ratios)
    return np.array(
        [[float(np.mean(score[i] >= t)) for i in range(score.shape[0])] for t in thresholds]
    ).reshape(len(thresholds), score.shape[0])


def recovery(values: np.ndarray, contribution: float) -> dict[str, float]:
    """What a payer gets back: ``prob_recovered`` (P(value > contribution)),
    ``value_mean``, ``value_p5`` and ``value_p95`` of its per-draw value
    [currency].

    >>> recovery(np.array([0.0, 10.0, 20.0, 30.0]), 15.0)["prob_recovered"]
    0.5
    """
    p5, p95 = np.percentile(values, [5, 95])
    return {
        "prob_recovered": float(np.mean(values > contribution)),
        "value_mean": float(np.mean(values)),
        "value_p5": float(p5),
        "value_p95": float(p95),
    }


# --------------------------------------------------------------------------
# Tables


#: Columns of :attr:`Comparison.payers`, in order.
PAYER_COLUMNS = (
    "scenario",
    "payer",
    "contribution",
    "by_year",
    "prob_recovered",
    "value_mean",
    "value_p5",
    "value_p95",
)


def league_table(draws: Draws, ratios: np.ndarray, perspective: str = "society") -> pd.DataFrame:
    """One row per scenario, best mean rank first (see :attr:`Comparison.league`);
    ``ratios`` are the perspective's returns, shape (scenarios, draws)."""
    import pandas as pd

    probs = rank_probabilities(ratios)
    positions = np.arange(1, len(draws.ids) + 1)
    rank = mean_ranks(ratios)
    rows = []
    for i, sid in enumerate(draws.ids):
        row: dict[str, Any] = {"scenario": sid, "name": draws.names[sid]}
        for m in LEAGUE_METRICS:
            row[f"{m}_mean"], row[f"{m}_p5"], row[f"{m}_p95"] = interval(draws.metrics[sid][m])
            row[f"{m}_expected"] = expected(draws.metrics[sid], m)
        view = perspective_draws(draws.metrics[sid], perspective)
        mean_cost = float(np.mean(view.cost))
        row["ratio_expected"] = (
            float(np.mean(view.value)) / mean_cost if mean_cost > 0 else math.nan
        )
        median, p5, p95 = _spread(view.ratio)
        row["ratio_median"], row["ratio_p5"], row["ratio_p95"] = median, p5, p95
        row["net_mean"] = float(np.mean(view.net))
        row["net_median"], row["net_p5"], row["net_p95"] = _spread(view.net)
        row["prob_best"] = float(probs[i, 0])
        row["mean_rank"] = float(probs[i] @ positions)
        row["rank_p5"], row["rank_p95"] = (float(v) for v in np.percentile(rank[i], [5, 95]))
        rows.append(row)
    return (
        pd.DataFrame(rows)
        .set_index("scenario")
        .sort_values(["mean_rank", "prob_best"], ascending=[True, False], kind="stable")
    )


def payers_table(
    order: Sequence[str],
    payer_values: dict[str, dict[str, np.ndarray]],
    contributions: Mapping[str, float],
    by_year: int | None,
) -> pd.DataFrame:
    """One row per scenario (in ``order``) and payer with a contribution
    (see :attr:`Comparison.payers`)."""
    import pandas as pd

    rows = [
        {
            "scenario": sid,
            "payer": payer,
            "contribution": float(amount),
            "by_year": by_year,
            **recovery(payer_values[sid][payer], amount),
        }
        for sid in order
        for payer, amount in contributions.items()
    ]
    return pd.DataFrame(rows, columns=list(PAYER_COLUMNS))


def check_options(
    draws: int,
    thresholds: Sequence[float],
    contributions: Mapping[str, float] | None,
    by_year: int | None,
) -> tuple[int, int | None, tuple[float, ...], dict[str, float]]:
    """The draws, ``by_year``, the sorted distinct thresholds and the
    contributions, once checked.

    Raises
    ------
    ValueError
        For fewer than 1 draw, an unknown payer, a negative or non-finite
        contribution, a negative ``by_year`` or a non-finite threshold.
    """
    draws = whole("draws", draws, 1)
    if contributions is not None and not isinstance(contributions, Mapping):
        raise ValueError(f"contributions must map payers to amounts; found {contributions!r}")
    checked = dict(contributions or {})
    for payer, amount in checked.items():
        if payer not in PAYERS:
            raise ValueError(f"unknown payer {payer!r}; expected one of {', '.join(PAYERS)}")
        checked[payer] = finite(f"contribution of {payer}", amount)
        if checked[payer] < 0:
            raise ValueError(f"contribution of {payer} must be a number >= 0; found {amount}")
    if by_year is not None:
        by_year = whole("by_year", by_year, 0)
    if isinstance(thresholds, (str, bytes)) or not isinstance(thresholds, Iterable):
        raise ValueError(f"thresholds must be a sequence of numbers; found {thresholds!r}")
    levels = tuple(sorted({finite("a threshold", t) for t in thresholds}))
    return draws, by_year, levels, checked


def compare(
    paths: ScenarioLike | Sequence[ScenarioLike],
    draws: int = 10_000,
    seed: int = 0,
    *,
    thresholds: Sequence[float] = DEFAULT_THRESHOLDS,
    contributions: Mapping[str, float] | None = None,
    by_year: int | None = None,
    chunk_size: int | None = DEFAULT_CHUNK,
    files: Mapping[str, str] | None = None,
    perspective: str = "society",
    sampler: str = DEFAULT_SAMPLER,
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
    chunk_size : int, optional
        Draws per unit of work [draws]; changes memory, not results.
        None: one block (16,384 draws), as by default.
    files : mapping, optional
        Scenario id -> the file a given ``Scenario`` was loaded from, so the
        run records its name and SHA-256 (:attr:`Comparison.run`).
    perspective : str
        Whose value and which cost count (:data:`sroi.vocabulary.PERSPECTIVES`):
        the return that ranks the scenarios, the acceptability curve and
        pairwise comparisons, and the league's ``ratio_*`` and ``net_*``.
    sampler : str
        How the draws are made: ``"random"``, ``"sobol"`` or ``"lhs"`` (as
        for :func:`sroi.run`).

    Examples
    --------
    >>> c = compare("scenarios/family_action_pss", draws=200, seed=1)
    >>> round(float(c.league["prob_best"].sum()), 6)
    1.0
    """
    import pandas as pd

    draws, by_year, levels, contributions = check_options(draws, thresholds, contributions, by_year)
    view = check_perspective(perspective)

    cautions: dict[str, tuple[str, ...]] = {}

    def before(scenarios: Sequence[Scenario]) -> None:
        check_by_year(by_year, max(horizon(s) for s in scenarios))
        for s in scenarios:
            cautions[s.id] = tuple(c.sentence for c in scenario_cautions(s))

    def read(flows: Flows, n: int) -> dict[str, np.ndarray]:
        return payer_value_by_year(flows, by_year, n)

    found = collect(
        paths,
        draws,
        seed,
        tuple(dict.fromkeys((*LEAGUE_METRICS, *_RATIO_PARTS, view.value_metric, view.cost))),
        read=read,
        chunk_size=chunk_size,
        files=files,
        sampler=sampler,
        before=before,
    )
    ids = found.ids
    own = {sid: ranked_return(perspective_draws(found.metrics[sid], perspective)) for sid in ids}
    ratios = np.vstack([own[sid] for sid in ids])
    league = league_table(found, ratios, perspective)
    order = list(league.index)
    return Comparison(
        replace(found.run, perspective=perspective),
        found.names,
        levels,
        by_year,
        contributions,
        league,
        pd.DataFrame(pairwise(ratios), index=ids, columns=ids).loc[order, order],
        pd.DataFrame(rank_probabilities(ratios), index=ids, columns=np.arange(1, len(ids) + 1)).loc[
            order
        ],
        pd.DataFrame(
            acceptability(ratios, levels), index=pd.Index(levels, name="threshold"), columns=ids
        )[order],
        payers_table(order, found.flows, contributions, by_year),
        {sid: found.metrics[sid]["sroi_ratio"] for sid in ids},
        found.flows,
        own,
        {sid: cautions.get(sid, ()) for sid in order},
    )


__all__ = [
    "DEFAULT_THRESHOLDS",
    "LEAGUE_METRICS",
    "Comparison",
    "acceptability",
    "check_by_year",
    "compare",
    "interval",
    "mean_ranks",
    "pairwise",
    "payer_value_by_year",
    "rank_probabilities",
    "rank_spans",
    "recovery",
]
