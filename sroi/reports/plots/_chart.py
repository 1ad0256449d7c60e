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
from matplotlib.ticker import FuncFormatter

from sroi.reports import style
from sroi.results.results import Results
from sroi.vocabulary import PROGRAMME

_WIDTH = 9.0  # inches
_TITLE = 12.5
_TEXT = 10.0
_SMALL = 9.0


def _figure(height: float, width: float = _WIDTH) -> Figure:
    return Figure(figsize=(width, height), layout="constrained", dpi=100)


def _title(fig: Figure, text: str) -> None:
    wrapped = "\n".join(textwrap.wrap(text, 88))
    fig.suptitle(wrapped, x=0.01, ha="left", fontsize=_TITLE, fontweight="bold")


def _tidy(ax: Axes, grid: Literal["x", "y", "both", ""] = "x") -> None:
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.tick_params(labelsize=_SMALL)
    if grid:
        ax.grid(axis=grid, color="#DDDDDD", linewidth=0.8)
        ax.set_axisbelow(True)


def _currency(results: Results) -> tuple[str, int]:
    if not results.scenarios:
        return "GBP", 0
    s = results.scenarios[0]
    return s.currency, s.price_year


def _money_axis(currency: str) -> FuncFormatter:
    return FuncFormatter(lambda x, _pos: style.short_money(x, currency))


def _names(results: Results, names: Sequence[str] | None, programme: bool = True) -> list[str]:
    if names is not None:
        return list(names)
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


def _colour(results: Results, name: str) -> str:
    if name == PROGRAMME:
        return style.PROGRAMME_COLOUR
    ids = [s.id for s in results.scenarios]
    return style.SERIES[ids.index(name) % len(style.SERIES)] if name in ids else style.SERIES[0]


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
