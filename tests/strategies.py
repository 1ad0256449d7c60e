"""Hypothesis strategies that build valid scenarios (docs/scenarios.md) as plain data.

A scenario is drawn as the plain ``dict`` a YAML file would hold and turned
into a :class:`~sroi.scenario.model.Scenario` with :func:`build`.  Working on
the dict lets a property change one field (:func:`set_in`) or scale every
money value (:func:`scaled`) and compare two scenarios that differ in that
one thing only.

Numbers are drawn on a decimal grid (``places`` decimal places) within
moderate bounds: nothing is tiny, huge or subnormal, products cannot
overflow, and a shrunk example reads as round numbers.  Every value respects
the support its field allows (probabilities in [0, 1], money and counts
>= 0, bounded durations, fixed whole years and lags), so every draw of these
strategies validates.

Knobs of :func:`scenario_data` let a property hold one thing steady:

``fixed``
    every value a fixed number (no distributions);
``proxies``
    ``"any"`` (negative proxies allowed: disbenefits) or ``"non_negative"``;
``effect``
    ``"any"`` (``risk_with`` may exceed ``risk_without``) or ``"beneficial"``
    (cases averted >= 0 in every draw);
``effect_form``
    ``"risk_with"`` or ``"relative_risk"`` (default: either);
``fixed_costs_only``
    no cost that grows with referrals or users: cost lines per year, once or
    per volunteer, no volunteer expenses, no in-kind volunteer time;
``outcomes``
    ``(min, max)`` number of outcomes;
``spreads``
    let outcomes carry a ``spread`` (with duration 1 and no own drop-off).

Money values may carry their own ``price_year`` and outcomes their own
``discount_schedule`` under every knob.
"""

from __future__ import annotations

import copy
import functools
import math
from collections.abc import Iterator
from typing import Any, Literal

from hypothesis import strategies as st

from sroi import vocabulary
from sroi.prices import GDP_DEFLATOR
from sroi.scenario.model import Scenario
from sroi.vocabulary import PAYERS, VALUE_TYPES

Data = dict[str, Any]
Path = tuple[str, ...]
Spec = float | dict[str, Any]

COST_DRIVERS = tuple(vocabulary.COST_DRIVERS)
#: Cost drivers that do not grow with referrals or users.
FIXED_COST_DRIVERS = tuple(d for d in COST_DRIVERS if d not in ("referral", "user"))
OUTCOME_DRIVERS = tuple(vocabulary.OUTCOME_DRIVERS)
ADJUSTMENTS = ("deadweight", "attribution", "displacement", "drop_off")
SCHEDULES = ("green_book", "green_book_health", "constant")
CONVENTIONS = ("green_book", "end_of_year")

SCENARIO_IDS = ("alpha", "bravo", "charlie", "delta", "echo")
OUTCOME_IDS = ("fewer_gp_visits", "wellbeing", "employment", "child_outcomes", "carer_strain")
LINE_IDS = ("rent", "training", "travel", "publicity", "laptops")

#: Generous but moderate tops for drawn numbers [unit of the field].
MONEY_TOP = 50_000.0
PROXY_TOP = 20_000.0
REFERRALS_TOP = 400.0
DURATION_TOP = 6.0

#: Value keys whose numbers are all in the field's unit (so scale with it).
_SCALABLE = {"value", "uniform", "triangular", "pert", "normal", "lognormal", "gamma", "range90"}


# --------------------------------------------------------------------------- numbers

# Strategy objects are validated on first use, which costs more than drawing
# from them: build each one once.
BOOLEANS = st.booleans()


#: One 32-bit draw, scaled to a range by ``value_specs``' ``grid``.
_SPAN = 2**32
_UNIT = st.integers(0, _SPAN - 1)


@functools.lru_cache(maxsize=4096)
def _integers(low: int, high: int) -> st.SearchStrategy[int]:
    return st.integers(low, high)


@functools.lru_cache(maxsize=256)
def _choice(options: tuple[Any, ...]) -> st.SearchStrategy[Any]:
    return st.sampled_from(options)


@functools.lru_cache(maxsize=256)
def _subsets(options: tuple[str, ...], low: int, high: int) -> st.SearchStrategy[list[str]]:
    return st.lists(st.sampled_from(options), min_size=low, max_size=high, unique=True)


def _grid(low: float, high: float, places: int) -> tuple[int, int, int]:
    scale = 10**places
    return math.ceil(low * scale - 1e-9), math.floor(high * scale + 1e-9), scale


@functools.lru_cache(maxsize=256)
def numbers(low: float, high: float, places: int = 2) -> st.SearchStrategy[float]:
    """Numbers in [low, high] with ``places`` decimal places."""
    lo, hi, scale = _grid(low, high, places)
    return _integers(lo, hi).map(lambda i: i / scale)


@functools.lru_cache(maxsize=256)
@st.composite
def value_specs(
    draw: st.DrawFn,
    low: float,
    high: float,
    *,
    places: int = 2,
    fixed: bool = False,
    uncertain: bool = False,
    open_below: bool = False,
    open_above: bool = False,
    beta: bool = False,
) -> Spec:
    """A value in the scenario language: a bare number or a one-key mapping.

    Draws lie in [low, high].  ``open_below`` / ``open_above`` say the field's
    support is unbounded on that side, which admits a normal without that
    bound and (above) the lognormal, gamma and range90.  ``beta`` admits a
    beta (probabilities only).  ``fixed`` gives a fixed number; ``uncertain``
    a distribution.
    """
    lo, hi, scale = _grid(low, high, places)
    span = hi - lo
    kinds: list[str] = [] if uncertain else ["number", "value"]
    if not fixed and span > 0:
        kinds += ["uniform", "triangular", "pert", "normal"]
        if beta:
            kinds.append("beta")
        if open_above and (open_below or low <= 0) and hi >= 2:
            kinds += ["lognormal", "gamma", "range90"]
    if not kinds:
        raise ValueError(f"no distribution fits [{low}, {high}] on a {places}-place grid")
    kind = draw(_choice(tuple(kinds)))

    def grid(a: int, b: int) -> int:
        # Scaled from one fixed 32-bit strategy rather than a new
        # integers(a, b) per range: building and validating a strategy costs
        # three times a draw.  0 and the top map to a and b; shrinks to a.
        if b < a:
            raise ValueError(f"empty range [{a}, {b}]")
        if b - a >= _SPAN:
            return draw(_integers(a, b))
        return a + (draw(_UNIT) * (b - a + 1) >> 32)

    def x(i: int) -> float:
        return i / scale

    if kind == "number":
        return x(grid(lo, hi))
    if kind == "value":
        return {"value": x(grid(lo, hi))}
    if kind == "uniform":
        a = grid(lo, hi - 1)
        return {"uniform": [x(a), x(grid(a + 1, hi))]}
    if kind in ("triangular", "pert"):
        a = grid(lo, hi - 1)
        b = grid(a + 1, hi)
        return {kind: [x(a), x(grid(a, b)), x(b)]}
    if kind == "normal":
        spec: dict[str, float] = {
            "mean": x(grid(lo, hi)),
            "sd": x(grid(max(1, span // 20), max(1, span // 2))),
        }
        i_min = None
        if not open_below or draw(BOOLEANS):
            i_min = grid(lo, hi - 1)
            spec["min"] = x(i_min)
        if not open_above or draw(BOOLEANS):
            spec["max"] = x(grid(lo + 1 if i_min is None else i_min + 1, hi))
        return {"normal": spec}
    if kind == "beta":
        if draw(BOOLEANS):
            mean = grid(5, 95) / 100
            sd = grid(10, 60) / 100 * math.sqrt(mean * (1 - mean))
            return {"beta": {"mean": mean, "sd": sd}}
        trials = grid(2, 200)
        return {"beta": {"successes": float(grid(1, trials - 1)), "trials": float(trials)}}
    if kind in ("lognormal", "gamma"):
        mean = grid(max(lo, 1), hi)
        return {kind: {"mean": x(mean), "sd": x(mean) * grid(5, 150) / 100}}
    # range90: 0 < low < high, at most a hundredfold apart.
    a = grid(max(lo, 1), hi - 1)
    return {"range90": [x(a), x(grid(a + 1, min(hi, 100 * a)))]}


def probabilities(
    fixed: bool = False, low: float = 0.0, high: float = 1.0
) -> st.SearchStrategy[Spec]:
    """A probability or fraction within [low, high] ⊆ [0, 1]."""
    return value_specs(low, high, fixed=fixed, beta=(low <= 0 and high >= 1))


def non_negative(top: float, fixed: bool = False, places: int = 2) -> st.SearchStrategy[Spec]:
    """A count, number of hours or amount of money: support >= 0."""
    return value_specs(0.0, top, places=places, fixed=fixed, open_above=True)


def proxies(
    kind: Literal["any", "non_negative"] = "any", fixed: bool = False
) -> st.SearchStrategy[Spec]:
    """A financial proxy [currency/unit/year]; negative only when ``kind`` is ``"any"``."""
    if kind == "non_negative":
        return non_negative(PROXY_TOP, fixed)
    return value_specs(-PROXY_TOP, PROXY_TOP, fixed=fixed, open_below=True, open_above=True)


def durations(fixed: bool = False) -> st.SearchStrategy[Spec]:
    """A duration [years]: fractional, with bounded support."""
    return value_specs(0.0, DURATION_TOP, fixed=fixed)


@functools.lru_cache(maxsize=64)
def whole(low: int, high: int) -> st.SearchStrategy[Spec]:
    """A fixed whole number, bare or as ``{value: n}``."""
    n = st.integers(low, high)
    return st.one_of(n, n.map(lambda i: {"value": i}))


# --------------------------------------------------------------------------- scenarios


@functools.lru_cache(maxsize=8)
def _ramps(years: int) -> st.SearchStrategy[list[float]]:
    return st.lists(numbers(0.0, 2.0, 1), min_size=years, max_size=years)


def _maybe(draw: st.DrawFn, target: Data, key: str, strategy: st.SearchStrategy[Any]) -> None:
    """Set ``target[key]`` half the time (otherwise the default applies)."""
    if draw(BOOLEANS):
        target[key] = draw(strategy)


@st.composite
def scenario_data(
    draw: st.DrawFn,
    *,
    scenario_id: str = "alpha",
    fixed: bool = False,
    proxies_kind: Literal["any", "non_negative"] = "any",
    effect: Literal["any", "beneficial"] = "any",
    effect_form: Literal["risk_with", "relative_risk"] | None = None,
    fixed_costs_only: bool = False,
    outcomes: tuple[int, int] = (1, 3),
    spreads: bool = False,
) -> Data:
    """A valid scenario as plain data (see the module docstring for the knobs)."""
    prob = probabilities(fixed)
    years = draw(_integers(1, 4))

    delivery: Data = {
        "years": draw(whole(years, years)),
        "referrals_per_year": draw(non_negative(REFERRALS_TOP, fixed, places=1)),
        "uptake": draw(prob),
    }
    _maybe(draw, delivery, "ramp", _ramps(years))
    _maybe(draw, delivery, "engagement", prob)

    volunteers: Data = {
        "pool": draw(non_negative(40.0, fixed, places=1)),
        "turnover": draw(prob),
        "hours_per_user": draw(non_negative(60.0, fixed)),
        "training_hours": draw(non_negative(40.0, fixed)),
        "supervision_hours_per_year": draw(non_negative(30.0, fixed)),
        "expenses_per_hour": draw(non_negative(10.0, fixed)),
        "value_per_hour": draw(non_negative(20.0, fixed)),
    }
    _maybe(draw, volunteers, "max_users_per_volunteer", non_negative(20.0, fixed, places=1))
    _maybe(draw, volunteers, "value_time_as_input", BOOLEANS)

    drivers = FIXED_COST_DRIVERS if fixed_costs_only else COST_DRIVERS
    line_ids = draw(_subsets(LINE_IDS, 0, 3))
    costs: Data = {
        "coordinator": {
            "fte": draw(non_negative(2.0, fixed)),
            "salary": draw(non_negative(MONEY_TOP, fixed, places=0)),
            "on_costs": draw(probabilities(fixed, high=0.5)),
        },
        "lines": {
            lid: {
                "label": lid.replace("_", " "),
                "amount": draw(non_negative(5_000.0, fixed)),
                "per": draw(_choice(drivers)),
            }
            for lid in line_ids
        },
    }
    _maybe(draw, costs, "overhead_rate", probabilities(fixed, high=0.5))
    _maybe(draw, costs, "optimism_bias", value_specs(0.0, 2.0, fixed=fixed))
    if fixed_costs_only:
        volunteers["expenses_per_hour"] = 0.0
        if draw(BOOLEANS):
            volunteers["value_time_as_input"] = False
        else:
            volunteers["value_per_hour"] = {"value": 0.0}

    form = effect_form or draw(_choice(("risk_with", "relative_risk")))
    if form == "relative_risk":
        effect_data = {"risk_without": draw(prob), "relative_risk": draw(prob)}
    elif effect == "beneficial":
        # Every possible risk_with lies at or below every possible risk_without.
        cut = draw(numbers(0.0, 1.0))
        effect_data = {
            "risk_without": draw(probabilities(fixed, low=cut)),
            "risk_with": draw(probabilities(fixed, high=cut)),
        }
    else:
        effect_data = {"risk_without": draw(prob), "risk_with": draw(prob)}

    adjustments: Data = {}
    for name in ADJUSTMENTS:
        _maybe(draw, adjustments, name, prob)

    outcome_ids = draw(_subsets(OUTCOME_IDS, *outcomes))
    outcome_data = {oid: draw(_outcome(oid, fixed, proxies_kind)) for oid in outcome_ids}
    for out in outcome_data.values():
        _maybe(draw, out, "discount_schedule", _choice(("green_book", "green_book_health")))
        if spreads and draw(BOOLEANS):
            out.update(duration=1.0, spread=draw(spread_specs()))
            out.pop("drop_off", None)

    data: Data = {
        "schema_version": 1,
        "id": scenario_id,
        "name": scenario_id.title(),
        "currency": "GBP",
        "price_year": 2011,
        "delivery": delivery,
        "volunteers": volunteers,
        "costs": costs,
        "effect": effect_data,
        "outcomes": outcome_data,
    }
    if adjustments or draw(BOOLEANS):
        data["adjustments"] = adjustments
    _maybe(draw, data, "discounting", _discounting(fixed))
    for path in money_paths(data):
        if draw(_integers(0, 3)) == 0:
            year = draw(_choice(tuple(GDP_DEFLATOR)))
            data = set_in(data, path, with_price_year(get_in(data, path), year))
    return data


def with_price_year(spec: Spec, year: int) -> Data:
    """A value spec written at ``year`` prices."""
    out = {"value": spec} if isinstance(spec, (int, float)) else dict(spec)
    out["price_year"] = year
    return out


@st.composite
def spread_specs(draw: st.DrawFn) -> Data:
    """A ``spread``: start 0-5, 1-8 years, flat or with weights of positive sum."""
    years = draw(_integers(1, 8))
    out: Data = {"years": years}
    _maybe(draw, out, "start", _integers(0, 5))
    if draw(BOOLEANS):
        weights = [draw(numbers(0.0, 5.0, places=1)) for _ in range(years)]
        if sum(weights) == 0:
            weights[draw(_integers(0, years - 1))] = 1.0
        out["weights"] = weights
    return out


@functools.lru_cache(maxsize=64)
@st.composite
def _outcome(
    draw: st.DrawFn, oid: str, fixed: bool, proxies_kind: Literal["any", "non_negative"]
) -> Data:
    prob = probabilities(fixed)
    out: Data = {
        "label": oid.replace("_", " "),
        "stakeholder": "mothers",
        "payer": draw(_choice(tuple(PAYERS))),
        "value_type": draw(_choice(tuple(VALUE_TYPES))),
        "per": draw(_choice(OUTCOME_DRIVERS)),
        "proxy": draw(proxies(proxies_kind, fixed)),
        "duration": draw(durations(fixed)),
    }
    _maybe(draw, out, "indicator", st.just("a measured indicator"))
    _maybe(draw, out, "cashable", BOOLEANS)
    _maybe(draw, out, "probability", prob)
    _maybe(draw, out, "lag", whole(0, 3))
    for name in ADJUSTMENTS:
        _maybe(draw, out, name, prob)
    return out


@functools.lru_cache(maxsize=64)
@st.composite
def _discounting(draw: st.DrawFn, fixed: bool) -> Data:
    schedule = draw(_choice(SCHEDULES))
    out: Data = {"schedule": schedule}
    if schedule == "constant":
        out["rate"] = draw(value_specs(0.0, 0.2, places=3, fixed=fixed))
    _maybe(draw, out, "convention", _choice(CONVENTIONS))
    _maybe(draw, out, "discount_costs", BOOLEANS)
    return out


@st.composite
def scenario_data_lists(
    draw: st.DrawFn, min_size: int = 2, max_size: int = 3, **knobs: Any
) -> list[Data]:
    """Scenarios with distinct ids, in a random order (knobs as :func:`scenario_data`)."""
    ids = draw(_subsets(SCENARIO_IDS, min_size, max_size))
    return [draw(scenario_data(scenario_id=i, **knobs)) for i in ids]


#: Ways to make a scenario degenerate; :func:`degenerate_data` applies some.
DEGENERACIES = (
    "no_referrals",
    "no_uptake",
    "no_costs",
    "no_volunteers",
    "no_outcomes",
    "no_effect",
    "no_duration",
    "zero_proxies",
)


@st.composite
def degenerate_data(draw: st.DrawFn, scenario_id: str = "alpha", **knobs: Any) -> Data:
    """A valid scenario with some of :data:`DEGENERACIES` applied: zero
    referrals, users, costs, volunteers, outcomes, effect, durations or proxies."""
    data = draw(scenario_data(scenario_id=scenario_id, **knobs))
    chosen = draw(_subsets(DEGENERACIES, 1, len(DEGENERACIES)))
    for what in chosen:
        if what == "no_referrals":
            data["delivery"]["referrals_per_year"] = 0.0
        elif what == "no_uptake":
            data["delivery"]["uptake"] = 0.0
        elif what == "no_costs":
            for path in money_paths(data, "cost"):
                data = set_in(data, path, 0.0)
            data["costs"]["coordinator"]["fte"] = 0.0
        elif what == "no_volunteers":
            data["volunteers"]["pool"] = 0.0
        elif what == "no_outcomes":
            data["outcomes"] = {}
        elif what == "no_effect":
            data["effect"] = {"risk_without": 0.0, "relative_risk": 1.0}
        elif what == "no_duration":
            for oid in data["outcomes"]:
                data["outcomes"][oid]["duration"] = 0.0
        else:
            for path in money_paths(data, "value"):
                data = set_in(data, path, 0.0)
    return data


def scale_factors() -> st.SearchStrategy[float]:
    """A scale factor k > 0 between 1/1000 and 1000."""
    return st.floats(1e-3, 1e3, allow_nan=False, allow_infinity=False)


# --------------------------------------------------------------------------- editing


def build(data: Data) -> Scenario:
    """The validated scenario."""
    return Scenario.model_validate(data)


def get_in(data: Data, path: Path) -> Any:
    """The item at ``path``."""
    node: Any = data
    for key in path:
        node = node[key]
    return node


def set_in(data: Data, path: Path, value: Any) -> Data:
    """A deep copy of ``data`` with ``path`` set to ``value`` (parents created)."""
    out = copy.deepcopy(data)
    node = out
    for key in path[:-1]:
        node = node.setdefault(key, {})
    node[path[-1]] = copy.deepcopy(value)
    return out


def dotted(path: Path) -> str:
    """``("costs", "coordinator", "salary")`` as ``"costs.coordinator.salary"``."""
    return ".".join(path)


def money_paths(data: Data, which: Literal["all", "cost", "value"] = "all") -> list[Path]:
    """Paths of the money values: cost side (salary, cost line amounts,
    expenses_per_hour, value_per_hour) and value side (proxies)."""
    cost: list[Path] = [
        ("costs", "coordinator", "salary"),
        ("volunteers", "expenses_per_hour"),
        ("volunteers", "value_per_hour"),
    ]
    cost += [("costs", "lines", lid, "amount") for lid in data["costs"].get("lines", {})]
    value: list[Path] = [("outcomes", oid, "proxy") for oid in data.get("outcomes", {})]
    return {"all": cost + value, "cost": cost, "value": value}[which]


def money_path_lists(data: Data) -> st.SearchStrategy[list[Path]]:
    """Some of the money paths of ``data`` (possibly none)."""
    return st.lists(st.sampled_from(money_paths(data)), unique=True)


def scale_spec(spec: Spec, k: float) -> Spec:
    """A value spec for ``k`` times the value (``k > 0``; not for beta)."""
    if isinstance(spec, (int, float)):
        return spec * k
    out = dict(spec)
    for key, item in spec.items():
        if key not in _SCALABLE:
            if key == "beta":
                raise TypeError("a beta value is a probability and cannot be scaled")
            continue
        if isinstance(item, list):
            out[key] = [v * k for v in item]
        elif isinstance(item, dict):
            out[key] = {name: v * k for name, v in item.items()}
        else:
            out[key] = item * k
    return out


def scaled(data: Data, k: float, paths: list[Path] | None = None) -> Data:
    """``data`` with the values at ``paths`` (default: every money value) times ``k``."""
    for path in money_paths(data) if paths is None else paths:
        data = set_in(data, path, scale_spec(get_in(data, path), k))
    return data


def value_mappings(data: Any) -> Iterator[dict[str, Any]]:
    """Every value written as a mapping in ``data`` (so it can carry metadata)."""
    if isinstance(data, dict):
        if any(k in data for k in _SCALABLE | {"beta"}):
            yield data
            return
        for child in data.values():
            yield from value_mappings(child)
    elif isinstance(data, list):
        for child in data:
            yield from value_mappings(child)


def share_all(data: Data) -> Data:
    """A copy of ``data`` with every value mapping marked ``shared: true``."""
    out = copy.deepcopy(data)
    for mapping in value_mappings(out):
        mapping["shared"] = True
    return out
