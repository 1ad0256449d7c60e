"""Read the submitted form: each answer through the parser ``sroi replicate``
uses, the answers together through the same checks, and the scenario they
give through the scenario models (pydantic).  Every problem is pinned to the
field to change, so the page can mark it there.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Any

from sroi.app.fields import (
    DEFAULT_DRAWS,
    MAX_DRAWS,
    MAX_SEED,
    MIN_DRAWS,
    PERSPECTIVE_FIELD,
    RUN_FIELDS,
    SECTIONS,
)
from sroi.app.proposal import Prepared, pilot_sites, prepare_answers, prepare_site
from sroi.prices import check_price_year
from sroi.replication.answers import (
    BY_KEY,
    QUESTIONS,
    Answers,
    AnswersError,
    check_answers,
    missing,
    number_hint,
    parse_money_year,
)
from sroi.replication.rules import check_cost_lines
from sroi.replication.template import Template
from sroi.results.run_info import DEFAULT_PERSPECTIVE
from sroi.scenario import ScenarioError
from sroi.vocabulary import PERSPECTIVES

#: The value of the site field that asks for a new area's answers.
NEW_AREA = "new"
#: Most characters a field may hold; the longest sensible answer (a list of
#: cost lines) is far shorter.
MAX_FIELD_LENGTH = 500
#: Every field name the form sends, in page order.
FIELD_KEYS: tuple[str, ...] = (
    "site",
    PERSPECTIVE_FIELD.key,
    *(f.key for s in SECTIONS for f in s.fields),
    *(f.key for f in RUN_FIELDS),
)

_BY_FLAG = {q.flag: q.key for q in QUESTIONS}

#: How the page names a field where a message names its flag.
_FIELD_NAMES = {
    "--area": "the area",
    "--years": "delivery years",
    "--referrals-total": "referrals in total",
    "--referrals-per-year": "referrals a year",
    "--births": "births a year",
    "--share-referred": "share referred",
    "--share-accepted": "share accepted",
    "--assessed": "women assessed",
    "--paired": "women paired",
    "--visits": "visits per woman",
    "--weeks": "weeks of support",
    "--volunteers-trained": "volunteers trained",
    "--volunteers": "befrienders planned",
    "--coordinator-fte": "co-ordinator FTE",
    "--coordinator-salary": "co-ordinator salary",
    "--cost": "local costs",
    "--money-year": "price year of the amounts",
}


def field_name(key: str) -> str | None:
    """How the page names a question's field in a sentence ("delivery
    years"), or None for a field that is not a question."""
    q = BY_KEY.get(key)
    return _FIELD_NAMES.get(q.flag) if q is not None else None


def in_words(message: str) -> str:
    """A message with each flag it names replaced by the field's name on the page.

    >>> in_words("needed because you gave --paired")
    'needed because you gave "women paired"'
    """
    for flag in sorted(_FIELD_NAMES, key=len, reverse=True):
        message = message.replace(flag, f'"{_FIELD_NAMES[flag]}"')
    return message


@dataclass(frozen=True)
class RunSettings:
    """How to run: draws, seed, the price year money is shown at, and whose
    money the headline counts.

    draws : int
        Monte Carlo draws N.
    seed : int
        Run seed.
    price_year : int or None
        Financial year whose prices money is shown at (None: the scenario's
        own).  A new area with money and no year chosen is shown at the year
        its money is entered at.
    perspective : str
        A perspective of :data:`sroi.vocabulary.PERSPECTIVES` (``--perspective``).
    """

    draws: int
    seed: int
    price_year: int | None
    perspective: str = DEFAULT_PERSPECTIVE

    @property
    def draws_only(self) -> RunSettings:
        """The same run under the default perspective: what the draws depend on
        (a perspective changes what is summarised, never a draw)."""
        return RunSettings(self.draws, self.seed, self.price_year)


@dataclass
class FormResult:
    """What a submitted form gives.

    values : dict
        Each field's text as submitted, to fill the form again.
    errors : dict
        Field -> what was expected there.
    general : list of str
        Problems that belong to no one field.
    prepared : Prepared or None
        The scenario to run, when there are no problems.
    settings : RunSettings or None
        How to run it, when there are no problems.
    """

    values: dict[str, str]
    errors: dict[str, str] = field(default_factory=dict)
    general: list[str] = field(default_factory=list)
    prepared: Prepared | None = None
    settings: RunSettings | None = None

    @property
    def ok(self) -> bool:
        """No problem was found."""
        return not self.errors and not self.general and self.prepared is not None

    def fail(self, key: str, message: str) -> None:
        """Record the first problem of field ``key``."""
        self.errors.setdefault(key, message)


def _whole(text: str, what: str, low: int, high: int) -> int:
    """``text`` as a whole number from ``low`` to ``high``, read exactly
    (``1e6``, ``10,000``; a 20-digit seed keeps every digit), else
    ValueError naming ``what`` or the range."""
    cleaned = text.strip().replace(",", "").replace("_", "")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(
            f"expected a whole number ({what}); found {text.strip()!r}{number_hint(text)}"
        ) from None
    if not value.is_finite() or value != value.to_integral_value() or not low <= value <= high:
        span = (
            f"from {low:,} up, of at most {len(str(high))} digits"
            if high >= 10**15
            else f"from {low:,} to {high:,}"
        )
        raise ValueError(f"expected a whole number {span}; found {text.strip()!r}")
    return int(value)


def read_settings(values: Mapping[str, str], result: FormResult) -> RunSettings | None:
    """Draws, seed, price year and perspective, each problem recorded beside its field."""
    draws = seed = None
    year: int | None = None
    try:
        draws = _whole(values.get("draws", "") or str(DEFAULT_DRAWS), "draws", MIN_DRAWS, MAX_DRAWS)
    except ValueError as exc:
        result.fail("draws", str(exc))
    try:
        seed = _whole(values.get("seed", "") or "0", "seed", 0, MAX_SEED)
    except ValueError as exc:
        result.fail("seed", str(exc))
    text = values.get("price_year", "").strip()
    if text:
        try:
            year = check_price_year(parse_money_year(text))
        except ValueError as exc:
            result.fail("price_year", str(exc))
    perspective = values.get("perspective", "").strip() or DEFAULT_PERSPECTIVE
    if perspective not in PERSPECTIVES:
        result.fail(
            "perspective", f"expected one of {', '.join(PERSPECTIVES)}; found {perspective!r}"
        )
    if draws is None or seed is None or {"price_year", "perspective"} & set(result.errors):
        return None
    return RunSettings(draws, seed, year, perspective)


def _has_money(values: Mapping[str, str]) -> bool:
    return bool(
        values.get("coordinator_salary", "").strip() or values.get("local_costs", "").strip()
    )


def read_answers(
    values: Mapping[str, str], result: FormResult, today: datetime.date | None = None
) -> Answers | None:
    """The answers of a new area, each read by its question's parser; ``None``
    with the problems recorded when any answer cannot be used."""
    given: dict[str, Any] = {}
    for q in QUESTIONS:
        text = values.get(q.key, "").strip()
        if q.key == "money_year" and not _has_money(values):
            continue  # the page always shows a year; it matters only with money
        if not text:
            continue
        try:
            given[q.key] = q.parse(text)
        except ValueError as exc:
            result.fail(q.key, str(exc))
    # Answers that could not be read count as given but unknown: nothing is
    # worked out from them, so each problem shows once, on its own field.
    unreadable = set(result.errors) & BY_KEY.keys()
    for problem in check_answers(given, unreadable):
        result.fail(_BY_FLAG[problem.flag], in_words(problem.message))
    # The cost lines are checked against the template with the other answers,
    # so a misspelt line shows in the same round as any other problem.
    for problem in check_cost_lines(given.get("local_costs", ()), cost_lines()):
        result.fail(_BY_FLAG[problem.flag], in_words(problem.message))
    for q in missing(given, unreadable):
        result.fail(q.key, _missing_message(q.key))
    if result.errors:
        return None
    fields: dict[str, Any] = {q.key: given[q.key] for q in QUESTIONS if q.key in given}
    if today is not None:
        fields["date"] = today
    return Answers(**fields)


@cache
def cost_lines() -> tuple[str, ...]:
    """The template's cost line ids, which local costs may name."""
    return tuple(Template.load().line_ids())


def _missing_message(key: str) -> str:
    if key in ("births", "share_referred"):
        return "required when no referrals are given: give referrals above, or births and a share"
    if key == "money_year":
        return "required with a salary or costs: the financial year of their prices"
    return "required: choose yes or no" if BY_KEY[key].hint == "yes or no" else "required"


#: A problem with a value of the scenario, as ``path.to.value: message``.
_DERIVED = re.compile(r"(?P<path>[a-z_][a-z0-9_]*(?:\.[a-z0-9_]+)+): (?P<message>.*)", re.DOTALL)


def derived_in_words(message: str) -> str:
    """A problem with a value worked out from an answer, said of the answer:
    the value is named in words, not by its path in the scenario.

    >>> derived_in_words("volunteers.hours_per_user: low must be below high")[:60]
    'this answer works out to volunteers hours per user that the '
    """
    m = _DERIVED.fullmatch(message)
    if m is None:
        return in_words(message)
    what = m["path"].replace(".", " ").replace("_", " ")
    return f"this answer works out to {what} that the model cannot use: {in_words(m['message'])}"


def _pin(result: FormResult, flags: str, message: str) -> None:
    """Record a problem on the first field its flags name (``--a/--b``: the
    answer a value is worked out from comes first, the others only qualify
    it), or as general."""
    keys = [_BY_FLAG[f] for f in flags.split("/") if f in _BY_FLAG]
    if not keys:
        result.general.append(derived_in_words(message))
    else:
        result.fail(keys[0], derived_in_words(message))


def read_form(form: Mapping[str, str], today: datetime.date | None = None) -> FormResult:
    """Read a submitted form into the scenario to run and how to run it, or
    the problems to show beside each field."""
    values = {k: str(form.get(k, ""))[:MAX_FIELD_LENGTH] for k in FIELD_KEYS}
    result = FormResult(values)
    for key in FIELD_KEYS:
        if len(str(form.get(key, ""))) > MAX_FIELD_LENGTH:
            result.fail(key, f"expected at most {MAX_FIELD_LENGTH} characters")
    settings = read_settings(values, result)
    site = values["site"] or NEW_AREA
    sites = {s.id: s for s in pilot_sites()}
    prepared: Prepared | None = None
    if site == NEW_AREA:
        answers = read_answers(values, result, today)
        if answers is not None and settings is not None and settings.price_year is None:
            # Money entered at a year's prices is shown at those prices unless
            # another year is chosen: a commissioner reads their own budget.
            settings = replace(settings, price_year=answers.money_year)
        if answers is not None:
            try:
                prepared = prepare_answers(answers)
            except AnswersError as exc:
                for problem in exc.problems:
                    _pin(result, problem.flag, problem.message)
            except ScenarioError as exc:  # the template itself
                result.general.extend(str(p) for p in exc.problems)
    elif site in sites:
        prepared = prepare_site(sites[site])
    else:
        result.fail("site", f"expected a new area or one of {', '.join(sites)}; found {site!r}")
    if not result.errors and not result.general:
        result.prepared, result.settings = prepared, settings
    return result


__all__ = [
    "FIELD_KEYS",
    "MAX_FIELD_LENGTH",
    "NEW_AREA",
    "FormResult",
    "RunSettings",
    "cost_lines",
    "derived_in_words",
    "field_name",
    "in_words",
    "read_answers",
    "read_form",
    "read_settings",
]
