"""Keeping a chart's words inside its image: long names beside the axes
wrapped and shortened, keys laid out in as many columns as fit, and captions
and titles rewrapped until they lie inside the figure.

Shared by the report's charts and the web page's (:mod:`sroi.app.charts`).
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from typing import Any

from matplotlib.figure import Figure
from matplotlib.text import Text

#: Longest line of a name beside a chart's axes [characters], and most lines:
#: a long name is wrapped (a long word broken) and, past the last line,
#: shortened with an ellipsis, so the plot keeps its width.
NAME_CHARS, NAME_LINES = 24, 3


def short_label(text: str, chars: int = NAME_CHARS, lines: int = NAME_LINES) -> str:
    r"""``text`` wrapped to ``chars`` a line (a word longer than that broken),
    at most ``lines`` lines, the last ending in "…" when text is left out.

    >>> short_label("Bournemouth, Christchurch and Poole", 12, 3)
    'Bournemouth,\nChristchurch\nand Poole'
    >>> short_label("A" * 80, 12, 2)
    'AAAAAAAAAAAA\nAAAAAAAAAAA…'
    """
    wrapped = textwrap.wrap(" ".join(text.split()), chars, break_on_hyphens=True) or [""]
    if len(wrapped) > lines:
        wrapped = wrapped[:lines]
        wrapped[-1] = wrapped[-1][: chars - 1].rstrip(" ,;:") + "…"
    return "\n".join(wrapped)


def wrap(text: str, chars: int) -> str:
    """Each line of ``text`` filled to at most ``chars`` characters."""
    return "\n".join(textwrap.fill(line, chars) for line in text.split("\n"))


def text_width(text: str, size: float, bold: bool = False) -> float:
    """Width of the widest line of ``text`` at font ``size`` [points],
    measured with the font itself [inches]."""
    from matplotlib.backends.backend_agg import RendererAgg
    from matplotlib.font_manager import FontProperties

    renderer = RendererAgg(1, 1, 72)  # at 72 dpi, pixels are points
    font = FontProperties(size=size, weight="bold" if bold else "normal")
    lines = text.split("\n") or [""]
    return max(renderer.get_text_width_height_descent(x, font, ismath=False)[0] for x in lines) / 72


def key_columns(labels: Sequence[str], width: float, size: float) -> int:
    """How many columns of a key of ``labels`` at font ``size`` [points] fit
    across ``width`` [inches]: every column as wide as the widest entry
    (marker, gap and text), as matplotlib lays a key out; at least one."""
    em = size / 72  # inches
    for ncols in range(len(labels), 1, -1):
        rows = -(-len(labels) // ncols)
        columns = [labels[i * rows : (i + 1) * rows] for i in range(ncols)]
        # Each column: its widest text, the marker and the gap after it (2.8
        # em); 2 em between columns and about 1 em of border each side.
        used = sum(max(text_width(t, size) for t in c) + 2.8 * em for c in columns if c)
        if used + 2.0 * em * (ncols - 1) + 2.0 * em <= width:
            return ncols
    return 1


def fit_names(fig: Figure, chars: int = NAME_CHARS, lines: int = NAME_LINES) -> None:
    """Wrap and shorten the names beside each axes of ``fig``: tick labels of
    the y axis and a y-axis label written across."""
    for ax in fig.axes:
        ticks = ax.get_yticklabels()
        texts = [t.get_text() for t in ticks]
        if any(len(line) > chars for t in texts for line in t.split("\n")):
            ax.yaxis.set_ticks(ax.get_yticks(), [short_label(t, chars, lines) for t in texts])
        label = ax.yaxis.get_label()
        if label.get_rotation() == 0 and any(
            len(line) > chars for line in label.get_text().split("\n")
        ):
            label.set_text(short_label(label.get_text(), chars, lines))


def key_under_figure(fig: Figure, legend: Any, ncols: int, fontsize: float) -> None:
    """Move ``legend`` (an axes' key, or the figure's) under the whole
    figure, in ``ncols`` columns: centred on the figure, not on axes that a
    name beside them has pushed to the right."""
    labels = [t.get_text() for t in legend.get_texts()]
    legend.remove()
    fig.legend(
        handles=legend.legend_handles,
        labels=labels,
        loc="outside lower center",
        ncols=ncols,
        frameon=False,
        fontsize=fontsize,
    )


def contain(fig: Figure, tries: int = 4) -> bool:
    """Rewrap each axes' caption (its x-axis label) and title more narrowly
    until they lie inside the image and beside, not over, the next panel's:
    they start at or are centred on the axes, which a name beside them
    pushes to the right.  True when the figure's last layout is still
    current (nothing was rewrapped after it)."""
    for _ in range(tries):
        fig.draw_without_rendering()
        width = fig.bbox.width
        out = False
        for ax in fig.axes:
            if not ax.get_visible():
                continue
            # A panel's words may reach as far as the image's edges, or the
            # panels beside it on the same row.
            left, right = 0.0, width
            box = ax.get_position()
            for other in fig.axes:
                there = other.get_position()
                if other is ax or not other.get_visible():
                    continue
                if there.y0 < box.y1 and there.y1 > box.y0:  # the same row
                    if there.x0 >= box.x1:
                        right = min(right, there.x0 * width)
                    elif there.x1 <= box.x0:
                        left = max(left, there.x1 * width)
            titles = [getattr(ax, f"_{loc}_title", None) for loc in ("left", "right")]
            for label in (ax.xaxis.get_label(), ax.title, *titles):
                if not isinstance(label, Text) or not label.get_text():
                    continue
                text = label.get_text()
                extent = label.get_window_extent()
                if extent.x0 < left - 1 or extent.x1 > right + 1:
                    longest = max(len(line) for line in text.split("\n"))
                    share = (right - max(extent.x0, left)) / max(extent.width, 1.0)
                    if label is ax.xaxis.get_label():  # centred: both sides shrink
                        share = (right - left) / max(extent.width, 1.0)
                    chars = max(8, int(longest * min(share, 1.0) * 0.85))
                    label.set_text(wrap(text, chars))
                    out = True
        if not out:
            return True
    return False


__all__ = [
    "NAME_CHARS",
    "NAME_LINES",
    "contain",
    "fit_names",
    "key_columns",
    "key_under_figure",
    "short_label",
    "text_width",
    "wrap",
]
