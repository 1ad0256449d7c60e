"""From answers to scenario values: a table of rules, answers -> value path -> note.

:data:`RULES` lists, for each value a proposal may set, the answers it reads
and how it turns them into a value with a note.  The yes/no questions about
what an area already has add one rule per ``# replicate if`` line of the
template (:mod:`sroi.replication.template`), so their advice is the
template's own.  The first rule in the table that applies to a path sets it.

Evidence follows one rule: a value computed from entered figures alone is
``evidence: local_data`` with ``source: local_answers`` and a note starting
"Entered"; a value that also rests on an assumption keeps the template's
source, is ``evidence: assumption`` and its note starts "Assumed".  A value
no answer touches is not written at all: the template's stays, with its own
source, grade and note.  ``docs/replicate.md`` explains each rule in words.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sroi.replication.answers import CONTEXT, AnswerProblem, Answers, AnswersError
from sroi.replication.template import Template
from sroi.scenario.errors import did_you_mean
from sroi.scenario.problems import Mark, Problem, ScenarioError

#: Key of the source every entered value cites.
SOURCE = "local_answers"
#: Relative half-width of the referrals range around the entered or derived
#: rate [fraction]: year-to-year variation, assumed.
REFERRAL_SPREAD = 0.25
#: Referrals a year the pilots' co-ordinator post handled at most
#: [referrals/year]: the upper pilot mode (Oxford, Swaffham, Hackney: 45).
PILOT_REFERRALS = 45.0
#: Befriender time per visit, including travel [hours]: low, mode, high.  The
#: template's hours_per_user note assumes visits of about 2 hours.
HOURS_PER_VISIT = (1.5, 2.0, 3.0)
#: Women one befriender supports at a time [women]: low, mode, high.  The
#: template's max_users_per_volunteer note: "one or two women at a time".
WOMEN_AT_A_TIME = (1.0, 1.5, 2.0)
#: Weeks in a year [weeks/year].
WEEKS_PER_YEAR = 52.0


@dataclass(frozen=True)
class Setting:
    """One value a proposal sets.

    path : str
        Dotted path, e.g. ``"delivery.uptake"``.
    value : Any
        What is written there: a value mapping with ``evidence`` and ``note``
        (a list of them for ``delivery.ramp``).
    answers : tuple of str
        The :class:`~sroi.replication.answers.Answers` fields it rests on.
    """

    path: str
    value: Any
    answers: tuple[str, ...]


@dataclass(frozen=True)
class Caseload:
    """The caseload the answers imply.

    years : int
        Delivery years T [years].
    ramp : list of float
        Start-up multipliers, one per year [ratio].
    referrals_per_year : float
        Referrals in a full year [women/year].
    recorded : float or None
        Referrals over the delivery years, when recorded [women].
    """

    years: int
    ramp: list[float]
    referrals_per_year: float
    recorded: float | None


def _ramp_points(template: Template, years: int) -> list[float]:
    written = [e["value"] if isinstance(e, dict) else e for e in template.ramp()]
    return [float(x) for x in (written + [1.0] * years)[:years]]


def caseload(a: Answers, template: Template) -> Caseload:
    """Delivery years, ramp and referrals a year from the answers.

    With recorded referrals ``N`` over ``T`` years, referrals a year at full
    running are ``N / sum(ramp)``, so the model's total over the ``T`` years is
    ``N``; without them, the rate entered, or births x share referred.
    """
    years = a.years if a.years is not None else int(template.points("delivery.years")[1])
    ramp = _ramp_points(template, years)
    recorded = a.referrals_recorded()
    if recorded is not None:
        rate = recorded / sum(ramp)
    elif a.referrals_per_year is not None:
        rate = a.referrals_per_year
    elif a.births is not None and a.share_referred is not None:
        rate = a.births * a.share_referred
    else:
        raise ValueError("the answers give no caseload: referrals, or births and a share referred")
    return Caseload(years, ramp, rate, recorded)


# --------------------------------------------------------------------------
# Writing values


def as_written(x: float) -> float | int:
    """``x`` as the rules write a number: two decimals below 10, one above
    (a whole number without its ``.0``).

    >>> as_written(0.9556), as_written(1.0), as_written(23.456)
    (0.96, 1, 23.5)
    """
    r = round(x, 2) if abs(x) < 10 else round(x, 1)
    return int(r) if float(r).is_integer() else r


def _significant(x: float, digits: int = 3) -> float | int:
    """``x`` to ``digits`` significant figures."""
    if x == 0 or not math.isfinite(x):
        return x
    r = round(x, digits - 1 - math.floor(math.log10(abs(x))))
    return int(r) if float(r).is_integer() else r


def _pert(low: float, mode: float, high: float) -> dict[str, Any]:
    """A PERT value; points that the usual rounding would merge (a tiny
    figure, such as 0.004 visits a woman) keep three significant figures, and
    points that are equal are one value."""
    points = [as_written(low), as_written(mode), as_written(high)]
    if low < high and not points[0] < points[2]:
        points = [_significant(low), _significant(mode), _significant(high)]
    if not low < high:
        return {"value": as_written(mode)}
    return {"pert": points}


def _said(a: Answers) -> str:
    return f"Entered by the {a.area} commissioner on {a.date.isoformat()}"


def entered(dist: dict[str, Any], note: str) -> dict[str, Any]:
    """A value computed from entered figures alone."""
    return {**dist, "source": SOURCE, "evidence": "local_data", "note": note}


def assumed(dist: dict[str, Any], note: str, source: str | None = None) -> dict[str, Any]:
    """A value that rests on an assumption; keeps the template's ``source``."""
    cite = {"source": source} if source else {}
    return {**dist, **cite, "evidence": "assumption", "note": f"Assumed: {note}"}


def _points(points: tuple[float, float, float]) -> str:
    return "-".join(f"{as_written(p):,}" for p in points)


# --------------------------------------------------------------------------
# The rules


Make = Callable[[Answers, Template, Caseload], Any]


@dataclass(frozen=True)
class Rule:
    """answers -> value path -> note.

    path : str
        The value it sets.
    answers : tuple of str
        The answers it reads.
    make : callable
        ``(answers, template, caseload) -> value or None``; ``None`` when the
        rule does not apply (a needed answer was not given).
    """

    path: str
    answers: tuple[str, ...]
    make: Make


def _years(a: Answers, t: Template, c: Caseload) -> Any:
    if a.years is None:
        return None
    return entered({"value": a.years}, f"{_said(a)}: the records cover {a.years} delivery years.")


def _ramp(a: Answers, t: Template, c: Caseload) -> Any:
    written = t.ramp()
    if a.years is None or a.years == len(written):
        return None
    entries = [dict(e) if isinstance(e, dict) else {"value": e} for e in written[: a.years]]
    while len(entries) < a.years:
        entries.append(assumed({"value": 1}, "full running, as in the template's later years."))
    return entries


def _referrals(a: Answers, t: Template, c: Caseload) -> Any:
    r, s = c.referrals_per_year, REFERRAL_SPREAD
    dist = _pert((1 - s) * r, r, (1 + s) * r)
    spread = f"The range of +/-{100 * s:.0f}% allows for year-to-year variation (assumed)."
    if c.recorded is not None:
        how = (
            f"{a.referrals_total:,.0f} in total"
            if a.referrals_total is not None
            else f"{a.referrals_per_year:,.4g} a year x {c.years} years"
        )
        ramp = ", ".join(f"{x:g}" for x in c.ramp)
        return entered(
            dist,
            f"{_said(a)}: {c.recorded:,.0f} referrals over {c.years} delivery years ({how}). "
            f"With the start-up ramp ({ramp}) that is {c.recorded:,.0f} / {sum(c.ramp):g} = "
            f"{r:,.1f} a year at full running, so the model's total matches the record. " + spread,
        )
    if a.referrals_per_year is not None:
        return entered(dist, f"{_said(a)}: {r:,.4g} referrals a year expected. " + spread)
    assert a.births is not None and a.share_referred is not None
    return entered(
        dist,
        f"{_said(a)}: {a.births:,.0f} births a year x {a.share_referred:.4g} of births "
        f"referred ({100 * a.share_referred:.3g}%) = {r:,.1f} referrals a year (mode). "
        + spread.replace("variation", "variation and for the share being an estimate"),
    )


def _share_of(count: float, total: float) -> dict[str, Any]:
    if 0 < count < total:
        return {"beta": {"successes": as_written(count), "trials": as_written(total)}}
    return {"value": as_written(count / total)}


def _uptake(a: Answers, t: Template, c: Caseload) -> Any:
    n = c.recorded
    if n is not None and a.paired is not None:
        return entered(
            _share_of(a.paired, n),
            f"{_said(a)}: {a.paired:,.0f} of the {n:,.0f} referrals were paired with a "
            f"befriender (uptake {a.paired / n:.3g}); a beta distribution from the counts "
            "carries the uncertainty of a share estimated from them.",
        )
    source = t.value("delivery.uptake").get("source")
    if n is not None and a.assessed is not None:
        return assumed(
            _share_of(a.assessed, n),
            f"no count of women paired was entered, so each of the {a.assessed:,.0f} women "
            f"assessed (of {n:,.0f} referrals) is taken to be paired: an upper bound on uptake.",
            source,
        )
    if a.share_accepted is not None:
        low, mode, high = (min(p, a.share_accepted) for p in t.points("delivery.uptake"))
        return assumed(
            _pert(low, mode, high) if low < high else {"value": as_written(high)},
            f"the template's uptake ({_points(t.points('delivery.uptake'))}), capped at the "
            f"share of referrals accepted ({100 * a.share_accepted:.3g}%, entered): no more "
            "women can use the service than accept it.",
            source,
        )
    return None


def _pool(a: Answers, t: Template, c: Caseload) -> Any:
    if a.volunteers_planned is not None:
        v = a.volunteers_planned
        return entered(
            {"value": as_written(v)},
            f"{_said(a)}: the planned number of active befrienders, {v:,.0f} at a time.",
        )
    if a.volunteers_trained is not None and a.years is not None:
        v, y = a.volunteers_trained, a.years
        if y == 1:
            return entered(
                {"value": as_written(v)},
                f"{_said(a)}: {v:,.0f} volunteers trained in one delivery year, all "
                "recruited in year 0.",
            )
        lo, mode, hi = t.points("volunteers.turnover")
        pools = (v / (1 + hi * (y - 1)), v / (1 + mode * (y - 1)), v / (1 + lo * (y - 1)))
        return assumed(
            _pert(*pools),
            f"from {v:,.0f} volunteers trained over {y} years (entered): trained = pool x "
            f"(1 + turnover x ({y} - 1)), with the template's turnover "
            f"({_points((lo, mode, hi))} a year), gives a pool of {_points(pools)}.",
            t.value("volunteers.pool").get("source"),
        )
    base_referrals = t.points("delivery.referrals_per_year")[1]
    k = c.referrals_per_year / base_referrals
    if abs(k - 1) < 1e-9:
        return None
    points = t.points("volunteers.pool")
    scaled = (max(1.0, points[0] * k), max(2.0, points[1] * k), max(3.0, points[2] * k))
    return assumed(
        _pert(*scaled),
        f"the template's pool ({_points(points)} befrienders for {base_referrals:g} "
        f"referrals a year), scaled to {c.referrals_per_year:,.1f} referrals a year.",
        t.value("volunteers.pool").get("source"),
    )


def _hours(a: Answers, t: Template, c: Caseload) -> Any:
    if a.visits_per_woman is None:
        return None
    v = a.visits_per_woman
    low, mode, high = HOURS_PER_VISIT
    hours = (v * low, v * mode, v * high)
    return assumed(
        _pert(*hours),
        f"{v:,.4g} visits per woman (entered) of {_points(HOURS_PER_VISIT)} hours each, "
        f"including travel = {_points(hours)} hours.",
    )


def _capacity(a: Answers, t: Template, c: Caseload) -> Any:
    if a.weeks_of_support is None:
        return None
    w = a.weeks_of_support
    low, mode, high = (WEEKS_PER_YEAR / w * n for n in WOMEN_AT_A_TIME)
    per_year = (low, mode, high)
    return assumed(
        _pert(*per_year),
        f"support lasts {w:,.4g} weeks (entered), so a befriender seeing "
        f"{_points(WOMEN_AT_A_TIME)} women at a time supports {WEEKS_PER_YEAR:g} / {w:,.4g} x "
        f"that = {_points(per_year)} women a year.",
    )


def _fte(a: Answers, t: Template, c: Caseload) -> Any:
    if a.coordinator_fte is not None:
        return entered(
            {"value": as_written(a.coordinator_fte)},
            f"{_said(a)}: a co-ordinator post of {a.coordinator_fte:g} FTE.",
        )
    r = c.referrals_per_year
    if r <= PILOT_REFERRALS:
        return None
    k = r / PILOT_REFERRALS
    points = t.points("costs.coordinator.fte")
    return assumed(
        _pert(*(p * k for p in points)),
        f"the pilots' co-ordinator post ({_points(points)} FTE) handled up to about "
        f"{PILOT_REFERRALS:.0f} referrals a year; {r:,.1f} is {k:.2f} times that, so the "
        "post is scaled up rather than assumed to absorb any caseload.",
        t.value("costs.coordinator.fte").get("source"),
    )


def _salary(a: Answers, t: Template, c: Caseload) -> Any:
    if a.coordinator_salary is None:
        return None
    return entered(
        _money_value(a, a.coordinator_salary),
        f"{_said(a)}: the co-ordinator's salary, {a.coordinator_salary:,.0f} a year at "
        f"{_prices(a, t)}.",
    )


def _money_value(a: Answers, amount: float) -> dict[str, Any]:
    """An entered amount, with the price year it was entered at."""
    year = {"price_year": a.money_year} if a.money_year is not None else {}
    return {"value": as_written(amount), **year}


def _fy(year: int) -> str:
    return f"FY {year}-{(year + 1) % 100:02d}"


def _prices(a: Answers, t: Template) -> str:
    """The prices an amount was entered at, and what happens to it, in words."""
    own = t.data.get("price_year")
    year = a.money_year if a.money_year is not None else own
    if not isinstance(year, int):
        return "the scenario's prices"
    if year == own or not isinstance(own, int):
        return f"{_fy(year)} prices"
    return (
        f"{_fy(year)} prices (converted to the scenario's {_fy(own)} prices with the GDP deflator)"
    )


#: The rules for recorded and expected figures, first match wins per path.
RULES: tuple[Rule, ...] = (
    Rule("delivery.years", ("years",), _years),
    Rule("delivery.ramp", ("years",), _ramp),
    Rule(
        "delivery.referrals_per_year",
        ("referrals_total", "referrals_per_year", "years", "births", "share_referred"),
        _referrals,
    ),
    Rule(
        "delivery.uptake",
        ("paired", "assessed", "share_accepted", "referrals_total", "referrals_per_year"),
        _uptake,
    ),
    Rule(
        "volunteers.pool",
        ("volunteers_planned", "volunteers_trained", "years", "referrals_per_year"),
        _pool,
    ),
    Rule("volunteers.hours_per_user", ("visits_per_woman",), _hours),
    Rule("volunteers.max_users_per_volunteer", ("weeks_of_support",), _capacity),
    Rule("costs.coordinator.fte", ("coordinator_fte",), _fte),
    Rule("costs.coordinator.salary", ("coordinator_salary", "money_year"), _salary),
)

#: Values of the template no answer sets: always the template's assumption.
NEVER_SET = ("delivery.engagement", "volunteers.turnover")


def check_cost_lines(
    local_costs: Sequence[tuple[str, float]], lines: Sequence[str]
) -> list[AnswerProblem]:
    """Cost lines named by the answers that are not among ``lines``, the
    template's: a check of that answer alone, made with the others.

    >>> [p.message for p in check_cost_lines([("premisis", 4.0)], ["premises", "travel"])]
    ["no cost line 'premisis' in the template; did you mean 'premises'?"]
    """
    return [
        AnswerProblem(
            "--cost",
            f"no cost line {line!r} in the template"
            + (did_you_mean(line, lines) or f"; expected one of {', '.join(lines)}"),
        )
        for line, _ in local_costs
        if line not in lines
    ]


def _local_costs(
    a: Answers, t: Template, names: Mapping[str, str] | None = None
) -> tuple[list[Setting], list[AnswerProblem]]:
    lines = t.line_ids()
    free = _free_lines(a, t)
    settings: list[Setting] = []
    problems = check_cost_lines(a.local_costs, lines)
    for line, amount in a.local_costs:
        if line not in lines:
            continue
        per = t.node(f"costs.lines.{line}").get("per", "year")
        note = f"{_said(a)}: {amount:,.0f} per {per} at {_prices(a, t)}, a local figure."
        answer = free.get(f"costs.lines.{line}.amount")
        if answer is not None and amount > 0:
            said = "yes" if getattr(a, answer) else "no"
            asked = f'"{names[answer]}"' if names else f"--{answer.replace('_', '-')}"
            note += (
                f" Charged although the answer {said} to {asked} "
                f"says the area already has {CONTEXT[answer]}, which would make it 0: "
                "the figure entered wins over the template's advice."
            )
        value = entered(_money_value(a, amount), note)
        settings.append(Setting(f"costs.lines.{line}.amount", value, ("local_costs",)))
    return settings, problems


def _free_lines(a: Answers, t: Template) -> dict[str, str]:
    """Paths the answers make free (a yes or no whose template advice sets
    the line to 0), each with the answer that does."""
    return {
        advice.path: advice.answer
        for advice in t.advice
        if getattr(a, advice.answer) == advice.when and advice.value == {"value": 0}
    }


def _context(a: Answers, t: Template, taken: set[str]) -> list[Setting]:
    out: list[Setting] = []
    for advice in t.advice:
        if getattr(a, advice.answer) != advice.when or advice.path in taken:
            continue
        has = CONTEXT[advice.answer]
        if advice.value == {"value": 0}:
            value = entered(
                {"value": 0},
                f"{_said(a)}: the area already has {has}, so this cost is not charged to "
                "the service (the template's advice).",
            )
        else:
            state = "has" if advice.when else "does not have"
            value = assumed(
                dict(advice.value),
                f"the answers say the area {state} {has}, so the template's advice for "
                f"that case is used ({_points(_advice_points(advice.value))}).",
            )
        taken.add(advice.path)
        out.append(Setting(advice.path, value, (advice.answer,)))
    return out


def _advice_points(dist: dict[str, Any]) -> tuple[float, float, float]:
    spec = next(iter(dist.values()))
    if isinstance(spec, list) and len(spec) == 3:
        return float(spec[0]), float(spec[1]), float(spec[2])
    if isinstance(spec, list) and len(spec) == 2:
        return float(spec[0]), (float(spec[0]) + float(spec[1])) / 2, float(spec[1])
    return float(spec), float(spec), float(spec)


def check_advice(template: Template) -> list[Problem]:
    """Problems with the template's ``# replicate if`` lines: an unknown
    answer, or a path the template does not have."""
    problems = []
    for advice in template.advice:
        where = Mark(str(template.path), advice.line, 1)
        if advice.answer not in CONTEXT:
            problems.append(
                Problem(
                    where,
                    "(comment)",
                    f"no yes/no answer {advice.answer!r}{did_you_mean(advice.answer, CONTEXT)}",
                )
            )
        try:
            template.node(advice.path)
        except (KeyError, TypeError):
            problems.append(
                Problem(where, "(comment)", f"the template has no value at {advice.path}")
            )
    return problems


def settings(
    a: Answers, template: Template, names: Mapping[str, str] | None = None
) -> list[Setting]:
    """Every value the answers set, in table order; a note that names an
    answer names it by its flag, or by ``names`` (key -> the wording of the
    page that asked it) when given.

    Raises
    ------
    AnswersError
        When an answer names something the template lacks (a cost line).
    ScenarioError
        When the template's advice names an unknown answer or path.
    """
    problems = check_advice(template)
    if problems:
        raise ScenarioError(problems)
    c = caseload(a, template)
    out: list[Setting] = []
    taken: set[str] = set()
    for rule in RULES:
        if rule.path in taken:
            continue
        value = rule.make(a, template, c)
        if value is not None:
            used = tuple(k for k in rule.answers if getattr(a, k) is not None)
            out.append(Setting(rule.path, value, used))
            taken.add(rule.path)
    local, wrong = _local_costs(a, template, names)
    if wrong:
        raise AnswersError(wrong)
    out.extend(local)
    taken.update(s.path for s in local)
    out.extend(_context(a, template, taken))
    return out


def context_paths(template: Template) -> dict[str, tuple[str, ...]]:
    """The paths each yes/no answer can set, from the template's advice."""
    paths: dict[str, list[str]] = {key: [] for key in CONTEXT}
    for advice in template.advice:
        if advice.path not in paths[advice.answer]:
            paths[advice.answer].append(advice.path)
    return {k: tuple(v) for k, v in paths.items()}


__all__ = [
    "HOURS_PER_VISIT",
    "NEVER_SET",
    "PILOT_REFERRALS",
    "REFERRAL_SPREAD",
    "RULES",
    "SOURCE",
    "WOMEN_AT_A_TIME",
    "Caseload",
    "Rule",
    "Setting",
    "assumed",
    "caseload",
    "check_advice",
    "check_cost_lines",
    "context_paths",
    "entered",
    "settings",
]
