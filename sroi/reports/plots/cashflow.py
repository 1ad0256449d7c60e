"""The cumulative discounted net position year by year, and the payback year."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from sroi.engine.metrics import cumulative_net as _cumulative_net
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
    _money_axis,
    _names,
    _plain,
    _side_label,
    _tidy,
    _title,
    _unit,
)
from sroi.results.results import Results
from sroi.vocabulary import PROGRAMME

#: The perspective the net position counts: value to everyone, every input.
SOCIETY = "society"

#: Longest horizon [years] whose base-case line marks every year with a dot.
DOTTED_YEARS = 20


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


def cumulative_net(results: Results, names: Names = None, *, ax: Axes | None = None) -> Figure:
    """Cumulative discounted net position (value to everyone minus every
    input's cost, society's view) by year: the median of the draws with
    their 90% band, the base case beside them, and the median payback year;
    one panel per name.

    Sites share one y scale; the programme has its own.  x: analysis year
    (0 = first delivery year); y: currency, price year.  ``ax``: draw into
    this axes of the caller's figure instead, every name in the one panel
    (default: the programme, or the only site), and return that figure.

    >>> import sroi
    >>> results = sroi.run("scenarios/family_action_pss/oxford.yaml", draws=50, seed=1)
    >>> fig = cumulative_net(results)
    >>> fig.get_suptitle().startswith("Counting value to everyone, Oxford pays back in")
    True
    """
    if ax is not None and names is None:
        names = [PROGRAMME if len(results.scenarios) > 1 else results.scenarios[0].id]
    names = _names(results, names)
    currency, price_year = _currency(results)
    horizon = _active_years(results, names)
    cols = min(len(names), 3)
    rows = math.ceil(len(names) / cols)
    fig, given = _canvas(ax, 1.2 + 2.6 * rows)
    panels = [given] * len(names) if given is not None else _panels(fig, rows, cols, names)
    for i, (ax, name) in enumerate(zip(panels, names, strict=True)):
        _net_line(results, ax, name, horizon, named=given is not None and len(names) > 1)
        if given is None:
            # Fitted to the panel, less its money ticks and label (about 0.9 in).
            width = 0.9 * (fig.get_figwidth() / cols - 0.9)
            ax.set_title(
                _fit(_side_label(results, name), width, _TEXT, bold=False),
                fontsize=_TEXT,
                loc="left",
            )
        ax.xaxis.set_major_locator(MaxNLocator(nbins=8, integer=True))
        ax.yaxis.set_major_formatter(_money_axis(currency))
        if given is not None or i % cols == 0 or name == PROGRAMME:
            ax.set_ylabel(
                f"Cumulative net PV [{_unit(currency)}, {price_year} prices]", fontsize=_SMALL
            )
        if given is not None or i >= len(names) - cols:
            ax.set_xlabel("Year (0 = first year of delivery)", fontsize=_SMALL)
        _tidy(ax, grid="y")
    panels[0].legend(fontsize=_SMALL, frameon=False, loc="lower right")
    _title(fig, _payback_title(results, names[-1]), given)
    return _plain(fig, given)


def _panels(fig: Figure, rows: int, cols: int, names: Sequence[str]) -> list[Axes]:
    """One axes per name; sites share a y scale, the programme has its own."""
    grid = fig.subplots(rows, cols, squeeze=False)
    for extra in grid.flat[len(names) :]:
        extra.set_visible(False)
    panels = list(grid.flat[: len(names)])
    sites = [ax for ax, name in zip(panels, names, strict=True) if name != PROGRAMME]
    for ax in sites[1:]:
        ax.sharey(sites[0])
    return panels


def _net_line(results: Results, ax: Axes, name: str, horizon: int, named: bool) -> None:
    """One name's median line and 90% band over the draws, its base-case
    line, and its median payback year (the base case's without draws); the
    legend entries carry the name when ``named`` (several in one panel)."""
    years = np.arange(horizon)
    colour = _colour(results, name)
    if name == PROGRAMME:
        base = _programme_base_net(results)[:horizon]
    else:
        base = _cumulative_net(results.base_flows[name])[0][:horizon]
    base = np.pad(base, (0, horizon - len(base)), mode="edge")
    who = f"{_label(results, name)}: " if named else ""
    marker = "o" if horizon <= DOTTED_YEARS else None
    ax.axhline(0.0, color="#333333", linewidth=1)
    if results.yearly is None:
        ax.plot(years, base, color=colour, marker=marker, linewidth=2, label=f"{who}modal inputs")
        _payback_mark(ax, colour, results.base_value("payback_year", name), "pays back in year")
        return
    p5, p50, p95 = np.percentile(results.yearly[name][:, :horizon], [5.0, 50.0, 95.0], axis=0)
    ax.fill_between(years, p5, p95, color=colour, alpha=0.18, linewidth=0, label=f"{who}90% band")
    ax.plot(years, p50, color=colour, marker=marker, linewidth=2, label=f"{who}median")
    ax.plot(years, base, color=colour, linestyle="--", linewidth=1.2, label=f"{who}modal inputs")
    median = results.headline(name, SOCIETY).payback_median
    _payback_mark(ax, colour, median, "half pay back by year")


def _payback_mark(ax: Axes, colour: str, year: float, words: str) -> None:
    """A dotted vertical line at ``year``, labelled ``words`` and the year."""
    if not math.isfinite(year):
        return
    ax.axvline(year, color=colour, linestyle=":", linewidth=1.5)
    ax.text(
        year,
        0.97,
        f" {words} {year:.0f}",
        transform=ax.get_xaxis_transform(),
        va="top",
        fontsize=_SMALL,
    )


def _payback_title(results: Results, name: str) -> str:
    """The conclusion: how often, and by when, ``name`` pays back counting
    value to everyone, led by the draws; the base case in brackets."""
    payback = results.base_value("payback_year", name)
    subject = "the programme" if name == PROGRAMME else _label(results, name)
    who = f"Counting value to everyone, {subject}"
    modal = f"year {payback:.0f}" if math.isfinite(payback) else "not within the horizon"
    if not results.draws:
        if math.isfinite(payback):
            return f"{who} pays back in year {payback:.0f} with modal inputs"
        return f"{who} does not pay back within the horizon with modal inputs"
    h = results.headline(name, SOCIETY)
    if h.prob_payback == 0:
        return f"{who} does not pay back in any draw (modal inputs: {modal})"
    head = f"{who} pays back in {style.chance(h.prob_payback)} of draws"
    if math.isfinite(h.payback_median):
        head += f"; half of all draws by year {h.payback_median:.0f}"
    return f"{head} (modal inputs: {modal})"
