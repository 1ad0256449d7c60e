"""How the SROI ratio is spread across the draws."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from sroi.reports import style
from sroi.reports.plots._chart import (
    _SMALL,
    _TEXT,
    _canvas,
    _colour,
    _currency,
    _label,
    _names,
    _need_draws,
    _p,
    _pounds,
    _tidy,
    _title,
    nothing_to_show,
)
from sroi.results.results import Results
from sroi.vocabulary import PROGRAMME


def sroi_distribution(
    results: Results, names: Sequence[str] | None = None, *, ax: Axes | None = None
) -> Figure:
    """Distribution of the SROI ratio across draws, one panel per site (and the
    programme), with the base case, the 90% interval and break-even at 1.

    x: SROI ratio [currency of value per unit of cost]; y: share of draws.
    ``ax``: draw into this axes of the caller's figure instead, every name in
    the one panel (default: the programme, or the only site), and return
    that figure.  Needs draws.
    """
    _need_draws(results)
    if ax is not None and names is None:
        names = [PROGRAMME if len(results.scenarios) > 1 else results.scenarios[0].id]
    names = _names(results, names)
    currency, _ = _currency(results)
    data = {n: results.metric("sroi_ratio", n) for n in names}
    everything = np.concatenate([v[np.isfinite(v)] for v in data.values()])
    if everything.size == 0:
        return nothing_to_show(
            "SROI ratio: undefined in every draw",
            "The SROI ratio (value per unit of cost) is undefined in every draw: the cost "
            "present value is zero, so there is no ratio to plot. See the headline table for "
            "the value and the NPV.",
            ax,
        )
    lo = min(0.0, float(np.percentile(everything, 0.5)))
    hi = max(1.5, float(np.percentile(everything, 99.5)))
    bins = np.linspace(lo, hi, 60).tolist()
    fig, given = _canvas(ax, 1.0 + 1.15 * len(names))
    if given is None:
        axes = list(fig.subplots(len(names), 1, sharex=True, squeeze=False)[:, 0])
    else:
        axes = [given] * len(names)
    for i, (ax, name) in enumerate(zip(axes, names, strict=True)):
        v = data[name][np.isfinite(data[name])]
        colour = _colour(results, name)
        weights = np.full(v.size, 1.0 / max(v.size, 1))
        ax.hist(v, bins=bins, weights=weights, color=colour, alpha=0.35)
        ax.hist(v, bins=bins, weights=weights, color=colour, histtype="step")
        p5, p95 = _p(v, 5), _p(v, 95)
        ax.axvspan(p5, p95, color=colour, alpha=0.08, linewidth=0)
        base = results.base_value("sroi_ratio", name)
        ax.axvline(base, color=colour, linewidth=2)
        ax.axvline(1.0, color="#333333", linestyle="--", linewidth=1)
        prob = results.probabilities(name)["prob_sroi_above_1"]
        ax.text(
            0.995,
            0.9 - 0.12 * i * (given is not None),
            f"{_label(results, name)}: base {style.ratio(base)}, "
            f"90% {style.ratio(p5)} to {style.ratio(p95)}"
            + (f", P(>1) {style.share(prob)}" if given is None else ""),
            transform=ax.transAxes,
            ha="right",
            va="top",
            fontsize=_SMALL,
            bbox={"facecolor": "white", "alpha": 0.8, "edgecolor": "none", "pad": 1},
        )
        ax.set_yticks([])
        if given is None:
            ax.set_ylabel(
                _label(results, name), rotation=0, ha="right", va="center", fontsize=_TEXT
            )
        _tidy(ax, grid="x")
        ax.spines["left"].set_visible(False)
    key = " — thick line: base case; shading: 90% of draws; dashed: break-even"
    axes[-1].set_xlabel(
        f"SROI ratio [{style.symbol(currency).strip()} of value per {_pounds(currency)} of cost]"
        + (key if given is None else ""),
        fontsize=_TEXT,
    )
    _title(fig, _distribution_title(results, names, currency), given)
    return fig


def _distribution_title(results: Results, names: list[str], currency: str) -> str:
    pound = _pounds(currency)
    if len(names) == 1 or PROGRAMME not in names:
        name = names[0] if len(names) == 1 else PROGRAMME
        if name not in results.base:
            name = names[0]
        v = results.metric("sroi_ratio", name)
        base = results.base_value("sroi_ratio", name)
        return (
            f"{_label(results, name)} returns {style.symbol(currency)}{style.ratio(base)} per "
            f"{pound} in the base case (90% of draws: {style.ratio(_p(v, 5))} to "
            f"{style.ratio(_p(v, 95))})"
        )
    sites = [n for n in names if n != PROGRAMME]
    probs = {n: results.probabilities(n)["prob_sroi_above_1"] for n in sites}
    worst = min(sites, key=lambda n: probs[n])
    base = results.base_value("sroi_ratio", PROGRAMME)
    v = results.metric("sroi_ratio", PROGRAMME)
    head = (
        f"The programme returns {style.symbol(currency)}{style.ratio(base)} per {pound} "
        f"(90%: {style.ratio(_p(v, 5))} to {style.ratio(_p(v, 95))})"
    )
    if probs[worst] >= 0.5:
        return (
            f"{head}; every site breaks even in most draws, "
            f"{_label(results, worst)} least surely ({style.share(probs[worst])})"
        )
    return f"{head}; {_label(results, worst)} falls short of break-even in most draws"
