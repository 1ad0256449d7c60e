"""How much of each SROI ratio rests on each grade of evidence."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

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
    _patch,
    _plain,
    _pounds,
    _side_label,
    _tidy,
    _title,
    nothing_to_show,
)
from sroi.results.results import Results
from sroi.vocabulary import JUDGEMENT_GRADES, PROGRAMME

if TYPE_CHECKING:
    from sroi.reports.evidence import EvidenceProfile

#: Hatch marking value from outcomes whose share affected is a judgement.
JUDGED_HATCH = "\\\\"


def evidence_profile(
    results: Results, *, profile: EvidenceProfile | None = None, ax: Axes | None = None
) -> Figure:
    """How much of each SROI ratio rests on each evidence grade: base-case value
    PV per unit of cost PV, split by the evidence grade of each outcome's
    financial proxy.  Where some, but not all, of the value comes from
    outcomes whose probability (share of the driver affected) is itself
    graded an assumption or expert judgement, that part is hatched; when all
    of it does, the title says so and nothing is hatched.

    x: SROI ratio [currency of value per unit of cost]; one bar per site and
    the programme.  ``profile`` defaults to the run's own
    (:func:`sroi.reports.evidence.results_profile`).  ``ax``: draw into this
    axes of the caller's figure (the conclusion becomes its title) and
    return that figure.

    >>> import sroi
    >>> fig = evidence_profile(sroi.run("scenarios/family_action_pss", draws=0))
    >>> "every outcome's share affected is an assumption" in fig.get_suptitle()
    True
    """
    from sroi.reports.evidence import results_profile

    profile = profile if profile is not None else results_profile(results)
    currency, _ = _currency(results)
    names = [n for n in profile.pv if n != PROGRAMME]
    if len(names) > 1:
        names.append(PROGRAMME)
    costs = [profile.cost_pv[n] for n in names]
    if not profile.grades or not all(np.isfinite(c) and c > 0 for c in costs):
        why = (
            "no outcome has a value to grade"
            if not profile.grades
            else "the cost present value is zero, so there is no ratio to split"
        )
        return nothing_to_show(
            "Evidence behind the social return: nothing to show", f"Nothing to show: {why}.", ax
        )
    fig, given = _canvas(ax, 2.0 + 0.6 * len(names))
    ax = given or fig.subplots()
    y = np.arange(len(names))[::-1]
    cost = np.array([profile.cost_pv[n] for n in names])
    judged_all = np.array([sum(profile.pv_judged_probability[n].values()) for n in names])
    value_all = np.array([sum(profile.pv[n].values()) for n in names])
    mark = bool(np.any(judged_all > 0) and np.any(judged_all < 0.999 * value_all))
    left = np.zeros(len(names))
    handles = []
    for grade in profile.grades:
        colour = style.EVIDENCE_COLOURS[grade]
        hatch = style.EVIDENCE_HATCHES.get(grade, "")
        judged = np.array([profile.pv_judged_probability[n][grade] for n in names]) / cost
        total = np.array([profile.ratio(n, grade) for n in names])
        parts = [
            (total - judged, left, hatch),
            (judged, left + total - judged, hatch + JUDGED_HATCH),
        ]
        for width, start, pattern in parts if mark else [(total, left, hatch)]:
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
    if mark:
        handles.append(_patch("#777777", "Share affected is an assumption", JUDGED_HATCH))
    ax.axvline(1.0, color="#333333", linestyle="--", linewidth=1)
    ax.set_yticks(y, [_side_label(results, n) for n in names], fontsize=_TEXT)
    s = style.symbol(currency).strip()
    ax.set_xlabel(
        f"Base-case social return [{s} of value per {_pounds(currency)} of cost],\n"
        "split by the evidence grade of each outcome's financial proxy",
        fontsize=_TEXT,
    )
    if given is None:
        fig.legend(
            handles=handles, loc="outside lower center", ncols=3, frameon=False, fontsize=_SMALL
        )
    else:
        ax.legend(
            handles=handles,
            loc="upper center",
            bbox_to_anchor=(0.5, -0.28 if len(names) > 2 else -0.45),
            ncols=2,
            frameon=False,
            fontsize=_SMALL,
        )
    _tidy(ax)
    key = PROGRAMME if PROGRAMME in names else names[0]
    _title(fig, _evidence_title(profile, results, key), given)
    return _plain(fig, given)


def _evidence_title(profile: EvidenceProfile, results: Results, key: str) -> str:
    """What the bar of ``key`` says: the strongest grade's share of the ratio,
    what rests on judgement, and how much of the quantity side is assumed."""
    currency, _ = _currency(results)
    sym = style.symbol(currency)
    judgement = [g for g in profile.grades if g in JUDGEMENT_GRADES]
    weak = sum(profile.ratio(key, g) for g in judgement)
    total = sum(profile.ratio(key, g) for g in profile.grades)
    strongest = max(profile.grades, key=lambda g: profile.pv[key][g])
    cost = profile.cost_pv[key]
    judged_q = sum(profile.pv_judged_probability[key].values()) / cost if cost > 0 else math.nan
    head = (
        f"{_label(results, key)}: {sym}{style.ratio(profile.ratio(key, strongest))} of the "
        f"{sym}{style.ratio(total)} per {_pounds(currency)} (modal inputs) is priced with "
        f"proxies from {style.EVIDENCE_PHRASES[strongest]}"
    )
    if weak >= 0.005 and strongest not in judgement:
        head += f" and {sym}{style.ratio(weak)} with judgement or assumption"
    if math.isfinite(judged_q) and judged_q >= 0.999 * total > 0:
        return head + "; but every outcome's share affected is an assumption"
    if math.isfinite(judged_q) and judged_q >= 0.005:
        return (
            f"{head}; {sym}{style.ratio(judged_q)} comes from outcomes whose share affected "
            "is an assumption (hatched)"
        )
    return head
