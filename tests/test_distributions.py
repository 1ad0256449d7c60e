"""Tests for sroi.distributions.

Reference values are worked by hand (see the comments) or taken from
scipy.stats, which is an independent implementation of each distribution.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Callable

import numpy as np
import pytest
from scipy import stats

from sroi.distributions import (
    Beta,
    Distribution,
    Fixed,
    Gamma,
    LogNormal,
    Normal,
    Pert,
    Range90,
    Triangular,
    Uniform,
)

SEED = 12345
N_DRAWS = 200_000
QUANTILES = [0.01, 0.05, 0.5, 0.95, 0.99]


def scipy_equivalent(d: Distribution) -> stats.rv_continuous:
    """The same distribution built from scipy.stats, parameterised by hand here."""
    if isinstance(d, Uniform):
        return stats.uniform(loc=d.low, scale=d.high - d.low)
    if isinstance(d, Triangular):
        width = d.high - d.low
        return stats.triang(c=(d.mode - d.low) / width, loc=d.low, scale=width)
    if isinstance(d, Pert):
        width = d.high - d.low
        a = 1 + 4 * (d.mode - d.low) / width
        b = 1 + 4 * (d.high - d.mode) / width
        return stats.beta(a, b, loc=d.low, scale=width)
    if isinstance(d, Normal):
        if d.min is None and d.max is None:
            return stats.norm(loc=d.mean_, scale=d.sd)
        a = -np.inf if d.min is None else (d.min - d.mean_) / d.sd
        b = np.inf if d.max is None else (d.max - d.mean_) / d.sd
        return stats.truncnorm(a, b, loc=d.mean_, scale=d.sd)
    if isinstance(d, LogNormal):
        sigma2 = math.log(1 + d.sd**2 / d.mean_**2)
        mu = math.log(d.mean_) - sigma2 / 2
        return stats.lognorm(s=math.sqrt(sigma2), scale=math.exp(mu))
    if isinstance(d, Gamma):
        return stats.gamma(a=d.mean_**2 / d.sd**2, scale=d.sd**2 / d.mean_)
    if isinstance(d, Beta):
        return stats.beta(d.alpha, d.beta)
    if isinstance(d, Range90):
        sigma = (math.log(d.high) - math.log(d.low)) / (2 * 1.6448536)
        return stats.lognorm(s=sigma, scale=math.sqrt(d.low * d.high))
    raise TypeError(type(d))


UNCERTAIN: list[Distribution] = [
    Uniform(2, 8),
    Triangular(1, 2, 6),
    Triangular(0, 0, 1),  # mode at the low end
    Pert(1, 2, 6),
    Pert(10_000, 26_000, 30_000),
    Normal(100, 15),
    Normal(0.2, 0.1, min=0, max=1),
    Normal(0, 1, min=0),  # half-normal
    Normal(0, 1, max=-2),  # lower tail only
    Normal(0, 1, min=5, max=6),  # far upper tail: survival-function branch
    Normal(0, 1, min=-9, max=-8),  # far lower tail
    Normal(3, 2, min=2.9, max=3.1),  # narrow interval around the mean
    Normal(-40, 1, min=0, max=5),  # mean 40 sd below min: measured from min
    Normal(45, 0.5, max=20),  # mean 50 sd above max: measured from max
    LogNormal(100, 30),
    Gamma(10, 5),
    Gamma(2, 4),  # shape 0.25 < 1
    Beta(3, 7),
    Beta(0.5, 0.5),
    Range90(1, 100),
]
ALL: list[Distribution] = [Fixed(3.5), *UNCERTAIN]


def _id(d: Distribution) -> str:
    return repr(d)


# ---------------------------------------------------------------- hand-worked values

HAND_WORKED: list[tuple[Distribution, float, float, tuple[float, float]]] = [
    # (distribution, central, mean, support)
    (Fixed(3.5), 3.5, 3.5, (3.5, 3.5)),
    # midpoint (2 + 8) / 2 = 5
    (Uniform(2, 8), 5.0, 5.0, (2.0, 8.0)),
    # central = mode = 2; mean = (1 + 2 + 6) / 3 = 3
    (Triangular(1, 2, 6), 2.0, 3.0, (1.0, 6.0)),
    # central = mode = 2; mean = (1 + 4*2 + 6) / 6 = 15 / 6 = 2.5
    (Pert(1, 2, 6), 2.0, 2.5, (1.0, 6.0)),
    # untruncated: central = mean = 100
    (Normal(100, 15), 100.0, 100.0, (-math.inf, math.inf)),
    # mean inside [0, 1]: central 0.2; standardised bounds a = -2, b = 8, so
    # mean = 0.2 + 0.1 * (phi(-2) - phi(8)) / (Phi(8) - Phi(-2))
    #      = 0.2 + 0.1 * 0.05399096651 / 0.97724986805 = 0.2 + 0.1 * 0.05524786268
    (Normal(0.2, 0.1, min=0, max=1), 0.2, 0.2055247863, (0.0, 1.0)),
    # mean -1 below min 0: central clipped to 0; mean is still from the formula:
    # a = 1: mean = -1 + phi(1) / (1 - Phi(1)) = -1 + 0.2419707245 / 0.1586552539
    (Normal(-1, 1, min=0), 0.0, -1 + 0.2419707245 / 0.1586552539, (0.0, math.inf)),
    # half-normal: mean = phi(0) / (1/2) = 2 / sqrt(2 pi) = sqrt(2 / pi)
    (Normal(0, 1, min=0), 0.0, math.sqrt(2 / math.pi), (0.0, math.inf)),
    (LogNormal(100, 30), 100.0, 100.0, (0.0, math.inf)),
    (Gamma(10, 5), 10.0, 10.0, (0.0, math.inf)),
    # a / (a + b) = 3 / 10
    (Beta(3, 7), 0.3, 0.3, (0.0, 1.0)),
    # central = sqrt(1 * 100) = 10; sigma = ln(100) / (2 * 1.6448536) = 1.399897...,
    # mean = exp(ln 10 + sigma^2 / 2) = 10 * exp(0.979856...) = 26.6409...
    (
        Range90(1, 100),
        10.0,
        10 * math.exp((math.log(100) / (2 * 1.6448536)) ** 2 / 2),
        (0.0, math.inf),
    ),
]


@pytest.mark.parametrize(("dist", "central", "mean", "support"), HAND_WORKED, ids=_id)
def test_central_mean_support(
    dist: Distribution, central: float, mean: float, support: tuple[float, float]
) -> None:
    assert dist.central() == pytest.approx(central, rel=1e-12, abs=1e-15)
    assert dist.mean() == pytest.approx(mean, rel=1e-9)
    assert dist.support() == support


def test_derived_parameters() -> None:
    # PERT(1, 2, 6): alpha = 1 + 4 * 1/5 = 1.8, beta = 1 + 4 * 4/5 = 4.2
    assert Pert(1, 2, 6).alpha == pytest.approx(1.8)
    assert Pert(1, 2, 6).beta == pytest.approx(4.2)
    # Gamma(10, 5): shape 100 / 25 = 4, scale 25 / 10 = 2.5
    assert (Gamma(10, 5).shape, Gamma(10, 5).scale) == (4.0, 2.5)
    # LogNormal(100, 30): sigma^2 = ln(1.09), mu = ln(100) - ln(1.09) / 2
    assert LogNormal(100, 30).sigma == pytest.approx(math.sqrt(math.log(1.09)))
    assert LogNormal(100, 30).mu == pytest.approx(math.log(100) - math.log(1.09) / 2)
    # Beta from mean 0.5, sd 0.25: nu = 0.25 / 0.0625 - 1 = 3, a = b = 1.5 (exact)
    assert Beta.from_mean_sd(0.5, 0.25) == Beta(1.5, 1.5)
    # Beta from mean 0.2, sd 0.1: nu = 0.16 / 0.01 - 1 = 15, a = 3, b = 12
    b = Beta.from_mean_sd(0.2, 0.1)
    assert (b.alpha, b.beta) == pytest.approx((3.0, 12.0))
    assert Beta.from_counts(3, 10) == Beta(3, 7)
    # Range90(1, 100): mu = ln 10
    assert Range90(1, 100).mu == pytest.approx(math.log(10))


@pytest.mark.parametrize("dist", UNCERTAIN, ids=_id)
def test_mean_matches_scipy(dist: Distribution) -> None:
    assert dist.mean() == pytest.approx(scipy_equivalent(dist).mean(), rel=1e-9)


def test_is_fixed() -> None:
    assert Fixed(1).is_fixed
    assert not any(d.is_fixed for d in UNCERTAIN)


# ---------------------------------------------------------------- sampling


@pytest.mark.parametrize("dist", UNCERTAIN, ids=_id)
def test_sample_moments(dist: Distribution) -> None:
    x = dist.sample(np.random.default_rng(SEED), N_DRAWS)
    ref = scipy_equivalent(dist)
    n = x.size
    s2 = x.var(ddof=1)
    m4 = np.mean((x - x.mean()) ** 4)
    se_mean = math.sqrt(s2 / n)
    se_var = math.sqrt((m4 - s2**2) / n)
    assert abs(x.mean() - dist.mean()) < 4 * se_mean
    assert abs(s2 - ref.var()) < 4 * se_var
    lo, hi = dist.support()
    assert np.all((x >= lo) & (x <= hi))


@pytest.mark.parametrize("dist", ALL, ids=_id)
def test_sample_shape_and_dtype(dist: Distribution) -> None:
    rng = np.random.default_rng(SEED)
    x = dist.sample(rng, 5)
    assert x.shape == (5,)
    assert x.dtype == np.float64
    assert dist.sample(rng, 0).shape == (0,)


@pytest.mark.parametrize("dist", ALL, ids=_id)
def test_prefix_property(dist: Distribution) -> None:
    """The first m of n draws equal a draw of m from the same generator state."""
    rng = np.random.default_rng(SEED)
    rng_copy = copy.deepcopy(rng)
    long = dist.sample(rng, 1000)
    short = dist.sample(rng_copy, 137)
    np.testing.assert_array_equal(long[:137], short)


def test_same_seed_same_draws_and_fixed_consumes_nothing() -> None:
    a = Gamma(10, 5).sample(np.random.default_rng(1), 50)
    b = Gamma(10, 5).sample(np.random.default_rng(1), 50)
    np.testing.assert_array_equal(a, b)
    rng = np.random.default_rng(1)
    np.testing.assert_array_equal(Fixed(2).sample(rng, 3), [2.0, 2.0, 2.0])
    np.testing.assert_array_equal(Gamma(10, 5).sample(rng, 50), a)


@pytest.mark.parametrize("size", [-1, 2.5, True])
def test_bad_size(size: int) -> None:
    with pytest.raises(ValueError, match="found"):
        Uniform(0, 1).sample(np.random.default_rng(0), size)


# ---------------------------------------------------------------- ppf


@pytest.mark.parametrize("dist", UNCERTAIN, ids=_id)
def test_ppf_matches_scipy(dist: Distribution) -> None:
    expected = scipy_equivalent(dist).ppf(QUANTILES)
    np.testing.assert_allclose(dist.ppf(QUANTILES), expected, rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("dist", UNCERTAIN, ids=_id)
def test_ppf_ends_are_the_support(dist: Distribution) -> None:
    np.testing.assert_allclose(dist.ppf([0.0, 1.0]), dist.support(), rtol=1e-12)


@pytest.mark.parametrize("dist", UNCERTAIN, ids=_id)
def test_ppf_is_monotone(dist: Distribution) -> None:
    x = dist.ppf(np.linspace(0.0, 1.0, 2001))
    assert np.all(np.diff(x) >= 0)


def test_truncated_normal_far_beyond_the_mean() -> None:
    # [40, inf) holds about 1e-350 of a standard normal: scipy's log-space code is used.
    d = Normal(0, 1, min=40)
    ref = stats.truncnorm(40, np.inf)
    np.testing.assert_allclose(d.ppf(QUANTILES), ref.ppf(QUANTILES), rtol=1e-9)
    assert d.mean() == pytest.approx(ref.mean(), rel=1e-9)
    x = d.sample(np.random.default_rng(SEED), 1000)
    assert np.all(np.isfinite(x) & (x >= 40))


# A truncated normal whose mean lies more than FAR_SDS (34) sd outside [min,
# max] is measured from the nearer bound: bound + sd t, where t [sd] is a
# standard normal truncated to [a, b], less a.  As a grows, t tends to an
# exponential with rate a (its quantiles -log(1 - q) / a, mean 1 / a), with
# relative corrections of about 1 / a^2.  mean + sd z, as scipy.stats computes
# it, rounds at about a^2 * 1.1e-16 of the spread: fine at 40 sd, one value for
# every draw at 1e12 sd.

#: Quantiles of t at QUANTILES and its mean, for a = 40 with b = inf and
#: b = 40.01, computed with mpmath at 60 digits.
FAR_40 = {
    math.inf: (
        [
            2.5110086620367842e-4,
            1.2815118971927173e-3,
            1.7314126764651106e-2,
            7.4776778474636239e-2,
            1.1489263481159788e-1,
        ],
        2.4968847207263723e-2,
    ),
    0.01: (
        [
            8.2554906451921002e-5,
            4.1552797876354869e-4,
            4.5032399894914972e-3,
            9.3926373617795738e-3,
            9.8773409978019629e-3,
        ],
        4.6675119502363133e-3,
    ),
}


@pytest.mark.parametrize("width", list(FAR_40), ids=str)
def test_truncated_normal_far_outside_matches_mpmath(width: float) -> None:
    quantiles, mean = FAR_40[width]
    q = np.array(QUANTILES)
    # Mean 40 sd below min = 0: the values are t; 40 sd above max = 0: -t,
    # with probabilities reversed.
    bound = None if math.isinf(width) else width
    below = Normal(-40, 1, min=0, max=bound)
    above = Normal(40, 1, min=None if bound is None else -bound, max=0)
    np.testing.assert_allclose(below.ppf(q), quantiles, rtol=1e-14)
    np.testing.assert_allclose(-above.ppf(1 - q), quantiles, rtol=1e-14)
    assert below.mean() == pytest.approx(mean, rel=1e-14)
    assert -above.mean() == pytest.approx(mean, rel=1e-14)


@pytest.mark.parametrize(
    "d",
    [Normal(-50, 2, min=10, max=12), Normal(1e3, 10, min=500, max=600), Normal(0, 1, max=-60)],
    ids=repr,
)
def test_truncated_normal_far_outside_matches_scipy(d: Normal) -> None:
    # 30 to 60 sd out scipy's mean + sd z keeps about 12 digits of the spread.
    ref = scipy_equivalent(d)
    spread = d.sd / 30
    np.testing.assert_allclose(d.ppf(QUANTILES), ref.ppf(QUANTILES), rtol=0, atol=1e-9 * spread)
    assert d.mean() == pytest.approx(ref.mean(), rel=0, abs=1e-9 * spread)


@pytest.mark.parametrize(
    "d",
    [
        Normal(-1e6, 1, min=0, max=1),
        Normal(-1e12, 1, min=0, max=1),
        Normal(-1e12, 1e-138, min=0),  # 1e150 sd: the farthest allowed
        Normal(1e12, 1, min=0, max=1),  # above max: 1 - x is exponential
        Normal(5, 1e-9, max=-1e-3),  # 5e9 sd above max
    ],
    ids=repr,
)
def test_truncated_normal_far_outside_is_the_exponential_limit(d: Normal) -> None:
    # An exponential from the nearer bound with rate (bound - mean) / sd^2,
    # up to relative corrections of (1 + E/2) / a^2 in its quantile
    # E / rate, E = -log(1 - q): below 3e-11 here.  bound + x rounds at
    # 1.1e-16 of the bound.
    below = d.min is not None and d.min > d.mean_
    bound = d.min if below else d.max
    assert bound is not None
    rate = (bound - d.mean_) / d.sd**2
    q = np.array([0.0, 1e-300, 1e-9, *QUANTILES, 1 - 1e-9, 1 - 2.0**-53])
    with np.errstate(divide="ignore"):
        e = -np.log1p(-q) if below else -np.log(q)
    expected = np.clip(bound + e / rate, *d.support())
    np.testing.assert_allclose(d.ppf(q), expected, rtol=1e-10, atol=2.3e-16 * abs(bound))
    assert d.mean() == pytest.approx(bound + 1 / rate, rel=1e-10, abs=2.3e-16 * abs(bound))


@pytest.mark.parametrize("mean", [-1e6, -1e12])
def test_truncated_normal_far_outside_draws_distinct_values(mean: float) -> None:
    # mean + sd z gave 25,836 distinct values of 10^5 at 1e6 sd, and one at 1e12.
    x = Normal(mean, 1, min=0, max=1).sample(np.random.default_rng(SEED), 100_000)
    assert np.unique(x).size == x.size


@pytest.mark.parametrize(
    "d",
    [
        Normal(-1e12, 1, min=0, max=1),
        Normal(1e12, 1, min=0, max=1),
        Normal(-1e6, 1, min=0, max=1),
        Normal(-50, 1, min=0, max=1e-3),  # narrower than 1 / a: nearly uniform
        Normal(35, 1, min=-0.03, max=0),  # width about 1 / a
        Normal(-1e12, 1e-138, min=0),  # values about 1e-288
    ],
    ids=repr,
)
def test_truncated_normal_far_outside_mean_agrees_with_draws(d: Normal) -> None:
    x = d.sample(np.random.default_rng(SEED), 100_000)
    assert np.all((x >= d.support()[0]) & (x <= d.support()[1]))
    assert d.support()[0] <= d.mean() <= d.support()[1]
    scale = np.abs(x).max()  # so that the variance does not underflow
    y = x / scale
    assert abs(y.mean() - d.mean() / scale) < 4 * y.std() / math.sqrt(y.size)


@pytest.mark.parametrize(
    "d",
    [
        Normal(-33.5, 1, min=0),
        Normal(0, 1, min=5, max=6),
        Normal(0, 1, max=-9),
        Normal(-33.9, 1, min=0),  # mass below 1e-250: scipy.stats's z
    ],
    ids=repr,
)
def test_truncated_normal_up_to_far_sds_draws_as_before(d: Normal) -> None:
    # Up to 34 sd out, the values are mean + sd z, bit for bit as before.
    from scipy import special

    a, b = d._std_bounds()
    q = np.random.default_rng(SEED).random(1000)
    mass = special.ndtr(-a) - special.ndtr(-b) if a >= 0 else special.ndtr(b) - special.ndtr(a)
    below = special.ndtr(a) + q * mass
    above = special.ndtr(-b) + (1.0 - q) * mass
    with np.errstate(all="ignore"):
        z = np.where(below <= 0.5, special.ndtri(below), -special.ndtri(above))
    if mass < 1e-250:
        z = stats.truncnorm.ppf(q, a, b)
    expected = np.clip(d.mean_ + d.sd * np.clip(z, a, b), *d.support())
    np.testing.assert_array_equal(d.ppf(q), expected)


@pytest.mark.parametrize(
    ("low", "high", "mean"),
    [
        (1e3, 1e3 + 1, 1e3 + 1e-3 - 2e-9),  # a + 1/a - 2/a^3 for a far tail
        (1e10, None, 1e10 + 1e-10),
        (-41.0, -40.0, -(40 + 1 / 40 - 2 / 40**3)),
    ],
)
def test_truncated_normal_mean_far_in_a_tail(low: float, high: float | None, mean: float) -> None:
    # scipy.stats gave 1000.0010000082 for the first, inf for the second.
    assert Normal(0, 1, min=low, max=high).mean() == pytest.approx(mean, rel=1e-12, abs=1e-6)


@pytest.mark.parametrize(
    "d",
    [
        Normal(-5e-324, 1e12, min=0, max=1),  # mean + sd z rounds just below min
        Normal(10, 1, min=10, max=10 + 1e-12),  # the mean's formula cancels
        Normal(0, 1, min=1e-300, max=2e-300),  # 0/0 where the density is flat
    ],
    ids=repr,
)
def test_truncated_normal_stays_within_its_bounds(d: Normal) -> None:
    assert d.min is not None and d.max is not None
    x = d.ppf(np.linspace(0, 1, 101))
    assert np.all((x >= d.min) & (x <= d.max))
    assert d.min <= d.mean() <= d.max


@pytest.mark.parametrize(("low", "high"), [(1, 100), (0.02, 0.3), (500, 501)])
def test_range90_percentiles(low: float, high: float) -> None:
    p5, p95 = Range90(low, high).ppf([0.05, 0.95])
    assert p5 == pytest.approx(low, rel=1e-6)
    assert p95 == pytest.approx(high, rel=1e-6)


def test_ppf_shapes_and_fixed() -> None:
    q = np.full((2, 3), 0.5)
    assert Uniform(0, 2).ppf(q).shape == (2, 3)
    np.testing.assert_array_equal(Uniform(0, 2).ppf(q), np.ones((2, 3)))
    assert Gamma(1, 1).ppf(0.5).shape == ()
    np.testing.assert_array_equal(Fixed(7).ppf([0.0, 0.3, 1.0]), [7.0, 7.0, 7.0])


@pytest.mark.parametrize("q", [-0.1, 1.1, math.nan])
def test_ppf_rejects_non_probabilities(q: float) -> None:
    with pytest.raises(ValueError, match="found"):
        Normal(0, 1).ppf([0.5, q])


# ---------------------------------------------------------------- scaling


@pytest.mark.parametrize("dist", [d for d in ALL if not isinstance(d, Beta)], ids=_id)
def test_scaled(dist: Distribution) -> None:
    k = 2.5
    s = dist.scaled(k)
    assert type(s) is type(dist)
    assert s.central() == pytest.approx(k * dist.central(), rel=1e-12)
    assert s.mean() == pytest.approx(k * dist.mean(), rel=1e-12)
    lo, hi = dist.support()
    assert s.support() == pytest.approx((k * lo, k * hi), rel=1e-12)
    np.testing.assert_allclose(s.ppf(QUANTILES), k * dist.ppf(QUANTILES), rtol=1e-9)


def test_scaled_rejects_bad_k_and_beta() -> None:
    for k in (0, -1, math.inf):
        with pytest.raises(ValueError, match="found"):
            Uniform(0, 1).scaled(k)
    with pytest.raises(TypeError):
        Beta(2, 3).scaled(2)


# ---------------------------------------------------------------- validation

BAD: list[tuple[Callable[[], object], str]] = [
    (lambda: Uniform(10, 5), "low must be below high; found low=10, high=5"),
    (lambda: Uniform(5, 5), "single number"),
    (lambda: Triangular(5, 5, 5), "low must be below high"),
    (
        lambda: Triangular(1, 12, 10),
        "mode must lie within [low, high]; found mode=12 outside [1, 10]",
    ),
    (lambda: Pert(1, 0, 10), "mode must lie within"),
    (lambda: Pert(10, 5, 1), "low must be below high"),
    (lambda: Normal(0, 0), "sd must be > 0; found sd=0"),
    (lambda: Normal(0, -1), "sd must be > 0"),
    (lambda: Normal(0, 1, min=1, max=0), "normal min must be below max; found min=1, max=0"),
    (lambda: Normal(0, 1, min=1, max=1), "normal min must be below max"),
    (lambda: Normal(math.nan, 1), "finite"),
    (lambda: Normal(0, 1, max=math.inf), "finite"),
    (lambda: LogNormal(-1, 1), "lognormal mean must be > 0; found mean=-1"),
    (lambda: LogNormal(1, 0), "sd must be > 0"),
    (lambda: Gamma(0, 1), "gamma mean must be > 0; found mean=0"),
    (lambda: Gamma(1, -2), "sd must be > 0"),
    (lambda: Beta(0, 1), "alpha must be > 0"),
    (lambda: Beta(1, -1), "beta must be > 0"),
    (
        lambda: Beta.from_mean_sd(0.5, 0.6),
        "beta needs sd^2 < mean*(1-mean); found mean=0.5, sd=0.6",
    ),
    (lambda: Beta.from_mean_sd(1.2, 0.1), "strictly between 0 and 1"),
    # sd^2 rounds to 0: the shapes would be infinite (once a ZeroDivisionError).
    (
        lambda: Beta.from_mean_sd(0.5, 1e-300),
        "with this mean, sd at least 1.2e-08 (a value this certain can be written as the "
        "fixed number 0.5); found mean=0.5, sd=1e-300, whose shapes would be infinite",
    ),
    # Finite shapes past 1e15, where the beta's inverse CDF gives NaN.
    (lambda: Beta.from_mean_sd(0.5, 1e-20), "of at most 1e15: with this mean, sd at least"),
    (lambda: Beta(1e16, 1), "beta shapes must be at most 1e15; found alpha=1e+16, beta=1"),
    (lambda: Beta.from_counts(1, 1e16), "trials must be at most 1e15; found trials=1e+16"),
    (lambda: Beta.from_mean_sd(0.5, 0), "sd must be > 0"),
    (
        lambda: Beta.from_counts(10, 10),
        "successes must be below trials; found successes=10, trials=10",
    ),
    (lambda: Beta.from_counts(0, 10), "successes must be > 0"),
    # Derived shapes or scales that round to 0 or infinity: NaN draws, once.
    (
        lambda: Gamma(1e-300, 1e12),
        "gamma needs its shape mean^2/sd^2 and scale sd^2/mean each between 1e-300 and 1e300: "
        "with this mean, sd between 1.5e-154 and 1e-150; found mean=1e-300, sd=1000000000000, "
        "whose shape would be 0 (too small) and scale infinite",
    ),
    (lambda: Gamma(1e9, 1e-200), "found mean=1000000000, sd=1e-200, whose shape would be infinite"),
    (
        lambda: LogNormal(1e-300, 1),
        "lognormal needs sd/mean between 1e-150 and 1e150, so that sigma^2 = ln(1 + sd^2/mean^2) "
        "is a finite number above 0: with this mean, sd at most 1e-150; found mean=1e-300, sd=1",
    ),
    (lambda: LogNormal(1e12, 1e-300), "sd between 1e-138 and"),
    (
        lambda: Range90(1e-300, 1e12),
        "range90 needs a finite mean exp(mu + sigma^2/2), so high/low cannot be as wide as this: "
        "with this high, low at least 7.2e-44; found low=1e-300, high=1000000000000",
    ),
    (lambda: Range90(1e12, 1e12 + 2**-12), "logarithms are equal (write a single number"),
    (
        lambda: Normal(1e9, 1e-300, min=0, max=1),
        "normal needs its mean within 1e150 sd of [min, max]: with this mean, sd at least "
        "1e-141, or a mean nearer the bounds; found mean=1000000000, sd=1e-300, min=0, max=1, "
        "inf sd away",
    ),
    (
        lambda: Normal(0, 1e3, min=5e-324, max=1e-323),
        "normal needs min and max apart when measured in sd from the mean",
    ),
    (lambda: Normal(0, 1e308), "normal needs mean and sd small enough for finite draws"),
    (lambda: Uniform(-1e308, 1e308), "high - low must be a finite number, for finite draws"),
    (lambda: Range90(0, 3), "range90 needs 0 < low < high; found low=0, high=3"),
    (lambda: Range90(5, 3), "range90 needs 0 < low < high"),
    (lambda: Fixed(math.inf), "finite"),
    (lambda: Fixed("3"), "must be a number"),  # type: ignore[arg-type]
    (lambda: Uniform(True, 2), "must be a number"),
]


@pytest.mark.parametrize(("make", "message"), BAD, ids=[m for _, m in BAD])
def test_validation_errors(make: Callable[[], object], message: str) -> None:
    with pytest.raises(ValueError) as info:
        make()
    text = str(info.value)
    assert "found" in text
    assert message in text


def test_beta_at_the_quoted_sd_and_largest_shapes() -> None:
    # The sd a refusal quotes is one that works, and the largest shapes draw.
    assert max(Beta.from_mean_sd(0.5, 1.2e-8).alpha, Beta.from_mean_sd(0.5, 1.2e-8).beta) <= 1e15
    for d in (Beta(1e15, 1e15), Beta(1e15, 1e-300), Beta.from_counts(1, 1e12)):
        x = d.ppf([2.0**-40, 0.5, 1 - 2.0**-40])
        assert np.all(np.isfinite(x) & (x >= 0) & (x <= 1))


def test_parameters_are_stored_as_floats_and_frozen() -> None:
    d = Uniform(1, 2)
    assert isinstance(d.low, float)
    with pytest.raises(AttributeError):
        d.low = 0.0  # type: ignore[misc]
    assert Normal(1, 2, min=0) == eval(repr(Normal(1, 2, min=0)))


# --------------------------------------------------------------------------- beta quantiles

# Beta(1000, 1e9): counts of 1,000 in a billion.  Mean a/(a+b) = 1e-6 (to
# 1e-12), sd sqrt(ab/((a+b)^2 (a+b+1))) = sqrt(1e3 * 1e9 / (1e18 * 1e9)) =
# 3.162e-8.  It is nearly a Gamma(1000) scaled by 1e-9, skewness g =
# 2/sqrt(1000) = 0.0632, so by Cornish-Fisher its 5th percentile is mean +
# sd (z + g/6 (z^2 - 1)) with z = -1.6449: 1e-6 - 3.162e-8 (1.6449 - 0.0180)
# = 9.4855e-7, and its median mean - sd g/6 = 1e-6 - 3.33e-10 = 9.9967e-7
# (the next term is below 1e-3 sd).  scipy's betaincinv returns 1.903e-6
# for both, 28 sd above the mean.
EXTREME = (1000.0, 1e9)


def test_beta_quantiles_are_solved_where_scipys_are_wrong() -> None:
    from scipy import special

    dist = Beta(*EXTREME)
    x = dist.ppf(np.array([0.05, 0.5]))
    np.testing.assert_allclose(x, [9.4855e-7, 9.9967e-7], rtol=2e-5)
    assert special.betaincinv(*EXTREME, 0.05) > 1.5e-6  # the failure corrected


@pytest.mark.parametrize("shapes", [EXTREME, EXTREME[::-1], (3.0, 1e12), (1e7, 1e3)])
def test_beta_quantiles_bracket_their_probabilities(shapes: tuple[float, float]) -> None:
    # The quantile x of u is where the CDF crosses u: the CDF just below x is
    # at most u and just above is at least u (each tail measured on its own
    # side, where u keeps its precision).
    from scipy import special

    a, b = shapes
    u = np.array([1e-9, 1e-4, 0.05, 0.3, 0.5, 0.7, 0.95, 0.9999, 1 - 1e-9])
    x = Beta(a, b).ppf(u)
    lo, hi = x * (1 - 1e-10), np.minimum(x * (1 + 1e-10), 1.0)
    lower = u <= 0.5
    assert np.all(special.betainc(a, b, lo[lower]) <= u[lower])
    assert np.all(special.betainc(a, b, hi[lower]) >= u[lower])
    assert np.all(special.betaincc(a, b, lo[~lower]) >= 1 - u[~lower])
    assert np.all(special.betaincc(a, b, hi[~lower]) <= 1 - u[~lower])


def test_beta_quantiles_give_the_beta_moments() -> None:
    # Mean and sd of the quantile function by the midpoint rule over normal
    # scores z in [-8, 8] (u = Phi(z)), against the closed forms above.
    z = np.linspace(-8, 8, 4001)
    weight = stats.norm.pdf(z)
    x = Beta(*EXTREME).ppf(stats.norm.cdf(z))
    mean = np.sum(weight * x) / np.sum(weight)
    sd = math.sqrt(np.sum(weight * (x - mean) ** 2) / np.sum(weight))
    a, b = EXTREME
    assert abs(mean - a / (a + b)) < 1e-6 * 3.162e-8
    assert sd == pytest.approx(3.162e-8, rel=1e-3)


@pytest.mark.parametrize("shapes", [(2.0, 3.0), (0.5, 0.7), (1e15, 1e15), (20.0, 1e5)])
def test_beta_quantiles_keep_scipys_answer_where_it_is_right(shapes: tuple[float, float]) -> None:
    # Shapes where betaincinv is accurate keep its quantiles bit for bit, so
    # no run without an extreme beta changes.  With both shapes above 1e7
    # betainc is the noisier of the two and is not used to referee.
    from scipy import special

    u = np.linspace(0.0, 1.0, 101)
    np.testing.assert_array_equal(Beta(*shapes).ppf(u), special.betaincinv(*shapes, u))
