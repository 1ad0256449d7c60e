"""How sure we can be of at least a given return: P(return >= threshold)."""

from __future__ import annotations

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import PercentFormatter

from sroi.reports import style
from sroi.reports.plots._chart import (
    _SMALL,
    Names,
    _canvas,
    _colour,
    _currency,
    _label,
    _names,
    _need_draws,
    _p,
    _plain,
    _pounds,
    _side_label,
    _tidy,
    _title,
    nothing_to_show,
)
from sroi.results.perspective import perspective_draws
from sroi.results.results import Results
from sroi.vocabulary import PERSPECTIVES, PROGRAMME


def probability_curve(
    results: Results,
    names: Names = None,
    thresholds: np.ndarray | None = None,
    *,
    ax: Axes | None = None,
) -> Figure:
    """P(return >= threshold) against the threshold, per site and for the
    programme: how sure we can be of at least a given return.  The return is
    that of the run's perspective (the social return, value PV / cost PV, for
    society).

    x: threshold [currency of value per unit of cost]; y: probability [%].
    ``ax``: draw into this axes of the caller's figure (the conclusion
    becomes its title) and return that figure.  Needs draws.
    """
    _need_draws(results)
    names = _names(results, names)
    currency, _ = _currency(results)
    view = PERSPECTIVES[results.perspective]
    words = view.ratio_phrase
    ratios = {n: perspective_draws(results.draw_metrics[n], view.id).ratio for n in names}
    key = PROGRAMME if PROGRAMME in names else names[0]
    if not np.isfinite(ratios[key]).any():
        return nothing_to_show(
            "Chance of at least a given return: undefined",
            f"The {words} of {_label(results, key)} is undefined in every draw (its cost "
            "present value is zero), so there is no chance of a return to plot.",
            ax,
        )
    if thresholds is None:
        top = max(_p(ratios[n], 99.5) for n in names)
        thresholds = np.linspace(0.0, max(2.0, top), 201)
    fig, given = _canvas(ax, 4.6)
    ax = given or fig.subplots()
    for name in names:
        v = ratios[name][np.isfinite(ratios[name])]
        prob = np.array([np.mean(v >= t) for t in thresholds]) if v.size else thresholds * np.nan
        main = name == PROGRAMME or len(names) == 1
        ax.plot(
            thresholds,
            prob,
            color=_colour(results, name),
            linewidth=2.6 if main else 1.6,
            label=_side_label(results, name),
        )
    ax.axvline(1.0, color="#333333", linestyle="--", linewidth=1)
    ax.text(1.02, 0.03, "break-even", fontsize=_SMALL, color="#333333")
    ax.yaxis.set_major_formatter(PercentFormatter(1.0))
    ax.set_ylim(0, 1.02)
    ax.set_xlim(thresholds[0], thresholds[-1])
    s = style.symbol(currency).strip()
    ax.set_xlabel(f"Threshold: {words} [{s} of value per {_pounds(currency)} of cost]")
    ax.set_ylabel("Chance the return is at least the threshold [% of draws]")
    ax.legend(fontsize=_SMALL, frameon=False)
    _tidy(ax, grid="both")
    v = ratios[key][np.isfinite(ratios[key])]
    at1, at2 = float(np.mean(v >= 1.0)), float(np.mean(v >= 2.0))
    sym = style.symbol(currency)
    _title(
        fig,
        f"{_label(results, key)}: {style.chance(at1)} chance of {_article(words)} {words} of at "
        f"least {sym}1 per {_pounds(currency)}, {style.chance(at2)} of at least {sym}2",
        given,
    )
    return _plain(fig, given)


def _article(words: str) -> str:
    """The article before ``words``: "an NHS return", "a social return".

    >>> _article("NHS return"), _article("social return")
    ('an', 'a')
    """
    return "an" if words[:1].lower() in "aeio" or words.startswith("NHS") else "a"
