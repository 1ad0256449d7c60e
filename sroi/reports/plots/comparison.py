"""Sites side by side: unit cost and SROI ratio with their 90% intervals."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from sroi.reports import style
from sroi.reports.plots._chart import (
    _SMALL,
    _TEXT,
    Names,
    _canvas,
    _colour,
    _currency,
    _fit,
    _label,
    _lead,
    _lead_words,
    _money_axis,
    _names,
    _p,
    _plain,
    _pounds,
    _room,
    _side_label,
    _tidy,
    _title,
    _unit,
)
from sroi.results.results import Results
from sroi.vocabulary import PERSPECTIVES, PROGRAMME

#: The metrics the comparison can show, in panel order.
PANELS = ("unit_cost", "sroi_ratio")


def site_comparison(
    results: Results,
    names: Names = None,
    *,
    metric: str | None = None,
    ax: Axes | None = None,
) -> Figure:
    """Sites side by side: unit cost and SROI ratio, the expected value
    across draws (dot; the base case without draws) with the 90% interval of
    the draws (line), sorted by that ratio.

    Left x: currency per woman supported; right x: SROI ratio.  ``metric``
    (``"unit_cost"`` or ``"sroi_ratio"``) draws that panel alone.  ``ax``:
    draw one panel (``metric``, default the SROI ratio) into this axes of
    the caller's figure and return that figure.
    """
    if metric is not None and metric not in PANELS:
        raise ValueError(f"metric must be one of {', '.join(PANELS)}; found {metric!r}")
    if ax is not None and metric is None:
        metric = "sroi_ratio"
    shown = PANELS if metric is None else (metric,)
    names = _names(results, names)
    currency, price_year = _currency(results)
    sites = [n for n in names if n != PROGRAMME]
    order = sorted(sites, key=lambda n: -_lead(results, "sroi_ratio", n))
    if PROGRAMME in names:
        order.append(PROGRAMME)
    fig, given = _canvas(ax, 1.6 + 0.55 * len(order))
    panels = (
        [given]
        if given is not None
        else list(fig.subplots(1, len(shown), sharey=True, squeeze=False)[0])
    )
    axes = dict(zip(shown, panels, strict=True))
    y = np.arange(len(order))[::-1]
    for metric_name, panel in axes.items():
        for yi, name in zip(y, order, strict=True):
            colour = _colour(results, name)
            lead = _lead(results, metric_name, name)
            if results.draws:
                v = results.metric(metric_name, name)
                panel.plot([_p(v, 5), _p(v, 95)], [yi, yi], color=colour, linewidth=3, alpha=0.55)
            panel.plot([lead], [yi], "o", color=colour, markersize=8)
        _tidy(panel)
        panel.set_xlim(left=0)
    beside = [_side_label(results, n) for n in order]
    panels[0].set_yticks(y, beside, fontsize=_TEXT)
    # Each caption fits under its own panel, clear of its neighbour's.
    room = 0.92 * _room(beside, fig.get_figwidth()) / len(panels) if given is None else 99.0
    if "unit_cost" in axes:
        left = axes["unit_cost"]
        left.xaxis.set_major_formatter(_money_axis(currency))
        left.set_xlabel(
            _fit(
                f"Unit cost [{_unit(currency)} per woman supported, {price_year} prices]",
                room,
                _TEXT,
                bold=False,
            ),
            fontsize=_TEXT,
        )
    if "sroi_ratio" in axes:
        right = axes["sroi_ratio"]
        right.axvline(1.0, color="#333333", linestyle="--", linewidth=1)
        social = PERSPECTIVES["society"].ratio_label
        right.set_xlabel(
            _fit(
                f"{social} [{_unit(currency)} of value per {_pounds(currency)} of cost]",
                room,
                _TEXT,
                bold=False,
            ),
            fontsize=_TEXT,
        )
    if not sites:
        _title(fig, "No sites to compare", given)
        return _plain(fig, given)
    # The title leads with what to expect across draws, as every headline does.
    ratio = {n: _lead(results, "sroi_ratio", n) for n in sites}
    unit = {n: _lead(results, "unit_cost", n) for n in sites}
    best = max(sites, key=lambda n: ratio[n])
    social = PERSPECTIVES["society"].ratio_phrase
    cheapest = min(sites, key=lambda n: unit[n])
    ratio_text = f"{style.symbol(currency)}{style.ratio(ratio[best])}"
    cost_text = style.money(unit[cheapest], currency)
    if best == cheapest:
        title = (
            f"{_label(results, best)} has both the highest {social} ({ratio_text} per "
            f"{_pounds(currency)}) and the lowest cost per woman ({cost_text})"
        )
    else:
        title = (
            f"{_label(results, best)} has the highest {social} ({ratio_text} per "
            f"{_pounds(currency)}); {_label(results, cheapest)} the lowest cost per woman "
            f"({cost_text})"
        )
    if results.draws and len(sites) > 1:
        title += "; the 90% intervals overlap" if _overlap(results, sites) else ""
    words = _lead_words(results)
    handles = [_dot(words[0].upper() + words[1:]), _bar_line("90% of draws")]
    if given is None:
        fig.legend(
            handles=handles, fontsize=_SMALL, frameon=False, loc="outside lower center", ncols=2
        )
    else:
        given.legend(handles=handles, fontsize=_SMALL, frameon=False, loc="lower right")
    _title(fig, title, given)
    return _plain(fig, given)


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
