"""The questions of ``sroi replicate``, how to read each answer, and the
checks that span answers.

Each question is a row of :data:`QUESTIONS`: the :class:`Answers` field it
fills, its flag, its wording, a parser, whether it may be skipped and when it
is asked at all.  A parser turns typed text into a value or raises
``ValueError`` with what was expected; :func:`check_answers` then finds
answers that cannot all be true together, each pinned to a flag.
"""

from __future__ import annotations

import datetime
import math
import re
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sroi.prices import FIRST_PRICE_YEAR, GDP_DEFLATOR, LAST_PRICE_YEAR, financial_year_start
from sroi.text import control_character, describe_character

#: Most delivery years a proposal may cover [years].
MAX_YEARS = 50
#: Largest amount of money one answer may give [currency]: a year's salary,
#: or one cost line of one site (per year, or per unit of its driver).
MAX_MONEY = 1_000_000
#: Longest part of an answer quoted back in a message [characters].
QUOTED = 30


def parse_area(text: str) -> str:
    """An area name: any text with a letter in it, at most 80 characters, on
    one line and without control characters."""
    stripped = text.strip()
    if any(c in stripped for c in "\n\r\v\f\x85\u2028\u2029"):
        raise ValueError("expected the area's name on one line; found a line break in it")
    name = " ".join(stripped.split())
    if not re.search(r"[^\W\d_]", name):
        raise ValueError("expected the area's name, e.g. Newham")
    c = control_character(name)
    if c is not None:
        raise ValueError(
            f"expected the area's name as plain text; found the control character "
            f"{describe_character(c)}"
        )
    if len(name) > 80:
        raise ValueError(f"expected a name of at most 80 characters; found {len(name)}")
    return name


def typed(text: str) -> str:
    """An answer quoted as it was typed, shortened when very long.

    >>> typed(" 1e300 "), typed("9" * 40)
    ("'1e300'", "'999999999999999999999999999999…' (40 characters)")
    """
    raw = text.strip()
    if len(raw) <= QUOTED:
        return repr(raw)
    return f"{raw[:QUOTED] + '…'!r} ({len(raw)} characters)"


#: What a k or m after a number multiplies it by, in :func:`number_hint`.
_SCALES = {"k": 1_000, "m": 1_000_000}


def number_hint(text: str, scaled: bool = True) -> str:
    """What to write instead of ``text``, a number with a currency sign
    (``£32,000``) or, when ``scaled``, a k or m for thousand or million
    (``14k``), neither of which is read: ``""`` for any other text.  The
    answer is never taken as the number meant; the message says which it is.

    >>> number_hint("£32,000"), number_hint("14k")
    ('; write it without the £ sign, e.g. 32000', ' (did you mean 14000?)')
    >>> number_hint("$1.5M")
    '; write it without the $ sign and the M: did you mean 1500000?'
    >>> number_hint("12m", scaled=False), number_hint("sixty"), number_hint("£")
    ('', '', '')
    """
    import unicodedata
    from decimal import Decimal, InvalidOperation

    rest = text.strip()
    sign = ""
    for end in (rest[:1], rest[-1:]):
        if end and unicodedata.category(end) == "Sc":
            sign, rest = end, rest.removeprefix(end).removesuffix(end).strip()
            break
    suffix = rest[-1:] if scaled and rest[-1:].lower() in _SCALES else ""
    rest = rest[: len(rest) - len(suffix)].strip()
    try:
        number = Decimal(rest.replace(",", "").replace("_", "").replace(" ", ""))
    except InvalidOperation:
        return ""
    if not (sign or suffix) or not number.is_finite():
        return ""
    if suffix:
        number *= _SCALES[suffix.lower()]
    written = format(number.normalize(), "f")
    if sign and suffix:
        return f"; write it without the {sign} sign and the {suffix}: did you mean {written}?"
    if sign:
        return f"; write it without the {sign} sign, e.g. {written}"
    return f" (did you mean {written}?)"


def _number(text: str, scaled: bool = True) -> float:
    """``text`` as a number, commas, underscores and spaces between digits
    allowed; a number with a currency sign or (when ``scaled``) a k or m is
    refused with what to write instead (:func:`number_hint`)."""
    cleaned = text.strip().replace(",", "").replace("_", "").replace(" ", "")
    try:
        value = float(cleaned)
    except ValueError:
        hint = number_hint(text, scaled)
        raise ValueError(f"expected a number; found {typed(text)}{hint}") from None
    if not math.isfinite(value):
        raise ValueError(f"expected a finite number; found {typed(text)}")
    return value


def _plain(x: float) -> str:
    """A limit or an answer as a reader writes it: 1,000,000, not 1e+06.

    >>> _plain(1e6), _plain(2.5), _plain(1e20)
    ('1,000,000', '2.5', '100,000,000,000,000,000,000')
    """
    return f"{x:,.0f}" if float(x).is_integer() else f"{x:,}"


def _positive(what: str, most: float, scaled: bool = True) -> Callable[[str], float]:
    """A parser of a number of ``what`` above 0, at most ``most``; ``scaled``:
    a k or m after the number is taken for thousand or million in the hint
    (not for weeks, visits or an FTE, where a million cannot be meant)."""

    def parse(text: str) -> float:
        value = _number(text, scaled)
        if value <= 0:
            raise ValueError(f"expected {what} above 0; found {typed(text)}")
        if value > most:
            raise ValueError(f"expected {what} of at most {_plain(most)}; found {typed(text)}")
        return value

    parse.__doc__ = f"{what[0].upper()}{what[1:]}: a number above 0, at most {_plain(most)}."
    return parse


def _count(what: str, most: float, least: str = "") -> Callable[[str], float]:
    """A parser of a whole number of ``what``, 0 to ``most``; with ``least``
    (what one is called, and why at least one is needed), 1 to ``most``."""

    def parse(text: str) -> float:
        value = _number(text)
        if value < 0 or not value.is_integer():
            raise ValueError(
                f"expected a whole number of {what}, {'1' if least else '0'} or more; "
                f"found {typed(text)}"
            )
        if least and value < 1:
            raise ValueError(f"expected at least 1 {least}; found {typed(text)}")
        if value > most:
            raise ValueError(f"expected at most {_plain(most)} {what}; found {typed(text)}")
        return value

    parse.__doc__ = f"A whole number of {what}, {1 if least else 0} to {_plain(most)}."
    return parse


#: Births a year in the area [births/year], above 0 (commas allowed).
parse_births = _positive("a number of births", 1_000_000)
#: Referrals a year [women/year], above 0.
parse_referrals_per_year = _positive("a number of referrals a year", 100_000)
#: Referrals in total over the delivery years [women], a whole number.
parse_referrals_total = _count(
    "referrals", 1_000_000, "referral (the women supported come from them)"
)
#: Women assessed over the delivery years [women].
parse_assessed = _count(
    "women assessed", 1_000_000, "woman assessed (the women paired come from them)"
)
#: Women paired with a befriender over the delivery years [women].
parse_paired = _count(
    "women paired", 1_000_000, "woman paired (the outcomes come from the women supported)"
)
#: Volunteers trained over the delivery years [volunteers].
parse_trained = _count(
    "volunteers trained", 100_000, "volunteer trained (befrienders deliver the service)"
)
#: Befrienders planned to be active at a time [volunteers].
parse_planned = _count("befrienders", 100_000, "befriender (befrienders deliver the service)")
#: Visits per woman supported [visits/woman].
parse_visits = _positive("a number of visits per woman", 1_000, scaled=False)
#: Weeks of support per woman [weeks].
parse_weeks = _positive("a number of weeks", 520, scaled=False)
#: Co-ordinator post [FTE].
parse_fte = _positive("an FTE (1 is full time)", 20, scaled=False)
#: Co-ordinator's annual gross salary [currency/year, at the prices of ``money_year``].
parse_salary = _positive("a salary", MAX_MONEY)


def parse_money_year(text: str) -> int:
    """The financial year whose prices the money figures are in, by the
    calendar year it starts: ``2024`` is FY 2024-25 (``2024-25`` and
    ``2024/25`` are read too, as ``--price-year`` reads them:
    :func:`sroi.prices.financial_year_start`); a year of the GDP deflator table.

    >>> parse_money_year("2024"), parse_money_year("2024-25")
    (2024, 2024)
    """
    raw = financial_year_start(text)
    value = _number(raw, scaled=False) if raw else math.nan
    if not value.is_integer() or int(value) not in GDP_DEFLATOR:
        raise ValueError(
            "expected the year the financial year starts, e.g. 2024 for 2024-25 prices, "
            f"from {FIRST_PRICE_YEAR} to {LAST_PRICE_YEAR}; found {typed(text)}"
        )
    return int(value)


def parse_years(text: str) -> int:
    """Delivery years the recorded figures cover [years]: a whole number, 1 to 50.

    >>> parse_years("2")
    2
    """
    value = _number(text, scaled=False)
    if not value.is_integer() or not 1 <= value <= MAX_YEARS:
        raise ValueError(
            f"expected a whole number of years from 1 to {MAX_YEARS}; found {typed(text)}"
        )
    return int(value)


def parse_share(text: str) -> float:
    """A share [fraction]: ``0.018`` or ``1.8%``; above 0, at most 1.

    >>> parse_share("1.8%"), parse_share("0.018")
    (0.018, 0.018)
    """
    raw = text.strip()
    percent = raw.endswith("%")
    value = _number(raw[:-1] if percent else raw, scaled=False)
    if percent:
        value = round(value / 100.0, 12)
    if value <= 0:
        raise ValueError(f"expected a share above 0; found {typed(raw)}")
    if value > 1:
        hint = f" (did you mean {value:g}%?)" if not percent and value <= 100 else ""
        raise ValueError(
            "expected a share between 0 and 1 (e.g. 0.85) or a percentage (e.g. 85%); "
            f"found {typed(raw)}{hint}"
        )
    return value


def parse_yes_no(text: str) -> bool:
    """``yes``/``y``/``true`` or ``no``/``n``/``false`` (any case)."""
    word = text.strip().lower()
    if word in ("y", "yes", "true"):
        return True
    if word in ("n", "no", "false"):
        return False
    raise ValueError(f"expected yes or no; found {typed(text)}")


#: An amount written so far with thousands separators, ``1`` or ``£12,000``:
#: a group of three digits after a comma continues it (:func:`_cost_parts`).
_GROUPED = re.compile(r"\s*[^\d\s]?\d{1,3}(?:,\d{3})*")


def _cost_parts(text: str) -> list[str]:
    """``text`` split at the commas that separate cost lines.  A comma with no
    space on either side, followed by exactly three digits (and any
    decimals), after an amount of one to three digits (or groups of three
    before it), is a thousands separator (``premises=1,200``): a line's name
    starts with a letter, so those digits cannot begin another line, and
    ``1,200`` is read as 1200 wherever else a number is typed.  Any other
    comma separates lines.

    >>> _cost_parts("premises=1,200,it_and_monitoring=12,000,000")
    ['premises=1,200', 'it_and_monitoring=12,000,000']
    >>> _cost_parts("premises=1, 200,x=1200,300,y=1,200.50")
    ['premises=1', ' 200', 'x=1200', '300', 'y=1,200.50']
    """
    parts: list[str] = []
    for piece in text.strip().split(","):  # an answer typed ends in a line break
        if (
            parts
            and re.fullmatch(r"\d{3}(?:\.\d+)?", piece)
            and "=" in parts[-1]
            and _GROUPED.fullmatch(parts[-1].partition("=")[2])
        ):
            parts[-1] += f",{piece}"
        else:
            parts.append(piece)
    return parts


def parse_costs(text: str) -> tuple[tuple[str, float], ...]:
    """Local costs as ``line=amount`` pairs, comma separated [currency per unit of
    the line's driver]; each amount 0 to :data:`MAX_MONEY`, with thousands
    separators if wanted (:func:`_cost_parts`).

    >>> parse_costs("premises=1200, it_and_monitoring=300")
    (('premises', 1200.0), ('it_and_monitoring', 300.0))
    >>> parse_costs("premises=1,200")
    (('premises', 1200.0),)
    """
    pairs: list[tuple[str, float]] = []
    for part in (p.strip() for p in _cost_parts(text) if p.strip()):
        line, sep, amount = part.partition("=")
        line = line.strip()
        if not sep and pairs and re.fullmatch(r"[\d.]+", part):
            raise ValueError(
                f"expected LINE=AMOUNT, e.g. premises=1200; found {typed(part)} after a "
                "comma: commas separate cost lines, and in an amount only thousands "
                "(premises=1,200 or premises=1200)"
            )
        if not sep or not re.fullmatch(r"[a-z][a-z0-9_]*", line):
            raise ValueError(f"expected LINE=AMOUNT, e.g. premises=1200; found {typed(part)}")
        value = _number(amount)
        if not 0 <= value <= MAX_MONEY:
            raise ValueError(
                f"expected an amount from 0 to {_plain(MAX_MONEY)} for {line}; "
                f"found {typed(amount)}"
            )
        if any(line == seen for seen, _ in pairs):
            raise ValueError(f"cost line {line} is given twice")
        pairs.append((line, value))
    if not pairs:
        raise ValueError("expected LINE=AMOUNT, e.g. premises=1200")
    return tuple(pairs)


# --------------------------------------------------------------------------
# The questions


def _recorded(a: Mapping[str, Any]) -> bool:
    return a.get("years") is not None


def _not_started(a: Mapping[str, Any]) -> bool:
    return not _recorded(a)


def _money(a: Mapping[str, Any]) -> bool:
    return a.get("coordinator_salary") is not None or bool(a.get("local_costs"))


def _no_referrals(a: Mapping[str, Any]) -> bool:
    return a.get("referrals_total") is None and a.get("referrals_per_year") is None


@dataclass(frozen=True)
class Question:
    """One question of the calculator.

    key : str
        Field of :class:`Answers`.
    flag : str
        Command-line flag that answers it.
    prompt : str
        The question as asked, ending in a question mark.
    hint : str
        What a good answer looks like.
    parse : callable
        Text -> answer; raises ValueError with what was expected.
    optional : bool
        May be skipped (an empty line when asked).
    asked_if : callable or None
        Answers so far -> whether the question applies at all.
    """

    key: str
    flag: str
    prompt: str
    hint: str
    parse: Callable[[str], Any]
    optional: bool = False
    asked_if: Callable[[Mapping[str, Any]], bool] | None = None

    def applies(self, answers: Mapping[str, Any]) -> bool:
        """Whether the question is asked, given the answers so far."""
        return self.asked_if is None or self.asked_if(answers)


_SKIP = "Enter to skip"

#: The questions, in the order they are asked.
QUESTIONS: tuple[Question, ...] = (
    Question("area", "--area", "What is the area called?", "e.g. Newham", parse_area),
    Question(
        "years",
        "--years",
        "If the service already runs here: how many delivery years do your records cover?",
        f"e.g. 2; {_SKIP} if it has not started",
        parse_years,
        optional=True,
    ),
    Question(
        "referrals_total",
        "--referrals-total",
        "How many referrals were there in total over those years?",
        f"e.g. 150; {_SKIP}",
        parse_referrals_total,
        optional=True,
        asked_if=_recorded,
    ),
    Question(
        "referrals_per_year",
        "--referrals-per-year",
        "How many referrals a year are there (recorded average), or do you expect?",
        f"e.g. 60; {_SKIP} to work it out from births",
        parse_referrals_per_year,
        optional=True,
        asked_if=lambda a: a.get("referrals_total") is None,
    ),
    Question(
        "births",
        "--births",
        "How many births a year are there in the area?",
        "e.g. 4800; your JSNA or ONS births by local authority",
        parse_births,
        asked_if=_no_referrals,
    ),
    Question(
        "share_referred",
        "--share-referred",
        "What share of births do you expect to be referred to the service?",
        "e.g. 1.8% or 0.018; the template assumes 15% of mothers at risk x 12% referred = 1.8%",
        parse_share,
        asked_if=_no_referrals,
    ),
    Question(
        "share_accepted",
        "--share-accepted",
        "What share of referred women accepted the service?",
        f"e.g. 85%; {_SKIP}",
        parse_share,
        optional=True,
    ),
    Question(
        "assessed",
        "--assessed",
        "How many women were assessed over those years?",
        f"e.g. 100; {_SKIP}",
        parse_assessed,
        optional=True,
        asked_if=_recorded,
    ),
    Question(
        "paired",
        "--paired",
        "How many women were paired with a befriender (supported) over those years?",
        f"e.g. 60; {_SKIP}",
        parse_paired,
        optional=True,
        asked_if=_recorded,
    ),
    Question(
        "visits_per_woman",
        "--visits",
        "How many befriender visits does a woman get, on average?",
        f"e.g. 8; {_SKIP}",
        parse_visits,
        optional=True,
    ),
    Question(
        "weeks_of_support",
        "--weeks",
        "Over how many weeks is a woman supported, on average?",
        f"e.g. 12; {_SKIP}",
        parse_weeks,
        optional=True,
    ),
    Question(
        "volunteers_trained",
        "--volunteers-trained",
        "How many volunteers were trained over those years?",
        f"e.g. 25; {_SKIP}",
        parse_trained,
        optional=True,
        asked_if=_recorded,
    ),
    Question(
        "volunteers_planned",
        "--volunteers",
        "How many befrienders do you plan to have active at a time?",
        "e.g. 20; Enter to let the pool grow with the caseload",
        parse_planned,
        optional=True,
        asked_if=_not_started,
    ),
    Question(
        "coordinator_fte",
        "--coordinator-fte",
        "What is the co-ordinator post, in full-time equivalents?",
        f"e.g. 0.6; {_SKIP}",
        parse_fte,
        optional=True,
    ),
    Question(
        "coordinator_salary",
        "--coordinator-salary",
        "What is the co-ordinator's annual gross salary?",
        f"e.g. 34000, as paid or budgeted; {_SKIP}",
        parse_salary,
        optional=True,
    ),
    Question(
        "local_costs",
        "--cost",
        "Any cost lines you know locally, as line=amount?",
        f"e.g. premises=1200, monitoring_and_evaluation=800; {_SKIP}",
        parse_costs,
        optional=True,
    ),
    Question(
        "money_year",
        "--money-year",
        "In which financial year's prices are those amounts?",
        "e.g. 2024 for 2024-25, the year they were paid or budgeted; sroi converts them",
        parse_money_year,
        asked_if=_money,
    ),
    Question(
        "childrens_centre",
        "--childrens-centre",
        "Will a children's centre (or similar host) give desk space and rooms free?",
        "yes or no",
        parse_yes_no,
    ),
    Question(
        "management",
        "--management",
        "Will the host line-manage and clinically supervise the co-ordinator "
        "within existing posts?",
        "yes or no",
        parse_yes_no,
    ),
    Question(
        "it_systems",
        "--it-systems",
        "Can the co-ordinator use the host's IT, case recording and monitoring systems?",
        "yes or no",
        parse_yes_no,
    ),
    Question(
        "referral_network",
        "--referral-network",
        "Is there already an integrated referral route from midwives, health visitors "
        "and children's centres?",
        "yes or no",
        parse_yes_no,
    ),
    Question(
        "public_transport",
        "--public-transport",
        "Is there affordable public transport for volunteers (or are most visits walkable)?",
        "yes or no",
        parse_yes_no,
    ),
)

#: Each question by its :class:`Answers` field.
BY_KEY: dict[str, Question] = {q.key: q for q in QUESTIONS}

#: What a yes to each context question means, as a note says it.
CONTEXT: dict[str, str] = {
    "childrens_centre": "a children's centre or other host giving desk space and rooms free",
    "management": "management and supervision of the co-ordinator within existing posts",
    "it_systems": "IT, case recording and monitoring systems the co-ordinator can use",
    "referral_network": "an integrated referral route from midwives, health visitors and "
    "children's centres",
    "public_transport": "affordable public transport for volunteers (or walkable visits)",
}


def named(key: str, names: Mapping[str, str] | None = None) -> str:
    """An answer as a written record names it: by its flag without dashes
    (``childrens-centre``), or by ``names`` (the wording of the page that
    asked it) when given.

    >>> named("childrens_centre"), named("years", {"years": "Delivery years"})
    ('childrens-centre', 'Delivery years')
    """
    if names is not None and key in names:
        return names[key]
    return BY_KEY[key].flag.lstrip("-")


def recorded(key: str, shown: str, names: Mapping[str, str] | None = None) -> str:
    """``name: answer``, or ``question? answer`` for a question as asked.

    >>> recorded("management", "yes"), recorded("management", "yes", {"management": "Q?"})
    ('management: yes', 'Q? yes')
    """
    name = named(key, names)
    return f"{name} {shown}" if name.endswith("?") else f"{name}: {shown}"


@dataclass(frozen=True)
class Answers:
    """A commissioner's answers about the area.  Counts are over the delivery
    years ``years``; money is at the prices of financial year ``money_year``
    (as paid or published), which the scenario records as each amount's
    ``price_year``."""

    #: Area name, e.g. ``"Newham"``.
    area: str
    #: A children's centre or other host gives desk space and rooms free.
    childrens_centre: bool
    #: The host line-manages and clinically supervises the co-ordinator.
    management: bool
    #: The host's IT, case recording and monitoring systems can be used.
    it_systems: bool
    #: An integrated referral route already exists.
    referral_network: bool
    #: Affordable public transport serves volunteers (or visits are walkable).
    public_transport: bool
    #: Births a year in the area [births/year].
    births: float | None = None
    #: Share of births expected to be referred [fraction].
    share_referred: float | None = None
    #: Delivery years the recorded figures cover [years].
    years: int | None = None
    #: Referrals a year [women/year]; with ``years``, the recorded average.
    referrals_per_year: float | None = None
    #: Referrals in total over ``years`` [women].
    referrals_total: float | None = None
    #: Share of referred women who accepted the service [fraction].
    share_accepted: float | None = None
    #: Women assessed over ``years`` [women].
    assessed: float | None = None
    #: Women paired with a befriender over ``years`` [women].
    paired: float | None = None
    #: Befriender visits per woman supported [visits/woman].
    visits_per_woman: float | None = None
    #: Weeks of support per woman [weeks].
    weeks_of_support: float | None = None
    #: Volunteers trained over ``years`` [volunteers].
    volunteers_trained: float | None = None
    #: Befrienders planned to be active at a time, the volunteer pool [volunteers].
    volunteers_planned: float | None = None
    #: Co-ordinator post [FTE].
    coordinator_fte: float | None = None
    #: Co-ordinator's annual gross salary [currency/year, ``money_year`` prices].
    coordinator_salary: float | None = None
    #: Known cost lines: ``(line id, amount)`` [currency per unit of the driver,
    #: ``money_year`` prices].
    local_costs: tuple[tuple[str, float], ...] = ()
    #: Financial year (the calendar year it starts) whose prices the salary and
    #: local costs are in, e.g. 2024 for FY 2024-25.
    money_year: int | None = None
    #: Date the answers were given.
    date: datetime.date = field(default_factory=datetime.date.today)

    def given(self) -> dict[str, Any]:
        """The answers that were given, by field, in question order."""
        out: dict[str, Any] = {}
        for q in QUESTIONS:
            value = getattr(self, q.key)
            if value is not None and value != ():
                out[q.key] = value
        return out

    def referrals_recorded(self) -> float | None:
        """Referrals over the delivery years [women]: the total, or a year's
        average times ``years``; ``None`` without recorded years and referrals."""
        if self.referrals_total is not None:
            return self.referrals_total
        if self.years is not None and self.referrals_per_year is not None:
            return self.referrals_per_year * self.years
        return None


@dataclass(frozen=True)
class AnswerProblem:
    """An answer that cannot be used, and why.

    flag : str
        The flag (and so the question) to fix, e.g. ``"--paired"``.
    message : str
        What was expected.
    """

    flag: str
    message: str

    def __str__(self) -> str:
        return f"{self.flag}: {self.message}"


class AnswersError(ValueError):
    """Answers that cannot be used; holds every problem found."""

    def __init__(self, problems: list[AnswerProblem]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


#: Stands for an answer that was given but could not be read: it counts as
#: given (so no other question is asked in its place) and no check reads it.
_UNREADABLE = object()


def missing(given: Mapping[str, Any], unreadable: Collection[str] = ()) -> list[Question]:
    """Required questions that apply and have no answer yet, in order.

    ``unreadable`` are questions answered with text that could not be read:
    they count as answered, so a referral count typed wrongly does not make
    births required, and they are not listed themselves.
    """
    seen = {**given, **{k: _UNREADABLE for k in unreadable}}
    return [q for q in QUESTIONS if not q.optional and q.applies(seen) and seen.get(q.key) is None]


#: Fewest referrals a year a proposal may expect [women/year]: one in ten
#: years.  Fewer cannot be written as a range of referrals a year.
MIN_REFERRALS_A_YEAR = 0.1


#: Reports a problem: the answer to fix, what was expected, and every other
#: answer the check read.
Say = Callable[..., None]


def _check_caseload(g: Mapping[str, Any], say: Say) -> None:
    """Referrals a year, however given, of at least :data:`MIN_REFERRALS_A_YEAR`."""
    least = f"expected at least {MIN_REFERRALS_A_YEAR:g} referrals a year (one in ten years)"
    total, years = g.get("referrals_total"), g.get("years")
    if g.get("referrals_per_year") is not None:
        if g["referrals_per_year"] < MIN_REFERRALS_A_YEAR:
            say("referrals_per_year", f"{least}; found {g['referrals_per_year']:g}")
    elif total is not None and years is not None:
        if total < MIN_REFERRALS_A_YEAR * years:
            say("referrals_total", f"{least}; found {total:,.0f} over {years} years", "years")
    elif g.get("births") is not None and g.get("share_referred") is not None:
        rate = g["births"] * g["share_referred"]
        if g["births"] < MIN_REFERRALS_A_YEAR:
            # Too few births even if every one were referred: births are wrong.
            say("births", f"{least}; found {g['births']:,g} births a year")
        elif rate < MIN_REFERRALS_A_YEAR:
            say(
                "share_referred",
                f"{least}; found {g['births']:,g} births x {g['share_referred']:g} = {rate:.2g}",
                "births",
            )


#: Counts over the delivery years, which need the years they cover.
_COVERED = ("referrals_total", "assessed", "paired", "volunteers_trained")


def _and(words: Iterable[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    items = list(words)
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def check_answers(
    given: Mapping[str, Any], unreadable: Collection[str] = ()
) -> list[AnswerProblem]:
    """Problems with answers that cannot all hold together.

    Each check reads some answers and pins what it finds to one of them.  A
    check that reads an answer in ``unreadable`` (given as text that could
    not be read), or another answer that already has a problem of its own, is
    left out: its message would be about a figure the user did not enter, and
    goes away once that answer is fixed.  The referrals a year are checked
    first, so a caseload too small is reported on the referrals alone.

    >>> [str(p) for p in check_answers({"years": 2, "referrals_total": 150, "paired": 160})]
    ['--paired: expected at most the 150 referrals; found 160 women paired']
    >>> check_answers({"referrals_total": 150, "paired": 60}, unreadable={"years"})
    []
    """
    g = dict(given)
    found: list[tuple[str, str, frozenset[str]]] = []

    def say(key: str, message: str, *reads: str) -> None:
        found.append((key, message, frozenset(reads) - {key}))

    _check_caseload(g, say)
    years = g.get("years")
    if g.get("referrals_total") is not None and g.get("referrals_per_year") is not None:
        say(
            "referrals_per_year",
            "give referrals a year or in total (--referrals-total), not both",
            "referrals_total",
        )
    if g.get("volunteers_planned") is not None and g.get("volunteers_trained") is not None:
        say(
            "volunteers_planned",
            "give the befrienders planned or the volunteers trained (--volunteers-trained), "
            "not both: each sets the volunteer pool",
            "volunteers_trained",
        )
    has_referrals = not _no_referrals(g)
    referrals = ("referrals_total", "referrals_per_year")
    for key in ("births", "share_referred"):
        if has_referrals and g.get(key) is not None:
            say(key, "not used when referrals are given; leave it out", *referrals)
    counts = [k for k in _COVERED if g.get(k) is not None or k in unreadable]
    if counts and years is None and "years" not in unreadable:
        say(
            "years",
            f"needed because you gave {_and(BY_KEY[k].flag for k in counts)}: "
            f"the delivery years {'it covers' if len(counts) == 1 else 'they cover'}",
        )
    for key in ("assessed", "paired"):
        if g.get(key) is not None and years is not None and not has_referrals:
            say(
                key,
                "expected the referrals it came from: --referrals-total or --referrals-per-year",
                "years",
                *referrals,
            )
    if g.get("money_year") is not None and not _money(g):
        say(
            "money_year",
            "not used without --coordinator-salary or --cost; leave it out",
            "coordinator_salary",
            "local_costs",
        )
    total = g.get("referrals_total")
    if total is None and years is not None and g.get("referrals_per_year") is not None:
        total = g["referrals_per_year"] * years
    if total is not None:
        accepted = g.get("share_accepted")
        for key, what in (("assessed", "women assessed"), ("paired", "women paired")):
            count = g.get(key)
            if count is None:
                continue
            if count > total:
                say(
                    key,
                    f"expected at most the {total:,.0f} referrals; found {count:,.0f} {what}",
                    "years",
                    *referrals,
                )
            elif accepted is not None and count > accepted * total + 1e-9:
                say(
                    key,
                    f"expected at most the {accepted * total:,.1f} referrals accepted "
                    f"({100 * accepted:.3g}% of {total:,.0f}); found {count:,.0f} {what}",
                    "years",
                    "share_accepted",
                    *referrals,
                )
    if (
        g.get("paired") is not None
        and g.get("assessed") is not None
        and g["paired"] > g["assessed"]
    ):
        say(
            "paired",
            f"expected at most the {g['assessed']:,.0f} women assessed; "
            f"found {g['paired']:,.0f} women paired",
            "assessed",
        )
    flag = {q.key: q.flag for q in QUESTIONS}
    out: list[AnswerProblem] = []
    wrong = set(unreadable)
    for key, message, reads in found:
        if reads & wrong:
            continue  # follows from an answer that is wrong on its own
        out.append(AnswerProblem(flag[key], message))
        wrong.add(key)
    return out


__all__ = [
    "BY_KEY",
    "CONTEXT",
    "MAX_YEARS",
    "QUESTIONS",
    "AnswerProblem",
    "Answers",
    "AnswersError",
    "Question",
    "check_answers",
    "missing",
    "named",
    "parse_area",
    "parse_costs",
    "parse_money_year",
    "parse_share",
    "parse_years",
    "parse_yes_no",
    "recorded",
]
