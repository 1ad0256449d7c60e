"""The model's vocabulary, declared once: payers, value types, evidence
grades, drivers, metrics and perspectives.

Every other module reads these tables rather than writing the names out
again: the scenario models build their ``Literal`` types (and so the JSON
Schema) from them, the field reference prints their meanings, the engine
looks up each driver's formula by the name given here, and reports and the
command line take their labels, units and choices from them.  Each table is
a read-only mapping from id to entry, in report order, so ``for p in
PAYERS`` walks the ids and ``PAYERS[p].label`` reads a label.

This module imports nothing from ``sroi``: it is the bottom layer.

Adding an outcome driver is two changes: an entry in
:data:`OUTCOME_DRIVERS` naming its formula, and that formula in
:mod:`sroi.engine.drivers`.  Adding a metric is an entry in :data:`METRICS`
and its computation in :mod:`sroi.engine.metrics`.  The tests say what else
is missing (docs/contributing.md).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Final, Literal, NamedTuple, Protocol, TypeVar

#: Key of the programme totals (all scenarios of a run together) in every
#: result mapping, beside the scenario ids.
PROGRAMME: Final = "programme"


class _Entry(Protocol):
    @property
    def id(self) -> str: ...


_E = TypeVar("_E", bound=_Entry)


def _table(*entries: _E) -> Mapping[str, _E]:
    """A read-only mapping from each entry's id to the entry, in the order given."""
    table = {e.id: e for e in entries}
    if len(table) != len(entries):
        raise ValueError(f"duplicate ids in {[e.id for e in entries]}")
    return MappingProxyType(table)


# --------------------------------------------------------------------------- payers


class Payer(NamedTuple):
    """Who gains an outcome's value (or bears the saving)."""

    #: Id used in scenario files and result keys (``payer: nhs``).
    id: str
    #: As a commissioner reads it, capitalised for a row or legend: "Local authority".
    label: str
    #: Within a sentence: "local authority".
    phrase: str
    #: What the payer covers, for the field reference.
    meaning: str
    #: Part of the public sector.
    public: bool = False


#: Every payer, in report order.
PAYERS: Final[Mapping[str, Payer]] = _table(
    Payer("nhs", "NHS", "NHS", "the NHS", public=True),
    Payer(
        "local_authority",
        "Local authority",
        "local authority",
        "local authority services (social care, children's services)",
        public=True,
    ),
    Payer(
        "central_government",
        "Central government",
        "central government",
        "central government (benefits, education, justice, tax)",
        public=True,
    ),
    Payer("individual", "Individuals", "individuals", "the people the change happens to"),
    Payer(
        "society",
        "Wider society",
        "wider society",
        "society at large, or value not split between payers",
    ),
)


# --------------------------------------------------------------------------- value types


class ValueType(NamedTuple):
    """The kind of value an outcome produces."""

    #: Id used in scenario files and result keys (``value_type: fiscal``).
    id: str
    #: Capitalised for a row or legend.
    label: str
    #: What the kind of value is, for the field reference.
    meaning: str


#: Every value type, in report order.
VALUE_TYPES: Final[Mapping[str, ValueType]] = _table(
    ValueType("fiscal", "Fiscal", "a change in public spending"),
    ValueType("economic", "Economic", "a change in output or earnings"),
    ValueType("social", "Social", "a change in wellbeing or quality of life"),
)


# --------------------------------------------------------------------------- evidence


class EvidenceGrade(NamedTuple):
    """How strong the evidence behind a number is."""

    #: Id used in scenario files (``evidence: rct``).
    id: str
    #: Capitalised for a row or legend: "Randomised trial".
    label: str
    #: Plural, within a sentence ("rests on randomised trials").
    phrase: str
    #: Where a number with this grade comes from, for the field reference.
    meaning: str
    #: Judgement or assumption rather than measurement.
    judgement: bool = False


#: Evidence grades a scenario may give, strongest first.
EVIDENCE_GRADES: Final[Mapping[str, EvidenceGrade]] = _table(
    EvidenceGrade("rct", "Randomised trial", "randomised trials", "a randomised controlled trial"),
    EvidenceGrade(
        "quasi_experimental",
        "Quasi-experimental study",
        "quasi-experimental studies",
        "a controlled but not randomised comparison",
    ),
    EvidenceGrade(
        "observational",
        "Observational study",
        "observational studies",
        "a cohort, survey or other observational study",
    ),
    EvidenceGrade(
        "published_unit_cost",
        "Published unit cost",
        "published unit costs",
        "a published unit cost or price (e.g. a unit cost database)",
    ),
    EvidenceGrade(
        "local_data", "Local data", "local data", "the service's own records or local figures"
    ),
    EvidenceGrade(
        "expert_judgement",
        "Expert judgement",
        "expert judgement",
        "the considered view of practitioners or analysts",
        judgement=True,
    ),
    EvidenceGrade(
        "assumption",
        "Assumption",
        "assumptions",
        "a working assumption; say why in `note`",
        judgement=True,
    ),
)
#: What reports show for a value given no grade; never written in a scenario.
NOT_GRADED: Final = EvidenceGrade(
    "not_graded", "Not graded", "ungraded sources", "no grade given", judgement=True
)
#: The grades reports show, strongest first, then :data:`NOT_GRADED`.
REPORTED_GRADES: Final[Mapping[str, EvidenceGrade]] = _table(*EVIDENCE_GRADES.values(), NOT_GRADED)
#: Reported grades that are judgement or assumption rather than measurement.
JUDGEMENT_GRADES: Final[tuple[str, ...]] = tuple(
    g.id for g in REPORTED_GRADES.values() if g.judgement
)


# --------------------------------------------------------------------------- drivers


class Driver(NamedTuple):
    """What a cost line is paid for, or what an outcome's quantity counts
    (the ``per`` of a cost line or an outcome)."""

    #: Id used in scenario files (``per: user``).
    id: str
    #: Capitalised for a row or legend.
    label: str
    #: One of what it counts: "engaged woman".
    unit: str
    #: Several of what it counts: "engaged women".
    units: str
    #: What it counts in a year, for the field reference.
    meaning: str
    #: Name of the formula in :mod:`sroi.engine.drivers` that gives its
    #: quantity per draw and delivery year.
    formula: str


#: Cost drivers: the ``per`` of a cost line, in reference order.
COST_DRIVERS: Final[Mapping[str, Driver]] = _table(
    Driver("year", "Year", "year", "years", "each delivery year (once a year)", "every_year"),
    Driver(
        "referral", "Referral", "referral", "referrals", "each referral in the year", "referrals"
    ),
    Driver("user", "User", "woman", "women", "each user in the year", "users"),
    Driver(
        "volunteer",
        "Volunteer",
        "volunteer-year",
        "volunteer-years",
        "each volunteer in the pool in the year",
        "volunteers",
    ),
    Driver(
        "volunteer_recruited",
        "Volunteer recruited",
        "volunteer recruited",
        "volunteers recruited",
        "each volunteer recruited in the year (the pool in year 0, pool × turnover after)",
        "volunteers_recruited",
    ),
    Driver("once", "Once", "one-off", "one-offs", "year 0 only", "first_year"),
)

#: Outcome drivers: the ``per`` of an outcome, in reference order.
OUTCOME_DRIVERS: Final[Mapping[str, Driver]] = _table(
    Driver(
        "case_averted",
        "Case averted",
        "case averted",
        "cases averted",
        "each case of perinatal depression averted (engaged users × risk reduction)",
        "cases_averted",
    ),
    Driver(
        "engaged_user",
        "Engaged user",
        "engaged woman",
        "engaged women",
        "each engaged user",
        "engaged_users",
    ),
    Driver("user", "User", "woman", "women", "each user", "users"),
    Driver("referral", "Referral", "referral", "referrals", "each referral", "referrals"),
    Driver(
        "volunteer",
        "Volunteer",
        "volunteer-year",
        "volunteer-years",
        "each volunteer in the pool",
        "volunteers",
    ),
)


# --------------------------------------------------------------------------- metrics

#: How a metric's number is written: a count of people or cases (to a
#: tenth), hours (whole), an amount of money, a ratio, or a year.
Format = Literal["count", "hours", "money", "ratio", "year"]


class Metric(NamedTuple):
    """One result of a draw, per scenario and for the programme.

    ``unit`` and ``spelt_out`` write ``{c}`` where the currency goes.
    """

    #: Key in results, JSON documents and ``--metric``.
    id: str
    #: Lower case, for a sentence or a sensitivity table: "cost PV".
    label: str
    #: Unit, e.g. ``"{c} per woman"``.
    unit: str
    #: How it is computed, in words (docs/methodology.md section 6).
    meaning: str
    #: How its number is written.
    format: Format
    #: Adds up across scenarios: the programme value is the draw-by-draw sum.
    #: Otherwise the programme recomputes it from the sums.
    additive: bool
    #: When it has no value in a draw (None: always defined).
    undefined_when: str | None = None
    #: Row heading spelt out for readers (HTML report, workbook), with its
    #: unit; None: the same as the plain one.
    spelt_out: str | None = None
    #: For a ratio, the metrics it divides: (numerator, denominator); it is
    #: undefined unless the denominator is above 0.  None: not a ratio.
    ratio_of: tuple[str, str] | None = None
    #: A count summed over the delivery years, which its heading says (a
    #: reader takes a bare count for a year's).
    over_delivery: bool = False

    def heading(self, currency: str, *, spelt_out: bool = False) -> str:
        """A row heading with its unit, ``currency`` (a code or a symbol) filled in:
        the label capitalised, or with ``spelt_out`` the wording for readers.

        >>> METRICS["cost_pv"].heading("GBP")
        'Cost PV [GBP]'
        >>> METRICS["cost_pv"].heading("£", spelt_out=True)
        'Cost, present value [£]'

        Spelt out, a perspective's return is named as the report names it:

        >>> METRICS["public_roi"].heading("£", spelt_out=True)
        'Public-sector return [£ public value per £1 cash cost]'

        A count summed over the delivery years says so:

        >>> METRICS["users"].heading("GBP")
        'Women supported over the delivery years [women]'
        """
        plain = f"{self.label[0].upper()}{self.label[1:]} [{self.unit}]"
        view = return_of(self.id) if spelt_out else None
        if view is not None:
            per_one = self.unit.replace("per {c} ", "per {c}1 ")
            return f"{view.ratio_label} [{per_one}]".format(c=currency)
        text = self.spelt_out if spelt_out and self.spelt_out else plain
        if self.over_delivery:
            name, _, unit = text.rpartition(" [")
            text = f"{name} {OVER_DELIVERY} [{unit}"
        return text.format(c=currency)


#: What a count summed over the delivery years adds to its heading.
OVER_DELIVERY: Final = "over the delivery years"


#: Every scalar metric, in report order.
METRICS: Final[Mapping[str, Metric]] = _table(
    Metric(
        "referrals",
        "referrals",
        "women",
        "referrals, summed over delivery years",
        "count",
        True,
        over_delivery=True,
    ),
    Metric(
        "users",
        "women supported",
        "women",
        "users (after the capacity cap), summed over delivery years",
        "count",
        True,
        over_delivery=True,
    ),
    Metric(
        "engaged_users",
        "engaged women",
        "women",
        "engaged users, summed over delivery years",
        "count",
        True,
        over_delivery=True,
    ),
    Metric(
        "cases_averted",
        "cases averted",
        "cases",
        "cases of perinatal depression averted, summed over delivery years",
        "count",
        True,
        spelt_out="Cases of perinatal depression averted [cases]",
        over_delivery=True,
    ),
    Metric(
        "volunteer_hours",
        "volunteer hours",
        "hours",
        "volunteer contact, training and supervision hours, summed over delivery years",
        "hours",
        True,
        over_delivery=True,
    ),
    Metric("cost_total", "total cost", "{c}", "cost of every year, undiscounted", "money", True),
    Metric(
        "cost_pv",
        "cost PV",
        "{c}",
        "present value of the cost (cost_total when costs are not discounted)",
        "money",
        True,
        spelt_out="Cost, present value [{c}]",
    ),
    Metric(
        "cash_cost_pv",
        "cash cost PV",
        "{c}",
        "present value of the cash cost: cost_pv without volunteer time in kind",
        "money",
        True,
        spelt_out="Cash cost, present value [{c}]",
    ),
    Metric(
        "value_pv",
        "value PV",
        "{c}",
        "present value of every outcome's value",
        "money",
        True,
        spelt_out="Value, present value [{c}]",
    ),
    Metric(
        "value_pv_cashable",
        "cashable value PV",
        "{c}",
        "present value of the cashable outcomes",
        "money",
        True,
        spelt_out="Cashable value, present value [{c}]",
    ),
    Metric(
        "public_value_pv",
        "public value PV",
        "{c}",
        "present value of the value to the NHS, local authorities and central government",
        "money",
        True,
        spelt_out="Value to the public sector, present value [{c}]",
    ),
    Metric(
        "npv",
        "NPV",
        "{c}",
        "net present value: value_pv − cost_pv",
        "money",
        True,
        spelt_out="Net present value [{c}]",
    ),
    Metric(
        "sroi_ratio",
        "SROI ratio",
        "{c} value per {c} cost",
        "value_pv / cost_pv",
        "ratio",
        False,
        undefined_when="cost_pv is 0",
        ratio_of=("value_pv", "cost_pv"),
    ),
    Metric(
        "net_sroi_ratio",
        "net SROI ratio",
        "{c} net value per {c} cost",
        "npv / cost_pv",
        "ratio",
        False,
        undefined_when="cost_pv is 0",
        spelt_out="Net social return [{c} net value per {c}1 cost]",
        ratio_of=("npv", "cost_pv"),
    ),
    Metric(
        "public_roi",
        "public-sector return",
        "{c} public value per {c} cash cost",
        "public_value_pv / cash_cost_pv",
        "ratio",
        False,
        undefined_when="cash_cost_pv is 0",
        ratio_of=("public_value_pv", "cash_cost_pv"),
    ),
    Metric(
        "cashable_roi",
        "cashable return",
        "{c} cashable value per {c} cash cost",
        "value_pv_cashable / cash_cost_pv",
        "ratio",
        False,
        undefined_when="cash_cost_pv is 0",
        ratio_of=("value_pv_cashable", "cash_cost_pv"),
    ),
    Metric(
        "unit_cost",
        "unit cost",
        "{c} per woman",
        "cost_total / users",
        "money",
        False,
        undefined_when="there are no users",
        spelt_out="Unit cost [{c} per woman supported]",
        ratio_of=("cost_total", "users"),
    ),
    Metric(
        "cost_per_case_averted",
        "cost per case averted",
        "{c} per case",
        "cost_total / cases_averted",
        "money",
        False,
        undefined_when="no case is averted",
        ratio_of=("cost_total", "cases_averted"),
    ),
    Metric(
        "payback_year",
        "payback year",
        "year",
        "first analysis year in which cumulative discounted value reaches cumulative cost",
        "year",
        False,
        undefined_when="value never catches up with cost within the horizon",
    ),
)


class SplitMetric(NamedTuple):
    """A money metric split by the entries of a table (payers, value types);
    each part is keyed ``"<id>.<key>"``, e.g. ``"value_pv_by_payer.nhs"``."""

    #: Prefix of each part's key.
    id: str
    #: A part's label, ``{key}`` standing for its key: "value PV to {key}".
    label: str
    #: Unit of every part.
    unit: str
    #: How a part is computed, in words.
    meaning: str
    #: The keys, in report order.
    keys: tuple[str, ...]
    #: Every part adds up across scenarios.
    additive: bool = True
    #: How each part's number is written.
    format: Format = "money"

    def parts(self) -> tuple[str, ...]:
        """Every part's key, e.g. ``("value_pv_by_type.fiscal", ...)``."""
        return tuple(f"{self.id}.{key}" for key in self.keys)


#: Split metrics, in report order.
SPLITS: Final[Mapping[str, SplitMetric]] = _table(
    SplitMetric(
        "value_pv_by_payer",
        "value PV to {key}",
        "{c}",
        "value_pv over the outcomes with that payer",
        tuple(PAYERS),
    ),
    SplitMetric(
        "value_pv_by_type",
        "value PV, {key}",
        "{c}",
        "value_pv over the outcomes with that value type",
        tuple(VALUE_TYPES),
    ),
)


def metric_names() -> tuple[str, ...]:
    """Every metric's key: the scalar metrics, then each part of each split metric."""
    return (*METRICS, *(part for split in SPLITS.values() for part in split.parts()))


def additive_metrics() -> tuple[str, ...]:
    """Keys of the metrics the programme sums draw by draw, in report order."""
    scalar = (m.id for m in METRICS.values() if m.additive)
    splits = (p for s in SPLITS.values() if s.additive for p in s.parts())
    return (*scalar, *splits)


# --------------------------------------------------------------------------- perspectives


class Perspective(NamedTuple):
    """Whose value and whose cost an SROI ratio counts."""

    #: Id, e.g. for ``--perspective``.
    id: str
    #: Capitalised for a heading.
    label: str
    #: Whose view it is, in words.
    meaning: str
    #: Payers whose value counts (every outcome of theirs).
    payers: tuple[str, ...]
    #: Count only cashable outcomes of those payers.
    cashable_only: bool
    #: The cost that counts: ``cost_pv`` (cash plus volunteer time in kind) or
    #: ``cash_cost_pv`` (cash only).
    cost: Literal["cost_pv", "cash_cost_pv"]

    @property
    def definition(self) -> str:
        """What counts as value and as cost, in words."""
        if self.cashable_only:
            value = "cashable value PV"
        elif self.payers == tuple(PAYERS):
            value = "value PV to every payer"
        else:
            value = "value PV to " + ", ".join(PAYERS[p].phrase for p in self.payers)
        cost = {"cost_pv": "cost PV", "cash_cost_pv": "cash cost PV"}[self.cost]
        return f"{value} / {cost}"

    @property
    def value_metric(self) -> str:
        """The metric that is this perspective's value PV [currency]: ``value_pv``
        (every payer), ``public_value_pv`` (the public payers),
        ``value_pv_cashable`` (cashable outcomes of every payer) or one payer's
        ``value_pv_by_payer.<payer>``."""
        if self.cashable_only:
            if self.payers != tuple(PAYERS):
                raise ValueError(f"{self.id}: cashable value is kept for every payer together")
            return "value_pv_cashable"
        if self.payers == tuple(PAYERS):
            return "value_pv"
        if self.payers == PUBLIC_PAYERS:
            return "public_value_pv"
        if len(self.payers) == 1:
            return f"value_pv_by_payer.{self.payers[0]}"
        raise ValueError(f"{self.id}: no metric holds the value to {', '.join(self.payers)}")

    @property
    def ratio_metric(self) -> str:
        """Name of its return, value / cost [currency per currency]: the metric
        that already holds it (``sroi_ratio``, ``public_roi``, ``cashable_roi``)
        or ``<id>_roi``."""
        return _NAMED_RATIOS.get(self.id, f"{self.id}_roi")

    @property
    def net_metric(self) -> str:
        """Name of its net present value, value − cost [currency]: ``npv`` for
        society, else ``<id>_npv``."""
        return "npv" if self.id == "society" else f"{self.id}_npv"

    @property
    def payback_metric(self) -> str:
        """Name of its payback year (the first analysis year in which its
        cumulative discounted value reaches its cumulative cost): ``payback_year``
        for society, else ``<id>_payback_year``."""
        return "payback_year" if self.id == "society" else f"{self.id}_payback_year"

    @property
    def ratio_label(self) -> str:
        """Its return in words, capitalised: "Social return", "NHS return"."""
        return _RETURN_LABELS.get(self.id, f"{self.label} return")

    @property
    def phrase(self) -> str:
        """Its label within a sentence: "society", "public sector", "NHS"
        (an initialism keeps its capitals).

        >>> PERSPECTIVES["nhs"].phrase, PERSPECTIVES["public_sector"].phrase
        ('NHS', 'public sector')
        """
        label = self.label
        return label if label[1:2].isupper() else label[:1].lower() + label[1:]

    @property
    def ratio_phrase(self) -> str:
        """Its return within a sentence: "social return", "NHS return"."""
        label = self.ratio_label
        return label if label[1:2].isupper() else label[:1].lower() + label[1:]


#: Perspectives whose return is already a metric: id -> that metric.
_NAMED_RATIOS: Final[Mapping[str, str]] = MappingProxyType(
    {"society": "sroi_ratio", "public_sector": "public_roi", "cashable": "cashable_roi"}
)
#: How a return is named in a table's row: id -> label.
_RETURN_LABELS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "society": "Social return",
        "public_sector": "Public-sector return",
        "cashable": "Cashable return",
    }
)


#: Payers that make up the public sector, in report order.
PUBLIC_PAYERS: Final[tuple[str, ...]] = tuple(p.id for p in PAYERS.values() if p.public)

#: Perspectives, widest first.
PERSPECTIVES: Final[Mapping[str, Perspective]] = _table(
    Perspective(
        "society",
        "Society",
        "all value to everyone, against every input including volunteer time in kind",
        tuple(PAYERS),
        False,
        "cost_pv",
    ),
    Perspective(
        "public_sector",
        "Public sector",
        "value to the public purse, against the cash cost",
        PUBLIC_PAYERS,
        False,
        "cash_cost_pv",
    ),
    *(
        Perspective(
            payer,
            PAYERS[payer].label,
            f"value to {PAYERS[payer].meaning}, against the cash cost",
            (payer,),
            False,
            "cash_cost_pv",
        )
        for payer in PUBLIC_PAYERS
    ),
    Perspective(
        "cashable",
        "Cashable",
        "savings a budget holder can release, against the cash cost",
        tuple(PAYERS),
        True,
        "cash_cost_pv",
    ),
)


def expected_value(metric: str, mean: Callable[[str], float]) -> float:
    """The expected value of ``metric`` across draws, given ``mean`` of any
    metric: for a ratio (:attr:`Metric.ratio_of`), the mean of its numerator
    over the mean of its denominator (NaN unless that is above 0); else its
    mean (docs/methodology.md section 8).

    >>> means = {"cost_total": 3000.0, "users": 2.0}
    >>> expected_value("unit_cost", means.__getitem__)
    1500.0
    """
    info = METRICS.get(metric)
    if info is None or info.ratio_of is None:
        return mean(metric)
    numerator, denominator = (mean(m) for m in info.ratio_of)
    return numerator / denominator if denominator > 0 else math.nan


def return_of(metric: str) -> Perspective | None:
    """The perspective whose return ``metric`` is (``sroi_ratio``: society),
    else None; readers' headings name the metric by its ``ratio_label``.

    >>> return_of("cashable_roi").ratio_label, return_of("npv")
    ('Cashable return', None)
    """
    return next((p for p in PERSPECTIVES.values() if p.ratio_metric == metric), None)


#: Perspectives whose returns ``sroi run`` and the report show side by side:
#: social, public-sector and cashable.
SIDE_BY_SIDE: Final[tuple[str, ...]] = ("society", "public_sector", "cashable")


def perspective_metric_names() -> tuple[str, ...]:
    """Names of each perspective's return, net value and payback year that are
    not already metrics (``public_sector_npv``, ``nhs_roi``, ``cashable_payback_year``, ...),
    in perspective order.  Analyses accept them as metric names; a run keeps
    the payback years per draw."""
    names: list[str] = []
    for p in PERSPECTIVES.values():
        names += [n for n in (p.ratio_metric, p.net_metric, p.payback_metric) if n not in METRICS]
    return tuple(names)


def perspective_paybacks() -> tuple[str, ...]:
    """Names of the payback years of every perspective but society (whose is
    ``payback_year``): what the engine adds to each draw's metrics."""
    return tuple(p.payback_metric for p in PERSPECTIVES.values() if p.id != "society")
