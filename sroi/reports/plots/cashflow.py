"""The cumulative discounted net position year by year, and the payback year."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from sroi.engine.metrics import cumulative_net as _cumulative_net
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
    _tidy,
    _title,
)
from sroi.results.results import Results
from sroi.vocabulary import PROGRAMME


def _programme_base_net(results: Results) -> np.ndarray:
    nets = [_cumulative_net(results.base_flows[s.id])[0] for s in results.scenarios]
    width = max(len(n) for n in nets)
    return np.sum([np.pad(n, (0, width - len(n))) for n in nets], axis=0)


def _active_years(results: Results, names: Sequence[str]) -> int:
    """Analysis years up to the last one in which the base case or any draw of
    ``names`` still has cost or value."""
    last = 0
    for s in results.scenarios:
        f = results.base_flows[s.id]
        active = np.flatnonzero((f.cost[0] != 0) | (f.value[0] != 0))
        if active.size and (s.id in names or PROGRAMME in names):
            last = max(last, int(active[-1]))
    if results.yearly is not None:
        for name in names:
            moves = np.any(np.diff(results.yearly[name], axis=1) != 0, axis=0)
            changed = np.flatnonzero(moves)
            if changed.size:
                last = max(last, int(changed[-1]) + 1)
    return last + 1


def cumulative_net(results: Results, names: Sequence[str] | None = None) -> Figure:
    """Cumulative discounted net position (value minus cost) by year, base case
    with the 90% band of the draws, and the payback year; one panel per name.

    Sites share one y scale; the programme has its own.  x: analysis year
    (0 = first delivery year); y: currency, price year.
    """
    names = _names(results, names)
    currency, price_year = _currency(results)
    horizon = _active_years(results, names)
    cols = min(len(names), 3)
    rows = math.ceil(len(names) / cols)
    fig = _figure(1.2 + 2.6 * rows)
    axes = fig.subplots(rows, cols, squeeze=False)
    years = np.arange(horizon)
    first_site: Axes | None = None
    for i, ax in enumerate(axes.flat):
        if i >= len(names):
            ax.set_visible(False)
            continue
        name = names[i]
        if name != PROGRAMME:
            if first_site is None:
                first_site = ax
            else:
                ax.sharey(first_site)
        colour = _colour(results, name)
        if name == PROGRAMME:
            base = _programme_base_net(results)[:horizon]
        else:
            base = _cumulative_net(results.base_flows[name])[0][:horizon]
        base = np.pad(base, (0, horizon - len(base)), mode="edge")
        if results.yearly is not None:
            draws = results.yearly[name][:, :horizon]
            p5, p95 = np.percentile(draws, [5.0, 95.0], axis=0)
            ax.fill_between(years, p5, p95, color=colour, alpha=0.18, linewidth=0, label="90% band")
        ax.plot(years, base, color=colour, marker="o", linewidth=2, label="Base case")
        ax.axhline(0.0, color="#333333", linewidth=1)
        payback = results.base_value("payback_year", name)
        if math.isfinite(payback):
            ax.axvline(payback, color=colour, linestyle=":", linewidth=1.5)
            ax.text(
                payback,
                0.97,
                f" pays back in year {payback:.0f}",
                transform=ax.get_xaxis_transform(),
                va="top",
                fontsize=_SMALL,
            )
        ax.set_title(_label(results, name), fontsize=_TEXT, loc="left")
        ax.set_xticks(years)
        ax.yaxis.set_major_formatter(_money_axis(currency))
        if i % cols == 0 or name == PROGRAMME:
            ax.set_ylabel(f"Cumulative net PV [{currency}, {price_year} prices]", fontsize=_SMALL)
        if i >= len(names) - cols:
            ax.set_xlabel("Year (0 = first year of delivery)", fontsize=_SMALL)
        _tidy(ax, grid="y")
    axes.flat[0].legend(fontsize=_SMALL, frameon=False, loc="lower right")
    _title(fig, _payback_title(results, names[-1]))
    return fig


def _payback_title(results: Results, name: str) -> str:
    payback = results.base_value("payback_year", name)
    who = _label(results, name)
    head = (
        f"{who} pays back in year {payback:.0f} in the base case"
        if math.isfinite(payback)
        else f"{who} does not pay back within the horizon in the base case"
    )
    if results.draws:
        prob = results.probabilities(name)["prob_payback"]
        head += f"; {style.share(prob)} of draws pay back within the horizon"
    return head
