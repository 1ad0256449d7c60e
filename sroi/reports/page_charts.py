"""The charts of the HTML page as plain data: heading, image, caption, and
the evidence table shown under the evidence chart.

Each chart is drawn by :mod:`sroi.reports.plots` and embedded as a base64
PNG ``data:`` URI, so the page needs no other file.
"""

from __future__ import annotations

import base64
import contextlib
import io
import math
from collections.abc import Iterator
from dataclasses import dataclass

from matplotlib.figure import Figure

from sroi.reports import plots, style
from sroi.reports.plots.fitting import contain
from sroi.reports.report import Report
from sroi.vocabulary import PERSPECTIVES, PROGRAMME

#: Resolution of chart images [dots per inch]; figures are 9 inches wide.
DPI = 120
#: CSS pixels per inch, for an image's natural display width.
CSS_PX_PER_INCH = 96


def png_bytes(fig: Figure, dpi: int = DPI) -> bytes:
    """A figure as PNG bytes, on white."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi, facecolor="white")
    return buffer.getvalue()


def png_data_uri(fig: Figure, dpi: int = DPI) -> str:
    """A figure as a ``data:image/png;base64,...`` URI."""
    return data_uri(png_bytes(fig, dpi))


def data_uri(png: bytes) -> str:
    """PNG bytes as a ``data:image/png;base64,...`` URI."""
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


@contextlib.contextmanager
def _fitted(fig: Figure) -> Iterator[None]:
    """Rewrap any caption or title of ``fig`` that would reach out of the
    image or over the next panel (:func:`~sroi.reports.plots.fitting.contain`),
    for the block that saves it.  The figure is laid out once: when nothing
    changed after that layout, the saved image keeps it rather than
    computing it again (about a third of a chart's time)."""
    engine = fig.get_layout_engine()
    if contain(fig):
        fig.set_layout_engine("none")
    try:
        yield
    finally:
        fig.set_layout_engine(engine)


def fitted_png(fig: Figure, dpi: int = DPI) -> bytes:
    """A figure as PNG bytes, its captions and titles fitted (:func:`_fitted`)."""
    with _fitted(fig):
        return png_bytes(fig, dpi=dpi)


def fitted_png_data_uri(fig: Figure, dpi: int = DPI) -> str:
    """A figure as a PNG data URI, its captions and titles fitted (:func:`_fitted`)."""
    with _fitted(fig):
        return png_data_uri(fig, dpi=dpi)


@dataclass(frozen=True)
class Chart:
    """One chart section of the page.

    image : str
        The PNG as a data URI, or "" when the chart could not be drawn (the
        caption then says why).
    title : str
        The figure's own title (its conclusion), on one line; the image's alt
        text and the chart's key finding.
    width : int
        Natural display width of the image [CSS px].
    """

    anchor: str
    heading: str
    image: str
    title: str
    width: int
    caption: str


def _chart(anchor: str, heading: str, fig: Figure | None, caption: str) -> Chart:
    if fig is None:
        return Chart(anchor, heading, "", "", 0, caption)
    chart = Chart(
        anchor,
        heading,
        fitted_png_data_uri(fig),
        fig.get_suptitle().replace("\n", " "),
        int(fig.get_figwidth() * CSS_PX_PER_INCH),
        caption,
    )
    fig.clear()
    return chart


def charts(report: Report) -> list[Chart]:
    """Every chart the run supports, in page order."""
    r = report.results
    pound = f"{style.symbol(report.currency)}1"
    out = []
    view = PERSPECTIVES[r.perspective]
    if r.draws:
        out.append(
            _chart(
                "chart-distribution",
                f"Return per pound: the {view.ratio_phrase}",
                plots.sroi_distribution(r),
                f"Each panel shows how often each {view.ratio_phrase} ({view.definition}) "
                "came up in the draws. The thick line is the expected return (mean value over "
                "mean cost across draws), the dash-dot line the median, the dotted line the base "
                "case with every input at its central value (modal inputs, for reference), the "
                f"shading holds 90% of draws, and the dashed line is break-even ({pound} of value "
                f"per {pound} of cost).",
            )
        )
    out.append(
        _chart(
            "chart-payers",
            "Who gets the value",
            plots.value_by_payer(r),
            (
                "Present value of each site's outcomes, expected across the draws (the mean), "
                "split by who gains it. The black mark is the site's expected cost (present "
                "value): value to the right of it is the return over cost."
                if r.draws
                else "Base-case present value of each site's outcomes, split by who gains it. "
                "The black mark is the site's cost (present value): value to the right of it "
                "is the return over cost."
            ),
        )
    )
    out.append(
        _chart(
            "chart-payback",
            "When it pays back",
            plots.cumulative_net(r),
            "Discounted value to everyone minus the discounted cost of every input (society's "
            "view), added up year by year. Above zero the service has paid for itself. The "
            "solid line is the median draw, the shaded band holds 90% of draws and the dashed "
            "line is the base case; the dotted mark is the year by which half the draws have "
            "paid back."
            + (
                ""
                if r.perspective == "society"
                else f" The payback of the run's perspective ({view.label}: {view.meaning}) "
                "is on the cards: its chance of paying back and its median payback year."
            ),
        )
    )
    shading = " The shading holds 90% of draws." if r.value_profiles is not None else ""
    out.append(
        _chart(
            "chart-profiles",
            "When the value arrives",
            plots.value_profiles(r),
            "Value to each payer in each year, undiscounted, in the base case, for the "
            "programme when there are several sites. A saving can arrive years after the "
            f"service: this is the value the payback chart waits for.{shading}",
        )
    )
    if report.sensitivity is not None and len(report.sensitivity):
        band = 100 * float(report.sensitivity.attrs.get("band", 0.2))
        out.append(
            _chart(
                "chart-tornado",
                "What drives the result",
                plots.tornado(
                    report.sensitivity,
                    scope=report.sensitivity_scope,
                    names={s.id: style.short_name(s.name) for s in report.scenarios},
                ),
                "Each bar moves one input from its low to its high value (5th to 95th "
                "percentile of its distribution) with every other input at its base case. "
                "The longest bars are the inputs whose uncertainty matters most, and where "
                "better evidence would be worth most. Inputs marked * are fixed numbers, moved "
                f"by ±{band:.0f}% of themselves; a site name in brackets means the input moves "
                "in that site only. The range under each name is the input as written in the "
                "scenario file: money at the prices it was written at (see the money inputs), "
                "not converted.",
            )
        )
    else:
        out.append(_chart("chart-tornado", "What drives the result", None, report.sensitivity_note))
    if r.draws:
        out.append(
            _chart(
                "chart-probability",
                "How sure: the chance of at least a given return",
                plots.probability_curve(r),
                f"For each threshold on the horizontal axis, the share of draws whose "
                f"{view.ratio_phrase} ({view.definition}) reaches it. Read off the "
                f"chance of at least {pound} back per {pound} at the dashed line.",
            )
        )
    if len(report.scenarios) > 1:
        out.append(
            _chart(
                "chart-sites",
                "Sites compared",
                plots.site_comparison(r),
                (
                    "Cost per woman supported and social return by site: dot for the expected "
                    "value across the draws (mean cost over mean women, mean value over mean "
                    "cost), line for 90% of draws. Overlapping lines mean the data cannot tell "
                    "the sites apart."
                    if r.draws
                    else "Cost per woman supported and social return by site, in the base case "
                    "(the run has no draws, so no intervals)."
                ),
            )
        )
    out.append(
        _chart(
            "chart-evidence",
            "How much rests on evidence",
            plots.evidence_profile(r, profile=report.evidence),
            "Each outcome's present value is attributed, whole, to the evidence grade of its "
            "financial proxy, and divided by the cost: the bar is the social return split by the "
            "grade of evidence behind each pound. Where only part of the value comes from "
            "outcomes whose probability (the share of cases or people affected) is itself an "
            "assumption, that part is hatched, so a well-sourced price on an assumed quantity "
            "is not mistaken for solid ground; where all of it does, the title says so.",
        )
    )
    return out


@dataclass(frozen=True)
class EvidenceRow:
    """One grade of the evidence table, as text."""

    grade: str
    outcomes: str
    pv: str
    share: str
    ratio: str
    judged: str


@dataclass(frozen=True)
class EvidenceTable:
    """Value by evidence grade of the proxy, base case, for one scope."""

    caption: str
    #: Heading of the ratio column, e.g. "£ per £1 of cost".
    ratio_heading: str
    rows: tuple[EvidenceRow, ...]


def evidence_table(report: Report) -> EvidenceTable:
    """The evidence profile of the programme (or the only site) as a table."""
    ev = report.evidence
    several = PROGRAMME in ev.pv and len(report.scenarios) > 1
    key = PROGRAMME if several else report.scenarios[0].id
    total = sum(ev.pv[key].values())
    sym = style.symbol(report.currency)

    def money(x: float) -> str:
        return style.money(x, report.currency)

    # Outcomes by what changes, not by id (the first scenario's wording).
    labels: dict[str, str] = {}
    for s in report.scenarios:
        for oid, o in s.outcomes.items():
            labels.setdefault(oid, o.label)
    rows = tuple(
        EvidenceRow(
            grade=style.EVIDENCE_LABELS[g],
            outcomes="; ".join(labels.get(oid, oid) for oid in ev.outcomes[g]),
            pv=money(ev.pv[key][g]),
            share=style.share(ev.pv[key][g] / total if total else math.nan),
            ratio=style.ratio(ev.ratio(key, g)),
            judged=money(ev.pv_judged_probability[key][g]),
        )
        for g in ev.grades
    )
    return EvidenceTable(
        caption="Value by evidence grade of the proxy, base case, "
        + ("programme" if key == PROGRAMME else key),
        ratio_heading=f"{sym} per {sym}1 of cost",
        rows=rows,
    )
