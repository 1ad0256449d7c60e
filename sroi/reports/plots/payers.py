"""Who receives the value: expected value PV per site, stacked by payer."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from sroi.reports import style
from sroi.reports.plots._chart import (
    _TEXT,
    Names,
    _canvas,
    _currency,
    _lead,
    _lead_words,
    _legend_below,
    _money_axis,
    _names,
    _plain,
    _side_label,
    _tidy,
    _title,
    _unit,
)
from sroi.results.results import Results
from sroi.vocabulary import PAYERS, PROGRAMME, PUBLIC_PAYERS


def value_by_payer(results: Results, names: Names = None, *, ax: Axes | None = None) -> Figure:
    """Value PV per site and for the programme, stacked by who receives it,
    with each bar's cost PV marked for comparison: expected values across
    draws (the base case when the run has none).

    x: present value [currency, price year]; one bar per site, then the
    programme (all sites together) when there is more than one site.  The
    programme bar sits apart, below a gap, since it is the sites' sum.
    ``ax``: draw into this axes of the caller's figure (the conclusion
    becomes its title) and return that figure.

    >>> import sroi
    >>> results = sroi.run("scenarios/family_action_pss", draws=0)
    >>> fig = value_by_payer(results)
    >>> [t.get_text() for t in fig.axes[0].get_yticklabels()][-1]
    'Programme'
    """
    names = _names(results, names)
    currency, price_year = _currency(results)
    fig, given = _canvas(ax, 1.6 + 0.62 * len(names))
    ax = given or fig.subplots()
    y = _rows(names)
    left = np.zeros(len(names))
    for payer in PAYERS:
        widths = np.array([_lead(results, f"value_pv_by_payer.{payer}", n) for n in names])
        if not np.any(widths):
            continue
        ax.barh(
            y,
            widths,
            left=left,
            height=0.62,
            color=style.PAYER_COLOURS[payer],
            label=style.PAYER_LABELS[payer],
            edgecolor=[_edge(n) for n in names],
            linewidth=[1.6 if n == PROGRAMME else 0.8 for n in names],
        )
        left = left + widths
    costs = [_lead(results, "cost_pv", n) for n in names]
    ax.scatter(costs, y, marker="|", s=900, color="black", linewidths=2.5, zorder=3)
    if PROGRAMME in names and len(names) > 1:
        ax.axhline(y[-1] + 0.75, color="#999999", linewidth=0.8)
    handles, _ = ax.get_legend_handles_labels()
    handles.append(_cost_marker())
    ax.set_yticks(y, [_side_label(results, n) for n in names], fontsize=_TEXT)
    for tick, name in zip(ax.get_yticklabels(), names, strict=True):
        tick.set_fontweight("bold" if name == PROGRAMME else "normal")
    ax.xaxis.set_major_formatter(_money_axis(currency))
    ax.set_xlabel(
        f"Present value, {_lead_words(results)} [{_unit(currency)}, {price_year} prices]",
        fontsize=_TEXT,
    )
    _legend_below(ax, handles, given, len(names))
    _tidy(ax)
    _title(fig, _payer_title(results), given)
    return _plain(fig, given)


def _rows(names: Sequence[str]) -> np.ndarray:
    """Bar positions, top to bottom; the programme bar a little apart."""
    y = np.arange(len(names), dtype=float)[::-1].copy()
    if PROGRAMME in names and len(names) > 1:
        y[list(names).index(PROGRAMME)] -= 0.5
    return y


def _edge(name: str) -> str:
    return "black" if name == PROGRAMME else "white"


def _payer_title(results: Results) -> str:
    total = _lead(results, "value_pv", PROGRAMME)
    shares = {
        p: _lead(results, f"value_pv_by_payer.{p}", PROGRAMME) / total if total else 0.0
        for p in PAYERS
    }
    ranked = sorted(PAYERS, key=lambda p: -shares[p])
    first, second = ranked[0], ranked[1]
    # Rounded as the summary card rounds them, so the two agree.
    percents = style.payer_percents(shares)
    public = sum(percents[p] for p in PUBLIC_PAYERS)
    return (
        f"{style.PAYER_LABELS[first]} receive {percents[first]}% of the value and "
        f"{PAYERS[second].phrase} {percents[second]}%; the public sector {public}%"
    )


def _cost_marker() -> Any:
    from matplotlib.lines import Line2D

    return Line2D(
        [],
        [],
        marker="|",
        color="black",
        markersize=14,
        markeredgewidth=2.5,
        linestyle="none",
        label="Cost PV",
    )
