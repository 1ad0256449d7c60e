"""One-way sensitivity (the tornado chart): the inputs that move the result most."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np
from matplotlib.figure import Figure

from sroi.reports import style
from sroi.reports.plots._chart import _SMALL, _TEXT, _figure, _patch, _tidy, _title

if TYPE_CHECKING:
    import pandas as pd


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
