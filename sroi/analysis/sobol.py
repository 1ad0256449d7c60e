"""Global sensitivity analysis: Sobol' first-order and total-order indices.

The first-order index S1 of an input is the share of the metric's variance it
explains on its own; the total-order index ST adds every interaction it takes
part in, so ``ST - S1`` measures interactions and ``ST`` near 0 means the
input could be fixed at any point of its range without changing the spread.

Inputs are groups of values (:func:`~sroi.analysis.factors.factor_groups`):
values tied by a scenario's ``correlations`` form one group and keep their
correlation; every other uncertain value (a ``shared`` value once, however
many scenarios use it) is a group of one.  The groups are independent of
each other, which is what the indices assume, so their variance adds up to
the Monte Carlo run's.

Sampling (Saltelli 2010): two ``N x d`` matrices A and B from one scrambled
Sobol' sequence of dimension ``2d`` for d values (:class:`scipy.stats.qmc.Sobol`,
seeded).  Within each correlated group the uniforms go through the group's
Gaussian copula (:func:`correlate`); uniforms become values through each
distribution's inverse CDF.  For each group g, AB_g is A with every value of g
taken from B; the model runs ``N (G + 2)`` times for G groups.  Estimators,
with ``V`` the variance and ``f0`` the mean of ``f(A), f(B)`` together:

* first order (Saltelli et al. 2010, outputs centred):
  ``S1_g = mean((f(B) - f0) (f(AB_g) - f(A))) / V``;
* total order (Jansen 1999): ``ST_g = mean((f(A) - f(AB_g))^2) / (2 V)``.

Centring leaves the estimate's expectation alone and removes the error that
a large mean (an NPV in the hundreds of thousands) multiplies.

As a check, ``V`` is compared with the variance of the same metric over the
Monte Carlo draws of ``sroi run`` (:func:`variance_check`); a ratio far from
1 means the analysis does not see the run's uncertainty (a value it cannot
move, or a correlation it cannot keep).

Confidence intervals are bootstrap percentiles: rows resampled with
replacement (a seeded :class:`numpy.random.Generator`; no global state).

The work is split as in SALib: :func:`saltelli` and :func:`correlate` design
the samples, :class:`~sroi.analysis.subject.Subject` evaluates them, and
:func:`indices` and :func:`variance_check` are estimators on the resulting
arrays.

Implemented in numpy (about a hundred lines) rather than with SALib: the
estimator is short, is checked against the Ishigami function's analytic
indices in the tests, and the extra dependency would buy nothing more here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np

from sroi.analysis.collect import ScenarioLike, collect
from sroi.analysis.factors import FactorGroup, GroupError, factor_groups
from sroi.analysis.subject import CHUNK, AnalysisError, Subject, check_metric
from sroi.arguments import whole

if TYPE_CHECKING:
    import pandas as pd

#: Columns of the Sobol' table, in order.
COLUMNS = (
    "metric",
    "path",
    "label",
    "paths",
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
#: Monte Carlo variance / Sobol' variance outside this range is warned about.
VARIANCE_RATIO_RANGE = (0.9, 1.1)
#: Fewest Monte Carlo draws for the variance check (else 2 N) [draws].
CHECK_DRAWS = 8_192

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

    base_samples = whole("base samples", base_samples, 0)
    if base_samples < 2 or base_samples & (base_samples - 1):
        raise AnalysisError(f"base samples must be a power of 2 (e.g. 4096); found {base_samples}")
    try:
        engine = qmc.Sobol(2 * d, scramble=True, rng=rng)
    except TypeError:  # scipy < 1.15 names the generator `seed`
        engine = qmc.Sobol(2 * d, scramble=True, seed=rng)
    points = np.clip(engine.random_base2(int(base_samples).bit_length() - 1), _TINY, 1.0 - _EPS)
    return points[:, :d], points[:, d:]


def correlate(uniforms: np.ndarray, correlation: np.ndarray) -> np.ndarray:
    """Independent uniforms made dependent through a Gaussian copula.

    Parameters
    ----------
    uniforms : numpy.ndarray
        ``(N, k)`` points in the open unit cube, independent columns.
    correlation : numpy.ndarray
        ``(k, k)`` Pearson correlation matrix of the copula (positive
        semi-definite: a correlation of exactly 1 is allowed).

    Returns
    -------
    numpy.ndarray
        ``(N, k)`` uniforms with that copula: ``Phi(Phi^-1(u) R^T)`` for a
        square root ``R`` of the matrix (``R R^T = correlation``).  Each
        column stays uniform.

    >>> u = np.array([[0.2, 0.9], [0.7, 0.1]])
    >>> np.allclose(correlate(u, np.eye(2)), u)
    True
    >>> v = correlate(u, np.ones((2, 2)))  # perfectly correlated: equal columns
    >>> bool(np.allclose(v[:, 0], v[:, 1]))
    True
    """
    from scipy.special import ndtr, ndtri

    values, vectors = np.linalg.eigh(np.asarray(correlation, dtype=np.float64))
    root = vectors * np.sqrt(np.clip(values, 0.0, None))
    root /= np.sqrt(np.sum(root**2, axis=1, keepdims=True))  # unit variances exactly
    mixed = ndtr(ndtri(np.asarray(uniforms, dtype=np.float64)) @ root.T)
    return np.clip(mixed, _TINY, 1.0 - _EPS)


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

    The outputs are centred on the mean of ``f_a`` and ``f_b`` in the
    first-order estimator, so adding a constant to the model changes nothing.
    """

    def estimate(a: np.ndarray, b: np.ndarray, ab: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        # a, b, ab: (..., N) with matching leading shapes
        both = np.concatenate([a, b], axis=-1)
        var = np.var(both, axis=-1)
        centre = np.mean(both, axis=-1, keepdims=True)
        s1 = np.mean((b - centre) * (ab - a), axis=-1) / var
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


def variance_check(monte_carlo: np.ndarray, sobol_outputs: np.ndarray) -> tuple[float, str | None]:
    """Ratio of the Monte Carlo variance of a metric to the variance the
    Sobol' design gives it, and a warning when outside
    :data:`VARIANCE_RATIO_RANGE`.

    Parameters
    ----------
    monte_carlo : numpy.ndarray
        The metric over the draws of a Monte Carlo run [its unit].
    sobol_outputs : numpy.ndarray
        The metric on the rows of A and B [its unit].

    Returns
    -------
    ratio : float
        ``var(monte_carlo) / var(sobol_outputs)`` (NaN when the latter is 0).
    warning : str or None
        Why the ratio matters, when it is outside the range.

    >>> variance_check(np.array([0.0, 2.0]), np.array([0.0, 2.0]))
    (1.0, None)
    >>> variance_check(np.array([0.0, 2.0]), np.array([0.0, 1.0]))[0]
    4.0
    """
    mc = float(np.var(monte_carlo))
    design = float(np.var(sobol_outputs))
    ratio = mc / design if design > 0 else float("nan")
    low, high = VARIANCE_RATIO_RANGE
    if low <= ratio <= high or (mc == 0 and design == 0):
        return ratio, None
    return ratio, (
        f"the Monte Carlo variance is {ratio:.3f} times the variance the Sobol' design "
        f"gives (expected {low}-{high}): the indices may not describe the run's uncertainty"
    )


def sobol(
    scenarios: ScenarioLike | Sequence[ScenarioLike],
    metrics: Sequence[str] = ("sroi_ratio", "npv"),
    base_samples: int = 2**12,
    seed: Seed = 0,
    bootstrap: int = 200,
    scenario_id: str | None = None,
    perspective: str = "society",
    files: Mapping[str, str] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> pd.DataFrame:
    """Sobol' first- and total-order indices of every uncertain value, with
    correlated values as one group.

    Parameters
    ----------
    scenarios : path, Scenario, or a sequence of them
        With several, the metrics are the programme's and a shared value is
        one input moving in every scenario at once.
    metrics : sequence of str
        Metrics to decompose (continuous ones), e.g. ``("sroi_ratio", "npv")``.
    base_samples : int
        N, a power of 2; the model runs ``N (G + 2)`` times for G groups.
    seed : int or numpy.random.Generator
        Fixes the Sobol' scrambling, the bootstrap and the Monte Carlo run
        of the variance check (an int seed: the draws of ``sroi run`` with
        that seed).
    bootstrap : int
        Bootstrap resamples for the 95% intervals (0: none).
    scenario_id : str, optional
        Analyse only this scenario among those given.
    perspective : str
        Whose value and which cost the metrics count
        (:data:`sroi.vocabulary.PERSPECTIVES`), recorded in the run header.
    files : mapping, optional
        Scenario id -> the file a loaded scenario came from, for the run
        header's file names and SHA-256 (a path given in ``scenarios`` is
        recorded without it).
    progress : callable, optional
        Called after each engine call with the model evaluations done and
        the evaluations in all: ``N (G + 2)`` for the indices, then the
        Monte Carlo draws of the variance check [evaluations].

    Returns
    -------
    pandas.DataFrame
        One row per metric and group, largest total-order index first
        within each metric: ``metric``, ``path`` (the value's path, or the
        group's name such as ``outcomes.*.probability``), ``label`` (its
        readable name), ``paths`` (the
        values in the group, comma separated), ``scenario``, ``unit``
        (``mixed`` when a group's values differ), ``S1``, ``S1_low``,
        ``S1_high``, ``ST``, ``ST_low``, ``ST_high`` [share of variance] and
        ``correlated`` (the group ties several values).  ``attrs`` holds
        ``method``, ``metrics``, ``scenario``, ``scenarios``,
        ``base_samples``, ``seed``, ``bootstrap``, ``confidence``,
        ``values`` and ``groups`` (counts), ``evaluations``, ``dropped``
        (samples where a metric was undefined), ``sum_s1``, ``variance``
        (Sobol'), ``mc_variance``, ``variance_ratio`` (per metric),
        ``mc_draws``, ``warnings`` and ``constant`` (each metric that does
        not vary over the model runs, with the value it takes, NaN where it
        is undefined in every run: it has no indices, and its ``S1`` ...
        ``ST_high``, ``sum_s1`` and ``variance_ratio`` are NaN).

    Examples
    --------
    >>> t = sobol("scenarios/family_action_pss/oxford.yaml", ["npv"], base_samples=64)
    >>> t.attrs["evaluations"] == 64 * (t.attrs["groups"] + 2)
    True
    >>> t.loc[t["correlated"], "path"].tolist()
    ['outcomes.*.probability']
    """
    import pandas as pd

    if isinstance(metrics, str) or not isinstance(metrics, Iterable):
        raise AnalysisError(f"metrics must be a list of metric names; found {metrics!r}")
    metrics = [check_metric(m, continuous=True) for m in metrics]
    if not metrics:
        raise AnalysisError("name at least one metric")
    bootstrap = whole("bootstrap", bootstrap, 0)
    if seed is not None and not isinstance(seed, np.random.Generator):
        seed = whole("seed", seed, 0)  # a numpy integer or 7.0 is the int seed it stands for
    subject = Subject.build(scenarios, scenario_id, files)
    chosen = [i for i, f in enumerate(subject.factors) if f.uncertain]
    if not chosen:
        raise AnalysisError("no uncertain values: every value is fixed, nothing to decompose")
    try:
        groups = factor_groups(list(subject.scenarios), list(subject.factors), chosen)
    except GroupError as exc:
        raise AnalysisError(str(exc)) from None
    sequence_rng, boot_rng = generators(seed)
    q_a, q_b = saltelli(len(chosen), base_samples, sequence_rng)
    n = q_a.shape[0]
    column = {i: k for k, i in enumerate(chosen)}
    for g in groups:
        if g.correlated:
            cols = [column[i] for i in g.members]
            q_a[:, cols] = correlate(q_a[:, cols], g.correlation)
            q_b[:, cols] = correlate(q_b[:, cols], g.correlation)
    values_a = {i: subject.factors[i].quantiles(q_a[:, column[i]]) for i in chosen}
    values_b = {i: subject.factors[i].quantiles(q_b[:, column[i]]) for i in chosen}
    mc_draws = max(2 * n, CHECK_DRAWS)
    tick = _Tally(n * (len(groups) + 2) + mc_draws, progress)
    f_a = subject.run(values_a, n)
    tick(n)
    f_b = subject.run(values_b, n)
    tick(n)
    f_ab = _cross(subject, groups, values_a, values_b, n, tick)

    mc_seed = seed if isinstance(seed, int) else int(sequence_rng.integers(2**31))
    runs = collect(list(subject.scenarios), mc_draws, mc_seed, metrics).metrics[subject.target]
    tick(mc_draws)

    frames, dropped, sum_s1, variance, mc_variance, ratios = [], {}, {}, {}, {}, {}
    constant: dict[str, float] = {}
    warnings = []
    for metric in metrics:
        a, b, ab = f_a[metric], f_b[metric], f_ab[metric]
        ok = np.isfinite(a) & np.isfinite(b) & np.all(np.isfinite(ab), axis=0)
        dropped[metric] = int(n - ok.sum())
        outputs = np.concatenate([a[ok], b[ok]])
        drawn = runs[metric][np.isfinite(runs[metric])]
        mc_variance[metric] = float(np.var(drawn)) if drawn.size else float("nan")
        level = steady(outputs)
        if level is None:
            found = indices(a[ok], b[ok], ab[:, ok], bootstrap, boot_rng)
            sum_s1[metric] = float(np.sum(found["S1"]))
            variance[metric] = float(np.var(outputs))
            ratios[metric], warning = variance_check(drawn, outputs)
        else:
            # No variance to share out: no indices (not 0/0), and no ratio.
            # The bootstrap's resamples are drawn all the same, so that the
            # next metric's intervals do not depend on this one varying.
            if bootstrap > 0 and ok.any():
                boot_rng.integers(0, int(ok.sum()), size=(bootstrap, int(ok.sum())))
            constant[metric] = level
            found = {key: np.full(len(groups), np.nan) for key in COLUMNS[6:12]}
            sum_s1[metric] = ratios[metric] = float("nan")
            variance[metric] = 0.0 if outputs.size else float("nan")
            warning = None
            if drawn.size and steady(drawn) is None:
                warning = (
                    "it varies over the Monte Carlo draws but not over the Sobol' design: "
                    "the indices would not describe the run's uncertainty"
                )
        if warning:
            warnings.append(f"{metric}: {warning}")
        part = pd.DataFrame(
            {
                "metric": metric,
                **_describe(subject, groups),
                **{key: found[key] for key in COLUMNS[6:12]},
                "correlated": [g.correlated for g in groups],
            }
        )
        frames.append(part.sort_values("ST", ascending=False, kind="stable"))
    frame = pd.concat(frames, ignore_index=True)
    run = subject.run_info(perspective, seed if isinstance(seed, int) else None, mc_draws)
    frame.attrs.update(
        run.header(method="sobol", money=True, files=True),
        metrics=metrics,
        scenario=subject.target,
        title=subject.title,
        scenarios=subject.ids,
        base_samples=n,
        bootstrap=bootstrap,
        confidence=CONFIDENCE,
        values=len(chosen),
        groups=len(groups),
        evaluations=n * (len(groups) + 2),
        dropped=dropped,
        sum_s1=sum_s1,
        variance=variance,
        mc_variance=mc_variance,
        variance_ratio=ratios,
        mc_draws=mc_draws,
        warnings=warnings,
        constant=constant,
    )
    return frame


def steady(outputs: np.ndarray) -> float | None:
    """The one value a metric takes in every model run (NaN when it is
    undefined in all of them), or None when it varies.  Values within 1e-12
    of their size of each other count as one: differences of rounding.

    >>> steady(np.array([0.0, 0.0])), steady(np.array([1.0, 2.0])), steady(np.array([]))
    (0.0, None, nan)
    """
    if not outputs.size:
        return float("nan")
    top = float(np.max(np.abs(outputs)))
    if float(np.ptp(outputs)) > 1e-12 * top:
        return None
    return float(np.mean(outputs))


def _describe(subject: Subject, groups: list[FactorGroup]) -> dict[str, list[str]]:
    """The ``path``, ``label``, ``paths``, ``scenario`` and ``unit`` columns
    of the groups."""
    out: dict[str, list[str]] = {k: [] for k in ("path", "label", "paths", "scenario", "unit")}
    for g in groups:
        members = [subject.factors[i] for i in g.members]
        units = {f.unit for f in members}
        out["path"].append(g.name)
        out["label"].append(group_label([f.label or f.path for f in members], g.name))
        out["paths"].append(",".join(dict.fromkeys(f.path for f in members)))
        out["scenario"].append(",".join(dict.fromkeys(f.scenario for f in members)))
        out["unit"].append(units.pop() if len(units) == 1 else "mixed")
    return out


def group_label(labels: list[str], name: str) -> str:
    """A readable name for a group: the one label of a single value, else
    the words its values' labels start with, or ``name`` when they share none.

    >>> group_label(["Share of NHS cost (mother)", "Share of care cost (child)"], "x.*")
    'Share of …'
    >>> group_label(["Effect", "Cost"], "a + b")
    'a + b'
    """
    distinct = list(dict.fromkeys(labels))
    if len(distinct) == 1:
        return distinct[0]
    common: list[str] = []
    for words in zip(*(label.split() for label in distinct), strict=False):
        if len(set(words)) > 1:
            break
        common.append(words[0])
    return " ".join(common) + " …" if common else name


class _Tally:
    """Counts model evaluations done out of ``total`` for a progress callable."""

    def __init__(self, total: int, progress: Callable[[int, int], None] | None) -> None:
        self.total, self.done, self.progress = total, 0, progress

    def __call__(self, evaluations: int) -> None:
        """Count ``evaluations`` more done, and report."""
        self.done += evaluations
        if self.progress is not None:
            self.progress(self.done, self.total)


def _cross(
    subject: Subject,
    groups: list[FactorGroup],
    values_a: dict[int, np.ndarray],
    values_b: dict[int, np.ndarray],
    n: int,
    tick: _Tally,
) -> dict[str, np.ndarray]:
    """Metrics on every AB_g (A with group g's values from B), shape
    ``(G, N)`` per metric; several AB_g per engine call, up to
    :data:`~sroi.analysis.subject.CHUNK` rows."""
    per_call = max(1, CHUNK // n)
    parts: list[dict[str, np.ndarray]] = []
    for start in range(0, len(groups), per_call):
        batch = groups[start : start + per_call]
        columns = {i: np.tile(v, len(batch)) for i, v in values_a.items()}
        for k, g in enumerate(batch):
            for i in g.members:
                columns[i][:, k * n : (k + 1) * n] = values_b[i]
        parts.append(subject.run(columns, n * len(batch)))
        tick(n * len(batch))
    return {key: np.concatenate([p[key] for p in parts]).reshape(-1, n) for key in parts[0]}
