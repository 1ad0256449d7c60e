"""When each payer's value arrives: value by analysis year and payer, base
case, with the 90% band of the draws."""

from __future__ import annotations

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from sroi.reports import style
from sroi.reports.plots._chart import (
    _SMALL,
    _TEXT,
    _canvas,
    _currency,
    _label,
    _money_axis,
    _plain,
    _tidy,
    _title,
    _unit,
)
from sroi.results.results import Results
from sroi.vocabulary import PAYERS, PROGRAMME


def base_profiles(results: Results, name: str) -> dict[str, np.ndarray]:
    """Base-case undiscounted value per analysis year by payer, of a scenario
    id or the programme (the sites added up) [currency, price year]."""
    ids = [s.id for s in results.scenarios] if name == PROGRAMME else [name]
    width = max(results.base_flows[i].horizon for i in ids)
    out = {}
    for payer in PAYERS:
        total = np.zeros(width)
        for i in ids:
            series = results.base_flows[i].value_by_payer[payer][0]
            total[: series.size] += series
        out[payer] = total
    return out


def _half_year(values: np.ndarray) -> int | None:
    """First year by which half of the (positive) value has arrived."""
    positive = np.clip(values, 0.0, None)
    total = float(np.sum(positive))
    if total <= 0:
        return None
    return int(np.argmax(np.cumsum(positive) >= total / 2))


def value_profiles(results: Results, name: str | None = None, *, ax: Axes | None = None) -> Figure:
    """When each payer's value arrives: undiscounted value per analysis year
    (0 = first delivery year), one line per payer for the base case, with
    the band holding 90% of the draws when the run kept them
    (``keep_outcomes=True``).

    Parameters
    ----------
    results : Results
    name : str, optional
        A scenario id or ``"programme"``; default the programme when the run
        has several scenarios, else its scenario.
    ax : matplotlib Axes, optional
        Draw into this axes of the caller's figure (the conclusion becomes its
        title) and return that figure; default a new figure.

    Returns
    -------
    matplotlib.figure.Figure
        y: value in the year [currency, price year, undiscounted].

    Examples
    --------
    >>> import sroi
    >>> r = sroi.run("scenarios/family_action_pss/oxford.yaml", draws=100, seed=1,
    ...              keep_outcomes=True)
    >>> fig = value_profiles(r)
    >>> fig.get_suptitle()
    'Oxford: half of the value has arrived by year 17, the last in year 66'
    """
    if name is None:
        name = PROGRAMME if len(results.scenarios) > 1 else results.scenarios[0].id
    currency, price_year = _currency(results)
    base = base_profiles(results, name)
    draws = results.value_profiles
    bands = {}
    if draws is not None and name in draws:
        for payer in PAYERS:
            bands[payer] = np.percentile(draws[name][payer], [5.0, 95.0], axis=0)
    shown = [p for p in PAYERS if np.any(base[p]) or (p in bands and np.any(bands[p]))]
    ends = [np.flatnonzero(base[p]) for p in shown]
    ends += [np.flatnonzero(np.any(bands[p] != 0, axis=0)) for p in shown if p in bands]
    last = max((int(e[-1]) for e in ends if e.size), default=0)
    years = np.arange(last + 1)
    fig, given = _canvas(ax, 4.2)
    ax = given or fig.subplots()
    for payer in shown:
        colour = style.PAYER_COLOURS[payer]
        if payer in bands:
            low, high = bands[payer][0][: last + 1], bands[payer][1][: last + 1]
            ax.fill_between(years, low, high, color=colour, alpha=0.18, linewidth=0, step="mid")
        ax.step(
            years,
            base[payer][: last + 1],
            where="mid",
            color=colour,
            linewidth=1.8,
            label=style.PAYER_LABELS[payer],
        )
    ax.axhline(0, color="#888888", linewidth=0.8)
    ax.yaxis.set_major_formatter(_money_axis(currency))
    ax.set_xlabel("Analysis year (0 = first delivery year)", fontsize=_TEXT)
    ax.set_ylabel(f"Value in the year [{_unit(currency)}, {price_year} prices]", fontsize=_TEXT)
    ax.set_xlim(-0.5, last + 0.5)
    _tidy(ax, "y")
    if shown:
        ax.legend(fontsize=_SMALL, frameon=False, loc="upper right")
    _title(fig, _headline(results, name, base, last), given)
    return _plain(fig, given)


def _headline(results: Results, name: str, base: dict[str, np.ndarray], last: int) -> str:
    total = np.sum([base[p] for p in PAYERS], axis=0)
    half = _half_year(total)
    who = _label(results, name)
    if half is None:
        return f"{who}: no value arrives in the base case"
    return f"{who}: half of the value has arrived by year {half}, the last in year {last}"
