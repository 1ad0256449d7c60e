"""The EVPPI fits share one Gram matrix across nested bases and run BLAS on
one thread; they must give the numbers the plain normal-equation fits gave
(kept below as the reference) to 1e-9 relative."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from sroi.analysis import voi as voi_module
from sroi.analysis.voi import Fit, evppi, standard_error

ROOT = Path(__file__).resolve().parents[1]


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


def _same(new: Fit, old: Fit, where: str) -> None:
    assert (new.basis, new.terms) == (old.basis, old.terms), where
    for field in ("evppi", "r2", "se"):
        a, b = getattr(new, field), getattr(old, field)
        assert a == pytest.approx(b, rel=1e-9, abs=1e-9 * max(1.0, abs(b))), f"{where} {field}"
    scale = max(1.0, float(np.abs(old.fitted).max()))
    np.testing.assert_allclose(new.fitted, old.fitted, rtol=0, atol=1e-9 * scale, err_msg=where)


@pytest.mark.parametrize("k", [1, 3, 8, 12])
def test_fits_match_the_reference_on_toys(k: int) -> None:
    rng = np.random.default_rng(k)
    n = 3000
    x = rng.normal(size=(n, k))
    y = 1000 * (x[:, 0] - 0.2 + 0.3 * x[:, -1] ** 2) + 400 * rng.normal(size=n)
    if k > 2:
        x[:, 2] = x[:, 1]  # a duplicate column is dropped, as before
    x_used = voi_module._distinct_columns(x)
    bases = (
        voi_module._spline_bases(x_used[:, 0])
        if x_used.shape[1] == 1
        else voi_module._group_bases(x_used)
    )
    _same(voi_module._best_fit(y, bases), _reference_best_fit(y, bases), f"k={k}")


def test_voi_of_the_programme_matches_the_reference(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every EVPPI row of the four sites and the programme, fixed seed."""
    from sroi.analysis.voi import voi

    family = ROOT / "scenarios" / "family_action_pss"
    new = voi(family, draws=1500, seed=5).evppi
    monkeypatch.setattr(voi_module, "_best_fit", _reference_best_fit)
    old = voi(family, draws=1500, seed=5).evppi
    assert list(new["name"]) == list(old["name"]) and list(new["basis"]) == list(old["basis"])
    assert list(new["terms"]) == list(old["terms"])
    for column in ("evppi", "evppi_se", "r2"):
        np.testing.assert_allclose(
            new[column].to_numpy(), old[column].to_numpy(), rtol=1e-9, atol=1e-9, err_msg=column
        )
    assert (new["basis"].isin(["cubic", "quadratic"])).any(), "no large nested basis was tried"


def test_one_basis_and_its_extension_share_products() -> None:
    rng = np.random.default_rng(0)
    big = rng.normal(size=(50, 4))
    y = rng.normal(size=50)
    products = voi_module._nested_products(y, [("small", big[:, :2]), ("big", big)])
    np.testing.assert_allclose(products[0][0], (big[:, :2].T @ big[:, :2]), rtol=1e-12)
    assert products[0][0].base is products[1][0] or products[0][0].base is products[1][0].base


def test_evppi_of_a_straight_line_is_evpi() -> None:
    x = np.linspace(-1.0, 1.0, 2001)
    assert evppi(x, x).evppi == pytest.approx(float(np.mean(np.maximum(x, 0))), rel=1e-9)
