"""Charts of a run, each a :class:`matplotlib.figure.Figure`.

Every function builds its own ``Figure`` (no pyplot, no global state), so
charts can be made in threads, saved with ``fig.savefig(...)`` or shown in a
notebook.  All share one style: the Okabe-Ito colour-blind-safe palette, axes
labelled with units, and a title that says what to conclude, computed from
the numbers (e.g. "Oxford returns £2.74 per £1 (90%: 1.05 to 4.27)").

Examples
--------
>>> import sroi
>>> results = sroi.run("scenarios/family_action_pss/oxford.yaml", draws=300, seed=1)
>>> fig = sroi_distribution(results)
>>> fig.get_suptitle()[:45]
'Oxford returns £2.74 per £1 in the base case '
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, PercentFormatter

from sroi.engine.metrics import cumulative_net as _cumulative_net
from sroi.engine.runner import PROGRAMME
from sroi.reports import style
from sroi.results.results import Results
from sroi.scenario.model import PAYERS

if TYPE_CHECKING:
    import pandas as pd

    from sroi.reports.evidence import EvidenceProfile

__all__ = [
    "cumulative_net",
    "evidence_profile",
    "probability_curve",
    "site_comparison",
    "sroi_distribution",
    "tornado",
    "value_by_payer",
]

_WIDTH = 9.0  # inches
_TITLE = 12.5
_TEXT = 10.0
_SMALL = 9.0


# --------------------------------------------------------------------------- helpers


def _figure(height: float, width: float = _WIDTH) -> Figure:
    return Figure(figsize=(width, height), layout="constrained", dpi=100)


def _title(fig: Figure, text: str) -> None:
    wrapped = "\n".join(textwrap.wrap(text, 88))
    fig.suptitle(wrapped, x=0.01, ha="left", fontsize=_TITLE, fontweight="bold")


def _tidy(ax: Axes, grid: Literal["x", "y", "both", ""] = "x") -> None:
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.tick_params(labelsize=_SMALL)
    if grid:
        ax.grid(axis=grid, color="#DDDDDD", linewidth=0.8)
        ax.set_axisbelow(True)


def _currency(results: Results) -> tuple[str, int]:
    if not results.scenarios:
        return "GBP", 0
    s = results.scenarios[0]
    return s.currency, s.price_year


def _money_axis(currency: str) -> FuncFormatter:
    return FuncFormatter(lambda x, _pos: style.short_money(x, currency))


def _names(results: Results, names: Sequence[str] | None, programme: bool = True) -> list[str]:
    if names is not None:
        return list(names)
    out = [s.id for s in results.scenarios]
    if programme and len(out) > 1:
        out.append(PROGRAMME)
    return out


def _label(results: Results, name: str) -> str:
    if name == PROGRAMME:
        return "Programme"
    for s in results.scenarios:
        if s.id == name:
            return style.short_name(s.name)
    return name


def _colour(results: Results, name: str) -> str:
    if name == PROGRAMME:
        return style.PROGRAMME_COLOUR
    ids = [s.id for s in results.scenarios]
    return style.SERIES[ids.index(name) % len(style.SERIES)] if name in ids else style.SERIES[0]


def _need_draws(results: Results) -> None:
    if not results.draws:
        raise ValueError("this chart needs Monte Carlo draws; the run has draws=0")


def _p(values: np.ndarray, q: float) -> float:
    finite = values[np.isfinite(values)]
    return float(np.percentile(finite, q)) if finite.size else math.nan


def _pounds(currency: str) -> str:
    return f"{style.symbol(currency)}1" if len(style.symbol(currency)) == 1 else f"1 {currency}"


# --------------------------------------------------------------------------- charts


def sroi_distribution(results: Results, names: Sequence[str] | None = None) -> Figure:
    """Distribution of the SROI ratio across draws, one panel per site (and the
    programme), with the base case, the 90% interval and break-even at 1.

    x: SROI ratio [currency of value per unit of cost]; y: share of draws.
    """
    _need_draws(results)
    names = _names(results, names)
    currency, _ = _currency(results)
    data = {n: results.metric("sroi_ratio", n) for n in names}
    everything = np.concatenate([v[np.isfinite(v)] for v in data.values()])
    lo = min(0.0, float(np.percentile(everything, 0.5)))
    hi = max(1.5, float(np.percentile(everything, 99.5)))
    bins = np.linspace(lo, hi, 60)
    fig = _figure(1.0 + 1.15 * len(names))
    axes = fig.subplots(len(names), 1, sharex=True, squeeze=False)[:, 0]
    for ax, name in zip(axes, names, strict=True):
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
            0.9,
            f"{_label(results, name)}: base {style.ratio(base)}, "
            f"90% {style.ratio(p5)} to {style.ratio(p95)}, P(>1) {style.share(prob)}",
            transform=ax.transAxes,
            ha="right",
            va="top",
            fontsize=_SMALL,
            bbox={"facecolor": "white", "alpha": 0.8, "edgecolor": "none", "pad": 1},
        )
        ax.set_yticks([])
        ax.set_ylabel(_label(results, name), rotation=0, ha="right", va="center", fontsize=_TEXT)
        _tidy(ax, grid="x")
        ax.spines["left"].set_visible(False)
    axes[-1].set_xlabel(
        f"SROI ratio [{style.symbol(currency).strip()} of value per {_pounds(currency)} of cost]"
        " — thick line: base case; shading: 90% of draws; dashed: break-even",
        fontsize=_TEXT,
    )
    _title(fig, _distribution_title(results, names, currency))
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
    public = sum(shares[p] for p in ("nhs", "local_authority", "central_government"))
    _title(
        fig,
        f"{style.PAYER_LABELS[first]} receive {style.share(shares[first])} of the value and "
        f"{style.PAYER_LABELS[second].lower()} {style.share(shares[second])}; "
        f"the public sector {style.share(public)}",
    )
    return fig


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


def probability_curve(
    results: Results, names: Sequence[str] | None = None, thresholds: np.ndarray | None = None
) -> Figure:
    """P(SROI ratio >= threshold) against the threshold, per site and for the
    programme: how sure we can be of at least a given return.

    x: threshold [currency of value per unit of cost]; y: probability [%].
    """
    _need_draws(results)
    names = _names(results, names)
    currency, _ = _currency(results)
    if thresholds is None:
        top = max(_p(results.metric("sroi_ratio", n), 99.5) for n in names)
        thresholds = np.linspace(0.0, max(2.0, top), 201)
    fig = _figure(4.6)
    ax = fig.subplots()
    for name in names:
        v = results.metric("sroi_ratio", name)
        v = v[np.isfinite(v)]
        prob = np.array([np.mean(v >= t) for t in thresholds]) if v.size else thresholds * np.nan
        main = name == PROGRAMME or len(names) == 1
        ax.plot(
            thresholds,
            prob,
            color=_colour(results, name),
            linewidth=2.6 if main else 1.6,
            label=_label(results, name),
        )
    ax.axvline(1.0, color="#333333", linestyle="--", linewidth=1)
    ax.text(1.02, 0.03, "break-even", fontsize=_SMALL, color="#333333")
    ax.yaxis.set_major_formatter(PercentFormatter(1.0))
    ax.set_ylim(0, 1.02)
    ax.set_xlim(thresholds[0], thresholds[-1])
    s = style.symbol(currency).strip()
    ax.set_xlabel(f"Threshold: SROI ratio [{s} of value per {_pounds(currency)} of cost]")
    ax.set_ylabel("Chance the ratio is at least the threshold [% of draws]")
    ax.legend(fontsize=_SMALL, frameon=False)
    _tidy(ax, grid="both")
    key = PROGRAMME if PROGRAMME in names else names[0]
    v = results.metric("sroi_ratio", key)
    v = v[np.isfinite(v)]
    at1, at2 = float(np.mean(v >= 1.0)), float(np.mean(v >= 2.0))
    sym = style.symbol(currency)
    _title(
        fig,
        f"{_label(results, key)}: {style.share(at1)} chance of at least {sym}1 back per "
        f"{_pounds(currency)}, {style.share(at2)} chance of at least {sym}2",
    )
    return fig


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


def tornado(
    frame: pd.DataFrame,
    *,
    metric_label: str = "SROI ratio",
    scope: str = "the programme",
    top: int = 12,
    labels: dict[str, str] | None = None,
) -> Figure:
    """One-way sensitivity: the metric with each input at its low and high value,
    the others at base case; the ``top`` widest swings, widest first.

    ``frame`` is :func:`sroi.analysis.oneway.oneway`'s result: columns
    ``path, input_low, input_central, input_high, metric_low, metric_high,
    swing, base`` (and, when present, ``scenario``: the input is labelled
    with the scenario it moves in unless it moves in all; ``kind``: a fixed
    value, moved by a relative band, is marked ``*``).  ``labels`` maps a
    path to a readable name.
    """
    rows = frame.sort_values("swing", ascending=False).head(top).iloc[::-1]
    base = float(frame["base"].iloc[0]) if len(frame) else math.nan
    fig = _figure(1.6 + 0.42 * max(len(rows), 1))
    ax = fig.subplots()
    y = np.arange(len(rows))
    low_colour, high_colour = style.OKABE_ITO["vermillion"], style.OKABE_ITO["blue"]
    for yi, (_, r) in zip(y, rows.iterrows(), strict=True):
        lo, hi = float(r["metric_low"]), float(r["metric_high"])
        ax.barh(yi, lo - base, left=base, color=low_colour, height=0.65)
        ax.barh(yi, hi - base, left=base, color=high_colour, height=0.65)
    names = [
        f"{_row_label(r, labels)}  [{style.number(float(r['input_low']))} to "
        f"{style.number(float(r['input_high']))}]"
        for _, r in rows.iterrows()
    ]
    ax.set_yticks(y, names, fontsize=_SMALL)
    ax.axvline(base, color="black", linewidth=1.2)
    ax.set_xlabel(
        f"{metric_label} with the input at its low (vermillion) or high (blue) value; "
        f"line: base case {style.number(base)}",
        fontsize=_TEXT,
    )
    _tidy(ax)
    handles = [
        _patch(low_colour, "Input at its low value"),
        _patch(high_colour, "Input at its high value"),
    ]
    fig.legend(handles=handles, fontsize=_SMALL, frameon=False, loc="outside lower center", ncols=2)
    if len(rows):
        first = rows.iloc[-1]
        name = _row_label(first, labels)
        lo, hi = sorted((float(first["metric_low"]), float(first["metric_high"])))
        f = style.ratio if "ratio" in metric_label.lower() else style.number
        title = (
            f"The {metric_label} of {scope} is most sensitive to {name}: "
            f"{f(lo)} to {f(hi)} across its range"
        )
    else:
        title = f"No uncertain inputs move the {metric_label}"
    _title(fig, title)
    return fig


def _patch(colour: str, label: str, hatch: str = "") -> Any:
    from matplotlib.patches import Patch

    return Patch(facecolor=colour, label=label, hatch=hatch, edgecolor="white")


def _dot(label: str) -> Any:
    from matplotlib.lines import Line2D

    return Line2D([], [], marker="o", color="#555555", linestyle="none", label=label)


def _bar_line(label: str) -> Any:
    from matplotlib.lines import Line2D

    return Line2D([], [], color="#555555", linewidth=3, alpha=0.55, label=label)


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


def _row_label(row: Any, labels: dict[str, str] | None) -> str:
    """A tornado row's label: the input, the scenario it moves in when not all,
    and "±band" for a fixed value moved by a relative band."""
    path = str(row["path"])
    text = (labels or {}).get(path, _path_label(path))
    scenario = str(row.get("scenario", "all"))
    if scenario not in ("all", "programme", "nan", ""):
        text += f" ({scenario})"
    if str(row.get("kind", "")) == "fixed":
        text += " *"
    return text


def _path_label(path: str) -> str:
    """A dotted path shortened for a chart label.

    >>> _path_label("outcomes.pd_quality_of_life.proxy")
    'pd_quality_of_life: proxy'
    """
    for prefix in ("outcomes.", "costs.lines."):
        if path.startswith(prefix):
            head, _, field = path[len(prefix) :].rpartition(".")
            return f"{head}: {field}"
    return path


def evidence_profile(profile: EvidenceProfile, results: Results) -> Figure:
    """How much of each SROI ratio rests on each evidence grade: base-case value
    PV per unit of cost PV, split by the evidence grade of each outcome's
    financial proxy.  The hatched part of each segment comes from outcomes
    whose probability (share of the driver affected) is itself graded an
    assumption or expert judgement.

    x: SROI ratio [currency of value per unit of cost]; one bar per site and
    the programme.
    """
    currency, _ = _currency(results)
    names = [n for n in profile.pv if n != PROGRAMME]
    if len(names) > 1:
        names.append(PROGRAMME)
    fig = _figure(2.0 + 0.6 * len(names))
    ax = fig.subplots()
    y = np.arange(len(names))[::-1]
    left = np.zeros(len(names))
    handles = []
    for grade in profile.grades:
        colour = style.EVIDENCE_COLOURS[grade]
        hatch = style.EVIDENCE_HATCHES.get(grade, "")
        cost = np.array([profile.cost_pv[n] for n in names])
        judged = np.array([profile.pv_judged_probability[n][grade] for n in names]) / cost
        total = np.array([profile.ratio(n, grade) for n in names])
        for width, start, pattern in (
            (total - judged, left, hatch),
            (judged, left + total - judged, hatch + "\\\\"),
        ):
            ax.barh(
                y,
                width,
                left=start,
                height=0.62,
                color=colour,
                edgecolor="white",
                linewidth=0.8,
                hatch=pattern,
            )
        left = left + total
        handles.append(_patch(colour, style.EVIDENCE_LABELS[grade], hatch))
    handles.append(_patch("#777777", "Share affected is an assumption", "\\\\"))
    ax.axvline(1.0, color="#333333", linestyle="--", linewidth=1)
    ax.set_yticks(y, [_label(results, n) for n in names], fontsize=_TEXT)
    s = style.symbol(currency).strip()
    ax.set_xlabel(
        f"Base-case SROI ratio [{s} of value per {_pounds(currency)} of cost], "
        "split by the evidence grade of each outcome's financial proxy",
        fontsize=_TEXT,
    )
    ax.legend(
        handles=handles,
        loc="upper center",
        bbox_to_anchor=(0.5, -0.2 if len(names) > 2 else -0.35),
        ncols=3,
        frameon=False,
        fontsize=_SMALL,
    )
    _tidy(ax)
    _title(fig, _evidence_title(profile, results, PROGRAMME if PROGRAMME in names else names[0]))
    return fig


def _evidence_title(profile: EvidenceProfile, results: Results, key: str) -> str:
    currency, _ = _currency(results)
    sym = style.symbol(currency)
    judgement = [g for g in profile.grades if g in ("expert_judgement", "assumption", "not_graded")]
    weak = sum(profile.ratio(key, g) for g in judgement)
    total = sum(profile.ratio(key, g) for g in profile.grades)
    strongest = max(profile.grades, key=lambda g: profile.pv[key][g])
    cost = profile.cost_pv[key]
    judged_q = sum(profile.pv_judged_probability[key].values()) / cost if cost > 0 else math.nan
    weak_text = (
        f"{sym}{style.ratio(weak)} on judgement or assumption"
        if weak >= 0.005
        else "none on judgement or assumption"
    )
    head = (
        f"{_label(results, key)}: {sym}{style.ratio(profile.ratio(key, strongest))} of the "
        f"{sym}{style.ratio(total)} per {_pounds(currency)} rests on proxies from "
        f"{style.EVIDENCE_PHRASES[strongest]}, {weak_text}"
    )
    if math.isfinite(judged_q) and judged_q >= 0.999 * total > 0:
        head += "; but every outcome's share affected is itself an assumption"
    elif math.isfinite(judged_q) and judged_q >= 0.005:
        head += (
            f"; but {sym}{style.ratio(judged_q)} comes from outcomes whose share affected "
            "is an assumption"
        )
    return head
