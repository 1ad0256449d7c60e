"""The same model written the way peers write it, for the benchmark.

* :func:`naive_draw`: one draw at a time in plain Python, the way a
  spreadsheet recalculation or a per-draw model function works.
* :func:`squigglepy_inputs`: inputs drawn with squigglepy's vectorised
  samplers (the arithmetic is then the same numpy engine).
* :func:`numpy_floor`: just generating the random variates a run consumes,
  with numpy, in one call per value: the hardware floor for this model.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from sroi import distributions as d
from sroi.engine.discounting import discount_factors
from sroi.engine.model import horizon
from sroi.sampling.parameters import parameters
from sroi.sampling.streams import BLOCK
from sroi.scenario.model import Scenario


def numpy_floor(scenarios: list[Scenario], draws: int, seed: int = 0) -> int:
    """Generate as many variates as a run consumes, with numpy; returns the count.

    Counts one variate per uncertain value per draw (a shared value with the
    same distribution in several scenarios once, as the run draws it once),
    and for correlated values the normal score as well, over whole blocks.
    """
    rng = np.random.default_rng(seed)
    blocks = -(-draws // BLOCK) * BLOCK
    count = 0
    seen: set[tuple[str, object]] = set()
    for scenario in scenarios:
        correlated = {p for c in scenario.correlations for p in c.between}
        for path, p in parameters(scenario).items():
            if not p.uncertain:
                continue
            if p.shared and path not in correlated:
                if (path, p.distribution) in seen:
                    continue
                seen.add((path, p.distribution))
            n = blocks if path in correlated else draws
            p.distribution.sample(rng, n)
            count += n
            if path in correlated:
                rng.standard_normal(n)
                count += n
    return count


def naive_model(scenario: Scenario) -> Callable[[np.random.Generator], tuple[float, float]]:
    """A per-draw model function for ``scenario`` (set-up done once, as a
    spreadsheet's structure is), returning one draw of (value_pv, cost_pv)."""
    params = list(parameters(scenario).items())
    d = scenario.discounting
    h = horizon(scenario)
    fixed_df = None if d.rate is not None else discount_factors(h, d.schedule, d.convention)

    def draw(rng: np.random.Generator) -> tuple[float, float]:
        x = {path: float(p.distribution.sample(rng, 1)[0]) for path, p in params}
        df = (
            fixed_df
            if fixed_df is not None
            else discount_factors(h, d.schedule, d.convention, x["discounting.rate"])
        )
        return naive_draw(scenario, x, df.tolist())

    return draw


def naive_draw(scenario: Scenario, x: dict[str, float], df: list[float]) -> tuple[float, float]:
    """One draw of (value_pv, cost_pv) in plain Python from scalar inputs."""
    years = scenario.years
    ramp = scenario.ramp()
    h = len(df)
    d = scenario.discounting
    cost_pv = 0.0
    value = [0.0] * h
    pool = x["volunteers.pool"]
    for t in range(years):
        referrals = x["delivery.referrals_per_year"] * ramp[t]
        users = referrals * x["delivery.uptake"]
        if scenario.volunteers.max_users_per_volunteer is not None:
            users = min(users, pool * x["volunteers.max_users_per_volunteer"])
        engaged = users * x["delivery.engagement"]
        rw = x["effect.risk_without"]
        if scenario.effect.relative_risk is not None:
            risk_with = rw * x["effect.relative_risk"]
        else:
            risk_with = x["effect.risk_with"]
        cases = engaged * (rw - risk_with)
        recruited = pool if t == 0 else pool * x["volunteers.turnover"]
        contact = users * x["volunteers.hours_per_user"]
        hours = (
            contact
            + recruited * x["volunteers.training_hours"]
            + pool * x["volunteers.supervision_hours_per_year"]
        )
        drivers = {
            "year": 1.0,
            "referral": referrals,
            "user": users,
            "volunteer": pool,
            "volunteer_recruited": recruited,
            "once": 1.0 if t == 0 else 0.0,
        }
        c = "costs.coordinator"
        cash = x[f"{c}.fte"] * x[f"{c}.salary"] * (1 + x[f"{c}.on_costs"])
        for lid, line in scenario.costs.lines.items():
            cash += x[f"costs.lines.{lid}.amount"] * drivers[line.per]
        cash += contact * x["volunteers.expenses_per_hour"]
        cash *= (1 + x["costs.overhead_rate"]) * (1 + x["costs.optimism_bias"])
        cost = cash
        if scenario.volunteers.value_time_as_input:
            cost += hours * x["volunteers.value_per_hour"]
        cost_pv += cost * (df[t] if d.discount_costs else 1.0)
        out_drivers = {
            "case_averted": cases,
            "engaged_user": engaged,
            "user": users,
            "referral": referrals,
            "volunteer": pool,
        }
        for oid, o in scenario.outcomes.items():
            p = f"outcomes.{oid}"

            def adj(name: str, o=o, p=p) -> float:
                return (
                    x[f"{p}.{name}"] if getattr(o, name) is not None else x[f"adjustments.{name}"]
                )

            impact = (
                out_drivers[o.per]
                * x[f"{p}.probability"]
                * x[f"{p}.proxy"]
                * (1 - adj("deadweight"))
                * (1 - adj("attribution"))
                * (1 - adj("displacement"))
            )
            lag = int(o.lag.central())
            for k in range(math.ceil(o.duration.distribution().support()[1])):
                w = min(max(x[f"{p}.duration"] - k, 0.0), 1.0)
                value[t + lag + k] += impact * w * (1 - adj("drop_off")) ** k
    value_pv = sum(v * f for v, f in zip(value, df, strict=True))
    return value_pv, cost_pv


def squigglepy_inputs(scenario: Scenario, draws: int) -> dict[str, float | np.ndarray]:
    """Every value of ``scenario``, drawn with squigglepy's vectorised samplers."""
    import squigglepy as sq

    out: dict[str, float | np.ndarray] = {}
    for path, p in parameters(scenario).items():
        dist = p.distribution
        if dist.is_fixed:
            out[path] = dist.central()
            continue
        out[path] = np.asarray(sq.sample(_to_squigglepy(dist), n=draws), dtype=float)
    return out


def _to_squigglepy(dist: d.Distribution) -> object:
    import squigglepy as sq

    if isinstance(dist, d.Uniform):
        return sq.uniform(dist.low, dist.high)
    if isinstance(dist, d.Triangular):
        return sq.triangular(dist.low, dist.mode, dist.high)
    if isinstance(dist, d.Pert):
        return sq.pert(dist.low, dist.mode, dist.high)
    if isinstance(dist, d.Normal):
        return sq.norm(mean=dist.mean_, sd=dist.sd, lclip=dist.min, rclip=dist.max)
    if isinstance(dist, d.LogNormal):
        return sq.lognorm(lognorm_mean=dist.mean_, lognorm_sd=dist.sd)
    if isinstance(dist, d.Gamma):
        return sq.gamma(dist.shape, dist.scale)
    if isinstance(dist, d.Beta):
        return sq.beta(dist.alpha, dist.beta)
    if isinstance(dist, d.Range90):
        return sq.lognorm(dist.low, dist.high)
    raise TypeError(f"no squigglepy equivalent for {dist!r}")
