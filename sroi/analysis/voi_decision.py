"""Value of information of one commission-or-not decision, on arrays: its
EVPI row, and the EVPPI of each uncertain value and each group of values
(groups named by glob patterns over dotted paths).

:func:`decision` takes the net benefit per draw, the women supported and the
sampled values, and never runs the model; :func:`sroi.analysis.voi.voi`
collects those arrays for each scenario and the programme.  See
``docs/value-of-information.md``, "What it answers" and "Per decision, per
woman, and for a population".
"""

from __future__ import annotations

import fnmatch
import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from sroi.analysis.voi_fits import evppi
from sroi.analysis.voi_net_benefit import evpi, standard_error


def decision(
    net_benefit: np.ndarray,
    users: np.ndarray,
    values: Mapping[str, Sequence[np.ndarray]],
    groups: Mapping[str, Sequence[str]],
    population: float | None = None,
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Value of information of one commission-or-not decision, on arrays.

    Parameters
    ----------
    net_benefit : array, shape (n,)
        NPV per draw [currency].
    users : array, shape (n,)
        Women supported per draw [women].
    values : mapping
        Dotted path -> its sampled values, one array of ``n`` per site.
    groups : mapping
        Group name -> glob patterns over paths; a group matching no path is
        left out.
    population : float, optional
        Discounted women over the horizon that the per-woman figures are
        multiplied by (:func:`~sroi.analysis.population.population_factor`)
        [women]; without it the population columns are NaN.

    Returns
    -------
    evpi_row : dict
        ``decision``, ``mean_npv``, ``prob_npv_positive``, ``mean_users``,
        ``value_perfect_info``, ``evpi``, ``evpi_se``, ``evpi_per_woman``,
        ``evpi_population`` (see :attr:`sroi.analysis.voi.VoiResult.evpi`).
    evppi_rows : list of dict
        One per value, then one per group: the columns of
        :attr:`sroi.analysis.voi.VoiResult.evppi` but ``scenario``.

    Examples
    --------
    >>> x = np.linspace(-2.0, 1.0, 201)
    >>> row, rows = decision(x, np.full(201, 2.0), {"a": [x]}, {"all": ("*",)})
    >>> row["decision"], row["evpi"] == evpi(x), row["evpi_per_woman"] == row["evpi"] / 2
    ('do not commission', True, True)
    >>> [(r["kind"], r["name"]) for r in rows]
    [('value', 'a'), ('group', 'all')]
    >>> row, _ = decision(x, np.full(201, 2.0), {}, {}, population=10.0)
    >>> row["evpi_population"] == row["evpi_per_woman"] * 10
    True
    """
    nb = np.asarray(net_benefit, dtype=np.float64)
    mean_users = float(np.mean(users))
    total = evpi(nb)
    mean_npv = float(np.mean(nb))
    row = {
        "decision": "commission" if mean_npv > 0 else "do not commission",
        "mean_npv": mean_npv,
        "prob_npv_positive": float(np.mean(nb > 0)),
        "mean_users": mean_users,
        "value_perfect_info": float(np.mean(np.maximum(nb, 0.0))),
        "evpi": total,
        "evpi_se": standard_error(nb),
        "evpi_per_woman": _per(total, mean_users),
        "evpi_population": _scaled_up(total, mean_users, population),
    }
    items: list[tuple[str, str, list[str]]] = [("value", p, [p]) for p in values]
    for group, patterns in groups.items():
        members = [p for p in values if any(fnmatch.fnmatchcase(p, pat) for pat in patterns)]
        if members:
            items.append(("group", group, members))
    rows = []
    for kind, label, members in items:
        fit = evppi(nb, np.column_stack([v for p in members for v in values[p]]))
        rows.append(
            {
                "kind": kind,
                "name": label,
                "paths": ",".join(members),
                "evppi": fit.evppi,
                "evppi_se": fit.se,
                "evppi_per_woman": _per(fit.evppi, mean_users),
                "evppi_population": _scaled_up(fit.evppi, mean_users, population),
                "share_of_evpi": fit.evppi / total if total > 0 else math.nan,
                "r2": fit.r2,
                "terms": fit.terms,
                "basis": fit.basis,
            }
        )
    return row, rows


def _per(x: float, users: float) -> float:
    return x / users if users > 0 else math.nan


def _scaled_up(x: float, users: float, population: float | None) -> float:
    return math.nan if population is None else _per(x, users) * population


__all__ = ["decision"]
