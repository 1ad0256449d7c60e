"""The page's charts: figures of the plots API (:mod:`sroi.plots`), as PNGs.

Each chart is drawn wide for a laptop, in the page as a data URI, and
narrow for a phone (the page picks one by the screen's width), so its text
is legible at either size.  The server draws the narrow one only when a
phone asks for it (:func:`narrow_png`), so a laptop never waits for it.
The figure's title, its conclusion, is taken out of the
image and written on the page, where it wraps to any width; so is a note
that the histogram would otherwise print across its bars.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.text import Text

from sroi import plots
from sroi.reports.page_charts import fitted_png, fitted_png_data_uri
from sroi.reports.plots.fitting import (
    NAME_CHARS,
    NAME_LINES,
    fit_names,
    key_under_figure,
    short_label,
    wrap,
)
from sroi.results import Results
from sroi.vocabulary import PERSPECTIVES

#: Resolution of the page's charts [dots per inch]: sharp on a laptop screen,
#: and quick enough to draw that a what-if rerun stays within two seconds.
DPI = 80
#: Width of a chart drawn for a phone [inches]; drawn at twice :data:`DPI`
#: for a phone's dense screen, it shows at about its own width in pixels.
NARROW_WIDTH = 4.0
#: How close [fraction of draws] the share of draws in the black must come
#: to its share at the horizon: the payback chart ends a little after that.
SETTLED = 0.02


@dataclass(frozen=True)
class Chart:
    """One chart: what it shows, and the image (a ``data:image/png`` URI).

    heading : str
        What it is about.
    image, narrow : str
        The chart for a wide screen, and for a phone.
    alt : str
        The figure's own title, which says what to conclude: written under
        the heading, and the image's text alternative.
    note : str
        The figures the chart marks, in words ("" for none).
    """

    heading: str
    image: str
    alt: str
    narrow: str = ""
    note: str = ""


#: The page's charts in order, each drawn by a function of the plots API.
_DRAWERS = (plots.sroi_distribution, plots.value_by_payer, plots.cumulative_net)
#: How many charts the page shows.
CHART_COUNT = len(_DRAWERS)


def _headings(results: Results) -> tuple[tuple[str, Callable[[Results], Figure]], ...]:
    view = PERSPECTIVES[results.perspective]
    headings = (
        f"How sure the {view.ratio_phrase} is",
        "Who gets the value",
        "When it pays back, counting all value against every input",
    )
    return tuple(zip(headings, _DRAWERS, strict=True))


def _take_notes(fig: Figure) -> str:
    """Remove the boxed notes drawn inside the axes (the histogram's
    "expected ..., median ..." line, which sat across its bars and lines)
    and return their text."""
    notes = []
    for ax in fig.axes:
        taken = [t for t in ax.texts if t.get_bbox_patch() is not None and t.get_text()]
        for text in taken:
            notes.append(" ".join(text.get_text().split()))  # wrapped to fit
            text.remove()
        if taken:  # the headroom kept for the note goes with it
            ax.set_autoscaley_on(True)
            ax.autoscale_view(scalex=False)
    return "; ".join(notes)


def settled_year(results: Results, scenario: str) -> int:
    """The last year the payback chart needs: a round number of years after
    the share of draws in the black has come within :data:`SETTLED` of its
    share at the horizon, and after the median and modal payback years; the
    horizon itself when that is sooner.  -1 without yearly draws."""
    yearly = results.yearly
    if yearly is None or scenario not in yearly:
        return -1
    net = yearly[scenario]
    black = np.mean(net >= 0, axis=0)
    last = int(np.flatnonzero(black >= black[-1] - SETTLED)[0])
    h = results.headline(scenario, "society")
    for year in (h.payback_median, h.payback_modal):
        if math.isfinite(year):
            last = max(last, int(year) + 1)
    end = 5 * math.ceil((last + 2) / 5)
    return min(end, net.shape[1] - 1)


def end_of(results: Results) -> int:
    """The last analysis year of the run's first scenario."""
    yearly = results.yearly
    sid = results.scenarios[0].id
    return -1 if yearly is None else yearly[sid].shape[1] - 1


def _bound_years(fig: Figure, results: Results) -> int | None:
    """End the payback chart's year axis where payback has settled, and fit
    its money axis to what is then shown; the last year shown, or None when
    the whole horizon is."""
    sid = results.scenarios[0].id
    end = settled_year(results, sid)
    if end <= 0 or end >= end_of(results):
        return None
    for ax in fig.axes:
        low, high = math.inf, -math.inf
        for line in ax.get_lines():
            x, y = (np.asarray(v, dtype=float) for v in line.get_data())
            shown = (x <= end) & np.isfinite(y)
            if shown.any() and x.size > 2:
                low, high = min(low, float(y[shown].min())), max(high, float(y[shown].max()))
        for band in ax.collections:
            for path in band.get_paths():
                v = np.asarray(path.vertices, dtype=float)
                shown = (v[:, 0] <= end) & np.isfinite(v[:, 1])
                if shown.any():
                    low = min(low, float(v[shown, 1].min()))
                    high = max(high, float(v[shown, 1].max()))
        ax.set_xlim(-0.5, end + 0.5)
        if math.isfinite(low) and math.isfinite(high) and high > low:
            pad = 0.06 * (high - low)
            ax.set_ylim(low - pad, high + pad)
    return end


#: Longest line of a name beside a chart's axes [characters], and most lines,
#: wide and narrow: a long area name is wrapped (a long word broken) and, past
#: the last line, shortened with an ellipsis, so the plot keeps its width.
NARROW_NAME_CHARS, NARROW_NAME_LINES = 12, 3


def _key_under_figure(fig: Figure, ax: Axes, ncols: int, fontsize: float) -> None:
    """Move the key of ``ax``, if any, under the whole figure in ``ncols`` columns."""
    legend = ax.get_legend()
    if legend is not None:
        key_under_figure(fig, legend, ncols, fontsize)


def _wide(fig: Figure) -> None:
    """The figure as a laptop shows it: long names beside the axes wrapped
    and shortened, and a key of more than three entries under the figure."""
    fit_names(fig, NAME_CHARS, NAME_LINES)
    for ax in fig.axes:
        legend = ax.get_legend()
        if legend is not None and len(legend.get_texts()) > 3:
            size = float(legend.get_texts()[0].get_fontsize())
            _key_under_figure(fig, ax, ncols=len(legend.get_texts()), fontsize=size)


def _narrow(fig: Figure) -> None:
    """The figure as a phone shows it: narrow, every label wrapped to fit
    inside the image, long names beside the axes wrapped and shortened."""
    height = max(fig.get_size_inches()[1] * 1.15, 2.6)
    fit_names(fig, NARROW_NAME_CHARS, NARROW_NAME_LINES)
    # About as many 9 pt characters as fit across the plot, which a name
    # beside it (at most NARROW_NAME_CHARS) leaves about three quarters of.
    chars = int(NARROW_WIDTH * 72 / (9 * 0.6) * 0.7)
    for ax in fig.axes:
        for loc in ("left", "center", "right"):
            title = ax.get_title(loc)
            if len(title) > chars:
                ax.set_title(short_label(title, chars, 2), loc=loc)
        label = ax.xaxis.get_label()
        label.set_text(wrap(label.get_text(), chars))
        label.set_fontsize(9)
        # Room for a caption of more than two lines: a 9 pt line is 0.16 in.
        height += 0.16 * max(0, label.get_text().count("\n") - 1)
        ax.tick_params(labelsize=9)
        legend = ax.get_legend()
        if legend is None:
            continue
        labels = [t.get_text() for t in legend.get_texts()]
        if len(labels) > 3:
            _key_under_figure(fig, ax, ncols=2, fontsize=8)
            height += 0.25 * math.ceil(len(labels) / 2)
        else:
            for text in legend.get_texts():
                text.set_fontsize(8)
    for legend in list(fig.legends):
        texts = legend.get_texts()
        if len(texts) > 3:
            legend.remove()
            fig.legend(
                handles=legend.legend_handles,
                labels=[t.get_text() for t in texts],
                loc="outside lower center",
                ncols=2,
                frameon=False,
                fontsize=8,
            )
            height += 0.25 * math.ceil(len(texts) / 2)
        else:
            legend.set_ncols(2)
            for text in texts:
                text.set_fontsize(8)
    fig.set_size_inches(NARROW_WIDTH, height)
    for text in fig.texts:
        if isinstance(text, Text):
            text.set_text(wrap(text.get_text(), chars))


def _figure(results: Results, index: int) -> tuple[str, Figure, str, str]:
    """Chart ``index`` of :func:`charts`: its heading, the figure without its
    title, the title as text, and the note taken out of the image."""
    heading, draw = _headings(results)[index]
    fig = draw(results)
    alt = " ".join((fig.get_suptitle() or heading).split())
    note = _take_notes(fig)
    if draw is plots.cumulative_net:
        end = _bound_years(fig, results)
        if end is not None:
            note = (
                f"Years 0 to {end} are shown: by then the share of draws that have paid "
                f"back is within {100 * SETTLED:.0f} points of its share at the end of the "
                f"analysis, year {end_of(results)}."
            )
    fig.suptitle("")  # written on the page, where it wraps
    return heading, fig, alt, note


def charts(
    results: Results, dpi: int = DPI, narrow: Callable[[int], str] | None = None
) -> tuple[Chart, ...]:
    """The distribution of the run's perspective's return, value by payer and
    the cumulative net position (all value, every input) of a run's first
    scenario, drawn wide.  ``narrow`` gives the address of chart ``i`` drawn
    for a phone (:func:`narrow_png`), which a phone fetches only when it
    shows the page; without it, the narrow drawings are made here, as data
    URIs."""
    out = []
    for i in range(CHART_COUNT):
        heading, fig, alt, note = _figure(results, i)
        _wide(fig)
        wide = fitted_png_data_uri(fig, dpi)
        if narrow is not None:
            small = narrow(i)
        else:
            _narrow(fig)
            small = fitted_png_data_uri(fig, 2 * dpi)
        out.append(Chart(heading, wide, alt, small, note))
    return tuple(out)


def narrow_png(results: Results, index: int, dpi: int = DPI) -> bytes:
    """Chart ``index`` of :func:`charts` drawn for a phone, as PNG bytes:
    :data:`NARROW_WIDTH` inches wide at twice ``dpi``."""
    _, fig, _, _ = _figure(results, index)
    _narrow(fig)
    return fitted_png(fig, 2 * dpi)


__all__ = [
    "CHART_COUNT",
    "DPI",
    "NAME_CHARS",
    "NARROW_NAME_CHARS",
    "NARROW_WIDTH",
    "SETTLED",
    "Chart",
    "charts",
    "narrow_png",
    "settled_year",
    "short_label",
]
