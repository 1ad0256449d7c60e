"""One-way sensitivity (the tornado chart): the inputs that move the result most."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from sroi.reports import style
from sroi.reports.plots._chart import _SMALL, _TEXT, _canvas, _fit, _patch, _plain, _tidy, _title
from sroi.reports.sensitivity import metric_label as metric_label_of
from sroi.reports.style import short_name
from sroi.results.results import Results
from sroi.scenario.labels import default_label
from sroi.vocabulary import METRICS, PERSPECTIVES

if TYPE_CHECKING:
    import pandas as pd

#: Widest a tornado row's name may run before it wraps [inches].
LABEL_WIDTH = 3.6


def tornado(
    source: Results | pd.DataFrame,
    *,
    metric_label: str | None = None,
    scope: str | None = None,
    top: int = 12,
    labels: dict[str, str] | None = None,
    names: Mapping[str, str] | None = None,
    ax: Axes | None = None,
) -> Figure:
    """One-way sensitivity: the return with each input at its low and high
    value, the others at base case; the ``top`` widest swings, widest first.

    ``source`` is a run's :class:`~sroi.results.Results` or a one-way table.
    From a ``Results`` the chart runs :func:`sroi.analysis.oneway.oneway` on
    the scenarios it ran (:attr:`~sroi.results.Results.loaded`), on the
    return of its perspective, so the line is the run's base case.  A
    one-way table (``oneway``'s result) is drawn as it is: columns ``path,
    input_low, input_central, input_high, metric_low, metric_high, swing,
    base`` (and, when present, ``scenario``: the input is labelled with the
    scenario it moves in unless it moves in all; ``kind``: a fixed value,
    moved by a relative band, is marked ``*``).

    Each input is named by the table's ``label`` column (the value's readable
    name), else by ``labels`` (path -> name), else by a name built from its
    path; a scenario by ``names`` (id -> name; from a ``Results``, its short
    name).  ``metric_label`` and ``scope`` name the metric and what it is of
    in the title (default: from the analysis, e.g. "social return" and "the
    programme").  ``ax``: draw into this axes of the caller's figure (the
    conclusion becomes its title) and return that figure.

    Raises
    ------
    ValueError
        When the ``Results`` do not hold the scenarios they ran (made other
        than by :func:`sroi.run`).

    >>> import sroi
    >>> fig = tornado(sroi.run("scenarios/family_action_pss/oxford.yaml", draws=0))
    >>> " ".join(fig.get_suptitle().split())[:76]
    'The social return of Oxford is most sensitive to relative risk of depression'
    """
    if isinstance(source, Results):
        frame = one_way_of(source)
        names = names or {s.id: short_name(s.name) for s in source.scenarios}
        if scope is None:
            only = source.scenarios
            scope = short_name(only[0].name) if len(only) == 1 else "the programme"
    else:
        frame = source
    metric_label = metric_label or _metric_words(frame.attrs)
    scope = scope or _scope(frame.attrs)
    # Ranked as the one-way analysis ranks (sroi.analysis.oneway): swings equal
    # to 12 significant figures are ties, kept in the table's order, so the bars
    # cut at `top` are the rows `sroi sensitivity` lists, not last-bit noise.
    rank = [float(f"{v:.12g}") for v in frame["swing"]]
    ranked = frame.assign(_rank=rank).sort_values(
        "_rank", ascending=False, kind="stable", na_position="last"
    )
    rows = ranked.drop(columns="_rank").head(top).iloc[::-1]
    base = float(frame["base"].iloc[0]) if len(frame) else math.nan
    # The scenario an input moves in is worth naming only when there are several.
    several = len(frame.attrs.get("scenarios", ("", ""))) > 1
    ticks = [_row_name(r, labels, ax is None, several, names) for _, r in rows.iterrows()]
    # Each row is high enough for the longest name's lines of 9 pt (0.155 in
    # each) and a gap, so that two names of several lines do not touch.
    lines = max((t.count("\n") + 1 for t in ticks), default=1)
    fig, given = _canvas(ax, 1.6 + max(0.5, 0.155 * lines + 0.08) * max(len(rows), 1))
    ax = given or fig.subplots()
    y = np.arange(len(rows))
    low_colour, high_colour = style.OKABE_ITO["vermillion"], style.OKABE_ITO["blue"]
    for yi, (_, r) in zip(y, rows.iterrows(), strict=True):
        lo, hi = float(r["metric_low"]), float(r["metric_high"])
        ax.barh(yi, lo - base, left=base, color=low_colour, height=0.65)
        ax.barh(yi, hi - base, left=base, color=high_colour, height=0.65)
    ax.set_yticks(y, ticks, fontsize=_SMALL)
    ax.axvline(base, color="black", linewidth=1.2)
    ax.set_xlabel(
        f"{_capital(metric_label)} with the input at its low (vermillion) or high (blue) value;"
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
        name = _in_sentence(_row_label(first, labels, several, names))
        lo, hi = sorted((float(first["metric_low"]), float(first["metric_high"])))
        f = style.ratio if _is_ratio(frame.attrs, metric_label) else style.number
        title = (
            f"The {_in_sentence(metric_label)} of {scope} is most sensitive to {name}: "
            f"{f(lo)} to {f(hi)} across its range"
        )
    else:
        title = f"No uncertain inputs move the {_in_sentence(metric_label)}"
    _title(fig, title, given)
    return _plain(fig, given)


def one_way_of(results: Results) -> pd.DataFrame:
    """The one-way table of a run: :func:`~sroi.analysis.oneway.oneway` on the
    scenarios it ran, on the return of its perspective (the programme's when
    it ran several scenarios).

    Raises
    ------
    ValueError
        When ``results`` do not hold the scenarios they ran.
    """
    from sroi.analysis.oneway import oneway
    from sroi.results.load import LoadedFiles

    if not results.loaded:
        raise ValueError(
            "the tornado chart reruns the model, and these results do not hold the scenarios "
            "they ran (Results.loaded is empty); make them with sroi.run, or pass the table of "
            "sroi.analysis.oneway.oneway instead"
        )
    # The files the run recorded, checked when it ran.
    files = LoadedFiles({s.id: s.file for s in results.scenarios if s.file})
    return oneway(list(results.loaded), perspective=results.perspective, files=files)


def _metric_words(attrs: Mapping[str, Any]) -> str:
    """The analysed metric in words: a perspective's return ("social return")
    or a metric's label ("unit cost")."""
    metric = str(attrs.get("metric", "sroi_ratio"))
    for view in PERSPECTIVES.values():
        if view.ratio_metric == metric:
            return view.ratio_phrase
    if metric in METRICS:
        return METRICS[metric].label
    return metric_label_of(metric, "GBP")[0]


def _scope(attrs: Mapping[str, Any]) -> str:
    """What the analysed metric is of: the programme, or the one scenario."""
    scenarios = list(attrs.get("scenarios", ()))
    if len(scenarios) != 1:
        return "the programme"
    title = str(attrs.get("title", ""))  # "<name> [<id>]"
    name = title.rsplit(" [", 1)[0] if title.endswith("]") else title
    return short_name(name) if name else str(scenarios[0])


def _is_ratio(attrs: Mapping[str, Any], metric_label: str) -> bool:
    """The analysed metric is a ratio (written to two decimals)."""
    metric = str(attrs.get("metric", ""))
    if metric in METRICS:
        return METRICS[metric].format == "ratio"
    if any(view.ratio_metric == metric for view in PERSPECTIVES.values()):
        return True
    return "ratio" in metric_label.lower() or "return" in metric_label.lower()


def _capital(text: str) -> str:
    """``text`` with its first letter capitalised."""
    return text[:1].upper() + text[1:]


def _row_name(
    row: Any,
    labels: dict[str, str] | None,
    wrap: bool,
    several: bool,
    names: Mapping[str, str] | None = None,
) -> str:
    """A row's tick label: its name and, below it, the input's range; on one
    line and unwrapped in a caller's axes, whose layout is the caller's."""
    span = f"[{style.number(float(row['input_low']))} to {style.number(float(row['input_high']))}]"
    name = _row_label(row, labels, several, names)
    return f"{_fit(name, LABEL_WIDTH, _SMALL, bold=False)}\n{span}" if wrap else f"{name} {span}"


def _row_label(
    row: Any,
    labels: dict[str, str] | None,
    several: bool = True,
    names: Mapping[str, str] | None = None,
) -> str:
    """A tornado row's label: the input's readable name, the scenario it moves
    in when not all (by its name in ``names``), and ``*`` for a fixed value
    moved by a relative band."""
    path = str(row["path"])
    own = row.get("label")
    text = str(own) if isinstance(own, str) and own else (labels or {}).get(path)
    text = text or default_label(path)
    scenario = str(row.get("scenario", "all"))
    if several and scenario not in ("all", "programme", "nan", ""):
        text += f" ({(names or {}).get(scenario, scenario)})"
    if str(row.get("kind", "")) == "fixed":
        text += " *"
    return text


def _in_sentence(name: str) -> str:
    """``name`` inside a sentence: first letter lower-case unless an acronym.

    >>> _in_sentence("Relative risk"), _in_sentence("NHS costs")
    ('relative risk', 'NHS costs')
    """
    return name if name[1:2].isupper() else name[:1].lower() + name[1:]
