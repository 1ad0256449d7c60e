"""Sites side by side: unit cost and SROI ratio with their 90% intervals."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from matplotlib.figure import Figure

from sroi.reports import style
from sroi.reports.plots._chart import (
    _SMALL,
    _TEXT,
    _colour,
    _currency,
    _figure,
    _label,
    _money_axis,
    _names,
    _p,
    _pounds,
    _tidy,
    _title,
)
from sroi.results.results import Results
from sroi.vocabulary import PROGRAMME


def site_comparison(results: Results, names: Sequence[str] | None = None) -> Figure:
    """Sites side by side: unit cost and SROI ratio, base case (dot) with the
    90% interval of the draws (line), sorted by base-case ratio.

    Left x: currency per woman supported; right x: SROI ratio.
    """
    names = _names(results, names)
    currency, price_year = _currency(results)
    sites = [n for n in names if n != PROGRAMME]
    order = sorted(sites, key=lambda n: -results.base_value("sroi_ratio", n))
    if PROGRAMME in names:
        order.append(PROGRAMME)
    fig = _figure(1.6 + 0.55 * len(order))
    left, right = fig.subplots(1, 2, sharey=True)
    y = np.arange(len(order))[::-1]
    for ax, metric in ((left, "unit_cost"), (right, "sroi_ratio")):
        for yi, name in zip(y, order, strict=True):
            colour = _colour(results, name)
            base = results.base_value(metric, name)
            if results.draws:
                v = results.metric(metric, name)
                ax.plot([_p(v, 5), _p(v, 95)], [yi, yi], color=colour, linewidth=3, alpha=0.55)
            ax.plot([base], [yi], "o", color=colour, markersize=8)
        _tidy(ax)
    left.set_yticks(y, [_label(results, n) for n in order], fontsize=_TEXT)
    left.xaxis.set_major_formatter(_money_axis(currency))
    left.set_xlabel(f"Unit cost [{currency} per woman supported, {price_year} prices]")
    left.set_xlim(left=0)
    right.axvline(1.0, color="#333333", linestyle="--", linewidth=1)
    s = style.symbol(currency).strip()
    right.set_xlabel(f"SROI ratio [{s} of value per {_pounds(currency)} of cost]")
    right.set_xlim(left=0)
    if not sites:
        _title(fig, "No sites to compare")
        return fig
    best = order[0]
    cheapest = min(sites, key=lambda n: results.base_value("unit_cost", n))
    ratio_text = f"{style.symbol(currency)}{style.ratio(results.base_value('sroi_ratio', best))}"
    cost_text = style.money(results.base_value("unit_cost", cheapest), currency)
    if best == cheapest:
        title = (
            f"{_label(results, best)} has both the highest return ({ratio_text} per "
            f"{_pounds(currency)}) and the lowest cost per woman ({cost_text})"
        )
    else:
        title = (
            f"{_label(results, best)} has the highest return ({ratio_text} per "
            f"{_pounds(currency)}); {_label(results, cheapest)} the lowest cost per woman "
            f"({cost_text})"
        )
    if results.draws and len(sites) > 1:
        title += "; the 90% intervals overlap" if _overlap(results, sites) else ""
    fig.legend(
        handles=[_dot("Base case"), _bar_line("90% of draws")],
        fontsize=_SMALL,
        frameon=False,
        loc="outside lower center",
        ncols=2,
    )
    _title(fig, title)
    return fig


def _overlap(results: Results, sites: Sequence[str]) -> bool:
    lows = [_p(results.metric("sroi_ratio", n), 5) for n in sites]
    highs = [_p(results.metric("sroi_ratio", n), 95) for n in sites]
    return max(lows) <= min(highs)


def _dot(label: str) -> Any:
    from matplotlib.lines import Line2D

    return Line2D([], [], marker="o", color="#555555", linestyle="none", label=label)


def _bar_line(label: str) -> Any:
    from matplotlib.lines import Line2D

    return Line2D([], [], color="#555555", linewidth=3, alpha=0.55, label=label)
