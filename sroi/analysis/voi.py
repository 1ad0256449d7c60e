"""Value of information for the decision "commission the service or not".

The net benefit of commissioning is the NPV of a draw; not commissioning is
worth 0.  With today's evidence the commissioner picks the option with the
higher expected net benefit, ``max(E[NPV], 0)``.

* **EVPI**, the expected value of perfect information, is what knowing every
  uncertain value exactly would add: ``E[max(NPV, 0)] - max(E[NPV], 0)``.
* **EVPPI**, the expected value of partial perfect information about one
  value (or a group of values) φ, is ``E_φ[max(E[NPV | φ], 0)] - max(E[NPV], 0)``.

EVPPI is estimated by regression (Strong, Oakley and Brennan 2014): the
conditional expectation ``g(φ) = E[NPV | φ]`` is fitted by least squares on a
flexible basis of the sampled φ, and EVPPI is ``mean(max(g, 0)) -
max(mean(g), 0)``.  One value: a natural cubic regression spline with knots
at quantiles.  A group: a linear, additive-spline, quadratic or cubic
polynomial basis of the standardised values.  Among the candidate bases the
one with the lowest generalised cross-validation score (GCV) is used, which
keeps the fit from chasing Monte Carlo noise (noise in ``g`` would bias EVPPI
upwards).  See ``docs/value-of-information.md``.

Both can be scaled to a population (:mod:`sroi.analysis.population`), and
several scenarios can be weighed as options of one choice
(:mod:`sroi.analysis.options`).

The work is split as in SALib: :func:`~sroi.analysis.collect.collect`
gathers the net benefit and the sampled values once; :func:`evpi`,
:func:`evppi` and :func:`decision` are estimators on arrays.  The net benefit
is an argument (:class:`NetBenefit`, NPV by default), so any view of whose
value and cost count plugs in.
"""

from __future__ import annotations

import fnmatch
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from itertools import combinations_with_replacement
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import ArrayLike

from sroi.analysis.collect import Draws, ScenarioLike, collect, load_scenarios
from sroi.analysis.options import Choice, choice
from sroi.analysis.population import PopulationError, population_factor
from sroi.engine.runner import DEFAULT_CHUNK
from sroi.results.perspective import check_perspective, perspective_draws
from sroi.results.run_info import RunFields, RunInfo
from sroi.vocabulary import PROGRAMME

if TYPE_CHECKING:
    import pandas as pd

#: Groups of values whose joint EVPPI is reported by default: name -> glob
#: patterns over dotted paths (``*`` matches dots too).
DEFAULT_GROUPS: dict[str, tuple[str, ...]] = {
    "caseload": ("delivery.*",),
    "volunteers": ("volunteers.*",),
    "costs": ("costs.*",),
    "effect": ("effect.*",),
    "adjustments": (
        "adjustments.*",
        "outcomes.*.deadweight",
        "outcomes.*.attribution",
        "outcomes.*.displacement",
        "outcomes.*.drop_off",
    ),
    "outcome_probabilities": ("outcomes.*.probability",),
    "proxies": ("outcomes.*.proxy",),
    "durations": ("outcomes.*.duration",),
}

#: Columns of :attr:`VoiResult.evppi`, in order.
EVPPI_COLUMNS = (
    "scenario",
    "kind",
    "name",
    "paths",
    "evppi",
    "evppi_se",
    "evppi_per_woman",
    "evppi_population",
    "share_of_evpi",
    "r2",
    "terms",
    "basis",
)
#: Knot counts tried for one value's natural cubic spline (2 is a straight line).
SPLINE_KNOTS = (2, 3, 4, 5, 7)
#: Knots per value in the additive spline basis of a group.
ADDITIVE_KNOTS = 5
#: Largest regression basis tried [columns]; also at most draws / 10.
MAX_TERMS = 300


@dataclass(frozen=True)
class NetBenefit:
    """How a decision's net benefit per draw is read off its metrics.

    label : str
        In words, for headers, e.g. ``"NPV"``.
    metrics : tuple of str
        The metrics it reads (names of :mod:`sroi.vocabulary`).
    of : callable
        ``metrics -> net benefit per draw`` [currency], from arrays of one
        value per draw keyed by the names in ``metrics``.
    """

    label: str
    metrics: tuple[str, ...]
    of: Callable[[Mapping[str, np.ndarray]], np.ndarray]


#: Net benefit counting all value against every cost: NPV.
NPV = NetBenefit("NPV", ("npv",), lambda m: m["npv"])


def perspective_net_benefit(perspective: str) -> NetBenefit:
    """Net benefit of a perspective (:data:`sroi.vocabulary.PERSPECTIVES`):
    the value it counts minus the cost it counts, per draw [currency].
    Society's is :data:`NPV`.

    >>> perspective_net_benefit("public_sector").metrics
    ('public_value_pv', 'cash_cost_pv')
    """
    view = check_perspective(perspective)
    if view.id == "society":
        return NPV
    return NetBenefit(
        f"{view.value_metric} - {view.cost}",
        (view.value_metric, view.cost),
        lambda m: perspective_draws(m, perspective).net,
    )


# --------------------------------------------------------------------------
# Estimators on arrays


def evpi(net_benefit: ArrayLike) -> float:
    """Expected value of perfect information of a commission-or-not decision.

    Parameters
    ----------
    net_benefit : array of float
        Net benefit of commissioning per draw [currency]; not commissioning is 0.

    Returns
    -------
    float
        ``mean(max(NB, 0)) - max(mean(NB), 0)`` [currency]; never negative.

    >>> evpi([-1.0, 3.0])
    0.5
    """
    nb = np.asarray(net_benefit, dtype=np.float64)
    return float(np.mean(np.maximum(nb, 0.0)) - max(float(np.mean(nb)), 0.0))


@dataclass(frozen=True)
class Fit:
    """A regression estimate of EVPPI.

    evppi : float
        ``mean(max(g, 0)) - max(mean(g), 0)`` [currency].
    fitted : ndarray
        ``g``, the fitted conditional expectation of the net benefit per draw.
    terms : int
        Effective size of the chosen basis (rank, intercept included).
    basis : str
        The chosen basis, e.g. ``"spline, 4 knots"`` or ``"quadratic"``.
    r2 : float
        Share of the net benefit's variance explained by the fit.
    se : float
        Monte Carlo standard error of ``evppi`` taking the fit as exact
        [currency]; the error of the fit itself comes on top.
    """

    evppi: float
    fitted: np.ndarray
    terms: int
    basis: str
    r2: float
    se: float


def evppi(net_benefit: ArrayLike, values: ArrayLike) -> Fit:
    """EVPPI of one value (1-D ``values``) or a group (2-D, one column each).

    Parameters
    ----------
    net_benefit : array of float, shape (n,)
        Net benefit of commissioning per draw [currency].
    values : array of float, shape (n,) or (n, k)
        The sampled value(s) of each draw, in any units.

    Returns
    -------
    Fit
        The estimate, with the basis that GCV chose.

    >>> x = np.linspace(-1.0, 1.0, 201)
    >>> round(evppi(x, x).evppi, 3) == round(evpi(x), 3)
    True
    """
    y = np.asarray(net_benefit, dtype=np.float64)
    x = np.asarray(values, dtype=np.float64)
    if x.ndim == 1:
        x = x[:, None]
    if x.shape[0] != y.shape[0]:
        raise ValueError(f"{x.shape[0]} draws of values but {y.shape[0]} of net benefit")
    x = _distinct_columns(x)
    candidates = _spline_bases(x[:, 0]) if x.shape[1] == 1 else _group_bases(x)
    return _best_fit(y, candidates)


#: A candidate regression basis: its name, the design matrix it is drawn
#: from (shape (n, p), one column per term, Fortran order) and which columns
#: of that matrix it uses.  Bases drawn from one design matrix share its Gram
#: matrix: nested bases (constant, linear, quadratic, cubic; a straight line
#: and the splines that extend it) are built once, as one matrix.
Candidate = tuple[str, np.ndarray, slice | np.ndarray]


def _distinct_columns(x: np.ndarray) -> np.ndarray:
    """Drop constant columns and exact duplicates (a shared value seen twice)."""
    keep: list[np.ndarray] = []
    for j in range(x.shape[1]):
        col = x[:, j]
        if np.ptp(col) == 0 or any(col[0] == k[0] and np.array_equal(col, k) for k in keep):
            continue
        keep.append(col)
    return np.column_stack(keep) if keep else np.zeros((x.shape[0], 0))


def _scaled(col: np.ndarray) -> np.ndarray:
    return (col - col.min()) / np.ptp(col)


class _SplineTerms:
    """Natural cubic spline bases without intercept of one value ``u``
    (Hastie, Tibshirani and Friedman, Elements of Statistical Learning,
    eq. 5.4-5.5), for any knots: ``len(knots) - 1`` columns, linear beyond
    the boundary knots.  The first is ``u`` itself; :meth:`fill` writes the
    others.  Knot counts share most of their knots (the boundary ones always),
    so each knot's truncated cube is computed once."""

    def __init__(self, u: np.ndarray) -> None:
        self.u = u
        self._beyond: dict[float, np.ndarray] = {}
        self._terms: dict[tuple[float, float], np.ndarray] = {}

    def _d(self, knot: float, last: float) -> np.ndarray:
        """``((u - knot)+^3 - (u - last)+^3) / (last - knot)``."""
        key = (knot, last)
        if key not in self._terms:
            if last not in self._beyond:
                self._beyond[last] = _cube(np.maximum(self.u - last, 0.0))
            self._terms[key] = (_cube(np.maximum(self.u - knot, 0.0)) - self._beyond[last]) / (
                last - knot
            )
        return self._terms[key]

    def fill(self, knots: np.ndarray, out: np.ndarray) -> None:
        """Write the ``len(knots) - 2`` columns after ``u`` into ``out``, shape
        ``(n, len(knots) - 2)``."""
        last = float(knots[-1])
        d_penultimate = self._d(float(knots[-2]), last)
        for k in range(len(knots) - 2):
            np.subtract(self._d(float(knots[k]), last), d_penultimate, out=out[:, k])


def _cube(t: np.ndarray) -> np.ndarray:
    """``t ** 3`` by multiplication (several times faster than ``np.power``)."""
    return t * t * t


def _quantiles(ordered: np.ndarray, q: np.ndarray) -> np.ndarray:
    """``np.quantile(values, q)`` (its default, linear method) from the values
    already sorted, without partitioning them again: one sort serves every
    knot count.  The same arithmetic as numpy's, so the same bits."""
    n = ordered.size
    virtual = (n - 1) * q
    below = np.floor(virtual)
    gamma = virtual - below
    low = below.astype(np.intp)
    high = np.minimum(low + 1, n - 1)
    a, b = ordered[low], ordered[high]
    diff = b - a
    out = a + diff * gamma
    upper = gamma >= 0.5
    out[upper] = (b - diff * (1 - gamma))[upper]
    return out


def _knots(ordered: np.ndarray, count: int) -> np.ndarray | None:
    """``count`` knots at quantiles 5% to 95% of the sorted ``ordered``, or
    None when two coincide."""
    knots = np.unique(_quantiles(ordered, np.linspace(0.05, 0.95, count)))
    return knots if knots.size == count else None


def _constant(n: int) -> list[Candidate]:
    return [("constant", np.ones((n, 1), order="F"), slice(0, 1))]


def _spline_bases(col: np.ndarray) -> list[Candidate]:
    """The constant, a straight line and natural splines with
    :data:`SPLINE_KNOTS` knots of one value, as columns of one matrix
    ``[1, u, the splines' other columns...]``."""
    n = col.size
    if n < 3 or np.ptp(col) == 0:
        return _constant(n)
    u = _scaled(col)
    ordered = np.sort(u)
    splines: list[tuple[int, np.ndarray]] = []
    for count in SPLINE_KNOTS:
        if count + 1 > max(2, n // 10) and count > 2:
            break
        knots = _knots(ordered, count)
        if knots is not None:
            splines.append((count, knots))
    design = np.empty((n, 2 + sum(c - 2 for c, _ in splines)), order="F")
    design[:, 0] = 1.0
    design[:, 1] = u
    terms = _SplineTerms(u)
    out: list[Candidate] = [("constant", design, slice(0, 1))]
    at = 2
    for count, knots in splines:
        if count == 2:
            out.append(("linear", design, slice(0, 2)))
            continue
        own = slice(at, at + count - 2)
        terms.fill(knots, design[:, own])
        out.append((f"spline, {count} knots", design, np.r_[0, 1, own]))
        at = own.stop
    return out


def _monomials(z: np.ndarray, degree: int) -> np.ndarray:
    """Every product of at most ``degree`` columns of ``z``, constant first,
    then by degree in the order of ``combinations_with_replacement``; each
    built from a product of one degree less."""
    n, k = z.shape
    design = np.empty((n, math.comb(k + degree, degree)), order="F")
    design[:, 0] = 1.0
    column: dict[tuple[int, ...], int] = {(): 0}
    for d in range(1, degree + 1):
        for combo in combinations_with_replacement(range(k), d):
            at = len(column)
            np.multiply(design[:, column[combo[:-1]]], z[:, combo[-1]], out=design[:, at])
            column[combo] = at
    return design


def _additive_splines(x: np.ndarray) -> np.ndarray:
    """``[1, then each value's natural spline with ADDITIVE_KNOTS knots]``
    (a straight line where two knots coincide)."""
    n, k = x.shape
    parts: list[tuple[np.ndarray, np.ndarray | None]] = []
    for j in range(k):
        u = _scaled(x[:, j])
        parts.append((u, _knots(np.sort(u), ADDITIVE_KNOTS)))
    width = 1 + sum(1 if knots is None else knots.size - 1 for _, knots in parts)
    design = np.empty((n, width), order="F")
    design[:, 0] = 1.0
    at = 1
    for u, knots in parts:
        design[:, at] = u
        if knots is not None:
            _SplineTerms(u).fill(knots, design[:, at + 1 : at + knots.size - 1])
            at += knots.size - 1
        else:
            at += 1
    return design


def _group_bases(x: np.ndarray) -> list[Candidate]:
    """The constant, linear, quadratic and cubic polynomials of the
    standardised values (those with at most the allowed terms; nested, as
    the leading columns of one matrix), then the additive spline."""
    n, k = x.shape
    if k == 0:
        return _constant(n)
    limit = min(MAX_TERMS, max(2, n // 10))
    z = (x - x.mean(axis=0)) / x.std(axis=0)
    degrees = [d for d in (1, 2, 3) if math.comb(k + d, d) <= limit]
    design = _monomials(z, degrees[-1] if degrees else 0)
    out: list[Candidate] = [("constant", design, slice(0, 1))]
    for degree, name in ((1, "linear"), (2, "quadratic"), (3, "cubic")):
        if degree in degrees:
            out.append((name, design, slice(0, math.comb(k + degree, degree))))
    if 1 + k * (ADDITIVE_KNOTS - 1) <= limit:
        additive = _additive_splines(x)
        out.append(("additive spline", additive, slice(0, additive.shape[1])))
    return out


def _project(
    basis: np.ndarray, y: np.ndarray, gram: np.ndarray, moment: np.ndarray
) -> tuple[np.ndarray, int]:
    """Least-squares fitted values of ``y`` on ``basis``, and the basis rank.

    ``gram`` is ``basis.T @ basis`` and ``moment`` is ``basis.T @ y`` (or the
    block of those of the design matrix the basis is drawn from).  Solved
    through the normal equations, with the columns scaled to unit length and
    directions of the Gram matrix below 1e-10 of its largest eigenvalue
    dropped (collinear columns add nothing)."""
    scale = np.sqrt(np.diag(gram)).copy()
    scale[scale == 0] = 1.0
    values, vectors = np.linalg.eigh(gram / np.outer(scale, scale))
    keep = values > values[-1] * 1e-10
    v = vectors[:, keep]
    coef = v @ ((v.T @ (moment / scale)) / values[keep])
    return basis @ (coef / scale), int(keep.sum())


def _products(
    y: np.ndarray, candidates: list[Candidate]
) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """``(B, B.T @ B, B.T @ y)`` for each candidate basis ``B``, read as
    blocks of its design matrix's products, which are computed once per
    design matrix."""
    whole: dict[int, tuple[np.ndarray, np.ndarray]] = {}
    out = []
    for _, design, columns in candidates:
        if id(design) not in whole:
            whole[id(design)] = (design.T @ design, design.T @ y)
        gram, moment = whole[id(design)]
        if isinstance(columns, slice):
            out.append((design[:, columns], gram[columns, columns], moment[columns]))
        else:
            block = gram[np.ix_(columns, columns)]
            out.append((design[:, columns], block, moment[columns]))
    return out


@lru_cache(maxsize=1)
def _blas_threads() -> Any:
    """Controls the BLAS thread pool.  The fits run on one thread: their
    matrices are small, and extra threads cost far more than they give on a
    busy machine (a 10,000 x 286 Gram matrix took 0.65 s on two threads of a
    loaded two-CPU machine and 0.06 s on one)."""
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController()


def _best_fit(y: np.ndarray, candidates: list[Candidate]) -> Fit:
    with _blas_threads().limit(limits=1, user_api="blas"):
        return _best_of(y, candidates)


def _best_of(y: np.ndarray, candidates: list[Candidate]) -> Fit:
    n = y.size
    tss = float(np.sum((y - y.mean()) ** 2))
    best: tuple[float, str, np.ndarray, int, float] | None = None
    products = _products(y, candidates)
    for (name, _, _), (basis, gram, moment) in zip(candidates, products, strict=True):
        fitted, rank = _project(basis, y, gram, moment)
        if rank >= n:
            continue
        rss = float(np.sum((y - fitted) ** 2))
        gcv = n * rss / (n - rank) ** 2
        if best is None or gcv < best[0]:
            best = (gcv, name, fitted, rank, rss)
    assert best is not None  # the constant basis always fits
    _, name, fitted, rank, rss = best
    value = float(np.mean(np.maximum(fitted, 0.0)) - max(float(np.mean(fitted)), 0.0))
    r2 = 1.0 - rss / tss if tss > 0 else math.nan
    return Fit(max(value, 0.0), fitted, rank, name, r2, standard_error(fitted))


def standard_error(net_benefit: ArrayLike) -> float:
    """Monte Carlo standard error of :func:`evpi` of these draws [currency]:
    the sd of ``max(NB, 0) - NB * [E(NB) > 0]`` over the square root of N.

    >>> standard_error([1.0, 1.0])
    0.0
    """
    nb = np.asarray(net_benefit, dtype=np.float64)
    if nb.size < 2:
        return math.nan
    chosen = nb if float(np.mean(nb)) > 0 else np.zeros_like(nb)
    return float(np.std(np.maximum(nb, 0.0) - chosen, ddof=1) / math.sqrt(nb.size))


# --------------------------------------------------------------------------
# Scenarios


@dataclass(frozen=True)
class VoiResult(RunFields):
    """Value of information of commissioning each scenario (and the programme).

    Money is in the scenarios' currency at their price year.
    """

    #: What identifies the run: version, seed, draws N, scenario files.
    run: RunInfo
    #: Scenario id -> display name, in run (id) order.
    names: dict[str, str]
    #: Groups of values used for group EVPPI: name -> glob patterns.
    groups: dict[str, tuple[str, ...]]
    #: One row per scenario id (and ``"programme"`` when there are several):
    #: ``name``, ``decision`` (commission / do not commission), ``mean_npv``
    #: [currency], ``prob_npv_positive``, ``mean_users`` [women],
    #: ``value_perfect_info`` (E[max(NPV, 0)]) [currency], ``evpi`` [currency],
    #: ``evpi_se`` (its Monte Carlo standard error) [currency],
    #: ``evpi_per_woman`` [currency per woman supported],
    #: ``evpi_population`` (per woman times :attr:`population_women`, NaN
    #: without a population) [currency].
    evpi: pd.DataFrame
    #: One row per scenario and value or group: ``scenario``, ``kind``
    #: (``value`` or ``group``), ``name`` (dotted path or group name),
    #: ``paths`` (the dotted paths in it, comma separated), ``evppi``
    #: [currency], ``evppi_se`` (Monte Carlo standard error, the fit taken as
    #: exact) [currency], ``evppi_per_woman`` [currency per woman],
    #: ``evppi_population`` [currency], ``share_of_evpi``, ``r2``, ``terms``,
    #: ``basis``; largest EVPPI first within each scenario.
    evppi: pd.DataFrame
    #: What the net benefit counts, e.g. ``"NPV"``.
    net_benefit: str = "NPV"
    #: Women facing the decision each year [women/year], when given.
    population: float | None = None
    #: Years over which the decision recurs [years], when given.
    horizon: int | None = None
    #: Population times the discounted years of the horizon [women]; the
    #: per-woman figures times this are the population figures.
    population_women: float | None = None
    #: The scenarios as options of one choice (with "none"), when asked for.
    choice: Choice | None = None

    def frame(self) -> pd.DataFrame:
        """The EVPPI rows with everything else in ``attrs`` (``method``,
        ``seed``, ``draws``, ``currency``, ``price_year``, ``scenarios``,
        ``groups`` and ``evpi``, one dict per decision): the shape
        ``sroi sensitivity`` prints and turns into JSON."""
        frame = self.evppi.copy()
        evpi_rows = [
            {"scenario": str(sid), **{k: _plain(v) for k, v in row.items()}}
            for sid, row in self.evpi.iterrows()
        ]
        frame.attrs = {
            **self.run.header(method="voi", money=True, files=True),
            "scenarios": list(self.names),
            "titles": {**self.names, PROGRAMME: "Programme (all scenarios)"},
            "groups": {k: list(v) for k, v in self.groups.items()},
            **self._settings(),
            "evpi": evpi_rows,
            "choice": self._choice(),
        }
        return frame

    def _settings(self) -> dict[str, Any]:
        return {
            "net_benefit": self.net_benefit,
            "population": self.population,
            "horizon": self.horizon,
            "population_women": self.population_women,
        }

    def _choice(self) -> dict[str, Any] | None:
        """The choice among options as plain data (None when not asked for)."""
        c = self.choice
        if c is None:
            return None
        women = self.population_women
        return {
            "options": [
                {"option": name, "mean_net_benefit": _finite(mean), "prob_best": _finite(p)}
                for name, mean, p in zip(c.options, c.mean_net_benefit, c.prob_best, strict=True)
            ],
            "chosen": c.chosen,
            "evpi": _finite(c.evpi),
            "evpi_se": _finite(c.evpi_se),
            "evpi_per_woman": _finite(c.evpi_per_woman),
            "evpi_population": None if women is None else _finite(c.evpi_per_woman * women),
        }

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready document (stable keys; NaN and infinities as None)."""
        entries = []
        for sid, row in self.evpi.iterrows():
            rows = self.evppi[self.evppi["scenario"] == sid]
            entry: dict[str, Any] = {"id": sid, "name": row["name"], "decision": row["decision"]}
            for key in (
                "mean_npv",
                "prob_npv_positive",
                "mean_users",
                "value_perfect_info",
                "evpi",
                "evpi_se",
                "evpi_per_woman",
                "evpi_population",
            ):
                entry[key] = _finite(row[key])
            for kind, label in (("value", "values"), ("group", "groups")):
                entry[label] = [
                    {
                        "name": r["name"],
                        "paths": r["paths"].split(","),
                        "evppi": _finite(r["evppi"]),
                        "evppi_se": _finite(r["evppi_se"]),
                        "evppi_per_woman": _finite(r["evppi_per_woman"]),
                        "evppi_population": _finite(r["evppi_population"]),
                        "share_of_evpi": _finite(r["share_of_evpi"]),
                        "r2": _finite(r["r2"]),
                        "terms": int(r["terms"]),
                        "basis": r["basis"],
                    }
                    for _, r in rows[rows["kind"] == kind].iterrows()
                ]
            entries.append(entry)
        return {
            **self.run.header(method="voi", files=True),
            "groups": {k: list(v) for k, v in self.groups.items()},
            **self._settings(),
            "scenarios": [e for e in entries if e["id"] != PROGRAMME],
            "programme": next((e for e in entries if e["id"] == PROGRAMME), None),
            "choice": self._choice(),
        }


def _plain(x: Any) -> Any:
    return x.item() if isinstance(x, np.generic) else x


def _finite(x: Any) -> float | None:
    x = float(x)
    return x if math.isfinite(x) else None


def voi(
    paths: ScenarioLike | Sequence[ScenarioLike],
    draws: int = 10_000,
    seed: int = 0,
    groups: Mapping[str, Sequence[str]] | None = None,
    *,
    population: float | None = None,
    horizon: int | None = None,
    options: bool = False,
    net_benefit: NetBenefit | None = None,
    chunk_size: int = DEFAULT_CHUNK,
    perspective: str = "society",
    files: Mapping[str, str] | None = None,
) -> VoiResult:
    """EVPI and EVPPI of commissioning each scenario (and the programme).

    A draw's net benefit is the net present value of ``perspective``
    (:func:`sroi.results.perspective.perspective_draws`): ``npv`` for
    society, public value minus cash cost for the public sector, and so on;
    the ``mean_npv`` and ``prob_npv_positive`` columns are of that net value.

    Parameters
    ----------
    paths : path, Scenario, or a sequence of them
        Scenario files, folders or loaded scenarios; ids must be unique.
    draws : int
        Monte Carlo draws N (at least 10; thousands for stable EVPPI).
    seed : int
        Fixes every random number; the draws are those of ``sroi.run``.
    groups : mapping, optional
        Group name -> glob patterns over dotted paths, e.g.
        ``{"effect": ["effect.*"], "proxies": ["outcomes.*.proxy"]}``;
        default :data:`DEFAULT_GROUPS`.  Groups matching no uncertain value
        of a scenario are left out for it.
    population : float, optional
        Women facing the decision each year [women/year]; with ``horizon``,
        adds EVPI and EVPPI for that population over the horizon,
        discounted with the scenarios' schedule.
    horizon : int, optional
        Years the decision recurs [years]; given with ``population``.
    options : bool
        Also weigh the scenarios as options of one choice (which one, if
        any), draw by draw in the same run: multi-option EVPI.
    net_benefit : NetBenefit, optional
        What a draw's net benefit is, for a view no perspective names;
        default the perspective's (:func:`perspective_net_benefit`).
    chunk_size : int
        Draws per unit of work; changes memory, not results.
    perspective : str
        Whose value and which cost count (:data:`sroi.vocabulary.PERSPECTIVES`).
    files : mapping, optional
        Scenario id -> the file a loaded scenario came from, for the run
        header's file names and SHA-256.

    Raises
    ------
    PopulationError
        For a population or horizon that cannot scale the results (only one
        of them given, not positive, or scenarios discounting differently).

    Examples
    --------
    >>> r = voi("scenarios/family_action_pss/oxford.yaml", draws=400, seed=1)
    >>> bool(r.evpi.loc["oxford", "evpi"] >= r.evppi["evppi"].max() >= 0)
    True
    >>> r = voi("scenarios/family_action_pss/oxford.yaml", draws=400, seed=1,
    ...         groups={}, population=100, horizon=1)
    >>> row = r.evpi.loc["oxford"]
    >>> bool(row["evpi_population"] == row["evpi_per_woman"] * 100)
    True
    """
    import pandas as pd

    if draws < 10:
        raise ValueError(f"value of information needs at least 10 draws; found {draws}")
    if (population is None) != (horizon is None):
        raise PopulationError("give both a population and a horizon, or neither")
    women = None
    if population is not None and horizon is not None:
        women = population_factor(load_scenarios(paths), population, horizon)
    chosen = {k: tuple(v) for k, v in (DEFAULT_GROUPS if groups is None else groups).items()}
    if net_benefit is None:
        net_benefit = perspective_net_benefit(perspective)
    elif check_perspective(perspective).id != "society":
        raise ValueError("give a perspective or a net benefit, not both")
    wanted = tuple(dict.fromkeys((*net_benefit.metrics, "users")))
    found = collect(paths, draws, seed, wanted, inputs=True, chunk_size=chunk_size, files=files)
    titles = {**found.names, PROGRAMME: "Programme (all scenarios)"}
    evpi_rows: list[dict[str, Any]] = []
    evppi_rows: list[dict[str, Any]] = []
    columns = regressors(found)
    benefits = {name: net_benefit.of(found.metrics[name]) for name in columns}
    for name, cols in columns.items():
        row, values = decision(
            benefits[name], found.metrics[name]["users"], cols, chosen, population=women
        )
        evpi_rows.append({"scenario": name, "name": titles[name], **row})
        evppi_rows.extend({"scenario": name, **v} for v in values)
    evpi_frame = pd.DataFrame(evpi_rows).set_index("scenario")
    order = {name: i for i, name in enumerate(columns)}
    evppi_frame = pd.DataFrame(evppi_rows, columns=list(EVPPI_COLUMNS))
    evppi_frame = (
        evppi_frame.assign(_order=evppi_frame["scenario"].map(order))
        .sort_values(["_order", "kind", "evppi"], ascending=[True, False, False], kind="stable")
        .drop(columns="_order")
        .reset_index(drop=True)
    )
    among = None
    if options:
        ids = found.ids
        among = choice(
            ids,
            np.vstack([benefits[sid] for sid in ids]),
            np.vstack([found.metrics[sid]["users"] for sid in ids]),
        )
    return VoiResult(
        replace(found.run, perspective=perspective),
        dict(found.names),
        chosen,
        evpi_frame,
        evppi_frame,
        net_benefit=net_benefit.label,
        population=population,
        horizon=horizon,
        population_women=women,
        choice=among,
    )


def regressors(found: Draws) -> dict[str, dict[str, list[np.ndarray]]]:
    """The sampled values to regress on, per decision: a scenario's own
    uncertain values; for the programme (several scenarios), each value at
    every site (a shared value once per site; :func:`evppi` drops the copies)."""
    columns: dict[str, dict[str, list[np.ndarray]]] = {}
    for sid, own in zip(found.ids, found.inputs, strict=True):
        columns[sid] = {p: [v] for p, v in own.items()}
    if len(found.ids) > 1:
        merged: dict[str, list[np.ndarray]] = {}
        for own in found.inputs:
            for p, v in own.items():
                merged.setdefault(p, []).append(v)
        columns[PROGRAMME] = merged
    return columns


def decision(
    net_benefit: np.ndarray,
    users: np.ndarray,
    values: Mapping[str, Sequence[np.ndarray]],
    groups: Mapping[str, Sequence[str]],
    population: float | None = None,
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Value of information of one commission-or-not decision, on arrays.

    Parameters
    ----------
    net_benefit : array, shape (n,)
        NPV per draw [currency].
    users : array, shape (n,)
        Women supported per draw [women].
    values : mapping
        Dotted path -> its sampled values, one array of ``n`` per site.
    groups : mapping
        Group name -> glob patterns over paths; a group matching no path is
        left out.
    population : float, optional
        Discounted women over the horizon that the per-woman figures are
        multiplied by (:func:`~sroi.analysis.population.population_factor`)
        [women]; without it the population columns are NaN.

    Returns
    -------
    evpi_row : dict
        ``decision``, ``mean_npv``, ``prob_npv_positive``, ``mean_users``,
        ``value_perfect_info``, ``evpi``, ``evpi_se``, ``evpi_per_woman``,
        ``evpi_population`` (see :attr:`VoiResult.evpi`).
    evppi_rows : list of dict
        One per value, then one per group: the columns of
        :attr:`VoiResult.evppi` but ``scenario``.

    Examples
    --------
    >>> x = np.linspace(-2.0, 1.0, 201)
    >>> row, rows = decision(x, np.full(201, 2.0), {"a": [x]}, {"all": ("*",)})
    >>> row["decision"], row["evpi"] == evpi(x), row["evpi_per_woman"] == row["evpi"] / 2
    ('do not commission', True, True)
    >>> [(r["kind"], r["name"]) for r in rows]
    [('value', 'a'), ('group', 'all')]
    >>> row, _ = decision(x, np.full(201, 2.0), {}, {}, population=10.0)
    >>> row["evpi_population"] == row["evpi_per_woman"] * 10
    True
    """
    nb = np.asarray(net_benefit, dtype=np.float64)
    mean_users = float(np.mean(users))
    total = evpi(nb)
    mean_npv = float(np.mean(nb))
    row = {
        "decision": "commission" if mean_npv > 0 else "do not commission",
        "mean_npv": mean_npv,
        "prob_npv_positive": float(np.mean(nb > 0)),
        "mean_users": mean_users,
        "value_perfect_info": float(np.mean(np.maximum(nb, 0.0))),
        "evpi": total,
        "evpi_se": standard_error(nb),
        "evpi_per_woman": _per(total, mean_users),
        "evpi_population": _scaled_up(total, mean_users, population),
    }
    items: list[tuple[str, str, list[str]]] = [("value", p, [p]) for p in values]
    for group, patterns in groups.items():
        members = [p for p in values if any(fnmatch.fnmatchcase(p, pat) for pat in patterns)]
        if members:
            items.append(("group", group, members))
    rows = []
    for kind, label, members in items:
        fit = evppi(nb, np.column_stack([v for p in members for v in values[p]]))
        rows.append(
            {
                "kind": kind,
                "name": label,
                "paths": ",".join(members),
                "evppi": fit.evppi,
                "evppi_se": fit.se,
                "evppi_per_woman": _per(fit.evppi, mean_users),
                "evppi_population": _scaled_up(fit.evppi, mean_users, population),
                "share_of_evpi": fit.evppi / total if total > 0 else math.nan,
                "r2": fit.r2,
                "terms": fit.terms,
                "basis": fit.basis,
            }
        )
    return row, rows


def _per(x: float, users: float) -> float:
    return x / users if users > 0 else math.nan


def _scaled_up(x: float, users: float, population: float | None) -> float:
    return math.nan if population is None else _per(x, users) * population


__all__ = [
    "DEFAULT_GROUPS",
    "NPV",
    "Fit",
    "NetBenefit",
    "VoiResult",
    "decision",
    "evpi",
    "evppi",
    "regressors",
    "standard_error",
    "voi",
]
