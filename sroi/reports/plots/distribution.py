"""How the return of the run's perspective (the SROI ratio for society) is
spread across the draws."""

from __future__ import annotations

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
    _names,
    _need_draws,
    _plain,
    _pounds,
    _room,
    _side_label,
    _tidy,
    _title,
    _unit,
    _width,
    nothing_to_show,
)
from sroi.results.perspective import perspective_draws
from sroi.results.results import Results
from sroi.vocabulary import PERSPECTIVES, PROGRAMME


def sroi_distribution(results: Results, names: Names = None, *, ax: Axes | None = None) -> Figure:
    """Distribution of the perspective's return across draws, one panel per
    site (and the programme): its expected value (mean value / mean cost,
    solid) and median (dash-dot), the 90% interval, break-even at 1, and the
    base case (modal inputs, dotted) as a labelled reference.

    x: return [currency of value per unit of cost]; y: share of draws.
    ``ax``: draw into this axes of the caller's figure instead, every name in
    the one panel (default: the programme, or the only site), and return
    that figure.  Needs draws.
    """
    _need_draws(results)
    if ax is not None and names is None:
        names = [PROGRAMME if len(results.scenarios) > 1 else results.scenarios[0].id]
    names = _names(results, names)
    currency, _ = _currency(results)
    view = PERSPECTIVES[results.perspective]
    data = {n: perspective_draws(results.draw_metrics[n], view.id).ratio for n in names}
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
    # The width the names beside the panels leave them [inches]: each
    # panel's note and the caption under them are fitted to it.
    beside = [_side_label(results, n) for n in names] if given is None else []
    room = _room(beside, fig.get_figwidth()) if given is None else _width(given)
    for i, (ax, name) in enumerate(zip(axes, names, strict=True)):
        v = data[name][np.isfinite(data[name])]
        colour = _colour(results, name)
        weights = np.full(v.size, 1.0 / max(v.size, 1))
        h = results.headline(name)
        p5, p95 = h.ratio.p5, h.ratio.p95
        note = _fit(
            f"{_label(results, name)}: expected {style.ratio(h.ratio.expected)}, "
            f"median {style.ratio(h.ratio.median)}, "
            f"90% {style.ratio(p5)} to {style.ratio(p95)}"
            + (
                f", P(>1) {style.chance(h.prob_ratio_above_1)}; "
                f"modal inputs {style.ratio(h.ratio.modal)}"
                if given is None
                else ""
            ),
            0.95 * room,
            _SMALL,
            bold=False,
        )
        heights, _, _ = ax.hist(v, bins=bins, weights=weights, color=colour, alpha=0.35)
        if given is None:  # headroom, so the panel's note sits above its bars
            lines = note.count("\n") + 1
            ax.set_ylim(0, (1.45 + 0.35 * (lines - 1)) * max(float(np.max(heights)), 1e-9))
        ax.hist(v, bins=bins, weights=weights, color=colour, histtype="step")
        ax.axvspan(p5, p95, color=colour, alpha=0.08, linewidth=0)
        ax.axvline(h.ratio.expected, color=colour, linewidth=2)
        ax.axvline(h.ratio.median, color=colour, linewidth=1.2, linestyle="-.")
        ax.axvline(h.ratio.modal, color="#555555", linewidth=1, linestyle=":")
        ax.axvline(1.0, color="#333333", linestyle="--", linewidth=1)
        ax.text(
            0.995,
            0.9 - 0.12 * i * (given is not None),
            note,
            transform=ax.transAxes,
            ha="right",
            va="top",
            fontsize=_SMALL,
            bbox={"facecolor": "white", "alpha": 0.9, "edgecolor": "none", "pad": 1},
            zorder=5,
        )
        ax.set_yticks([])
        if given is None:
            ax.set_ylabel(
                _side_label(results, name), rotation=0, ha="right", va="center", fontsize=_TEXT
            )
        _tidy(ax, grid="x")
        ax.spines["left"].set_visible(False)
    unit = f"{view.ratio_label} [{_unit(currency)} of value per {_pounds(currency)} of cost]"
    key = (
        "Thick line: expected; dash-dot: median; dotted: modal inputs; "
        "shading: 90% of draws; dashed: break-even"
    )
    # The key goes on lines of its own, fitted to the width the names beside
    # the panels leave them (the label is centred under the panels), so it
    # never runs off the image.
    fitted = _fit(key, 0.95 * room, _TEXT, bold=False)
    axes[-1].set_xlabel(unit + (f"\n{fitted}" if given is None else ""), fontsize=_TEXT)
    _title(fig, _distribution_title(results, names, currency), given)
    return _plain(fig, given)


def _distribution_title(results: Results, names: list[str], currency: str) -> str:
    head = _distribution_head(results, names, currency)
    clause = break_even_clause(results, names)
    return f"{head}; {clause}" if clause else head


def _distribution_head(results: Results, names: list[str], currency: str) -> str:
    pound = _pounds(currency)
    view = PERSPECTIVES[results.perspective]
    if view.id == "society":
        what = "returns"
    elif view.cashable_only:
        what = "returns in cashable savings"
    else:  # "to the NHS", "to the public sector"
        what = f"returns to the {view.phrase}"
    if len(names) == 1 or PROGRAMME not in names:
        name = names[0] if len(names) == 1 else PROGRAMME
        if name not in results.base:
            name = names[0]
        h = results.headline(name)
        return (
            f"{_label(results, name)} {what} {style.symbol(currency)}"
            f"{style.ratio(h.ratio.expected)} per {pound} expected (median "
            f"{style.ratio(h.ratio.median)}; 90% of draws: {style.ratio(h.ratio.p5)} to "
            f"{style.ratio(h.ratio.p95)})"
        )
    h = results.headline(PROGRAMME)
    return (
        f"The programme {what} {style.symbol(currency)}{style.ratio(h.ratio.expected)} per "
        f"{pound} expected (90%: {style.ratio(h.ratio.p5)} to {style.ratio(h.ratio.p95)})"
    )


def break_even_clause(results: Results, names: Names = None) -> str | None:
    """How surely each site breaks even, as the distribution chart's title
    ends when it shows the programme with its sites ("every site breaks even
    in most draws, Hackney least surely (89%)"); None for one site alone.
    ``names``: as :func:`sroi_distribution` takes them.  Needs draws."""
    names = _names(results, names)
    if len(names) == 1 or PROGRAMME not in names:
        return None
    sites = [n for n in names if n != PROGRAMME]
    probs = {n: results.headline(n).prob_ratio_above_1 for n in sites}
    worst = min(sites, key=lambda n: probs[n])
    if probs[worst] >= 0.5:
        return (
            f"every site breaks even in most draws, "
            f"{_label(results, worst)} least surely ({style.share(probs[worst])})"
        )
    # Name every site that falls short, not only the worst: naming one would
    # say the others break even.
    short = [_label(results, n) for n in sites if probs[n] < 0.5]
    if len(short) == len(sites):
        return "no site breaks even in most draws"
    if len(short) == 1:
        return f"{short[0]} falls short of break-even in most draws"
    listed = ", ".join(short[:-1]) + f" and {short[-1]}"
    return f"{listed} fall short of break-even in most draws"
