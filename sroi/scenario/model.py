"""The scenario language (docs/scenarios.md) as closed, immutable pydantic models.

One :class:`Scenario` describes one site or replication proposal.  Every money
value is in the scenario's ``currency``, at its own ``price_year`` prices or
else the scenario's; the engine re-expresses it at the scenario's
``price_year`` (:mod:`sroi.scenario.money`).  Numeric
fields are :class:`~sroi.scenario.values.Value` objects: fixed or uncertain,
with provenance.
"""

import math
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import (
    BaseModel,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from sroi.limits import MAX_SPREAD_YEARS
from sroi.prices import FIRST_PRICE_YEAR, LAST_PRICE_YEAR, check_price_year
from sroi.scenario.problems import Clash
from sroi.scenario.strict import CurrencyCode, Line, SchemaVersion, SnakeId, Text, WebAddress
from sroi.scenario.values import (
    Duration,
    Lag,
    Money,
    MoneyReal,
    NonNegative,
    Probability,
    RampEntry,
    Rate,
    StrictNumber,
    Uplift,
    Value,
    Years,
    _Closed,
)
from sroi.vocabulary import COST_DRIVERS, OUTCOME_DRIVERS, PAYERS, PROGRAMME, VALUE_TYPES

# The closed choices, read from the vocabulary (mypy sees plain text).
if TYPE_CHECKING:
    CostDriver = str
    OutcomeDriver = str
    Payer = str
    ValueType = str
else:
    CostDriver = Literal[tuple(COST_DRIVERS)]
    OutcomeDriver = Literal[tuple(OUTCOME_DRIVERS)]
    Payer = Literal[tuple(PAYERS)]
    ValueType = Literal[tuple(VALUE_TYPES)]


def _one() -> Value:
    return Value(value=1.0)


def _zero() -> Value:
    return Value(value=0.0)


def _no_correlations() -> list["Correlation"]:
    # A function of our own, not ``list``: pydantic reads a default factory's
    # signature, and a builtin's costs a tokenizer at start-up (docs/performance.md).
    return []


class Source(_Closed):
    """A reference that values cite by key."""

    citation: Text = Field(description="Full citation: authors, year, title, publisher.")
    url: WebAddress | None = Field(None, description="Where to read it: an http(s) address.")
    year: int | None = Field(None, description="Year of publication.")


class Site(_Closed):
    """Where the service runs."""

    local_authority: Line | None = Field(None, description="Local authority area.")
    region: Line | None = Field(None, description="Region, e.g. East Midlands.")
    notes: Text | None = Field(None, description="Free notes about the site.")


class Delivery(_Closed):
    """How many women are referred and take up the service, year by year."""

    years: Years = Field(description="Delivery years T [years, whole number >= 1].")
    referrals_per_year: NonNegative = Field(description="Referrals in a full year [women/year].")
    ramp: list[RampEntry] | None = Field(
        None,
        description="Multiplier on referrals per delivery year, T entries [ratio]; default all 1.",
    )
    uptake: Probability = Field(description="Share of referrals who use the service [fraction].")
    engagement: Probability = Field(
        default_factory=_one,
        description="Share of users who engage fully [fraction]; default 1.",
    )


class Volunteers(_Closed):
    """The volunteer befrienders: pool, time and its value."""

    pool: NonNegative = Field(description="Active volunteers in a year [volunteers].")
    turnover: Probability = Field(
        description="Share of the pool replaced each year after the first [fraction/year]."
    )
    max_users_per_volunteer: NonNegative | None = Field(
        None,
        description="Capacity: users one volunteer can support in a year [women/volunteer/year].",
    )
    hours_per_user: NonNegative = Field(description="Befriending contact time per user [hours].")
    training_hours: NonNegative = Field(description="Training per recruited volunteer [hours].")
    supervision_hours_per_year: NonNegative = Field(
        description="Supervision per volunteer in a year [hours/year]."
    )
    expenses_per_hour: Money = Field(
        description="Volunteer expenses per contact hour [currency/hour]."
    )
    value_per_hour: Money = Field(
        description="Value of an hour of volunteer time as an input [currency/hour]."
    )
    value_time_as_input: bool = Field(
        True, description="Count volunteer time as an in-kind input cost; default true."
    )


class Coordinator(_Closed):
    """The paid co-ordinator post."""

    fte: NonNegative = Field(description="Full-time equivalents [FTE].")
    salary: Money = Field(description="Annual gross salary [currency/year].")
    on_costs: Probability = Field(description="Employer on-costs as a share of salary [fraction].")


class CostLine(_Closed):
    """A cost line: an amount times a driver."""

    label: Line = Field(description="What the cost is for.")
    amount: Money = Field(description="Cost per unit of the driver [currency/unit].")
    per: CostDriver = Field(
        description="Driver: year, referral, user, volunteer (the pool), "
        "volunteer_recruited, or once (year 0 only)."
    )


class Costs(_Closed):
    """Cash costs of delivery."""

    coordinator: Coordinator = Field(description="The co-ordinator post.")
    lines: dict[SnakeId, CostLine] = Field(
        default_factory=dict, description="Other cost lines keyed by snake_case id."
    )
    overhead_rate: Probability = Field(
        default_factory=_zero, description="Overheads on cash costs [fraction]; default 0."
    )
    optimism_bias: Uplift = Field(
        default_factory=_zero,
        description="Green Book optimism bias uplift on cash costs [fraction, 0-2]; default 0.",
    )


class Effect(_Closed):
    """Onset of perinatal depression without and with the service."""

    risk_without: Probability = Field(description="Risk of onset without the service [fraction].")
    risk_with: Probability | None = Field(
        None, description="Risk of onset with the service [fraction]."
    )
    relative_risk: Probability | None = Field(
        None, description="Risk with / risk without [ratio, 0-1]."
    )

    @model_validator(mode="after")
    def _exactly_one(self) -> "Effect":
        if (self.risk_with is None) == (self.relative_risk is None):
            found = "both" if self.risk_with is not None else "neither"
            raise Clash(
                f"expected exactly one of risk_with or relative_risk; found {found}",
                ("risk_with", "relative_risk"),
            )
        return self


class Adjustments(_Closed):
    """Scenario-wide SROI adjustments, the defaults for every outcome."""

    deadweight: Probability = Field(
        default_factory=_zero, description="Share that would have happened anyway [fraction]."
    )
    attribution: Probability = Field(
        default_factory=_zero, description="Share owed to others [fraction]."
    )
    displacement: Probability = Field(
        default_factory=_zero, description="Share displacing outcomes elsewhere [fraction]."
    )
    drop_off: Probability = Field(
        default_factory=_zero,
        description="Yearly decline of an outcome after its first year [fraction/year].",
    )


#: Spread weights whose largest is below this are rescaled (:meth:`Spread.profile`);
#: above it the engine's arithmetic on them is far from underflow [ratio].
SMALLEST_WEIGHT = 2.0**-100

NonNegativeNumber = Annotated[float, Field(strict=True, allow_inf_nan=False, ge=0)]


class Spread(_Closed):
    """When an outcome's value arrives: a profile over years, present value kept.

    The impact of a cohort is a present value at year b = cohort year + lag.
    It is paid out over years b + start .. b + start + years - 1 in proportion
    to ``weights``, scaled so that its present value is unchanged.
    """

    start: int = Field(
        0, ge=0, le=MAX_SPREAD_YEARS, description="Years from b to the first payment [years]."
    )
    years: int = Field(
        ge=1, le=MAX_SPREAD_YEARS, description="Years the value is spread over [years]."
    )
    weights: list[NonNegativeNumber] | None = Field(
        None,
        description="One non-negative weight per year, positive sum [ratio]; default flat.",
    )
    source: Text | None = Field(None, description="Key of an entry under `sources`.")
    note: Text | None = Field(None, description="Why the value arrives in these years.")

    @field_validator("weights")
    @classmethod
    def _one_per_year(cls, weights: list[float] | None, info: ValidationInfo) -> list[float] | None:
        years = info.data.get("years")
        if weights is None or not isinstance(years, int):
            return weights
        if len(weights) != years:
            raise ValueError(
                f"expected {years} weights, one per spread year (spread.years is {years}); "
                f"found {len(weights)}"
            )
        if sum(weights) <= 0:
            raise ValueError("expected weights with a positive sum; found every weight 0")
        return weights

    def profile(self) -> list[float]:
        """The weights, flat when none are given [ratio].

        Only their ratios matter.  Weights whose largest is below
        :data:`SMALLEST_WEIGHT` are scaled up by a power of two (exactly) so
        that their largest lies in [1, 2): their sum times a discount factor
        could otherwise round to 0, and the value spread by them to infinity.

        >>> Spread(years=2, weights=[1e-320, 0]).profile()[0] >= 1
        True
        """
        if self.weights is None:
            return [1.0] * self.years
        top = max(self.weights)
        if top >= SMALLEST_WEIGHT:
            return list(self.weights)
        shift = 1 - math.frexp(top)[1]  # top * 2**shift lies in [1, 2)
        return [math.ldexp(w, shift) for w in self.weights]


class Outcome(_Closed):
    """One outcome: a quantity, a financial proxy and how long it lasts."""

    label: Line = Field(description="What changes.")
    stakeholder: Line = Field(description="Who experiences the change.")
    indicator: Line | None = Field(None, description="How the change is measured.")
    payer: Payer = Field(description="Who gains the value (or bears the saving).")
    value_type: ValueType = Field(description="fiscal, economic or social value.")
    cashable: bool = Field(False, description="A budget holder can release it; default false.")
    per: OutcomeDriver = Field(description="Driver of the quantity.")
    probability: Probability = Field(
        default_factory=_one,
        description="Share of the driver that experiences the outcome [fraction]; default 1.",
    )
    proxy: MoneyReal = Field(
        description="Financial proxy per unit per year [currency/unit/year] (with a spread, "
        "the whole value per unit, paid out over the spread's years); may be negative."
    )
    duration: Duration = Field(description="Years the outcome lasts [years, may be fractional].")
    lag: Lag = Field(
        default_factory=_zero, description="Years from the cohort year to the first value [years]."
    )
    deadweight: Probability | None = Field(None, description="Overrides adjustments [fraction].")
    attribution: Probability | None = Field(None, description="Overrides adjustments [fraction].")
    displacement: Probability | None = Field(None, description="Overrides adjustments [fraction].")
    drop_off: Probability | None = Field(None, description="Overrides adjustments [fraction/year].")
    discount_schedule: Literal["green_book", "green_book_health"] | None = Field(
        None,
        description="Discount schedule of this outcome's value (green_book_health for health "
        "and wellbeing effects valued directly); default the scenario's schedule.",
    )
    spread: Spread | None = Field(
        None,
        description="Pay the value out over years {start, years, weights}, keeping its "
        "present value; needs duration 1 and no drop_off.",
    )

    @field_validator("spread")
    @classmethod
    def _spread_alone(cls, spread: Spread | None, info: ValidationInfo) -> Spread | None:
        if spread is None:
            return spread
        duration = info.data.get("duration")
        if duration is not None and duration.value != 1:
            found = f"{duration.value:g}" if duration.is_fixed else f"a {duration.kind}"
            raise ValueError(
                f"spread already carries the timing, so duration must be 1; found {found}"
            )
        drop_off = info.data.get("drop_off")
        if drop_off is not None and drop_off.value != 0:
            found = f"{drop_off.value:g}" if drop_off.is_fixed else f"a {drop_off.kind}"
            raise Clash(
                "spread already carries the timing, so drop_off must be 0 or absent; "
                f"found {found}",
                ("drop_off",),
                sibling=True,
            )
        return spread


class Discounting(_Closed):
    """Green Book discounting."""

    schedule: Literal["green_book", "green_book_health", "constant"] = Field(
        "green_book",
        description="Discount rate schedule; default green_book. green_book_health discounts "
        "value at the health rates and costs at the green_book rates.",
    )
    rate: Rate | None = Field(None, description="Annual rate, only with constant [fraction/year].")
    convention: Literal["green_book", "end_of_year"] = Field(
        "green_book",
        description="green_book: year 0 undiscounted; end_of_year: year 0 discounted one period.",
    )
    discount_costs: bool = Field(True, description="Discount costs as well as value; default true.")

    @model_validator(mode="after")
    def _rate_with_constant(self) -> "Discounting":
        if self.schedule == "constant" and self.rate is None:
            raise ValueError("schedule constant needs a rate; found no rate")
        if self.schedule != "constant" and self.rate is not None:
            raise Clash(
                f"rate is only used with schedule: constant; found schedule {self.schedule}",
                ("rate",),
            )
        return self


class Correlation(_Closed):
    """A Spearman rank correlation between two uncertain values."""

    between: list[Text] = Field(
        min_length=2, max_length=2, description="Two dotted paths, e.g. effect.risk_without."
    )
    rank: StrictNumber = Field(ge=-1.0, le=1.0, description="Spearman rank correlation [-1, 1].")


class Scenario(_Closed):
    """One site or replication proposal (docs/scenarios.md §1)."""

    schema_version: SchemaVersion = Field(description="Scenario language version: 1.")
    extends: Text | None = Field(None, description="Parent file, relative to this one.")
    id: SnakeId = Field(
        description="Scenario id, snake_case, unique in a run; not `programme` (the total)."
    )
    name: Line = Field(description="Display name.")
    site: Site | None = Field(None, description="Where the service runs.")
    currency: CurrencyCode = Field(
        description="ISO 4217 currency code of every money value, e.g. GBP."
    )
    price_year: int = Field(
        description="Financial year whose prices every money result is in (2011 is FY "
        f"2011-12; the GDP deflator table covers {FIRST_PRICE_YEAR} to {LAST_PRICE_YEAR}); "
        "money values without their own price_year are at this year's prices."
    )
    sources: dict[SnakeId, Source] = Field(
        default_factory=dict, description="References keyed by snake_case id."
    )
    delivery: Delivery = Field(description="Referrals and uptake.")
    volunteers: Volunteers = Field(description="Volunteer pool and time.")
    costs: Costs = Field(description="Cash costs.")
    effect: Effect = Field(description="Effect on onset of perinatal depression.")
    adjustments: Adjustments = Field(
        default_factory=Adjustments, description="Scenario-wide adjustment defaults."
    )
    outcomes: dict[SnakeId, Outcome] = Field(
        default_factory=dict, description="Outcomes keyed by snake_case id."
    )
    discounting: Discounting = Field(default_factory=Discounting, description="Discounting rules.")
    correlations: list[Correlation] = Field(
        default_factory=_no_correlations,
        description="Rank correlations between uncertain values.",
    )

    @field_validator("price_year")
    @classmethod
    def _in_table(cls, year: int) -> int:
        return check_price_year(year)

    def __repr_args__(self) -> Iterator[tuple[str | None, Any]]:
        # Shown by what names it: its whole content runs to some 70,000
        # characters (``model_dump()`` gives all of it).
        for key in ("id", "name", "currency", "price_year"):
            yield key, getattr(self, key)

    @field_validator("id")
    @classmethod
    def _not_the_programme(cls, sid: str) -> str:
        if sid == PROGRAMME:
            raise ValueError(
                f"{PROGRAMME!r} names the total of a run's scenarios in every result; "
                "choose another id"
            )
        return sid

    @property
    def years(self) -> int:
        """Delivery years T [years]."""
        return int(self.delivery.years.central())

    def ramp(self) -> list[float]:
        """Ramp multipliers, one per delivery year [ratio]."""
        if self.delivery.ramp is None:
            return [1.0] * self.years
        return [v.central() for v in self.delivery.ramp]


def scenario_values(scenario: Scenario) -> dict[str, Value]:
    """Every numeric value of ``scenario`` by dotted path, in file order.

    Paths are dotted (``"costs.coordinator.salary"``), list entries indexed
    (``"delivery.ramp[1]"``).

    >>> import sroi
    >>> s = sroi.load_scenario("scenarios/family_action_pss/oxford.yaml")
    >>> scenario_values(s)["costs.coordinator.salary"].kind
    'pert'
    """
    return dict(_walk_values(scenario, ""))


#: One step of a value path: a field or key, or a list index such as ``[1]``.
_STEP = re.compile(r"[^.\[\]]+|\[\d+\]")


def path_steps(path: str) -> list[str]:
    """The steps of a dotted value path, list indexes kept in brackets.

    >>> path_steps("delivery.ramp[1]")
    ['delivery', 'ramp', '[1]']
    """
    return _STEP.findall(path)


def value_at(scenario: Scenario, path: str) -> Value | None:
    """The value at dotted ``path`` in ``scenario`` (as :func:`scenario_values`
    names it), or None when no value is there; follows the path itself, so
    it costs the path's depth, not the scenario's size.

    >>> import sroi
    >>> s = sroi.load_scenario("scenarios/family_action_pss/oxford.yaml")
    >>> value_at(s, "costs.coordinator.salary").kind
    'pert'
    >>> value_at(s, "costs.coordinator") is None, value_at(s, "no.such.value") is None
    (True, True)
    """
    node: object = scenario
    for step in path_steps(path):
        if step.startswith("["):
            index = int(step[1:-1])
            node = node[index] if isinstance(node, list) and index < len(node) else None
        elif isinstance(node, BaseModel):
            node = getattr(node, step) if step in type(node).model_fields else None
        elif isinstance(node, dict):
            node = node.get(step)
        else:
            return None
    return node if isinstance(node, Value) else None


def _walk_values(node: object, prefix: str) -> Iterator[tuple[str, Value]]:
    if isinstance(node, Value):
        yield prefix, node
    elif isinstance(node, BaseModel):
        for name in type(node).model_fields:
            yield from _walk_values(getattr(node, name), f"{prefix}.{name}" if prefix else name)
    elif isinstance(node, dict):
        for key, child in node.items():
            yield from _walk_values(child, f"{prefix}.{key}")
    elif isinstance(node, list):
        for i, child in enumerate(node):
            yield from _walk_values(child, f"{prefix}[{i}]")
