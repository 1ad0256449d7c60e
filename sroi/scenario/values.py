"""Numeric values in a scenario: a fixed number or a distribution, with provenance.

Every numeric leaf of a scenario may be written as a bare number
(``salary: 26000``) or as a mapping with exactly one *value key* plus optional
metadata (``salary: {pert: [22000, 25000, 30000], source: nhs_pay}``).  The
:class:`Value` model accepts both and turns the value key into a
:mod:`sroi.distributions` description.

What a value may be depends on what it measures (docs/scenarios.md §2): a probability must
stay within [0, 1], a cost must not be negative, a duration needs bounded
support.  Those rules are attached to fields with the ``Annotated`` aliases at
the end of this module (:data:`Probability`, :data:`NonNegative`, ...).
"""

import math
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)
from pydantic.json_schema import JsonSchemaValue

from sroi import distributions as d
from sroi.prices import FIRST_PRICE_YEAR, LAST_PRICE_YEAR, check_price_year
from sroi.scenario.strict import Line, Text
from sroi.vocabulary import EVIDENCE_GRADES

#: Value keys, each naming one way to write a number (docs/scenarios.md §2).
DISTRIBUTION_KEYS: tuple[str, ...] = (
    "value",
    "uniform",
    "triangular",
    "pert",
    "normal",
    "lognormal",
    "gamma",
    "beta",
    "range90",
)

# Evidence grades, read from the vocabulary (mypy sees plain text).
if TYPE_CHECKING:
    Evidence = str
else:
    Evidence = Literal[tuple(EVIDENCE_GRADES)]

StrictNumber = Annotated[float, Field(strict=True, allow_inf_nan=False)]


class _Closed(BaseModel):
    """Base for every scenario model: closed, immutable, strict and finite.
    Text fields refuse control characters through their types
    (:data:`~sroi.scenario.strict.Text`, :data:`~sroi.scenario.strict.Line`)."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, allow_inf_nan=False)


class MeanSd(_Closed):
    """Mean and standard deviation of the quantity itself [unit of the field]."""

    mean: StrictNumber = Field(description="Mean [unit of the field].")
    sd: StrictNumber = Field(description="Standard deviation [unit of the field].")


class NormalSpec(MeanSd):
    """Normal distribution, truncated to [min, max] when either bound is given."""

    min: StrictNumber | None = Field(
        None, description="Lower truncation bound [unit of the field]."
    )
    max: StrictNumber | None = Field(
        None, description="Upper truncation bound [unit of the field]."
    )


class BetaSpec(_Closed):
    """Beta distribution, from ``{mean, sd}`` or from counts ``{successes, trials}``."""

    mean: StrictNumber | None = Field(None, description="Mean [fraction, 0-1].")
    sd: StrictNumber | None = Field(None, description="Standard deviation [fraction].")
    successes: StrictNumber | None = Field(None, description="Observed successes [count].")
    trials: StrictNumber | None = Field(None, description="Observed trials [count].")

    @model_validator(mode="after")
    def _one_parameterisation(self) -> "BetaSpec":
        by_moments = self.mean is not None or self.sd is not None
        by_counts = self.successes is not None or self.trials is not None
        if by_moments == by_counts:
            raise ValueError(
                "beta needs either {mean, sd} or {successes, trials}; "
                f"found keys {sorted(k for k, v in self if v is not None)}"
            )
        if by_moments and (self.mean is None or self.sd is None):
            raise ValueError("beta from moments needs both mean and sd")
        if by_counts and (self.successes is None or self.trials is None):
            raise ValueError("beta from counts needs both successes and trials")
        return self


def _items(n: int) -> dict[str, Any]:
    """Editor-schema hint: a list of exactly ``n`` numbers.  The length itself is
    checked by :meth:`Value.distribution`, with a message naming the entries."""
    return {"minItems": n, "maxItems": n}


def _pair(name: str, numbers: list[float], size: int, names: str) -> None:
    if len(numbers) != size:
        raise ValueError(f"{name} needs [{names}]; found {len(numbers)} number(s)")


class Value(_Closed):
    """A number that may be uncertain, with where it came from.

    Exactly one value key is set.  A bare number ``x`` in YAML is read as
    ``{value: x}``.  The unit is that of the field the value belongs to.
    """

    value: StrictNumber | None = Field(None, description="A fixed number [unit of the field].")
    uniform: list[StrictNumber] | None = Field(
        None,
        description="Uniform on [low, high]; central value the midpoint.",
        json_schema_extra=_items(2),
    )
    triangular: list[StrictNumber] | None = Field(
        None,
        description="Triangular [low, mode, high]; central value the mode.",
        json_schema_extra=_items(3),
    )
    pert: list[StrictNumber] | None = Field(
        None,
        description="Beta-PERT (lambda = 4) [low, mode, high]; central value the mode.",
        json_schema_extra=_items(3),
    )
    normal: NormalSpec | None = Field(
        None, description="Normal {mean, sd, min?, max?}, truncated when bounds are given."
    )
    lognormal: MeanSd | None = Field(
        None, description="Lognormal with this mean and sd of the variable itself."
    )
    gamma: MeanSd | None = Field(None, description="Gamma by the method of moments {mean, sd}.")
    beta: BetaSpec | None = Field(None, description="Beta from {mean, sd} or {successes, trials}.")
    range90: list[StrictNumber] | None = Field(
        None,
        description="Lognormal whose 5th and 95th percentiles are [low, high]; "
        "central value sqrt(low * high).",
        json_schema_extra=_items(2),
    )
    label: Line | None = Field(
        None,
        description="Readable name for charts and tables, e.g. Relative risk of depression "
        "with befriending; default a name built from the field and its outcome or cost line.",
    )
    source: Text | None = Field(None, description="Key of an entry under `sources`.")
    note: Text | None = Field(None, description="Free text: how the number was chosen.")
    evidence: Evidence | None = Field(None, description="Grade of the evidence behind the number.")
    shared: bool = Field(
        False,
        description="Draw the same values in every scenario of a run (common random numbers).",
    )
    price_year: int | None = Field(
        None,
        description="Money values only: the financial year whose prices the number is in "
        f"(2011 is FY 2011-12; {FIRST_PRICE_YEAR} to {LAST_PRICE_YEAR}); default the price "
        "year of the file that writes it.",
    )

    @model_validator(mode="before")
    @classmethod
    def _bare_number(cls, data: Any) -> Any:
        if isinstance(data, (int, float)) and not isinstance(data, bool):
            return {"value": data}
        if data is not None and not isinstance(data, (dict, Value)):
            raise ValueError(
                "expected a number or a mapping such as {pert: [low, mode, high]}; "
                f"found {describe(data)}"
            )
        return data

    @field_validator("price_year")
    @classmethod
    def _in_table(cls, year: int | None) -> int | None:
        return None if year is None else check_price_year(year)

    @model_validator(mode="after")
    def _one_value_key(self) -> "Value":
        keys = self.value_keys()
        if len(keys) != 1:
            found = "none" if not keys else ", ".join(keys)
            raise ValueError(
                f"expected exactly one value key ({', '.join(DISTRIBUTION_KEYS)}); found {found}"
            )
        try:
            self.distribution()  # checks the parameters
        except ArithmeticError as exc:
            # Each distribution refuses the parameters it cannot compute with;
            # should one slip through, it is still this value's problem.
            raise ValueError(
                f"the {self.kind} parameters are too extreme to compute with ({exc}); "
                "give numbers nearer in size to each other"
            ) from None
        return self

    @classmethod
    def __get_pydantic_json_schema__(cls, core_schema: Any, handler: Any) -> JsonSchemaValue:
        # A bare number or a mapping: the definition of Value becomes an anyOf
        # of the two, and every field refers to it.
        mapping = dict(handler.resolve_ref_schema(handler(core_schema)))
        mapping.pop("description", None)
        return {
            "description": "A number, or a mapping with exactly one value key ("
            + ", ".join(DISTRIBUTION_KEYS)
            + ") and optional label, source, note, evidence, shared and (money only) price_year.",
            "anyOf": [{"type": "number"}, mapping],
        }

    def value_keys(self) -> list[str]:
        """The value keys that are set (exactly one on a valid value)."""
        return [k for k in DISTRIBUTION_KEYS if getattr(self, k) is not None]

    @property
    def kind(self) -> str:
        """The value key in use: ``"value"`` for a fixed number, else a distribution name."""
        return self.value_keys()[0]

    @property
    def is_fixed(self) -> bool:
        """True when the value is a fixed number."""
        return self.value is not None

    def distribution(self) -> d.Distribution:
        """The distribution this value describes (:class:`~sroi.distributions.Fixed`
        for a fixed number).  Raises ``ValueError`` on bad parameters."""
        if self.value is not None:
            return d.Fixed(self.value)
        if self.uniform is not None:
            _pair("uniform", self.uniform, 2, "low, high")
            return d.Uniform(*self.uniform)
        if self.triangular is not None:
            _pair("triangular", self.triangular, 3, "low, mode, high")
            return d.Triangular(*self.triangular)
        if self.pert is not None:
            _pair("pert", self.pert, 3, "low, mode, high")
            return d.Pert(*self.pert)
        if self.normal is not None:
            n = self.normal
            return d.Normal(n.mean, n.sd, n.min, n.max)
        if self.lognormal is not None:
            return d.LogNormal(self.lognormal.mean, self.lognormal.sd)
        if self.gamma is not None:
            return d.Gamma(self.gamma.mean, self.gamma.sd)
        if self.beta is not None:
            b = self.beta
            if b.mean is not None and b.sd is not None:
                return d.Beta.from_mean_sd(b.mean, b.sd)
            assert b.successes is not None and b.trials is not None
            return d.Beta.from_counts(b.successes, b.trials)
        if self.range90 is not None:
            _pair("range90", self.range90, 2, "low, high")
            return d.Range90(*self.range90)
        raise ValueError("no value key")  # unreachable after validation

    def central(self) -> float:
        """The base-case (central) value [unit of the field]."""
        return self.distribution().central()


def describe(found: Any) -> str:
    """A short, readable description of a value found in a file."""
    if isinstance(found, bool):
        return "true" if found else "false"
    if found is None:
        return "nothing (null)"
    if isinstance(found, dict):
        return "a mapping"
    if isinstance(found, list):
        return f"a list of {len(found)} item(s)"
    if isinstance(found, str):
        text = found if len(found) <= 40 else found[:37] + "..."
        return f"the text {text!r}"
    if isinstance(found, float) and math.isnan(found):
        return "NaN (.nan)"
    if isinstance(found, float) and math.isinf(found):
        return "infinity (.inf)" if found > 0 else "minus infinity (-.inf)"
    if isinstance(found, int) and abs(found) > sys.float_info.max:
        try:
            return f"a whole number of {len(str(abs(found))):,} digits"
        except ValueError:  # beyond the digits Python turns into text
            return f"a whole number of over {sys.get_int_max_str_digits():,} digits"
    return repr(found)


def _fmt(x: float) -> str:
    return f"{x:g}"


def _support_within(low: float, high: float, what: str, *, bounded: bool = False) -> AfterValidator:
    """Require the value's whole support to lie within [low, high]."""
    wanted = f">= {_fmt(low)}" if math.isinf(high) else f"within [{_fmt(low)}, {_fmt(high)}]"

    def check(v: Value) -> Value:
        lo, hi = v.distribution().support()
        if low <= lo and hi <= high:
            return v
        if v.value is not None:
            raise ValueError(f"expected {what} {wanted}; found {_fmt(v.value)}{percent(v.value)}")
        hint = ""
        if v.normal is not None and (math.isinf(lo) or math.isinf(hi)):
            if math.isfinite(high):
                hint = f" (give the normal min: {_fmt(low)}, max: {_fmt(high)})"
            elif bounded:  # a max too, or the next check refuses it
                hint = f" (give the normal min: {_fmt(low)} and a max)"
            else:
                hint = f" (give the normal min: {_fmt(low)})"
        numbers = getattr(v, v.kind)
        if (
            isinstance(numbers, list)
            and all(x == 0 or 1 <= x <= 100 for x in numbers)
            and max(numbers) > 2  # else as likely a slip as percentages
        ):
            shown = ", ".join(f"{round(x / 100, 12):g}" for x in numbers)
            hint = f"; for percentages, write fractions: {v.kind}: [{shown}]"
        raise ValueError(
            f"expected {what} {wanted}, for every possible draw; "
            f"found a {v.kind} ranging over [{_fmt(lo)}, {_fmt(hi)}]{hint}"
        )

    def percent(x: float) -> str:
        """For a number past ``high`` that reads as a percentage of a share
        (``62`` for 62%), the fraction to write; else ``""``."""
        if low != 0 or not (high < x <= 100):
            return ""
        if x <= 2:  # as likely a slip as a percentage
            return f"; if you mean {_fmt(x)}%, write {round(x / 100, 12):g}"
        return f"; for {_fmt(x)}%, write {round(x / 100, 12):g}"

    return AfterValidator(check)


def _bounded(v: Value) -> Value:
    lo, hi = v.distribution().support()
    if not (math.isfinite(lo) and math.isfinite(hi)):
        raise ValueError(
            "a duration needs bounded support (value, uniform, triangular, pert, or a normal "
            f"with min and max); found {v.kind} with support [{_fmt(lo)}, {_fmt(hi)}]"
        )
    return v


def _fixed_input(what: str) -> BeforeValidator:
    """Refuse, before a value is read, input that is neither a number nor a
    value mapping, saying what the fixed field takes (no distribution)."""

    def check(data: Any) -> Any:
        if isinstance(data, bool) or not (
            data is None or isinstance(data, (int, float, dict, Value))
        ):
            raise ValueError(f"expected {what}; found {describe(data)}")
        return data

    return BeforeValidator(check)


def _fixed_whole(minimum: int) -> AfterValidator:
    def check(v: Value) -> Value:
        if v.value is None:
            raise ValueError(f"expected a fixed whole number; found a {v.kind} distribution")
        if not float(v.value).is_integer() or v.value < minimum:
            raise ValueError(f"expected a whole number >= {minimum}; found {_fmt(v.value)}")
        return v

    return AfterValidator(check)


def _fixed_non_negative(v: Value) -> Value:
    if v.value is None:
        raise ValueError(f"expected a fixed number >= 0; found a {v.kind} distribution")
    if v.value < 0:
        raise ValueError(f"expected a fixed number >= 0; found {_fmt(v.value)}")
    return v


INF = math.inf


@dataclass(frozen=True)
class Support:
    """What a numeric field accepts, in words and as bounds.

    Attached as ``Annotated`` metadata to the aliases below, so the field
    reference (``docs/scenarios.md``) and the editor schema read the same
    facts the validators enforce.  It only describes: the validators beside it
    do the checking.

    label : str
        Short human label, e.g. ``"[0, 1]"`` or ``"fixed whole number ≥ 1"``.
    low, high : float
        Bounds of every possible value [unit of the field]; infinite when open.
    fixed : bool
        True when the field takes a fixed number only, never a distribution.
    whole : bool
        True when the number must be a whole number.
    bounded : bool
        True when a distribution must have bounded support (both ends finite).
    money : bool
        True for a money value, which may carry its own ``price_year``.
    """

    label: str
    low: float = -INF
    high: float = INF
    fixed: bool = False
    whole: bool = False
    bounded: bool = False
    money: bool = False

    def __get_pydantic_json_schema__(self, core_schema: Any, handler: Any) -> JsonSchemaValue:
        # `minimum`, `maximum` and `multipleOf` constrain numbers only, so they
        # check a bare number in the editor and leave the mapping form alone.
        schema = dict(handler(core_schema))
        if math.isfinite(self.low):
            schema["minimum"] = self.low
        if math.isfinite(self.high):
            schema["maximum"] = self.high
        if self.whole:
            schema["multipleOf"] = 1
        return schema


#: A probability or fraction [0-1].
Probability = Annotated[
    Value,
    _support_within(0.0, 1.0, "a probability or fraction"),
    Support("[0, 1]", 0.0, 1.0),
]
#: A count, number of hours, cost or salary [>= 0].
NonNegative = Annotated[
    Value, _support_within(0.0, INF, "a count, hours or cost"), Support("≥ 0", 0.0)
]
#: A cost, salary or hourly value [currency, >= 0]; may carry its own price_year.
Money = Annotated[
    Value, _support_within(0.0, INF, "a cost"), Support("≥ 0, money", 0.0, money=True)
]
#: A financial proxy [currency]: any real number (negative for a disbenefit);
#: may carry its own price_year.
MoneyReal = Annotated[Value, Support("any number (negative for a disbenefit), money", money=True)]
#: Optimism bias uplift [fraction, 0-2].
Uplift = Annotated[Value, _support_within(0.0, 2.0, "optimism bias"), Support("[0, 2]", 0.0, 2.0)]
#: Any real number (a financial proxy may be negative: a disbenefit).
Real = Annotated[Value, Support("any number (negative for a disbenefit)")]
#: A duration in years: non-negative with bounded support.
Duration = Annotated[
    Value,
    _support_within(0.0, INF, "a duration", bounded=True),
    AfterValidator(_bounded),
    Support("≥ 0, bounded support", 0.0, bounded=True),
]
#: A discount rate [fraction per year, 0-1].
Rate = Annotated[Value, _support_within(0.0, 1.0, "a discount rate"), Support("[0, 1]", 0.0, 1.0)]
#: Number of delivery years: a fixed whole number >= 1.
Years = Annotated[
    Value,
    _fixed_input("a fixed whole number"),
    _fixed_whole(1),
    Support("fixed whole number ≥ 1", 1.0, fixed=True, whole=True),
]
#: A lag in whole years >= 0, fixed.
Lag = Annotated[
    Value,
    _fixed_input("a fixed whole number"),
    _fixed_whole(0),
    Support("fixed whole number ≥ 0", 0.0, fixed=True, whole=True),
]
#: A ramp multiplier: fixed, >= 0.
RampEntry = Annotated[
    Value,
    _fixed_input("a fixed number"),
    AfterValidator(_fixed_non_negative),
    Support("fixed number ≥ 0", 0.0, fixed=True),
]
