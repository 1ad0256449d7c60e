"""One look for every table and chart: colours, labels and number formats.

Labels are read from :mod:`sroi.vocabulary`; the colours below are keyed by
its ids.

Colours are the Okabe-Ito palette (Okabe M, Ito K (2008) *Color Universal
Design*), distinguishable with the common colour-vision deficiencies and in
greyscale when paired with the hatch patterns below.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Final

from sroi.vocabulary import OUTCOME_DRIVERS, PAYERS, PUBLIC_PAYERS, REPORTED_GRADES

if TYPE_CHECKING:
    from sroi.scenario.model import Scenario

#: Okabe-Ito colours by name.
OKABE_ITO: Final[dict[str, str]] = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
    "grey": "#999999",
}

#: Colours for a sequence of series (sites), in order.
SERIES: Final[tuple[str, ...]] = (
    OKABE_ITO["blue"],
    OKABE_ITO["orange"],
    OKABE_ITO["bluish_green"],
    OKABE_ITO["reddish_purple"],
    OKABE_ITO["sky_blue"],
    OKABE_ITO["vermillion"],
    OKABE_ITO["yellow"],
    OKABE_ITO["grey"],
)
#: Colour of programme totals (all sites together).
PROGRAMME_COLOUR: Final[str] = OKABE_ITO["black"]

#: Payers as a commissioner reads them.
PAYER_LABELS: Final[dict[str, str]] = {p.id: p.label for p in PAYERS.values()}
#: One colour per payer.
PAYER_COLOURS: Final[dict[str, str]] = {
    "nhs": OKABE_ITO["blue"],
    "local_authority": OKABE_ITO["bluish_green"],
    "central_government": OKABE_ITO["sky_blue"],
    "individual": OKABE_ITO["orange"],
    "society": OKABE_ITO["reddish_purple"],
}

#: Evidence grades from strongest to weakest (the scenario language's order),
#: then values given no grade.
EVIDENCE_ORDER: Final[tuple[str, ...]] = tuple(REPORTED_GRADES)
EVIDENCE_LABELS: Final[dict[str, str]] = {g.id: g.label for g in REPORTED_GRADES.values()}
#: Evidence grades in a sentence ("rests on ...").
EVIDENCE_PHRASES: Final[dict[str, str]] = {g.id: g.phrase for g in REPORTED_GRADES.values()}
#: Stronger evidence in cool, saturated colours; judgement and assumption in
#: warm ones; hatching repeats the split for greyscale print.
EVIDENCE_COLOURS: Final[dict[str, str]] = {
    "rct": OKABE_ITO["blue"],
    "quasi_experimental": OKABE_ITO["sky_blue"],
    "observational": OKABE_ITO["bluish_green"],
    "published_unit_cost": "#7FC7AE",
    "local_data": OKABE_ITO["yellow"],
    "expert_judgement": OKABE_ITO["orange"],
    "assumption": OKABE_ITO["vermillion"],
    "not_graded": OKABE_ITO["grey"],
}
EVIDENCE_HATCHES: Final[dict[str, str]] = {
    "expert_judgement": "..",
    "assumption": "//",
    "not_graded": "xx",
}

#: Outcome drivers (an outcome's ``per``) as units of quantity: (one, several).
DRIVER_UNITS: Final[dict[str, tuple[str, str]]] = {
    d.id: (d.unit, d.units) for d in OUTCOME_DRIVERS.values()
}

_SYMBOLS: Final[dict[str, str]] = {"GBP": "£", "EUR": "€", "USD": "$"}


def symbol(currency: str) -> str:
    """A currency's symbol, or its code and a space.

    >>> symbol("GBP"), symbol("CHF")
    ('£', 'CHF ')
    """
    return _SYMBOLS.get(currency, f"{currency} ")


def money(x: float, currency: str = "GBP", digits: int = 0) -> str:
    """Money with its symbol and thousands separators; a dash when undefined.

    >>> money(1234567.8), money(-1500, "GBP"), money(float("nan"))
    ('£1,234,568', '-£1,500', '–')
    """
    if not math.isfinite(x):
        return "–"
    sign = "-" if x < 0 else ""
    return f"{sign}{symbol(currency)}{abs(x):,.{digits}f}"


def short_money(x: float, currency: str = "GBP") -> str:
    """Money rounded for a sentence or an axis: £1.2m, £35k, £640.

    >>> short_money(1_976_332), short_money(35_730), short_money(640), short_money(-2e6)
    ('£1.98m', '£35.7k', '£640', '-£2.00m')
    >>> short_money(250_000)
    '£250k'
    """
    if not math.isfinite(x):
        return "–"
    sign = "-" if x < 0 else ""
    s, a = symbol(currency), abs(x)
    if a >= 1e6:
        return f"{sign}{s}{a / 1e6:.2f}m"
    if a >= 1e5:
        return f"{sign}{s}{a / 1e3:.0f}k"
    if a >= 1e4:
        return f"{sign}{s}{a / 1e3:.1f}k"
    return f"{sign}{s}{a:,.0f}"


def axis_money(x: float, currency: str = "GBP") -> str:
    """Money for an axis tick: :func:`short_money` without trailing zeros, so
    ticks read alike (£50k beside £100k, not £50.0k).

    >>> axis_money(50_000), axis_money(100_000), axis_money(1_500_000), axis_money(12_500)
    ('£50k', '£100k', '£1.5m', '£12.5k')
    """
    text = short_money(x, currency)
    if text[-1:] in ("k", "m") and "." in text:
        text = text[:-1].rstrip("0").rstrip(".") + text[-1]
    return text


def ratio(x: float) -> str:
    """An SROI ratio to two decimals.

    >>> ratio(2.4417), ratio(float("inf"))
    ('2.44', '–')
    """
    return "–" if not math.isfinite(x) else f"{x:.2f}"


def chance(x: float) -> str:
    """A probability as a whole percentage that never reads as a certainty it
    is not: above 0 but under 0.5% is "<1%", under 1 but over 99.5% is ">99%"
    (as ``sroi compare`` writes them).

    >>> chance(0.0001), chance(0.0), chance(0.9578), chance(0.9999), chance(1.0)
    ('<1%', '0%', '96%', '>99%', '100%')
    """
    if not math.isfinite(x):
        return "–"
    if 0 < x < 0.005:
        return "<1%"
    if 0.995 < x < 1:
        return ">99%"
    return f"{100 * x:.0f}%"


def share(x: float, digits: int = 0) -> str:
    """A probability or share as a percentage.

    >>> share(0.9567), share(0.001, 1)
    ('96%', '0.1%')
    """
    return "–" if not math.isfinite(x) else f"{100 * x:.{digits}f}%"


def whole_percents(shares: Sequence[float], total: int | None = None) -> list[int]:
    """Shares as whole percentages that add up to ``total``, by default their
    rounded total (100 for shares of one whole), by largest remainder: 0.575,
    0.255 and 0.17 round to 58, 26 and 17, which add to 101, and come out as
    57, 26, 17.

    >>> whole_percents([0.575, 0.255, 0.17]), whole_percents([0.5, 0.5])
    ([57, 26, 17], [50, 50])
    """
    exact = [100 * x for x in shares]
    floors = [math.floor(x) for x in exact]
    missing = (round(sum(exact)) if total is None else total) - sum(floors)
    by_remainder = sorted(range(len(exact)), key=lambda i: floors[i] - exact[i])
    for i in by_remainder[: max(missing, 0)]:
        floors[i] += 1
    return floors


def payer_percents(shares: Mapping[str, float]) -> dict[str, int]:
    """Each payer's share of the value as a whole percentage (a mapping of
    payer id to share [fraction]), rounded so that the shares add up to their
    rounded total and the public sector's parts add up to the public sector's
    own rounded share: a page that gives both never shows parts of 8, 5 and
    3% beside a public sector of 17%.

    Individuals 57.66%, wider society 25.67% and the public sector 16.68%
    come out as 57, 26 and 17 (the two largest remainders take the two
    missing points); the NHS's 8.50, central government's 4.65 and local
    authority's 3.53 then share the public sector's 17 as 8, 5 and 4.

    >>> p = payer_percents({"individuals": 0.5766, "wider_society": 0.2567,
    ...     "nhs": 0.0850, "central_government": 0.0465, "local_authority": 0.0353})
    >>> list(p.values())
    [57, 26, 8, 5, 4]
    """
    public = [p for p in shares if p in PUBLIC_PAYERS]
    others = [p for p in shares if p not in PUBLIC_PAYERS]
    tops = whole_percents([shares[p] for p in others] + [sum(shares[p] for p in public)])
    parts = whole_percents([shares[p] for p in public], total=tops[-1])
    rounded = dict(zip(others, tops, strict=False)) | dict(zip(public, parts, strict=True))
    return {p: rounded[p] for p in shares}


def count(x: float) -> str:
    """A count of people or cases: whole numbers from 100 up, else one decimal.

    >>> count(282.07), count(15.94)
    ('282', '15.9')
    """
    if not math.isfinite(x):
        return "–"
    return f"{x:,.0f}" if abs(x) >= 100 else f"{x:,.1f}"


def number(x: float) -> str:
    """A general input value with sensible precision.

    >>> number(0.65), number(26000), number(1.0), number(0.035)
    ('0.65', '26,000', '1', '0.035')
    """
    if not math.isfinite(x):
        return "–"
    if x == 0:
        return "0"
    a = abs(x)
    if a >= 1000:
        return f"{x:,.0f}"
    if a >= 10:
        return f"{x:,.1f}".rstrip("0").rstrip(".")
    return f"{x:.3g}"


def years(x: float) -> str:
    """A duration in years.

    >>> years(1.0), years(0.5), years(2)
    ('1 year', '0.5 years', '2 years')
    """
    text = number(x)
    return f"{text} year" if text == "1" else f"{text} years"


#: Longest short name a label or chart shows [characters]; a longer name is
#: cut at a word and ends in an ellipsis (the full name stays in the text).
SHORT_NAME_CHARS = 40


def delivery_years(scenarios: Sequence[Scenario]) -> str | None:
    """How many delivery years ``scenarios`` (one site, or a programme's
    sites) run for, in words; None without any.

    >>> print(delivery_years([]))
    None
    """
    counts = sorted({s.years for s in scenarios})
    if not counts:
        return None
    low, high = counts[0], counts[-1]
    span = f"{low}" if low == high else f"{low} to {high}"
    return f"{span} delivery year{'' if high == 1 else 's'}"


#: What the figures headed "over the delivery years" are, under their count
#: of delivery years (:func:`delivery_years`).
TOTALS_NOTE = "women supported, costs and value below are for all of them, not a year's"


def plain_name(name: str) -> str:
    """A scenario's display name without its trailing parenthesis (the last
    one only: a parenthesis within the name stays).

    >>> plain_name("Oxford (Family Action Perinatal Support Service pilot)")
    'Oxford'
    >>> plain_name("Birmingham (scaled FTE) (Perinatal Support Service replication proposal)")
    'Birmingham (scaled FTE)'
    >>> plain_name("Leeds (north (inner)) (pilot)"), plain_name("(pilot)"), plain_name("New area")
    ('Leeds (north (inner))', '(pilot)', 'New area')
    """
    text = name.rstrip()
    if not text.endswith(")"):
        return name.strip() or name
    depth = 0
    for i in range(len(text) - 1, -1, -1):
        depth += {")": 1, "(": -1}.get(text[i], 0)
        if depth == 0:
            head = text[:i].rstrip()
            return head if head and text[i - 1].isspace() else text.strip()
    return text.strip()


def short_name(name: str) -> str:
    """A scenario's display name without a trailing parenthesis
    (:func:`plain_name`), for labels, cut to :data:`SHORT_NAME_CHARS` at a word.

    >>> short_name("Oxford (Family Action Perinatal Support Service pilot)")
    'Oxford'
    >>> short_name("New area")
    'New area'
    >>> short_name("Riverside, Lowtown and the villages of the upper valley north")
    'Riverside, Lowtown and the villages of…'
    """
    head = plain_name(name)
    if len(head) <= SHORT_NAME_CHARS:
        return head
    cut = head[: SHORT_NAME_CHARS - 1]
    if " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:-") + "…"
