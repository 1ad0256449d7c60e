"""Break-even analysis: how far must one value move for a metric to hit a target?

For each value on its own (every other value central) the break-even value
is where the metric equals the target: an SROI ratio of 1, an NPV of 0, or a
unit cost the user names.  It is searched over the values the field allows:

* bounded fields over their whole range (probabilities and fractions [0, 1],
  optimism bias [0, 2], discount rate [0, 1]);
* fields with no upper bound (counts, hours, money >= 0) over
  ``[0, WIDE * scale]``, and proxies (any real) over
  ``[-WIDE * scale, WIDE * scale]``, where ``scale`` is the largest of the
  value's central value and plausible ends in absolute terms;
* outcome durations over ``[0, DURATION_CAP]`` years.

The metric is evaluated on a grid across that domain in one vectorised engine
call; the sign change of ``metric - target`` nearest the central value is
then refined to machine precision by Chandrupatla's bracketing method
(:func:`scipy.optimize.elementwise.find_root`), every value's search at
once: each step is one engine call with a row per value still searching.  A
value whose whole domain never reaches the target has no break-even.

The break-even value is compared with the value's plausible range: its 5th to
95th percentile when uncertain, ``central -/+ band`` when fixed.

The work is split as in SALib: :func:`search_domain` and :func:`grid` design
the settings, :class:`~sroi.analysis.subject.Subject` evaluates them, and
:func:`bracket`, :func:`verdict` and :func:`relative_change` are estimators
on the resulting arrays; :func:`refine` runs the searches.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np

from sroi.analysis.collect import ScenarioLike
from sroi.analysis.factors import Factor, finite_scale, labelled
from sroi.analysis.oneway import check_band
from sroi.analysis.subject import AnalysisError, Subject, check_metric, perspective_metric
from sroi.vocabulary import PERSPECTIVES

if TYPE_CHECKING:
    import pandas as pd

#: Reach of the search for a field with no upper bound [multiples of its scale].
WIDE = 1000.0
#: Longest outcome duration searched [years].
DURATION_CAP = 100.0
#: Default targets: metric -> value at break-even.
#: Default targets: every perspective's return breaks even at 1 and its net
#: value at 0 (``sroi_ratio``, ``npv``, ``public_roi``, ``nhs_npv``, ...).
DEFAULT_TARGETS = {
    "net_sroi_ratio": 0.0,
    **{p.ratio_metric: 1.0 for p in PERSPECTIVES.values()},
    **{p.net_metric: 0.0 for p in PERSPECTIVES.values()},
}
#: Order of the statuses in the table.
STATUSES = ("inside", "outside", "none")

#: Columns of the break-even table, in order.
COLUMNS = (
    "path",
    "label",
    "scenario",
    "kind",
    "unit",
    "central",
    "breakeven",
    "change",
    "plausible_low",
    "plausible_high",
    "status",
    "search_low",
    "search_high",
)


def search_domain(factor: Factor) -> tuple[float, float]:
    """Where the break-even value of ``factor`` is looked for [its unit]."""
    low, high = factor.allowed
    scale = finite_scale(factor)
    if factor.is_duration:
        high = min(high, DURATION_CAP)
    if not np.isfinite(high):
        high = WIDE * scale
    if not np.isfinite(low):
        low = -WIDE * scale
    return float(low), float(high)


def grid(low: float, high: float, central: float, scale: float) -> np.ndarray:
    """Points across ``[low, high]``: evenly spaced, plus geometric steps out
    from the central value so both near and far crossings are bracketed."""
    steps = scale * np.logspace(-4.0, np.log10(WIDE), 43)
    points = np.concatenate(
        [np.linspace(low, high, 65), [central], central + steps, central - steps]
    )
    return np.unique(points[(points >= low) & (points <= high)])


def bracket(x: np.ndarray, gap: np.ndarray, central: float) -> tuple[float, float] | None:
    """The grid interval nearest ``central`` where ``gap`` (metric minus
    target, at the ascending points ``x``) changes sign or is 0; None when
    it never does.

    >>> bracket(np.array([0.0, 1.0, 2.0, 3.0]), np.array([-1.0, 1.0, 2.0, -2.0]), 2.5)
    (2.0, 3.0)
    >>> bracket(np.array([0.0, 1.0]), np.array([1.0, 2.0]), 0.5) is None
    True
    """
    ok = np.isfinite(gap[:-1]) & np.isfinite(gap[1:])
    cross = ok & ((np.sign(gap[:-1]) * np.sign(gap[1:]) < 0) | (gap[:-1] == 0))
    cross[-1] |= bool(ok[-1] and gap[-1] == 0)
    found = np.flatnonzero(cross)
    if found.size == 0:
        return None
    a, b = x[found], x[found + 1]
    distance = np.where(
        (a <= central) & (central <= b), 0.0, np.minimum(abs(a - central), abs(b - central))
    )
    k = int(found[np.argmin(distance)])
    return float(x[k]), float(x[k + 1])


def verdict(root: float, low: float, high: float) -> str:
    """``"inside"`` or ``"outside"`` the plausible range ``[low, high]``, or
    ``"none"`` when there is no break-even value (``root`` NaN).

    >>> verdict(0.5, 0.0, 1.0), verdict(2.0, 0.0, 1.0), verdict(float("nan"), 0.0, 1.0)
    ('inside', 'outside', 'none')
    """
    return "none" if np.isnan(root) else "inside" if low <= root <= high else "outside"


def relative_change(root: float, central: float) -> float:
    """How far the break-even value lies from the central one, relative to
    it [fraction]; NaN when the central value is 0.

    >>> relative_change(150.0, 200.0), relative_change(1.0, 0.0)
    (-0.25, nan)
    """
    return (root - central) / abs(central) if central != 0 else np.nan


def breakeven(
    scenarios: ScenarioLike | Sequence[ScenarioLike],
    target: str | None = None,
    value: float | None = None,
    band: float = 0.2,
    scenario_id: str | None = None,
    perspective: str = "society",
    files: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """Break-even value of every value for ``target`` = ``value``.

    Parameters
    ----------
    scenarios : path, Scenario, or a sequence of them
        With several, the target is the programme's metric and a shared
        value moves in every scenario at once (to the same number).
    target : str, optional
        Metric: a perspective's return such as ``"sroi_ratio"`` or
        ``"public_roi"`` (default target 1), its net value such as ``"npv"``
        or ``"public_sector_npv"`` (default 0), ``"net_sroi_ratio"`` (default
        0), or any other continuous metric with an explicit ``value`` (e.g.
        ``"unit_cost"``).  Default: the return of ``perspective``.
    value : float, optional
        The metric's value at break-even [unit of the metric].
    band : float
        Plausible range of a fixed value, ``central -/+ band`` [fraction].
    scenario_id : str, optional
        Analyse only this scenario among those given.
    perspective : str
        Whose value and which cost count (:data:`sroi.vocabulary.PERSPECTIVES`);
        it picks the default ``target``.
    files : mapping, optional
        Scenario id -> the file a loaded scenario came from, for the run
        header's file names and SHA-256 (a path given in ``scenarios`` is
        recorded without it).

    Returns
    -------
    pandas.DataFrame
        One row per value: ``path``, ``label`` (its readable name), ``scenario``,
        ``kind``, ``unit``,
        ``central``, ``breakeven`` (NaN when none), ``change`` (relative to
        central; NaN when central is 0) [fraction], ``plausible_low``,
        ``plausible_high``, ``status`` (``"inside"`` or ``"outside"`` the
        plausible range, ``"none"`` for no break-even), ``search_low``,
        ``search_high`` (the domain searched).  Values are in the value's
        unit (the first member scenario's for a shared value).  Rows inside
        the plausible range first, then outside, then none; nearest to
        central first.  ``attrs`` holds ``method``, ``target``, ``value``,
        ``base``, ``scenario``, ``scenarios``, ``band``, ``currency`` and
        ``perspective``.

    Examples
    --------
    >>> t = breakeven("scenarios/family_action_pss/oxford.yaml", "npv")
    >>> t.attrs["value"], list(t.columns[:3])
    (0.0, ['path', 'label', 'scenario'])
    """
    import pandas as pd

    target = check_metric(perspective_metric(target, perspective), continuous=True)
    check_band(band)
    if value is None:
        if target not in DEFAULT_TARGETS:
            raise AnalysisError(
                f"give the {target} to break even at (e.g. a unit cost); defaults exist only "
                f"for {', '.join(DEFAULT_TARGETS)}"
            )
        value = DEFAULT_TARGETS[target]
    value = float(value)
    if not np.isfinite(value):
        raise AnalysisError(f"the target value must be a finite number; found {value}")
    subject = Subject.build(scenarios, scenario_id, files)
    base = subject.base()[target]

    blocks, domains = [], []
    for i, f in enumerate(subject.factors):
        domain = search_domain(f)
        points = grid(*domain, float(f.central()[0]), finite_scale(f))
        blocks.append((i, points))
        domains.append(domain)
    gaps = subject.run_blocks(blocks)[target] - value if blocks else np.empty(0)

    spans: dict[int, tuple[float, float]] = {}
    start = 0
    for i, points in blocks:
        gap = gaps[start : start + points.size]
        start += points.size
        span = bracket(points, gap, float(subject.factors[i].central()[0]))
        if span is not None:
            spans[i] = span

    def gap_at(factor: np.ndarray, x: np.ndarray) -> np.ndarray:
        settings = [(int(i), np.array([v])) for i, v in zip(factor, x, strict=True)]
        return subject.run_blocks(settings)[target] - value

    roots = refine(gap_at, spans)
    rows = []
    for (i, _), domain in zip(blocks, domains, strict=True):
        f = subject.factors[i]
        central = float(f.central()[0])
        root = roots.get(i, np.nan)
        low, high = f.plausible(band)
        status = verdict(root, low, high)
        change = relative_change(root, central)
        rows.append(
            [f.path, f.scenario, f.kind, f.unit, central, root, change, low, high, status, *domain]
        )
    frame = pd.DataFrame(rows, columns=[c for c in COLUMNS if c != "label"])
    frame["_rank"] = frame["status"].map(STATUSES.index)
    frame["_distance"] = (frame["breakeven"] - frame["central"]).abs() / (
        frame["plausible_high"] - frame["plausible_low"]
    ).where(lambda w: w > 0)
    frame = frame.sort_values(["_rank", "_distance"], kind="stable", na_position="last")
    frame = frame.drop(columns=["_rank", "_distance"]).reset_index(drop=True)
    frame = labelled(frame, subject.factors)
    frame.attrs.update(
        subject.run_info(perspective).header(method="breakeven", money=True, files=True),
        target=target,
        value=value,
        base=base,
        scenario=subject.target,
        title=subject.title,
        scenarios=subject.ids,
        band=band,
    )
    return frame


def refine(
    gap: Callable[[np.ndarray, np.ndarray], np.ndarray],
    spans: Mapping[int, tuple[float, float]],
) -> dict[int, float]:
    """The root of ``gap`` in each bracket of ``spans`` (key -> ``(a, b)``),
    to 4 machine epsilons relative, all searched together.

    ``gap(keys, x)`` gives the gap of each key at its ``x`` (arrays of the
    keys still searching, as floats).  A bracket whose ends turn out to have
    the same sign (the grid's sign change was rounding noise) gives the end
    with the smaller gap.  The search stops after :data:`MAX_STEPS` steps
    with its closest point: a root at 0 where the gap is flat (``x^3``)
    would otherwise be chased down to 1e-100 and beyond, one engine call a
    step; real searches take fewer than 10.

    >>> roots = refine(lambda k, x: x**2 - k, {2: (0.0, 2.0), 9: (0.0, 5.0)})
    >>> abs(roots[2] - 2**0.5) < 1e-15, abs(roots[9] - 3.0) < 1e-15
    (True, True)
    """
    from scipy.optimize.elementwise import find_root  # scipy.optimize is slow to import

    if not spans:
        return {}
    keys = np.array(list(spans), dtype=np.float64)
    a, b = (np.array(ends, dtype=np.float64) for ends in zip(*spans.values(), strict=True))
    found = find_root(
        lambda x, k: gap(k, x),
        (a, b),
        args=(keys,),
        tolerances={"xatol": 0.0, "xrtol": _RTOL},
        maxiter=MAX_STEPS,
    )
    roots = np.asarray(found.x, dtype=np.float64)
    stuck = np.flatnonzero(~np.isfinite(roots))
    if stuck.size:
        ends = np.concatenate([a[stuck], b[stuck]])
        at = np.abs(gap(np.concatenate([keys[stuck], keys[stuck]]), ends))
        nearer = at[: stuck.size] <= at[stuck.size :]
        roots[stuck] = np.where(nearer, a[stuck], b[stuck])
    return {int(k): float(r) for k, r in zip(keys, roots, strict=True)}


#: Most steps of a break-even search (each one engine call); the bundled
#: sites need at most 8.
MAX_STEPS = 100
#: Relative tolerance of the search: 4 machine epsilons.
_RTOL = 4.0 * float(np.finfo(float).eps)
