"""One-way sensitivity analysis: the data behind a tornado diagram.

Each value is moved on its own, every other value held at its central value:

* an uncertain value from its 5th to its 95th percentile (its distribution's
  inverse CDF), so the swing reflects how uncertain the value really is;
* a fixed value by ``-/+ band`` of itself (default 20%), because a fixed
  number carries no range of its own.  The moved value is clipped to what the
  field allows (a probability of 0.9 moved up 20% stops at 1), and a fixed
  value of 0 (no deadweight, say) has no relative band: it is listed in
  ``attrs["skipped"]`` (break-even analysis covers such values).

Structural whole numbers (``delivery.years``, outcome ``lag``) and ``ramp``
entries are never moved.  With several scenarios the metric is the
programme's, and a ``shared`` value moves in every scenario at once.
Every setting is one row of a single vectorised engine call.

The work is split as in SALib: :func:`settings` designs the low and high
setting of each value, :class:`~sroi.analysis.subject.Subject` evaluates
them (the collector of designed experiments), and :func:`swing` is the
estimator on the resulting arrays.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np

from sroi.analysis.collect import ScenarioLike
from sroi.analysis.factors import PLAUSIBLE, Factor, labelled
from sroi.analysis.subject import AnalysisError, Subject, check_metric, perspective_metric
from sroi.arguments import finite

if TYPE_CHECKING:
    import pandas as pd

#: Columns of the one-way table, in order.
COLUMNS = (
    "path",
    "label",
    "scenario",
    "kind",
    "unit",
    "input_low",
    "input_central",
    "input_high",
    "metric_low",
    "metric_high",
    "swing",
    "base",
)


def check_band(band: float) -> float:
    """``band`` if it is a fraction strictly between 0 and 1."""
    if not 0.0 < finite("band", band) < 1.0:
        raise AnalysisError(f"band must lie strictly between 0 and 1 (0.2 is -/+20%); found {band}")
    return float(band)


def settings(factor: Factor, band: float) -> tuple[np.ndarray, np.ndarray]:
    """Low and high setting of one value in each member scenario [its unit]:
    5th and 95th percentile when uncertain, ``central -/+ band`` (clipped to
    what the field allows) when fixed."""
    if factor.uncertain:
        low, high = factor.quantiles(np.array(PLAUSIBLE)).T
        return low, high
    return factor.band(band)


def swing(metric_low: np.ndarray, metric_high: np.ndarray) -> np.ndarray:
    """How far the metric swings between a value's low and high setting,
    ``|high - low|`` [unit of the metric]; NaN where either is undefined.

    >>> swing(np.array([1.0, 3.0, np.nan]), np.array([2.5, 1.0, 1.0])).tolist()
    [1.5, 2.0, nan]
    """
    return np.abs(np.asarray(metric_high) - np.asarray(metric_low))


def oneway(
    scenarios: ScenarioLike | Sequence[ScenarioLike],
    metric: str | None = None,
    band: float = 0.2,
    scenario_id: str | None = None,
    perspective: str = "society",
    files: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """One-way sensitivity of a metric to every value, ranked by swing.

    Parameters
    ----------
    scenarios : path, Scenario, or a sequence of them
        Scenario files, folders or loaded scenarios.  With several, the metric
        is the programme's (docs/methodology.md §7).
    metric : str, optional
        Metric to report: ``"sroi_ratio"``, ``"npv"``, ``"public_roi"``,
        ``"public_sector_npv"``, ``"unit_cost"``, ``"value_pv"``,
        ``"value_pv_by_payer.nhs"``, ... [its own unit].  Default: the
        return of ``perspective`` (``sroi_ratio`` for society).
    band : float
        Relative move of fixed values, ``-/+ band`` [fraction, 0-1].
    scenario_id : str, optional
        Analyse only this scenario among those given.
    perspective : str
        Whose value and which cost count (:data:`sroi.vocabulary.PERSPECTIVES`);
        it picks the default ``metric``.
    files : mapping, optional
        Scenario id -> the file a loaded scenario came from, for the run
        header's file names and SHA-256 (a path given in ``scenarios`` is
        recorded without it).

    Returns
    -------
    pandas.DataFrame
        One row per value moved, largest swing first: ``path``, ``label`` (its
        readable name, :func:`~sroi.scenario.labels.value_label`), ``scenario``
        (id, or ``"all"`` for a shared value in a multi-scenario analysis),
        ``kind`` (``uncertain`` / ``fixed``), ``unit``, ``input_low``,
        ``input_central``, ``input_high`` [unit of the value; the first
        member scenario's], ``metric_low``, ``metric_high`` (the metric with
        the value at its low / high setting), ``swing`` (``|high - low|``)
        and ``base`` (the base-case metric) [unit of the metric].
        ``attrs`` holds ``method``, ``metric``, ``scenario``, ``scenarios``,
        ``band``, ``percentiles``, ``base``, ``currency``, ``skipped``
        (values not moved, with the reason) and ``perspective``.

    Examples
    --------
    >>> t = oneway("scenarios/family_action_pss/oxford.yaml")
    >>> bool(t["swing"].is_monotonic_decreasing)
    True
    >>> t.attrs["metric"], t.attrs["scenario"]
    ('sroi_ratio', 'oxford')
    """
    import pandas as pd

    metric = check_metric(perspective_metric(metric, perspective))
    check_band(band)
    subject = Subject.build(scenarios, scenario_id, files)
    base = subject.base()[metric]
    blocks, rows, skipped = [], [], []
    for i, f in enumerate(subject.factors):
        low, high = settings(f, band)
        if np.all(low == high):
            reason = "fixed at 0: a relative band does not move it"
            skipped.append(
                {"path": f.path, "label": f.label, "scenario": f.scenario, "reason": reason}
            )
            continue
        blocks.append((i, np.stack([low, high], axis=1)))
        rows.append([f.path, f.scenario, f.kind, f.unit, low[0], f.central()[0], high[0]])
    values = subject.run_blocks(blocks)[metric].reshape(-1, 2) if blocks else np.empty((0, 2))
    frame = pd.DataFrame(rows, columns=[c for c in COLUMNS[:8] if c != "label"])
    frame["metric_low"] = values[:, 0]
    frame["metric_high"] = values[:, 1]
    frame["swing"] = swing(values[:, 0], values[:, 1])
    frame["base"] = base
    # Swings equal to 12 significant figures are ties, kept in input order:
    # last-bit noise in the arithmetic must not reorder them.
    frame["_rank"] = [float(f"{v:.12g}") for v in frame["swing"]]
    frame = frame.sort_values("_rank", ascending=False, kind="stable", na_position="last")
    frame = frame.drop(columns="_rank")
    frame = labelled(frame.reset_index(drop=True), subject.factors)
    frame.attrs.update(
        subject.run_info(perspective).header(method="oneway", money=True, files=True),
        metric=metric,
        scenario=subject.target,
        title=subject.title,
        scenarios=subject.ids,
        band=band,
        percentiles=list(PLAUSIBLE),
        base=base,
        skipped=skipped,
    )
    return frame
