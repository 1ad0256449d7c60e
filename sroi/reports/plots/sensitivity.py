"""One-way sensitivity (the tornado chart): the inputs that move the result most."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from sroi.reports import style
from sroi.reports.plots._chart import _SMALL, _TEXT, _canvas, _fit, _patch, _plain, _tidy, _title
from sroi.scenario.labels import default_label

if TYPE_CHECKING:
    import pandas as pd

#: Widest a tornado row's name may run before it wraps [inches].
LABEL_WIDTH = 3.6


def tornado(
    frame: pd.DataFrame,
    *,
    metric_label: str = "SROI ratio",
    scope: str = "the programme",
    top: int = 12,
    labels: dict[str, str] | None = None,
    ax: Axes | None = None,
) -> Figure:
    """One-way sensitivity: the metric with each input at its low and high value,
    the others at base case; the ``top`` widest swings, widest first.

    ``frame`` is :func:`sroi.analysis.oneway.oneway`'s result: columns
    ``path, input_low, input_central, input_high, metric_low, metric_high,
    swing, base`` (and, when present, ``scenario``: the input is labelled
    with the scenario it moves in unless it moves in all; ``kind``: a fixed
    value, moved by a relative band, is marked ``*``).  Each input is named
    by the frame's ``label`` column (the value's readable name), else by
    ``labels`` (path -> name), else by a name built from its path.  ``ax``:
    draw into this axes of the caller's figure (the conclusion becomes its
    title) and return that figure.

    >>> import sroi
    >>> from sroi.analysis.oneway import oneway
    >>> fig = tornado(oneway("scenarios/family_action_pss/oxford.yaml"))
    >>> " ".join(fig.get_suptitle().split())[:80]
    'The SROI ratio of the programme is most sensitive to relative risk of depression'
    """
    rows = frame.sort_values("swing", ascending=False).head(top).iloc[::-1]
    base = float(frame["base"].iloc[0]) if len(frame) else math.nan
    fig, given = _canvas(ax, 1.6 + 0.5 * max(len(rows), 1))
    ax = given or fig.subplots()
    y = np.arange(len(rows))
    low_colour, high_colour = style.OKABE_ITO["vermillion"], style.OKABE_ITO["blue"]
    for yi, (_, r) in zip(y, rows.iterrows(), strict=True):
        lo, hi = float(r["metric_low"]), float(r["metric_high"])
        ax.barh(yi, lo - base, left=base, color=low_colour, height=0.65)
        ax.barh(yi, hi - base, left=base, color=high_colour, height=0.65)
    # The scenario an input moves in is worth naming only when there are several.
    several = len(frame.attrs.get("scenarios", ("", ""))) > 1
    names = [_row_name(r, labels, given is None, several) for _, r in rows.iterrows()]
    ax.set_yticks(y, names, fontsize=_SMALL)
    ax.axvline(base, color="black", linewidth=1.2)
    ax.set_xlabel(
        f"{metric_label} with the input at its low (vermillion) or high (blue) value;"
        f"{chr(10) if given is None else ' '}line: base case {style.number(base)}",
        fontsize=_TEXT if given is None else _SMALL,
    )
    _tidy(ax)
    handles = [
        _patch(low_colour, "Input at its low value"),
        _patch(high_colour, "Input at its high value"),
    ]
    if given is None:
        fig.legend(
            handles=handles, fontsize=_SMALL, frameon=False, loc="outside lower center", ncols=2
        )
    else:
        given.legend(handles=handles, fontsize=_SMALL, frameon=False, loc="lower right")
    if len(rows):
        first = rows.iloc[-1]
        name = _in_sentence(_row_label(first, labels, several))
        lo, hi = sorted((float(first["metric_low"]), float(first["metric_high"])))
        f = style.ratio if "ratio" in metric_label.lower() else style.number
        title = (
            f"The {metric_label} of {scope} is most sensitive to {name}: "
            f"{f(lo)} to {f(hi)} across its range"
        )
    else:
        title = f"No uncertain inputs move the {metric_label}"
    _title(fig, title, given)
    return _plain(fig, given)


def _row_name(row: Any, labels: dict[str, str] | None, wrap: bool, several: bool) -> str:
    """A row's tick label: its name and, below it, the input's range; on one
    line and unwrapped in a caller's axes, whose layout is the caller's."""
    span = f"[{style.number(float(row['input_low']))} to {style.number(float(row['input_high']))}]"
    name = _row_label(row, labels, several)
    return f"{_fit(name, LABEL_WIDTH, _SMALL, bold=False)}\n{span}" if wrap else f"{name} {span}"


def _row_label(row: Any, labels: dict[str, str] | None, several: bool = True) -> str:
    """A tornado row's label: the input's readable name, the scenario it moves
    in when not all, and ``*`` for a fixed value moved by a relative band."""
    path = str(row["path"])
    own = row.get("label")
    text = str(own) if isinstance(own, str) and own else (labels or {}).get(path)
    text = text or default_label(path)
    scenario = str(row.get("scenario", "all"))
    if several and scenario not in ("all", "programme", "nan", ""):
        text += f" ({scenario})"
    if str(row.get("kind", "")) == "fixed":
        text += " *"
    return text


def _in_sentence(name: str) -> str:
    """``name`` inside a sentence: first letter lower-case unless an acronym.

    >>> _in_sentence("Relative risk"), _in_sentence("NHS costs")
    ('relative risk', 'NHS costs')
    """
    return name if name[1:2].isupper() else name[:1].lower() + name[1:]
