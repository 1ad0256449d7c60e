"""Who receives the value: base-case value PV per site, stacked by payer."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from matplotlib.figure import Figure

from sroi.reports import style
from sroi.reports.plots._chart import (
    _SMALL,
    _TEXT,
    _currency,
    _figure,
    _label,
    _money_axis,
    _names,
    _tidy,
    _title,
)
from sroi.results.results import Results
from sroi.vocabulary import PAYERS, PROGRAMME, PUBLIC_PAYERS


def value_by_payer(results: Results, names: Sequence[str] | None = None) -> Figure:
    """Base-case value PV per site, stacked by who receives it, with each
    site's cost PV marked for comparison.

    x: present value [currency, price year]; one bar per site.
    """
    names = _names(results, names, programme=False)
    currency, price_year = _currency(results)
    fig = _figure(1.6 + 0.62 * len(names))
    ax = fig.subplots()
    y = np.arange(len(names))[::-1]
    left = np.zeros(len(names))
    for payer in PAYERS:
        widths = np.array([results.base_value(f"value_pv_by_payer.{payer}", n) for n in names])
        if not np.any(widths):
            continue
        ax.barh(
            y,
            widths,
            left=left,
            height=0.62,
            color=style.PAYER_COLOURS[payer],
            label=style.PAYER_LABELS[payer],
            edgecolor="white",
            linewidth=0.8,
        )
        left = left + widths
    costs = [results.base_value("cost_pv", n) for n in names]
    ax.scatter(costs, y, marker="|", s=900, color="black", linewidths=2.5, zorder=3)
    handles, _ = ax.get_legend_handles_labels()
    handles.append(_cost_marker())
    ax.set_yticks(y, [_label(results, n) for n in names], fontsize=_TEXT)
    ax.xaxis.set_major_formatter(_money_axis(currency))
    ax.set_xlabel(f"Present value, base case [{currency}, {price_year} prices]", fontsize=_TEXT)
    ax.legend(
        handles=handles,
        loc="upper center",
        bbox_to_anchor=(0.5, -0.22 if len(names) > 2 else -0.35),
        ncols=6,
        frameon=False,
        fontsize=_SMALL,
    )
    _tidy(ax)
    total = results.base_value("value_pv", PROGRAMME)
    shares = {
        p: results.base_value(f"value_pv_by_payer.{p}", PROGRAMME) / total if total else 0.0
        for p in PAYERS
    }
    ranked = sorted(PAYERS, key=lambda p: -shares[p])
    first, second = ranked[0], ranked[1]
    public = sum(shares[p] for p in PUBLIC_PAYERS)
    _title(
        fig,
        f"{style.PAYER_LABELS[first]} receive {style.share(shares[first])} of the value and "
        f"{style.PAYER_LABELS[second].lower()} {style.share(shares[second])}; "
        f"the public sector {style.share(public)}",
    )
    return fig


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
