"""EVPPI by regression: the expected value of partial perfect information
about one value (or a group of values) φ of a commission-or-not decision,
``E_φ[max(E[NB | φ], 0)] - max(E[NB], 0)``.

The conditional expectation ``g(φ) = E[NB | φ]`` is fitted by least squares
on a flexible basis of the sampled φ (Strong, Oakley and Brennan 2014), and
EVPPI is ``mean(max(g, 0)) - max(mean(g), 0)``.  One value: a natural cubic
regression spline with knots at quantiles.  A group: a linear,
additive-spline, quadratic or cubic polynomial basis of the standardised
values.  Among the candidate bases (a constant always among them) the one
with the lowest generalised cross-validation score (GCV) is used, which
keeps the fit from chasing Monte Carlo noise (noise in ``g`` would bias
EVPPI upwards).

Nested bases are columns of one design matrix whose Gram matrix is computed
once, and the fits run BLAS on one thread.  See
``docs/value-of-information.md``, "How it is computed".
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations_with_replacement
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from sroi.analysis.voi_net_benefit import standard_error

#: Knot counts tried for one value's natural cubic spline (2 is a straight line).
SPLINE_KNOTS = (2, 3, 4, 5, 7)
#: Knots per value in the additive spline basis of a group.
ADDITIVE_KNOTS = 5
#: Largest regression basis tried [columns]; also at most draws / 10.
MAX_TERMS = 300


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

    >>> from sroi.analysis.voi_net_benefit import evpi
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


__all__ = ["ADDITIVE_KNOTS", "MAX_TERMS", "SPLINE_KNOTS", "Fit", "evppi"]
