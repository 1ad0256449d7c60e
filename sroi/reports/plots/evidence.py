"""How much of each SROI ratio rests on each grade of evidence."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np
from matplotlib.figure import Figure

from sroi.reports import style
from sroi.reports.plots._chart import (
    _SMALL,
    _TEXT,
    _currency,
    _figure,
    _label,
    _patch,
    _pounds,
    _tidy,
    _title,
)
from sroi.results.results import Results
from sroi.vocabulary import JUDGEMENT_GRADES, PROGRAMME

if TYPE_CHECKING:
    from sroi.reports.evidence import EvidenceProfile


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
    judgement = [g for g in profile.grades if g in JUDGEMENT_GRADES]
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
