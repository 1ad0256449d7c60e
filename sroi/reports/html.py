"""The HTML report: one self-contained file a commissioner can read and an
auditor can check.

Everything is inline: CSS in a ``<style>`` element, charts as base64 PNG
``data:`` images.  A Content-Security-Policy meta tag (``default-src 'none';
img-src data:; style-src 'unsafe-inline'``) makes the browser refuse any
network request, so the page shows the same offline, in ten years, as today.
"""

from __future__ import annotations

import base64
import io
import math
import os
from html import escape
from string import Template

from matplotlib.figure import Figure

from sroi.reports import headline, plots, style
from sroi.reports.atomic import write_text
from sroi.reports.page import CSS, PAGE
from sroi.reports.report import Report
from sroi.reports.valuemap import Cell, ValueMapRow, rows, total_pv
from sroi.vocabulary import JUDGEMENT_GRADES, NOT_GRADED, PAYERS, PROGRAMME, PUBLIC_PAYERS

#: Resolution of chart images [dots per inch]; figures are 9 inches wide.
DPI = 120
#: The page's Content-Security-Policy: no network request of any kind.
CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'"


def png_data_uri(fig: Figure, dpi: int = DPI) -> str:
    """A figure as a ``data:image/png;base64,...`` URI."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi, facecolor="white")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def _figure(fig: Figure, anchor: str, caption: str) -> str:
    title = fig.get_suptitle().replace("\n", " ")
    width = int(fig.get_figwidth() * 96)
    return (
        f'<figure id="{anchor}" class="chart"><img src="{png_data_uri(fig)}" '
        f'alt="{escape(title)}" width="{width}">'
        f"<figcaption>{caption}</figcaption></figure>"
    )


def _money(report: Report, x: float) -> str:
    return style.money(x, report.currency)


# --------------------------------------------------------------------------- sections


def _glance(report: Report) -> str:
    r, cur = report.results, report.currency
    key = PROGRAMME if len(report.scenarios) > 1 else report.scenarios[0].id
    who = "the programme" if key == PROGRAMME else style.short_name(report.scenarios[0].name)
    unit = headline.stat(r, "unit_cost", key)
    case = headline.stat(r, "cost_per_case_averted", key)
    sroi = headline.stat(r, "sroi_ratio", key)
    value = r.base_value("value_pv", key)
    cost = r.base_value("cost_pv", key)
    shares = sorted(
        (
            (r.base_value(f"value_pv_by_payer.{p}", key) / value if value else 0.0, p)
            for p in PAYERS
        ),
        reverse=True,
    )
    to_whom = ", ".join(f"{style.PAYER_LABELS[p]} {style.share(s)}" for s, p in shares if s > 0)
    public = sum(s for s, p in shares if p in PUBLIC_PAYERS)
    prob = r.probabilities(key)["prob_sroi_above_1"]

    def ci(st: headline.Stat, f: object) -> str:
        if not (math.isfinite(st.p5) and math.isfinite(st.p95)):
            return "no draws: base case only"
        fmt = f if callable(f) else str
        return f"90% of draws: {fmt(st.p5)} to {fmt(st.p95)}"

    sym = style.symbol(cur)
    payback = r.base_value("payback_year", key)
    payback_text = f"year {payback:.0f}" if math.isfinite(payback) else "not within the horizon"
    sure = (
        f"Chance that the value exceeds the cost: it did in {style.share(prob)} of "
        f"{r.draws:,} draws."
        if r.draws
        else "Base case only: run with draws to see how sure."
    )
    cashable = r.base_value("value_pv_cashable", key)
    ev = report.evidence
    weak = ev.share(key, JUDGEMENT_GRADES)
    total_pv = sum(ev.pv[key].values())
    assumed_q = sum(ev.pv_judged_probability[key].values()) / total_pv if total_pv else math.nan
    cards = [
        (
            "What does it cost per woman?",
            _money(report, unit.base),
            f"Base case; {ci(unit, lambda x: _money(report, x))}. Per case of perinatal "
            f"depression averted: {_money(report, case.base)}. Total cost "
            f"{style.short_money(cost, cur)} (present value).",
        ),
        (
            "What comes back, and to whom?",
            f"{sym}{style.ratio(sroi.base)} per {sym}1",
            f"Base case; {ci(sroi, style.ratio)}. Value {style.short_money(value, cur)} "
            f"(present value): {to_whom}. The public sector gets {style.share(public)}; "
            f"cashable savings a budget holder could release: "
            f"{style.short_money(cashable, cur)}.",
        ),
        (
            "How sure are we?",
            style.share(prob) if r.draws else "–",
            f"{sure} Pays back in {payback_text} (base case). "
            f"{style.share(1 - weak)} of the value is priced with proxies from studies, "
            f"published unit costs or local data; {style.share(assumed_q)} comes from outcomes "
            "whose share of people affected is an assumption (see the evidence profile).",
        ),
    ]
    out = [f'<section id="glance"><h2>At a glance: {escape(who)}</h2><div class="cards">']
    for head, big, text in cards:
        out.append(
            f'<div class="card"><h3>{escape(head)}</h3><p class="big">{escape(big)}</p>'
            f"<p>{escape(text)}</p></div>"
        )
    out.append("</div></section>")
    return "".join(out)


def _findings(titles: list[tuple[str, str]]) -> str:
    items = "".join(f'<li><a href="#{a}">{escape(t)}</a></li>' for a, t in titles)
    return (
        f'<section id="findings"><h2>Key findings</h2><ul class="findings">{items}</ul></section>'
    )


def _charts(report: Report) -> tuple[str, list[tuple[str, str]]]:
    r = report.results
    pound = f"{style.symbol(report.currency)}1"
    specs: list[tuple[str, str, Figure | None, str]] = []
    if r.draws:
        specs.append(
            (
                "chart-distribution",
                "Return per pound: the SROI ratio",
                plots.sroi_distribution(r),
                f"Each panel shows how often each SROI ratio came up in the draws. The thick "
                f"line is the base case, the shading holds 90% of draws, and the dashed line is "
                f"break-even ({pound} of value per {pound} of cost).",
            )
        )
    specs.append(
        (
            "chart-payers",
            "Who gets the value",
            plots.value_by_payer(r),
            "Base-case present value of each site's outcomes, split by who gains it. The black "
            "mark is the site's cost (present value): value to the right of it is the return "
            "over cost.",
        )
    )
    specs.append(
        (
            "chart-payback",
            "When it pays back",
            plots.cumulative_net(r),
            "Discounted value minus discounted cost, added up year by year. Above zero the "
            "service has paid for itself; the shaded band holds 90% of draws.",
        )
    )
    if report.sensitivity is not None and len(report.sensitivity):
        specs.append(
            (
                "chart-tornado",
                "What drives the result",
                plots.tornado(report.sensitivity, scope=report.sensitivity_scope),
                "Each bar moves one input from its low to its high value (5th to 95th "
                "percentile of its distribution) with every other input at its base case. "
                "The longest bars are the inputs whose uncertainty matters most, and where "
                "better evidence would be worth most. Inputs marked * are fixed numbers, moved "
                f"by ±{100 * float(report.sensitivity.attrs.get('band', 0.2)):.0f}% of "
                "themselves; a site name in brackets means the input moves in that site only.",
            )
        )
    else:
        specs.append(("chart-tornado", "What drives the result", None, report.sensitivity_note))
    if r.draws:
        specs.append(
            (
                "chart-probability",
                "How sure: the chance of at least a given return",
                plots.probability_curve(r),
                f"For each threshold on the horizontal axis, the share of draws whose SROI "
                f"ratio reaches it. Read off the chance of at least {pound} back per {pound} "
                "at the dashed line.",
            )
        )
    if len(report.scenarios) > 1:
        specs.append(
            (
                "chart-sites",
                "Sites compared",
                plots.site_comparison(r),
                "Cost per woman supported and SROI ratio by site: dot for the base case, line "
                "for 90% of draws. Overlapping lines mean the data cannot tell the sites apart.",
            )
        )
    specs.append(
        (
            "chart-evidence",
            "How much rests on evidence",
            plots.evidence_profile(report.evidence, r),
            "Each outcome's present value is attributed, whole, to the evidence grade of its "
            "financial proxy, and divided by the cost: the bar is the SROI ratio split by the "
            "grade of evidence behind each pound. Hatched parts come from outcomes whose "
            "probability (the share of cases or people affected) is itself an assumption, "
            "so a well-sourced price on an assumed quantity is not mistaken for solid ground.",
        )
    )
    out, titles = [], []
    for anchor, heading, fig, caption in specs:
        out.append(f'<section class="chart-section"><h2>{escape(heading)}</h2>')
        if fig is None:
            out.append(f'<p class="missing" id="{anchor}">{escape(caption)}</p></section>')
            continue
        titles.append((anchor, fig.get_suptitle().replace("\n", " ")))
        out.append(_figure(fig, anchor, escape(caption)))
        if anchor == "chart-evidence":
            out.append(_evidence_table(report))
        out.append("</section>")
        fig.clear()
    return "".join(out), titles


def _evidence_table(report: Report) -> str:
    ev = report.evidence
    key = PROGRAMME if PROGRAMME in ev.pv and len(report.scenarios) > 1 else report.scenarios[0].id
    total = sum(ev.pv[key].values())
    sym = style.symbol(report.currency)
    out = [
        '<table class="evidence"><caption>'
        + escape(
            f"Value by evidence grade of the proxy, base case, "
            f"{'programme' if key == PROGRAMME else key}"
        )
        + "</caption><thead><tr><th scope='col'>Grade of the proxy</th>"
        "<th scope='col'>Outcomes</th><th scope='col' class='num'>Value PV</th>"
        "<th scope='col' class='num'>Share</th>"
        f"<th scope='col' class='num'>{sym} per {sym}1 of cost</th>"
        "<th scope='col' class='num'>Of which the share affected is an assumption</th>"
        "</tr></thead><tbody>"
    ]
    for g in ev.grades:
        pv = ev.pv[key][g]
        judged = ev.pv_judged_probability[key][g]
        out.append(
            f"<tr><th scope='row'>{escape(style.EVIDENCE_LABELS[g])}</th>"
            f"<td class='text'>{escape(', '.join(ev.outcomes[g]))}</td>"
            f"<td>{_money(report, pv)}</td><td>{style.share(pv / total if total else math.nan)}"
            f"</td><td>{style.ratio(ev.ratio(key, g))}</td><td>{_money(report, judged)}</td></tr>"
        )
    out.append("</tbody></table>")
    return "".join(out)


def _cell(c: Cell, f: object, unit: str = "") -> str:
    fmt = f if callable(f) else str
    text = f"<span class='base'>{escape(fmt(c.central))}{escape(unit)}</span>"
    if not c.fixed:
        text += f"<span class='ci'>90%: {escape(fmt(c.p5))} to {escape(fmt(c.p95))}</span>"
    return text


def _adjustment(c: Cell) -> str:
    text = _cell(c, style.share)
    if c.inherited:
        text = text.replace("</span>", "<span class='dagger'> †</span></span>", 1)
    return f"<td title='{escape(c.note or '')}'>{text}</td>"


def _proxy(report: Report, row: ValueMapRow) -> str:
    singular, _ = style.DRIVER_UNITS[row.per]
    refs = {r.key: r for r in report.references}
    c = row.proxy
    text = _cell(c, lambda x: _money(report, x))
    text += f"<span class='unit'>per {escape(singular)} a year</span>"
    grade = c.evidence or NOT_GRADED.id
    text += f"<span class='grade g-{grade}'>{escape(style.EVIDENCE_LABELS[grade])}</span>"
    if c.source and c.source in refs:
        ref = refs[c.source]
        text += f"<a class='src' href='#{ref.anchor}'>[{ref.number}] {escape(c.source)}</a>"
    return f"<td class='text' title='{escape(c.note or '')}'>{text}</td>"


_VALUE_MAP_COLUMNS = (
    ("stakeholder", "Stakeholder", ""),
    ("outcome", "Outcome", ""),
    ("indicator", "Indicator", ""),
    ("quantity", "Quantity", "num"),
    ("proxy", "Financial proxy and source", ""),
    ("adj", "Deadweight", "num"),
    ("adj", "Attribution", "num"),
    ("adj", "Displacement", "num"),
    ("adj", "Drop-off", "num"),
    ("duration", "Duration", "num"),
    ("pv", "Present value", "num"),
)


def _value_map_row(report: Report, row: ValueMapRow) -> str:
    _, plural = style.DRIVER_UNITS[row.per]
    quantity = _cell(row.quantity, style.count, f" {plural}")
    quantity += (
        f"<span class='unit'>share affected {escape(style.share(row.probability.central))}</span>"
    )
    duration = _cell(row.duration, style.years)
    if row.lag:
        duration += f"<span class='unit'>starts {row.lag} year(s) after</span>"
    tags = [row.outcome, style.PAYER_LABELS[row.payer], row.value_type]
    if row.cashable:
        tags.append("cashable")
    return (
        f"<tr><td class='text'>{escape(row.stakeholder)}</td>"
        f"<td class='text'><strong>{escape(row.label)}</strong>"
        f"<span class='unit'>{escape(' · '.join(tags))}</span></td>"
        f"<td class='text'>{escape(row.indicator or '')}</td>"
        f"<td>{quantity}</td>{_proxy(report, row)}"
        + "".join(_adjustment(c) for c in row.adjustments.values())
        + f"<td>{duration}</td>"
        f"<td>{_cell(row.pv, lambda x: _money(report, x))}</td></tr>"
    )


def _value_map(report: Report) -> str:
    out = ['<section id="value-map"><h2>Value map</h2>']
    out.append(
        "<p>One row per outcome, in the SROI Guide's columns. Inputs show the base case and, "
        "below it, the 90% range of their distribution (5th to 95th percentile); quantity and "
        "present value show the base case and the 90% interval of the Monte Carlo draws. "
        "Quantity is the driver (e.g. cases averted) times the share affected, over all "
        "delivery years. † marks an adjustment taken from the scenario-wide default. Hover "
        "over a proxy or adjustment to read the note behind it; the number in brackets points "
        "to the sources.</p>"
    )
    if len(report.scenarios) > 1:
        links = " · ".join(
            f"<a href='#vm-{escape(s.id)}'>{escape(style.short_name(s.name))}</a>"
            for s in report.scenarios
        )
        out.append(f"<p class='sitenav'>Sites: {links}</p>")
    cols = "".join(f"<col class='c-{c}'>" for c, _, _ in _VALUE_MAP_COLUMNS)
    heads = "".join(
        f"<th scope='col' class='{k}'>{escape(h)}</th>" for _, h, k in _VALUE_MAP_COLUMNS
    )
    for s in report.scenarios:
        values = report.outcomes[s.id]
        out.append(
            f"<h3 id='vm-{escape(s.id)}'>{escape(s.name)}</h3><div class='scroll'>"
            f"<table class='valuemap'><colgroup>{cols}</colgroup>"
            f"<thead><tr>{heads}</tr></thead><tbody>"
        )
        out += [_value_map_row(report, row) for row in rows(s, values)]
        total = total_pv(values)
        out.append(
            "<tr class='total'><th scope='row' colspan='10'>Total value, present value</th>"
            f"<td>{_cell(total, lambda x: _money(report, x))}</td></tr></tbody></table></div>"
        )
    out.append("</section>")
    return "".join(out)


def _bibliography(report: Report) -> str:
    ids = [s.id for s in report.scenarios]
    out = ['<section id="sources"><h2>Sources</h2><ol class="refs">']
    for ref in report.references:
        by_path: dict[str, list[str]] = {}
        for sid, path in ref.cited_by:
            by_path.setdefault(path, []).append(sid)
        cites = []
        for path, sids in by_path.items():
            where = (
                ""
                if len(ids) == 1
                else (" (all)" if sorted(sids) == sorted(ids) else f" ({', '.join(sids)})")
            )
            cites.append(f"<code>{escape(path)}</code>{escape(where)}")
        shown = ", ".join(cites[:8]) + (f" and {len(cites) - 8} more" if len(cites) > 8 else "")
        if not cites:
            shown = "no value names it as its source; see the notes in the scenario files"
        link = ""
        if ref.url:
            link = f" <a href='{escape(ref.url)}' rel='noreferrer'>{escape(ref.url)}</a>"
        key = f"<span class='key'>{escape(ref.key)}</span>"
        cited = f"<span class='cited'>Cited by: {shown}</span>"
        entry = f"{key} {escape(ref.citation)}{link}{cited}"
        out.append(f"<li id='{ref.anchor}' value='{ref.number}'>{entry}</li>")
    out.append("</ol></section>")
    return "".join(out)


def _manifest(report: Report) -> str:
    m = report.manifest
    out = ['<section id="manifest"><h2>Run manifest</h2><table class="manifest"><tbody>']
    for label, text in m.items():
        out.append(
            f"<tr><th scope='row'>{escape(label)}</th><td class='text'>{escape(text)}</td></tr>"
        )
    out.append("</tbody></table><table class='manifest files'><thead><tr>")
    out += [
        f"<th scope='col'>{h}</th>"
        for h in ("Scenario", "File", "SHA-256 of the file", "Currency", "Price year")
    ]
    out.append("</tr></thead><tbody>")
    for s in m.scenarios:
        out.append(
            f"<tr><td class='text'>{escape(s.name)}<span class='unit'>{escape(s.id)}</span></td>"
            f"<td class='text'><code>{escape(s.file or '(built in Python)')}</code></td>"
            f"<td class='text'><code class='hash'>{escape(s.sha256 or '–')}</code></td>"
            f"<td class='text'>{escape(s.currency)}</td><td>{s.price_year}</td></tr>"
        )
    out.append(
        "</tbody></table><p>To reproduce: run <code>sroi report</code> on the same files "
        "(check their SHA-256) with the same seed and number of draws, using the same sroi "
        "version.</p></section>"
    )
    return "".join(out)


def _method(report: Report) -> str:
    r = report.results
    draws = (
        f"{r.draws:,} Monte Carlo draws (seed {r.seed}) redraw every uncertain input from its "
        "distribution; the 90% interval runs from the 5th to the 95th percentile of the draws."
        if r.draws
        else "No Monte Carlo draws were run: only the base case is shown."
    )
    return (
        '<section id="method"><h2>How the numbers are made</h2><ul>'
        "<li>The <strong>base case</strong> sets every input to its central value (the mode "
        "of a PERT or triangular range, the mean of a normal, and so on). "
        + escape(draws)
        + " Because many inputs are skewed, the base case need not sit in the middle of the "
        "interval.</li>"
        f"<li>Money is in {escape(report.currency)} at {report.price_year} prices. Costs and "
        "values are discounted to present values (PV) at the scenario's discount schedule "
        "(HM Treasury Green Book by default; year 0 undiscounted).</li>"
        "<li>The <strong>SROI ratio</strong> is value PV divided by cost PV; NPV is value PV "
        "minus cost PV. The programme adds the sites' costs and values draw by draw.</li>"
        "<li>Each outcome's value is its quantity times its financial proxy, less deadweight, "
        "attribution and displacement, over its duration with drop-off after the first "
        "year.</li></ul></section>"
    )


# --------------------------------------------------------------------------- page


def render(report: Report) -> str:
    """The report as one self-contained HTML document."""
    r = report.results
    charts, titles = _charts(report)
    files = len(report.scenarios)
    run = (
        f"sroi {r.version} · seed {r.seed} · {r.draws:,} draws · {files} scenario file"
        f"{'s' if files != 1 else ''} · {report.currency} at {report.price_year} prices · "
        f"generated {report.manifest.generated:%Y-%m-%d %H:%M} UTC"
    )
    headline_section = (
        '<section id="headline"><h2>Headline results</h2>'
        "<p>Base case, with the 90% interval of the Monte Carlo draws below each number. "
        "Present values are discounted; unit costs use undiscounted cost.</p>"
        f"<div class='scroll'>{headline.table_html(r)}</div></section>"
    )
    body = "".join(
        [
            _glance(report),
            _findings(titles),
            headline_section,
            charts,
            _value_map(report),
            _method(report),
            _bibliography(report),
            _manifest(report),
        ]
    )
    return Template(PAGE).substitute(
        csp=CSP,
        title=escape(report.title),
        css=CSS,
        run=escape(run),
        body=body,
    )


def write(report: Report, path: str | os.PathLike[str]) -> None:
    """Render ``report`` and write it to ``path`` atomically."""
    write_text(path, render(report))
