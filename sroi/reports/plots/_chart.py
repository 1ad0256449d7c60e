"""What every chart shares: the figure and its title, tidy axes, money ticks,
the series' names and colours, percentiles and legend patches."""

from __future__ import annotations

import math
import textwrap
from collections.abc import Sequence
from typing import Any, Literal

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.text import Text
from matplotlib.ticker import FuncFormatter

from sroi.reports import style
from sroi.reports.plots.fitting import key_columns, short_label, text_width
from sroi.results.results import Results
from sroi.vocabulary import PROGRAMME

_WIDTH = 9.0  # inches
_TITLE = 12.5
_TEXT = 10.0
_SMALL = 9.0


class PlainTextFigure(Figure):
    """A figure whose every text is drawn as written: names from a scenario
    (``Costs $5 and $6``, ``$\\undefined$``) never reach the maths parser."""

    def draw(self, renderer: Any) -> None:
        """Draw with maths parsing off, tick labels made during the draw included."""
        from matplotlib import rc_context
        from matplotlib.text import Text

        with rc_context({"text.parse_math": False}):
            for artist in self.findobj(Text):
                artist.set_parse_math(False)
            super().draw(renderer)


def _plain(fig: Figure, given: Axes | None) -> Figure:
    """``fig``, after switching maths parsing off on every text a chart drew in
    the caller's axes ``given``: names from a scenario (``Costs $5 and $6``,
    ``{a}\\b``) are shown as written in any figure, not only in the
    :class:`PlainTextFigure` a chart makes for itself.

    Tick labels are made first so that they are covered too; the ticks of a
    name axis are fixed, so the draw reuses these same labels.
    """
    if given is None or isinstance(fig, PlainTextFigure):
        return fig
    given.get_xticklabels()
    given.get_yticklabels()
    for artist in given.findobj(Text):
        artist.set_parse_math(False)
    return fig


def _figure(height: float, width: float = _WIDTH) -> Figure:
    return PlainTextFigure(figsize=(width, height), layout="constrained", dpi=100)


def _canvas(ax: Axes | None, height: float) -> tuple[Figure, Axes | None]:
    """A new chart figure of ``height`` inches, or the figure of the caller's
    ``ax`` (then the chart draws into ``ax`` and leaves the rest alone)."""
    if ax is None:
        return _figure(height), None
    return _root(ax), ax


def _root(ax: Axes) -> Figure:
    """The top-level figure ``ax`` is drawn in."""
    return ax.get_figure(root=True)  # type: ignore[return-value]


def _width(ax: Axes) -> float:
    """Width of ``ax`` as placed so far [inches]."""
    return float(ax.get_position().width * _root(ax).get_figwidth())


def _legend_below(ax: Axes, handles: list[Any], given: Axes | None, rows: int) -> None:
    """A key under the chart: in a chart's own figure, centred under the
    whole figure in as many columns as fit its width; in a caller's axes, in
    two columns under that axes."""
    if given is None:
        fig = _root(ax)
        labels = [str(h.get_label()) for h in handles]
        fig.legend(
            handles=handles,
            loc="outside lower center",
            ncols=key_columns(labels, 0.95 * fig.get_figwidth(), _SMALL),
            frameon=False,
            fontsize=_SMALL,
        )
        return
    ax.legend(
        handles=handles,
        loc="upper center",
        bbox_to_anchor=(0.5, -0.22 if rows > 2 else -0.35),
        ncols=2,
        frameon=False,
        fontsize=_SMALL,
    )


def _extent(text: Text) -> float:
    """Width of ``text`` in its font [inches]."""
    from matplotlib.backends.backend_agg import RendererAgg

    renderer = RendererAgg(1, 1, 72)
    lines = text.get_text().split("\n")
    font = text.get_fontproperties()
    return max(renderer.get_text_width_height_descent(x, font, ismath=False)[0] for x in lines) / 72


def _fit(text: str, width: float, size: float, bold: bool = True) -> str:
    """``text`` broken into lines no wider than ``width`` [inches] at font
    ``size`` [points], measured with the font itself; a word wider than that
    on its own is broken too."""
    from matplotlib.backends.backend_agg import RendererAgg
    from matplotlib.font_manager import FontProperties

    renderer = RendererAgg(1, 1, 72)  # at 72 dpi, pixels are points
    font = FontProperties(size=size, weight="bold" if bold else "normal")

    def wide(line: str) -> bool:
        return renderer.get_text_width_height_descent(line, font, ismath=False)[0] > 72 * width

    def pieces(word: str) -> list[str]:
        out = [""]
        for char in word:
            if out[-1] and wide(out[-1] + char):
                out.append("")
            out[-1] += char
        return out

    lines: list[str] = []
    for word in text.split():
        if lines and not wide(f"{lines[-1]} {word}"):
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.extend(pieces(word) if wide(word) else [word])
    return "\n".join(lines)


def _title(fig: Figure, text: str, ax: Axes | None = None) -> None:
    """The chart's conclusion: the figure's title, or with the caller's ``ax``
    that axes' title (the caller's figure title is theirs)."""
    if ax is None:
        width = 0.97 * fig.get_figwidth()
        fig.suptitle(
            _fit(text, width, _TITLE), x=0.01, ha="left", fontsize=_TITLE, fontweight="bold"
        )
        return
    # The layout will move the axes right to make room for its tick labels.
    width = 0.92 * _width(ax) - max([0.0, *(_extent(t) for t in ax.get_yticklabels())]) - 0.3
    ax.set_title(_fit(text, max(width, 1.0), _TEXT), loc="left", fontsize=_TEXT, fontweight="bold")


def _tidy(ax: Axes, grid: Literal["x", "y", "both", ""] = "x") -> None:
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.tick_params(labelsize=_SMALL)
    if grid:
        ax.grid(axis=grid, color="#DDDDDD", linewidth=0.8)
        ax.set_axisbelow(True)


def _currency(results: Results) -> tuple[str, str]:
    """The run's currency and its price year as a financial year, "FY 2011-12"."""
    from sroi.prices import financial_year

    if not results.scenarios:
        return "GBP", ""
    s = results.scenarios[0]
    return s.currency, f"FY {financial_year(s.price_year)}"


def _unit(currency: str) -> str:
    """The currency as an axis label writes it, as its ticks do: "£", or the
    code ("CHF") when it has no symbol of its own."""
    return style.symbol(currency).strip()


def _money_axis(currency: str) -> FuncFormatter:
    return FuncFormatter(lambda x, _pos: style.axis_money(x, currency))


#: The scenarios a chart shows: one id, several, or None for its default.
Names = str | Sequence[str] | None


def _names(results: Results, names: Names, programme: bool = True) -> list[str]:
    """The ids asked for (one id alone is one name, not its letters), each
    checked: a ``KeyError`` names the ids the results hold."""
    if names is not None:
        asked = [names] if isinstance(names, str) else list(names)
        for name in asked:
            if not isinstance(name, str) or name not in results.base:
                held = ", ".join(results.names)
                raise KeyError(f"no scenario {name!r} in these results; expected one of {held}")
        return asked
    out = [s.id for s in results.scenarios]
    if programme and len(out) > 1:
        out.append(PROGRAMME)
    return out


def _label(results: Results, name: str) -> str:
    if name == PROGRAMME:
        return "Programme"
    for s in results.scenarios:
        if s.id == name:
            return style.short_name(s.name)
    return name


def _side_label(results: Results, name: str) -> str:
    """The name of ``name`` as written beside an axes: wrapped to at most
    :data:`~sroi.reports.plots.fitting.NAME_CHARS` characters a line (a long
    word broken), so a long name leaves the plot its width."""
    return short_label(_label(results, name))


def _room(names: Sequence[str], width: float, size: float = _TEXT) -> float:
    """Width left for the plot [inches] in a figure ``width`` inches wide
    when ``names`` are written beside its axes at font ``size`` [points]."""
    beside = max((text_width(n, size) for n in names), default=0.0)
    return max(width - beside - 0.35, 1.0)


def _colour(results: Results, name: str) -> str:
    if name == PROGRAMME:
        return style.PROGRAMME_COLOUR
    ids = [s.id for s in results.scenarios]
    return style.SERIES[ids.index(name) % len(style.SERIES)] if name in ids else style.SERIES[0]


def _lead(results: Results, metric: str, name: str) -> float:
    """The number a chart leads with: the expected value of ``metric`` across
    draws (:meth:`Results.expected`), or the base case when there are none."""
    if not results.draws:
        return results.base_value(metric, name)
    return results.expected(metric, name)


def _lead_words(results: Results) -> str:
    """What :func:`_lead` gives, in words for an axis label or a legend."""
    return "expected across draws" if results.draws else "base case"


def _need_draws(results: Results) -> None:
    if not results.draws:
        raise ValueError("this chart needs Monte Carlo draws; the run has draws=0")


def _p(values: np.ndarray, q: float) -> float:
    finite = values[np.isfinite(values)]
    return float(np.percentile(finite, q)) if finite.size else math.nan


def _pounds(currency: str) -> str:
    return f"{style.symbol(currency)}1" if len(style.symbol(currency)) == 1 else f"1 {currency}"


def _patch(colour: str, label: str, hatch: str = "") -> Any:
    from matplotlib.patches import Patch

    return Patch(facecolor=colour, label=label, hatch=hatch, edgecolor="white")


def nothing_to_show(title: str, reason: str, ax: Axes | None = None) -> Figure:
    """A small chart that says, in words, why there is nothing to draw; in the
    caller's ``ax`` when given (its figure is returned).

    >>> fig = nothing_to_show("SROI ratio", "The scenario has no cost.")
    >>> [t.get_text() for t in fig.texts][-1]
    'The scenario has no cost.'
    """
    words = "\n".join(textwrap.wrap(reason, 100 if ax is None else 60))
    if ax is not None:
        ax.set_axis_off()
        _title(_root(ax), title, ax)
        ax.text(0.0, 0.5, words, fontsize=_TEXT, va="center", transform=ax.transAxes)
        return _plain(_root(ax), ax)
    fig = _figure(1.6)
    _title(fig, title)
    fig.text(0.01, 0.35, words, fontsize=_TEXT, va="center")
    return fig
