"""Every value a scenario may hold can be computed with: extreme parameters.

Property: a value written with any numbers a scenario allows (finite, at most
a trillion in size, down to the smallest subnormal) is either refused with a
``ValueError`` naming what would work, or gives finite numbers everywhere the
model reads it: its central value and mean, its quantiles at the
probabilities the quasi-random samplers and sensitivity analyses use, and
its pseudo-random draws, all within its support.  Before these checks a gamma
``{mean: 1e-300, sd: 1e12}`` validated and then drew NaN in every draw.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from hypothesis import example, given
from hypothesis import strategies as st
from pydantic import ValidationError

from sroi.limits import MAX_MAGNITUDE
from sroi.sampling.inverse import quantiles
from sroi.sampling.streams import block_generator, block_values
from sroi.scenario.values import Value

#: Probabilities a sampler or analysis hands to an inverse CDF: the quasi-random
#: samplers' edges (2^-40), the percentiles the tables show, and the middle.
PROBABILITIES = np.array([2.0**-40, 1e-6, 0.05, 0.5, 0.95, 1 - 1e-6, 1 - 2.0**-40])
DRAWS = 2_000

#: Positive numbers from the smallest subnormal to the largest a scenario holds.
positive = st.floats(min_value=5e-324, max_value=MAX_MAGNITUDE, allow_subnormal=True)
real = st.one_of(positive, positive.map(lambda x: -x), st.just(0.0))
fraction = st.floats(min_value=5e-324, max_value=1.0, exclude_max=True, allow_subnormal=True)


@st.composite
def specs(draw: st.DrawFn) -> dict[str, Any]:
    """A value mapping with one distribution key and extreme numbers."""
    kind = draw(st.sampled_from(["gamma", "lognormal", "normal", "range90", "beta", "pert"]))
    if kind in ("gamma", "lognormal"):
        return {kind: {"mean": draw(positive), "sd": draw(positive)}}
    if kind == "normal":
        spec = {"mean": draw(real), "sd": draw(positive)}
        bounds = sorted(draw(st.lists(real, min_size=2, max_size=2)))
        which = draw(st.sampled_from(["none", "min", "max", "both"]))
        if which in ("min", "both"):
            spec["min"] = bounds[0]
        if which in ("max", "both"):
            spec["max"] = bounds[1]
        return {"normal": spec}
    if kind == "range90":
        return {"range90": sorted(draw(st.lists(positive, min_size=2, max_size=2)))}
    if kind == "beta":
        if draw(st.booleans()):
            return {"beta": {"mean": draw(fraction), "sd": draw(positive)}}
        return {"beta": {"successes": draw(positive), "trials": draw(positive)}}
    return {kind: sorted(draw(st.lists(real, min_size=3, max_size=3)))}


def _within(x: np.ndarray, support: tuple[float, float]) -> bool:
    return bool(np.all(np.isfinite(x)) and np.all((x >= support[0]) & (x <= support[1])))


@given(spec=specs())
@example(spec={"gamma": {"mean": 1e-300, "sd": 1e12}})
@example(spec={"gamma": {"mean": 1e9, "sd": 1e-300}})
@example(spec={"lognormal": {"mean": 1e-300, "sd": 1.0}})
@example(spec={"range90": [1e-300, 1e12]})
@example(spec={"normal": {"mean": 1e9, "sd": 1e-300, "min": 0, "max": 1}})
@example(spec={"normal": {"mean": 0, "sd": 1e3, "min": 5e-324, "max": 1e-323}})
@example(spec={"normal": {"mean": -5e-324, "sd": 1e12, "min": 0, "max": 1}})
@example(spec={"beta": {"mean": 0.5, "sd": 1e-300}})
@example(spec={"beta": {"mean": 1e-10, "sd": 1e-100}})
@example(spec={"beta": {"successes": 1000, "trials": 1e9}})  # drew 1e102 from its table
@example(spec={"beta": {"successes": 1e12, "trials": 1e12 + 1}})  # drew NaN
def test_an_extreme_value_is_refused_or_finite_everywhere(spec: dict[str, Any]) -> None:
    try:
        value = Value.model_validate(spec)
    except ValidationError as exc:
        assert all(e["type"] == "value_error" for e in exc.errors()), exc
        return
    d = value.distribution()
    support = d.support()
    assert _within(np.array([d.central(), d.mean()]), support)
    assert _within(d.ppf(PROBABILITIES), support)
    assert _within(quantiles(d, PROBABILITIES), support)
    draws = block_values(block_generator((1, 2), 0), DRAWS, d)
    assert _within(draws, support)


def test_the_sds_a_refusal_quotes_are_accepted() -> None:
    # gamma {mean: 1e-300, sd: 1e12} is refused with "sd between 1.5e-154 and
    # 1e-150"; both ends work.
    for sd in (1.5e-154, 1e-150):
        value = Value.model_validate({"gamma": {"mean": 1e-300, "sd": sd}})
        assert math.isfinite(value.distribution().ppf([0.5])[0])
