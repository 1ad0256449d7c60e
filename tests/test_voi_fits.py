"""The EVPPI fits build every candidate basis of a value as columns of one
design matrix, share its Gram matrix across nested bases and run BLAS on one
thread; they must give the numbers of the plain fits (each basis built by
``np.column_stack`` and solved through its own normal equations, kept below
as the reference) to 1e-9 relative.

EVPPI is ``mean(max(g, 0)) - max(mean(g), 0)``, a difference of two means of
the fitted net benefit ``g``; where it is tiny against them, a last-bit
change in ``g`` moves it by about one unit in the last place of the means.
So EVPPI and its standard error may also differ by an absolute 1e-15 of the
largest net benefit (a few units in the last place), and the fitted values,
as before, by 1e-9 of the largest of them."""

from __future__ import annotations

import math
from itertools import combinations_with_replacement
from pathlib import Path

import numpy as np
import pytest

from sroi.analysis import voi_decision, voi_fits
from sroi.analysis.voi_fits import ADDITIVE_KNOTS, MAX_TERMS, SPLINE_KNOTS, Fit, evppi
from sroi.analysis.voi_net_benefit import standard_error

ROOT = Path(__file__).resolve().parents[1]

# --------------------------------------------------------------------------
# The reference: bases and fits as they were, one array per basis.


def _reference_natural_spline(u: np.ndarray, knots: np.ndarray) -> np.ndarray:
    def cube(t: np.ndarray) -> np.ndarray:
        return t * t * t

    last = knots[-1]
    beyond = cube(np.maximum(u - last, 0.0))

    def d(k: int) -> np.ndarray:
        return (cube(np.maximum(u - knots[k], 0.0)) - beyond) / (last - knots[k])

    d_penultimate = d(len(knots) - 2)
    return np.column_stack([u, *(d(k) - d_penultimate for k in range(len(knots) - 2))])


def _reference_knots(u: np.ndarray, count: int) -> np.ndarray | None:
    knots = np.unique(np.quantile(u, np.linspace(0.05, 0.95, count)))
    return knots if knots.size == count else None


def _reference_scaled(col: np.ndarray) -> np.ndarray:
    return (col - col.min()) / np.ptp(col)


def _reference_spline_bases(col: np.ndarray) -> list[tuple[str, np.ndarray]]:
    n = col.size
    out = [("constant", np.ones((n, 1)))]
    if n < 3 or np.ptp(col) == 0:
        return out
    u = _reference_scaled(col)
    for count in SPLINE_KNOTS:
        if count + 1 > max(2, n // 10) and count > 2:
            break
        knots = _reference_knots(u, count)
        if knots is None:
            continue
        name = "linear" if count == 2 else f"spline, {count} knots"
        out.append((name, np.column_stack([np.ones(n), _reference_natural_spline(u, knots)])))
    return out


def _reference_group_bases(x: np.ndarray) -> list[tuple[str, np.ndarray]]:
    n, k = x.shape
    out = [("constant", np.ones((n, 1)))]
    if k == 0:
        return out
    limit = min(MAX_TERMS, max(2, n // 10))
    z = (x - x.mean(axis=0)) / x.std(axis=0)
    for degree, name in ((1, "linear"), (2, "quadratic"), (3, "cubic")):
        if math.comb(k + degree, degree) <= limit:
            cols = [np.ones(n)]
            for d in range(1, degree + 1):
                for combo in combinations_with_replacement(range(k), d):
                    cols.append(np.prod(z[:, combo], axis=1))
            out.append((name, np.column_stack(cols)))
    if 1 + k * (ADDITIVE_KNOTS - 1) <= limit:
        parts = [np.ones((n, 1))]
        for j in range(k):
            u = _reference_scaled(x[:, j])
            knots = _reference_knots(u, ADDITIVE_KNOTS)
            parts.append(_reference_natural_spline(u, knots) if knots is not None else u[:, None])
        out.append(("additive spline", np.column_stack(parts)))
    return out


def _reference_project(basis: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, int]:
    """The fit as it was: each basis's own normal equations."""
    scale = np.sqrt(np.einsum("ij,ij->j", basis, basis))
    scale[scale == 0] = 1.0
    b = basis / scale
    values, vectors = np.linalg.eigh(b.T @ b)
    keep = values > values[-1] * 1e-10
    v = vectors[:, keep]
    coef = v @ ((v.T @ (b.T @ y)) / values[keep])
    return b @ coef, int(keep.sum())


def _reference_best_fit(y: np.ndarray, candidates: list[tuple[str, np.ndarray]]) -> Fit:
    n = y.size
    tss = float(np.sum((y - y.mean()) ** 2))
    best = None
    for name, basis in candidates:
        fitted, rank = _reference_project(basis, y)
        if rank >= n:
            continue
        rss = float(np.sum((y - fitted) ** 2))
        gcv = n * rss / (n - rank) ** 2
        if best is None or gcv < best[0]:
            best = (gcv, name, fitted, rank, rss)
    assert best is not None
    _, name, fitted, rank, rss = best
    value = float(np.mean(np.maximum(fitted, 0.0)) - max(float(np.mean(fitted)), 0.0))
    r2 = 1.0 - rss / tss if tss > 0 else math.nan
    return Fit(max(value, 0.0), fitted, rank, name, r2, standard_error(fitted))


def _reference_evppi(net_benefit: np.ndarray, values: np.ndarray) -> Fit:
    y = np.asarray(net_benefit, dtype=np.float64)
    x = np.asarray(values, dtype=np.float64)
    if x.ndim == 1:
        x = x[:, None]
    x = voi_fits._distinct_columns(x)
    bases = _reference_spline_bases(x[:, 0]) if x.shape[1] == 1 else _reference_group_bases(x)
    return _reference_best_fit(y, bases)


# --------------------------------------------------------------------------


def _same(new: Fit, old: Fit, y: np.ndarray, where: str) -> None:
    assert (new.basis, new.terms) == (old.basis, old.terms), where
    floor = 1e-15 * float(np.abs(y).max())
    for field in ("evppi", "se"):
        a, b = getattr(new, field), getattr(old, field)
        assert a == pytest.approx(b, rel=1e-9, abs=floor), f"{where} {field}"
    assert new.r2 == pytest.approx(old.r2, rel=1e-9, abs=1e-15), f"{where} r2"
    scale = float(np.abs(old.fitted).max())
    np.testing.assert_allclose(new.fitted, old.fitted, rtol=0, atol=1e-9 * scale, err_msg=where)


@pytest.mark.parametrize("k", [1, 3, 8, 12])
def test_fits_match_the_reference_on_toys(k: int) -> None:
    rng = np.random.default_rng(k)
    n = 3000
    x = rng.normal(size=(n, k))
    y = 1000 * (x[:, 0] - 0.2 + 0.3 * x[:, -1] ** 2) + 400 * rng.normal(size=n)
    if k > 2:
        x[:, 2] = x[:, 1]  # a duplicate column is dropped, as before
    _same(evppi(y, x), _reference_evppi(y, x), y, f"k={k}")


def test_a_value_with_tied_quantiles_drops_those_knot_counts() -> None:
    """A value with few distinct levels has coinciding knots for some
    counts; those splines are left out, as they were."""
    rng = np.random.default_rng(4)
    x = rng.integers(0, 4, size=2000).astype(float)
    y = 50 * x + rng.normal(size=2000)
    names = [name for name, _, _ in voi_fits._spline_bases(x)]
    assert names == [name for name, _ in _reference_spline_bases(x)]
    assert "spline, 7 knots" not in names
    _same(evppi(y, x), _reference_evppi(y, x), y, "tied")


def test_voi_of_the_programme_matches_the_reference(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every EVPPI row of the four sites and the programme, fixed seed."""
    from sroi.analysis.voi import voi

    family = ROOT / "scenarios" / "family_action_pss"
    new = voi(family, draws=1500, seed=5)
    monkeypatch.setattr(voi_decision, "evppi", _reference_evppi)
    old = voi(family, draws=1500, seed=5)
    rows, ref = new.evppi, old.evppi
    assert list(rows["name"]) == list(ref["name"]) and list(rows["basis"]) == list(ref["basis"])
    assert list(rows["terms"]) == list(ref["terms"])
    floor = 1e-15 * float(np.abs(new.evpi["mean_npv"]).max() * 100)
    for column in ("evppi", "evppi_se"):
        np.testing.assert_allclose(
            rows[column].to_numpy(), ref[column].to_numpy(), rtol=1e-9, atol=floor, err_msg=column
        )
    np.testing.assert_allclose(rows["r2"].to_numpy(), ref["r2"].to_numpy(), rtol=1e-9, atol=1e-15)
    assert (rows["basis"].isin(["cubic", "quadratic"])).any(), "no large nested basis was tried"
    assert rows["basis"].str.startswith("spline").any(), "no spline was chosen"


def test_nested_bases_share_one_design_matrix_and_its_products() -> None:
    rng = np.random.default_rng(0)
    x = rng.normal(size=(400, 3))
    y = rng.normal(size=400)
    bases = voi_fits._group_bases(x)
    assert [name for name, _, _ in bases] == [
        "constant",
        "linear",
        "quadratic",
        "cubic",
        "additive spline",
    ]
    polynomial = bases[3][1]
    assert all(design is polynomial for _, design, _ in bases[:4])
    assert bases[4][1] is not polynomial
    for (name, design, columns), (basis, gram, moment) in zip(
        bases, voi_fits._products(y, bases), strict=True
    ):
        direct = np.ascontiguousarray(design[:, columns])
        np.testing.assert_array_equal(basis, direct, err_msg=name)
        np.testing.assert_allclose(gram, direct.T @ direct, rtol=1e-12, err_msg=name)
        np.testing.assert_allclose(moment, direct.T @ y, rtol=1e-12, err_msg=name)


def test_spline_bases_match_the_column_stacked_ones() -> None:
    rng = np.random.default_rng(2)
    col = rng.gamma(2.0, size=5000)
    built = voi_fits._spline_bases(col)
    reference = _reference_spline_bases(col)
    assert [name for name, _, _ in built] == [name for name, _ in reference]
    for (name, design, columns), (_, basis) in zip(built, reference, strict=True):
        np.testing.assert_allclose(design[:, columns], basis, rtol=1e-13, atol=1e-15, err_msg=name)


@pytest.mark.parametrize("n", [3, 10, 11, 1000, 9999])
def test_quantiles_of_sorted_values_are_numpys(n: int) -> None:
    values = np.random.default_rng(n).random(n)
    ordered = np.sort(values)
    for count in SPLINE_KNOTS:
        q = np.linspace(0.05, 0.95, count)
        np.testing.assert_array_equal(voi_fits._quantiles(ordered, q), np.quantile(values, q))


def test_evppi_of_a_straight_line_is_evpi() -> None:
    x = np.linspace(-1.0, 1.0, 2001)
    assert evppi(x, x).evppi == pytest.approx(float(np.mean(np.maximum(x, 0))), rel=1e-9)
