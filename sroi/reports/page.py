"""What the HTML page shows, as plain data for its templates.

:func:`context` gathers everything ``templates/report.html`` prints: the
cards at the top, the charts, the headline and evidence tables, the value
maps, the bibliography and the manifest.  Every number is formatted here;
the templates only lay the text out.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sroi.prices import GDP_DEFLATOR_SOURCE, financial_year
from sroi.reports import headline, page_charts, page_valuemap, style
from sroi.reports.money_inputs import money_rows
from sroi.reports.plots.distribution import break_even_clause
from sroi.reports.report import Report
from sroi.reports.sources import Reference
from sroi.results.perspective import Estimate
from sroi.scenario.labels import default_label, value_label
from sroi.scenario.model import Scenario
from sroi.text import draws_count
from sroi.vocabulary import JUDGEMENT_GRADES, PAYERS, PERSPECTIVES, PROGRAMME


@dataclass(frozen=True)
class Card:
    """One answer at the top of the page: a question, a big number, and the
    sentence behind it."""

    question: str
    answer: str
    detail: str


def _interval(st: headline.Stat, f: Callable[[float], str]) -> str:
    if not (math.isfinite(st.p5) and math.isfinite(st.p95)):
        return "no draws were run"
    return f"90% of draws: {f(st.p5)} to {f(st.p95)}"


def glance_scope(report: Report) -> tuple[str, str]:
    """The name the cards are about (the programme, or the only site) and how
    the heading calls it."""
    if len(report.scenarios) > 1:
        return PROGRAMME, "the programme"
    only = report.scenarios[0]
    return only.id, style.short_name(only.name)


def _modal(st: headline.Stat, f: Callable[[float], str]) -> str:
    """The median and the base case, after the expected value."""
    if not math.isfinite(st.median):
        return "Base case (modal inputs)"
    return f"Expected across draws; median {f(st.median)}; modal inputs {f(st.base)}"


def glance(report: Report) -> list[Card]:
    """The three cards: cost per woman, what comes back and to whom, how sure.

    Each leads with the expected value across draws (for the return, mean
    value over mean cost, of the run's perspective); the median and the base
    case ("modal inputs") follow.
    """
    r, cur = report.results, report.currency
    key, _ = glance_scope(report)

    def money(x: float) -> str:
        return style.money(x, cur)

    def expected(metric: str) -> float:
        st = headline.stat(r, metric, key)
        return st.expected if math.isfinite(st.expected) else st.base

    unit = headline.stat(r, "unit_cost", key)
    h = r.headline(key)
    p = h.perspective
    ratio = headline.stat(r, p.ratio_metric, key)
    value = expected("value_pv")
    shares = sorted(
        (
            (expected(f"value_pv_by_payer.{payer}") / value if value else 0.0, payer)
            for payer in PAYERS
        ),
        reverse=True,
    )
    percents = style.payer_percents({q: s for s, q in shares})
    to_whom = ", ".join(f"{style.PAYER_LABELS[q]} {percents[q]}%" for s, q in shares if s > 0)
    sym = style.symbol(cur)
    others = [x for x in r.returns(key) if x.perspective.id != p.id]
    also = "; ".join(
        f"{x.perspective.ratio_phrase} {sym}{style.ratio(_lead(x.ratio))} per {sym}1"
        for x in others
    )
    horizon = max(f.horizon for f in r.base_flows.values())
    if r.draws:
        half = _half_paid_back(h.payback_median)
        payback_text = (
            f"Pays back within the {horizon}-year horizon in {style.chance(h.prob_payback)} of "
            f"draws{half} (modal inputs: {_year(h.payback_modal)})."
        )
        others_above = ", ".join(
            f"{x.perspective.ratio_phrase} {style.chance(x.prob_ratio_above_1)}" for x in others
        )
        sure = (
            f"Chance that the {p.ratio_phrase} exceeds 1: it did in "
            f"{style.chance(h.prob_ratio_above_1)} of {r.draws:,} draws (the "
            f"{others_above})."
        )
    else:
        payback_text = f"Pays back in {_year(h.payback_modal)} (base case)."
        sure = "Base case only: run with draws to see how sure."
    ev = report.evidence
    weak = ev.share(key, JUDGEMENT_GRADES)
    total_pv = sum(ev.pv[key].values())
    assumed_q = sum(ev.pv_judged_probability[key].values()) / total_pv if total_pv else math.nan
    case = expected("cost_per_case_averted")
    cost_pv, cash_pv = expected("cost_pv"), expected("cash_cost_pv")
    cash = (
        f"of which cash {style.short_money(cash_pv, cur)} (the rest is volunteer time in kind)"
        if not math.isclose(cash_pv, cost_pv, rel_tol=1e-9)
        else "all of it cash"
    )
    lead = "Expected" if r.draws else "Base-case"
    beyond = [
        sc.name
        for sc in r.loaded
        if any(c.path != "volunteers.pool" for c in report.cautions.get(sc.id, ()))
    ]
    if beyond:
        sure += (
            " These chances count only the uncertainty of the inputs as written, not that "
            f"{_names(beyond)} {'lies' if len(beyond) == 1 else 'lie'} beyond the pilots' "
            "experience (see the key findings)."
        )
    return [
        Card(
            "What does it cost per woman?",
            money(_lead(unit)),
            f"{_modal(unit, money)}; {_interval(unit, money)}. Per case of perinatal "
            f"depression averted: {money(case)}. Both divide the undiscounted cost; "
            f"its present value is {style.short_money(cost_pv, cur)}, {cash}: "
            "the public-sector and cashable returns divide by the cash cost.",
        ),
        Card(
            "What comes back, and to whom?",
            f"{sym}{style.ratio(_lead(ratio))} per {sym}1",
            f"{p.ratio_label} ({p.definition}); {_modal(ratio, style.ratio).lower()}; "
            f"{_interval(ratio, style.ratio)}. {lead} value to everyone "
            f"{style.short_money(value, cur)} (present value): {to_whom}. "
            f"{lead} {also}.",
        ),
        Card(
            "How sure are we?",
            style.chance(h.prob_ratio_above_1) if r.draws else "–",
            f"{sure} {payback_text} "
            f"{style.share(1 - weak)} of the value is priced with proxies from studies, "
            f"published unit costs or local data; {style.share(assumed_q)} comes from outcomes "
            "whose share of people affected is an assumption (see the evidence profile).",
        ),
    ]


def _names(names: list[str]) -> str:
    """Names joined as a sentence lists them: ``A``, ``A and B``, ``A, B and C``."""
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + f" and {names[-1]}"


@dataclass(frozen=True)
class Finding:
    """One key finding: a sentence and the section it comes from."""

    anchor: str
    text: str


def returns_finding(report: Report) -> str:
    """The key finding that names the returns of the programme (or the only
    site): the run's perspective first, then the social, public-sector and
    cashable returns it does not already name.  Each leads with its expected
    value (mean value over mean cost across draws) and gives its 90% interval,
    as the headline table does; without draws, the base case.

    >>> import sroi
    >>> from sroi.reports.report import build
    >>> oxford = sroi.load_scenario("scenarios/family_action_pss/oxford.yaml")
    >>> r = sroi.run(oxford, draws=0, keep_outcomes=True, perspective="nhs")
    >>> for part in returns_finding(build([oxford], r, with_sensitivity=False)).split("; "):
    ...     print(part)
    Oxford: NHS return £0.30 per £1 (modal inputs)
    social return £2.79 per £1
    public-sector return £0.59 per £1
    cashable return £0.02 per £1
    """
    r = report.results
    key, who = glance_scope(report)
    sym = style.symbol(report.currency)
    lead = r.headline(key)
    views = [lead, *(h for h in r.returns(key) if h.perspective.id != lead.perspective.id)]
    parts = []
    for i, h in enumerate(views):
        est = h.ratio
        text = f"{h.perspective.ratio_phrase} {sym}{style.ratio(_lead(est))} per {sym}1"
        if math.isfinite(est.expected):
            if i == 0:
                text += " expected"
            if math.isfinite(est.p5) and math.isfinite(est.p95):
                text += f" (90%: {style.ratio(est.p5)} to {style.ratio(est.p95)})"
        elif i == 0:
            text += " (modal inputs)"
        parts.append(text)
    scope = "The programme" if key == PROGRAMME else who
    return f"{scope}: " + "; ".join(parts)


def findings(report: Report, charts: list[page_charts.Chart]) -> list[Finding]:
    """The key findings: the returns, then each drawn chart's title, each
    linked to where it comes from."""
    first = Finding("headline", returns_finding(report))
    out = [first]
    several = len(report.results.loaded) > 1
    for scenario in report.results.loaded:
        # How far the scenario lies from the pilots' experience, and who the
        # volunteer pool turns away: the intervals say nothing of either.
        for caution in report.cautions.get(scenario.id, ()):
            text = caution.sentence
            if several:
                text = f"{scenario.name}: {text[0].lower()}{text[1:]}"
            out.append(Finding(f"vm-{scenario.id}", text))
    for c in charts:
        if c.image and c.anchor == "chart-distribution":
            # Its title restates the return the first finding gives; only how
            # surely each site breaks even (for a programme) is new.
            clause = break_even_clause(report.results)
            if clause:
                out.append(Finding(c.anchor, clause[0].upper() + clause[1:]))
        elif c.image:
            out.append(Finding(c.anchor, c.title))
        if c.anchor == "chart-payback" and report.results.perspective != "society":
            # The chart counts society's view; the run's own comes beside it.
            out.append(Finding("glance", payback_finding(report)))
    return out


def payback_finding(report: Report) -> str:
    """When the run's perspective (not society's) pays back, for the key
    findings: the payback chart counts society's view."""
    r = report.results
    key, who = glance_scope(report)
    h = r.headline(key)
    p = h.perspective
    if not r.draws:
        when = _year(h.payback_modal)
        return f"For the {p.ratio_phrase} ({p.meaning}), {who} pays back in {when} (base case)"
    half = _half_paid_back(h.payback_median)
    return (
        f"For the {p.ratio_phrase} ({p.meaning}), {who} pays back within the horizon in "
        f"{style.chance(h.prob_payback)} of draws{half}"
    )


def _lead(st: headline.Stat | Estimate) -> float:
    """The number a card leads with: the expected value, or the base case
    when there are no draws."""
    if isinstance(st, Estimate):
        return st.expected if math.isfinite(st.expected) else st.modal
    return st.expected if math.isfinite(st.expected) else st.base


def _half_paid_back(median: float) -> str:
    """When half of the draws have paid back (their median payback year), as
    a clause after the chance of paying back."""
    if math.isfinite(median):
        return f"; half of all draws by {_year(median)}"
    return "; fewer than half of the draws do"


def _year(x: float) -> str:
    return f"year {x:.0f}" if math.isfinite(x) else "not within the horizon"


def run_line(report: Report) -> str:
    """The line under the title: version, seed, draws, files, money, time."""
    r = report.results
    files = len(report.scenarios)
    prices = f"FY {financial_year(report.price_year)}"
    return (
        f"sroi {r.version} · seed {r.seed} · {draws_count(r.draws)} ({r.run.sampler}) · "
        f"perspective: {PERSPECTIVES[r.perspective].label} · {files} scenario file"
        f"{'s' if files != 1 else ''} · {report.currency} at {prices} prices · "
        f"generated {report.manifest.generated:%Y-%m-%d %H:%M} UTC"
    )


def draws_sentence(report: Report) -> str:
    """How the draws were made, for the method section."""
    r = report.results
    if not r.draws:
        return "No Monte Carlo draws were run: only the base case is shown."
    sentence = (
        f"{r.draws:,} Monte Carlo draws (seed {r.seed}) redraw every uncertain input from its "
        "distribution; the 90% interval runs from the 5th to the 95th percentile of the draws."
    )
    precision = r.run.precision
    if precision is None:
        return sentence
    mean, chance = precision.widest(means=True), precision.widest(means=False)
    if mean and chance and all(math.isfinite(v) for v in precision.half_widths.values()):
        sentence += (
            f" With another seed the returns, expected or mean, would move by up to "
            f"±{100 * mean[1]:.1f}% "
            f"and the chance of a social return above £1 per £1 by up to "
            f"±{100 * chance[1]:.1f} points (95% half-widths {precision.basis})."
        )
    return sentence


#: Citing values listed in full under a source; the rest are counted.
CITES_SHOWN = 8


@dataclass(frozen=True)
class Citation:
    """One value that cites a source: its readable name, its dotted path
    (shown on hover), and which scenarios it is in ("" when the report has
    one scenario, " (all)" when every one, else their short names)."""

    label: str
    path: str
    where: str


@dataclass(frozen=True)
class Entry:
    """One bibliography entry."""

    anchor: str
    number: int
    key: str
    citation: str
    url: str
    cites: tuple[Citation, ...]
    #: Citing values not listed in ``cites``.
    more: int
    #: Values whose note names the source.
    noted: tuple[Citation, ...]


def citations(by: tuple[tuple[str, str], ...], scenarios: Sequence[Scenario]) -> list[Citation]:
    """``(scenario id, path)`` pairs grouped by path, in first-seen order, each
    named in words (:func:`~sroi.scenario.labels.value_label`)."""
    by_id = {s.id: s for s in scenarios}
    by_path: dict[str, list[str]] = {}
    for sid, path in by:
        by_path.setdefault(path, []).append(sid)
    out = []
    for path, sids in by_path.items():
        if len(scenarios) == 1:
            where = ""
        elif sorted(sids) == sorted(by_id):
            where = " (all)"
        else:
            names = (style.short_name(by_id[s].name) if s in by_id else s for s in sids)
            where = f" ({', '.join(names)})"
        own = by_id.get(sids[0])
        label = value_label(own, path) if own is not None else default_label(path)
        out.append(Citation(label, path, where))
    return out


def entry(ref: Reference, scenarios: Sequence[Scenario]) -> Entry:
    """A bibliography entry, its citing values grouped by path."""
    cites = citations(ref.cited_by, scenarios)
    return Entry(
        anchor=ref.anchor,
        number=ref.number,
        key=ref.key,
        citation=ref.citation,
        url=ref.url or "",
        cites=tuple(cites[:CITES_SHOWN]),
        more=max(0, len(cites) - CITES_SHOWN),
        noted=tuple(citations(ref.noted_by, scenarios)),
    )


def context(report: Report) -> dict[str, Any]:
    """Everything ``report.html`` prints, by name."""
    r = report.results
    _, who = glance_scope(report)
    charts = page_charts.charts(report)
    return {
        "title": report.title,
        "run": run_line(report),
        "who": who,
        "cards": glance(report),
        "findings": findings(report, charts),
        "charts": charts,
        "evidence": page_charts.evidence_table(report),
        "headline": headline.table_context(r),
        "draws": r.draws,
        "columns": page_valuemap.COLUMNS,
        "maps": page_valuemap.tables(report),
        "draws_sentence": draws_sentence(report),
        "currency": report.currency,
        "price_year": f"FY {financial_year(report.price_year)}",
        "price_year_label": financial_year(report.price_year),
        "deflator_source": GDP_DEFLATOR_SOURCE,
        "money_inputs": money_rows(report),
        "references": [entry(ref, report.scenarios) for ref in report.references],
        "manifest": report.manifest,
    }
