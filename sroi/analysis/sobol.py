"""Global sensitivity analysis: Sobol' first-order and total-order indices.

The first-order index S1 of a value is the share of the metric's variance it
explains on its own; the total-order index ST adds every interaction it takes
part in, so ``ST - S1`` measures interactions and ``ST`` near 0 means the
value could be fixed at any point of its range without changing the spread.

Sampling (Saltelli 2010): two ``N x d`` matrices A and B from one scrambled
Sobol' sequence of dimension ``2d`` (:class:`scipy.stats.qmc.Sobol`, seeded),
and for each value i the matrix AB_i, A with column i taken from B; the model
runs ``N (d + 2)`` times.  Uniforms become values through each
distribution's inverse CDF.  Estimators, with ``V`` the variance of
``f(A), f(B)`` together:

* first order (Saltelli et al. 2010): ``S1_i = mean(f(B) (f(AB_i) - f(A))) / V``;
* total order (Jansen 1999): ``ST_i = mean((f(A) - f(AB_i))^2) / (2 V)``.

Confidence intervals are bootstrap percentiles: rows resampled with
replacement (a seeded :class:`numpy.random.Generator`; no global state).

Correlated values: the indices assume independent inputs.  Values tied by a
scenario's ``correlations`` are sampled *independently* here, so the indices
describe the model with those correlations removed; the result says so in
``attrs["warnings"]`` and marks the values in the ``correlated`` column.

The work is split as in SALib: :func:`saltelli` designs the samples,
:class:`~sroi.analysis.subject.Subject` evaluates them, and :func:`indices`
is the estimator on the resulting arrays.

Implemented in numpy (about a hundred lines) rather than with SALib: the
estimator is short, is checked against the Ishigami function's analytic
indices in the tests, and the extra dependency would buy nothing more here.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from sroi.analysis.collect import ScenarioLike
from sroi.analysis.subject import CHUNK, AnalysisError, Subject, check_metric

if TYPE_CHECKING:
    import pandas as pd

#: Columns of the Sobol' table, in order.
COLUMNS = (
    "metric",
    "path",
    "label",
    "scenario",
    "unit",
    "S1",
    "S1_low",
    "S1_high",
    "ST",
    "ST_low",
    "ST_high",
    "correlated",
)
#: Confidence level of the bootstrap intervals.
CONFIDENCE = 0.95

Seed = int | np.random.Generator | None

#: Uniforms are kept inside (0, 1) so unbounded distributions stay finite.
_TINY = float(np.finfo(float).tiny)
_EPS = float(np.finfo(float).epsneg)


def generators(seed: Seed) -> tuple[np.random.Generator, np.random.Generator]:
    """Two independent generators (sequence scrambling, bootstrap) from one seed."""
    if isinstance(seed, np.random.Generator):
        seed = int(seed.integers(2**63))
    first, second = np.random.SeedSequence(seed).spawn(2)
    return np.random.default_rng(first), np.random.default_rng(second)


def saltelli(d: int, base_samples: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Matrices A and B, each ``(base_samples, d)`` in the open unit cube, from
    one scrambled Sobol' sequence of dimension ``2d``.

    ``base_samples`` must be a power of 2 (the sequence's balance properties
    hold only then).
    """
    from scipy.stats import qmc

    if base_samples < 2 or base_samples & (base_samples - 1):
        raise AnalysisError(f"base samples must be a power of 2 (e.g. 4096); found {base_samples}")
    try:
        engine = qmc.Sobol(2 * d, scramble=True, rng=rng)
    except TypeError:  # scipy < 1.15 names the generator `seed`
        engine = qmc.Sobol(2 * d, scramble=True, seed=rng)
    points = np.clip(engine.random_base2(int(base_samples).bit_length() - 1), _TINY, 1.0 - _EPS)
    return points[:, :d], points[:, d:]


def indices(
    f_a: np.ndarray,
    f_b: np.ndarray,
    f_ab: np.ndarray,
    bootstrap: int = 200,
    rng: np.random.Generator | None = None,
) -> dict[str, np.ndarray]:
    """First- and total-order indices from model outputs.

    Parameters
    ----------
    f_a, f_b : numpy.ndarray
        Outputs on A and B, shape ``(N,)``.
    f_ab : numpy.ndarray
        Outputs on AB_i, shape ``(d, N)``.
    bootstrap : int
        Resamples for the confidence intervals (0: none, bounds NaN).
    rng : numpy.random.Generator, optional
        Draws the resamples; required when ``bootstrap > 0``.

    Returns
    -------
    dict
        ``S1``, ``ST`` and their ``_low`` / ``_high`` bounds at
        :data:`CONFIDENCE`, each of shape ``(d,)``.
    """

    def estimate(a: np.ndarray, b: np.ndarray, ab: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        # a, b, ab: (..., N) with matching leading shapes
        var = np.var(np.concatenate([a, b], axis=-1), axis=-1)
        s1 = np.mean(b * (ab - a), axis=-1) / var
        st = 0.5 * np.mean((a - ab) ** 2, axis=-1) / var
        return s1, st

    s1, st = estimate(f_a[None, :], f_b[None, :], f_ab)
    out = {"S1": s1, "ST": st}
    for name in ("S1", "ST"):
        out[f"{name}_low"], out[f"{name}_high"] = (
            np.full(s1.shape, np.nan),
            np.full(s1.shape, np.nan),
        )
    if bootstrap > 0:
        if rng is None:
            raise AnalysisError("bootstrap intervals need a random generator")
        tail = 100 * (1 - CONFIDENCE) / 2
        rows = rng.integers(0, f_a.size, size=(bootstrap, f_a.size))
        a, b = f_a[rows], f_b[rows]
        for i in range(f_ab.shape[0]):  # one value at a time bounds memory
            boot = estimate(a, b, f_ab[i][rows])
            for name, values in zip(("S1", "ST"), boot, strict=True):
                low, high = np.percentile(values, [tail, 100 - tail])
                out[f"{name}_low"][i], out[f"{name}_high"][i] = low, high
    return out


def sobol(
    scenarios: ScenarioLike | Sequence[ScenarioLike],
    metrics: Sequence[str] = ("sroi_ratio", "npv"),
    base_samples: int = 2**12,
    seed: Seed = 0,
    bootstrap: int = 200,
    scenario_id: str | None = None,
) -> pd.DataFrame:
    """Sobol' first- and total-order indices of every uncertain value.

    Parameters
    ----------
    scenarios : path, Scenario, or a sequence of them
        With several, the metrics are the programme's and a shared value is
        one input moving in every scenario at once.
    metrics : sequence of str
        Metrics to decompose (continuous ones), e.g. ``("sroi_ratio", "npv")``.
    base_samples : int
        N, a power of 2; the model runs ``N (d + 2)`` times for d values.
    seed : int or numpy.random.Generator
        Fixes the Sobol' scrambling and the bootstrap.
    bootstrap : int
        Bootstrap resamples for the 95% intervals (0: none).
    scenario_id : str, optional
        Analyse only this scenario among those given.

    Returns
    -------
    pandas.DataFrame
        One row per metric and uncertain value, largest total-order index
        first within each metric: ``metric``, ``path``, ``label`` (its readable
        name), ``scenario``,
        ``unit``, ``S1``, ``S1_low``, ``S1_high``, ``ST``, ``ST_low``,
        ``ST_high`` [share of variance] and ``correlated`` (the value is
        named in a scenario's ``correlations``, which were ignored).
        ``attrs`` holds ``method``, ``metrics``, ``scenario``,
        ``scenarios``, ``base_samples``, ``seed``, ``bootstrap``,
        ``confidence``, ``evaluations``, ``dropped`` (samples where a metric
        was undefined), ``sum_s1`` (per metric), ``variance`` (per metric),
        ``correlations_ignored`` and ``warnings``.

    Examples
    --------
    >>> t = sobol("scenarios/family_action_pss/oxford.yaml", ["npv"], base_samples=64)
    >>> t.attrs["evaluations"] == 64 * (t.shape[0] + 2)
    True
    """
    import pandas as pd

    metrics = [check_metric(m, continuous=True) for m in metrics]
    if not metrics:
        raise AnalysisError("name at least one metric")
    if bootstrap < 0:
        raise AnalysisError(f"bootstrap must be >= 0; found {bootstrap}")
    subject = Subject.build(scenarios, scenario_id)
    chosen = [i for i, f in enumerate(subject.factors) if f.uncertain]
    if not chosen:
        raise AnalysisError("no uncertain values: every value is fixed, nothing to decompose")
    sequence_rng, boot_rng = generators(seed)
    q_a, q_b = saltelli(len(chosen), base_samples, sequence_rng)
    n = q_a.shape[0]
    values_a = {i: subject.factors[i].quantiles(q_a[:, k]) for k, i in enumerate(chosen)}
    values_b = {i: subject.factors[i].quantiles(q_b[:, k]) for k, i in enumerate(chosen)}
    f_a = subject.run(values_a, n)
    f_b = subject.run(values_b, n)
    f_ab = _cross(subject, chosen, values_a, values_b, n)

    correlated = {path for s in subject.scenarios for c in s.correlations for path in c.between}
    frames, dropped, sum_s1, variance = [], {}, {}, {}
    for metric in metrics:
        a, b, ab = f_a[metric], f_b[metric], f_ab[metric]
        ok = np.isfinite(a) & np.isfinite(b) & np.all(np.isfinite(ab), axis=0)
        dropped[metric] = int(n - ok.sum())
        found = indices(a[ok], b[ok], ab[:, ok], bootstrap, boot_rng)
        sum_s1[metric] = float(np.sum(found["S1"]))
        variance[metric] = float(np.var(np.concatenate([a[ok], b[ok]])))
        part = pd.DataFrame(
            {
                "metric": metric,
                "path": [subject.factors[i].path for i in chosen],
                "label": [subject.factors[i].label for i in chosen],
                "scenario": [subject.factors[i].scenario for i in chosen],
                "unit": [subject.factors[i].unit for i in chosen],
                **{key: found[key] for key in COLUMNS[5:11]},
                "correlated": [subject.factors[i].path in correlated for i in chosen],
            }
        )
        frames.append(part.sort_values("ST", ascending=False, kind="stable"))
    frame = pd.concat(frames, ignore_index=True)
    warnings = []
    if correlated:
        warnings.append(
            "the scenarios correlate some values (marked correlated); Sobol' indices assume "
            "independent inputs, so these values were sampled independently and the indices "
            "describe the model without those correlations"
        )
    frame.attrs.update(
        method="sobol",
        metrics=metrics,
        scenario=subject.target,
        title=subject.title,
        scenarios=subject.ids,
        base_samples=n,
        seed=seed if isinstance(seed, int) else None,
        bootstrap=bootstrap,
        confidence=CONFIDENCE,
        evaluations=n * (len(chosen) + 2),
        dropped=dropped,
        sum_s1=sum_s1,
        variance=variance,
        currency=subject.currency,
        correlations_ignored=bool(correlated),
        warnings=warnings,
    )
    return frame


def _cross(
    subject: Subject,
    chosen: list[int],
    values_a: dict[int, np.ndarray],
    values_b: dict[int, np.ndarray],
    n: int,
) -> dict[str, np.ndarray]:
    """Metrics on every AB_i, shape ``(d, N)`` per metric; several AB_i per
    engine call, up to :data:`~sroi.analysis.subject.CHUNK` rows."""
    per_call = max(1, CHUNK // n)
    parts: list[dict[str, np.ndarray]] = []
    for start in range(0, len(chosen), per_call):
        batch = chosen[start : start + per_call]
        columns = {i: np.tile(v, len(batch)) for i, v in values_a.items()}
        for k, i in enumerate(batch):
            columns[i][:, k * n : (k + 1) * n] = values_b[i]
        parts.append(subject.run(columns, n * len(batch)))
    return {key: np.concatenate([p[key] for p in parts]).reshape(-1, n) for key in parts[0]}
