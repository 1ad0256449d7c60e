"""The results of a run: base case, per-draw metrics, summaries, cash flows.

pandas is imported only by the methods that return DataFrames.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from sroi.engine.metrics import SCALAR_METRICS, SPLIT_METRICS, Metrics
from sroi.engine.model import Flows
from sroi.engine.outcomes import OutcomeValues
from sroi.engine.runner import DrawSummary
from sroi.engine.years import cumulative_net
from sroi.results.perspective import Headline, headline, perspective_draws, side_by_side
from sroi.results.run_info import RunFields, RunInfo, ScenarioInfo
from sroi.results.summary import STATISTICS, summarize
from sroi.scenario.model import Scenario
from sroi.vocabulary import (
    METRICS,
    PAYERS,
    PERSPECTIVES,
    PROGRAMME,
    Perspective,
    expected_value,
    perspective_metric_names,
)

if TYPE_CHECKING:
    import pandas as pd

#: Renders results as HTML for notebooks: installed by the reports layer
#: (:func:`set_html_repr`), which draws the headline table.
_html_repr: list[Callable[[Results], str]] = []


def set_html_repr(render: Callable[[Results], str]) -> None:
    """Make ``render(results)`` the notebook view of every :class:`Results`
    (``Results._repr_html_``).  :mod:`sroi.reports.headline` installs the
    headline table when it is imported, as :func:`sroi.run` does."""
    _html_repr[:] = [render]


@dataclass(frozen=True)
class OutcomeInfo:
    """One outcome of one scenario in a run, as the evidence profile reads it.

    id, label : str
        Outcome id and what changes, from the scenario file.
    proxy_evidence, probability_evidence : str or None
        Evidence grade of the financial proxy and of the share affected
        (None when the file gives none).
    base_pv : float
        Present value in the base case [currency, price year].
    """

    id: str
    label: str
    proxy_evidence: str | None
    probability_evidence: str | None
    base_pv: float


@dataclass(frozen=True, repr=False, eq=False)
class Results(RunFields):
    """Everything a run produced.  Build one with :func:`sroi.run`.

    Money is in each scenario's currency at its price year; counts are women
    (referrals, users), cases, or hours.

    Results compare and hash by identity: ``a == b`` only when ``a is b``,
    even for two runs with the same inputs (compare what they hold, such as
    ``a.to_dict() == b.to_dict()``), and a result may key a dict or sit in a set.

    Examples
    --------
    >>> import sroi
    >>> r = sroi.run("scenarios/family_action_pss", draws=500, seed=2)
    >>> r.names
    ['hackney', 'oxford', 'swaffham', 'west_mansfield', 'programme']
    >>> r.metric("sroi_ratio", "oxford").shape  # one SROI ratio [GBP/GBP] per draw
    (500,)
    >>> users = r.base_case()["users"]  # base-case women supported per site
    >>> bool(abs(users["programme"] - users.drop("programme").sum()) < 1e-9)
    True
    >>> flows = r.cash_flows("oxford")  # per year [GBP at 2011 prices]
    >>> list(flows.columns[:3])
    ['year', 'cost', 'value_nhs']
    """

    #: What identifies the run: version, seed, draws, scenario files.
    run: RunInfo
    #: Base-case metrics per scenario id and ``"programme"`` (arrays of one value).
    base: dict[str, Metrics]
    #: Base-case flows per scenario id.
    base_flows: dict[str, Flows]
    #: What the Monte Carlo run kept (None when draws = 0).
    monte_carlo: DrawSummary | None = None
    #: Each outcome's quantity and PV per scenario id, base case and stored
    #: draws (None unless the run was asked for them: ``keep_outcomes=True``).
    outcomes: dict[str, OutcomeValues] | None = None
    #: Each scenario's outcomes with their evidence grades and base-case PV,
    #: per scenario id (empty when the run did not record them).
    outcome_info: dict[str, tuple[OutcomeInfo, ...]] = field(default_factory=dict)
    #: The scenarios as run, in id order: validated, and at the run's price
    #: year when it set one.  Analyses that run the model again (the tornado
    #: chart's one-way analysis) start from them.  Empty when the results were
    #: not made by :func:`sroi.run` (built by hand, say); not part of the JSON
    #: document, which records each scenario's file and SHA-256 instead.
    loaded: tuple[Scenario, ...] = ()
    #: Summaries already computed, per scenario id (see :meth:`summaries`).
    _summaries: dict[str, dict[str, dict[str, float]]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    @property
    def scenarios(self) -> tuple[ScenarioInfo, ...]:
        """What identifies each scenario (id, name, file, SHA-256, currency,
        price year), in id order; the scenarios themselves are :attr:`loaded`."""
        return self.run.scenarios

    @property
    def draw_metrics(self) -> dict[str, Metrics]:
        """Stored per-draw metrics per scenario id and ``"programme"``: every
        draw, or every ``stored_every``-th draw beyond the memory budget
        (empty when draws = 0)."""
        return self.monte_carlo.stored if self.monte_carlo else {}

    @property
    def yearly(self) -> dict[str, np.ndarray] | None:
        """Cumulative discounted net position of the stored draws per year."""
        return self.monte_carlo.yearly if self.monte_carlo else None

    @property
    def value_profiles(self) -> dict[str, dict[str, np.ndarray]] | None:
        """Name -> payer -> undiscounted value per analysis year of stored
        draws [currency], shape ``(draws kept, horizon)``, stored as float32
        (about 7 significant digits, half the memory of float64; the metrics are
        float64); None unless the run kept outcomes (``keep_outcomes=True``)
        and had draws."""
        return self.monte_carlo.profiles if self.monte_carlo else None

    @property
    def stored_every(self) -> int:
        """1 when every draw is stored (percentiles exact), else the thinning step."""
        return self.monte_carlo.step if self.monte_carlo else 1

    @property
    def names(self) -> list[str]:
        """Scenario ids followed by ``"programme"``."""
        return [s.id for s in self.scenarios] + [PROGRAMME]

    def _check(self, scenario: str) -> None:
        if scenario not in self.base:
            raise KeyError(f"no scenario {scenario!r}; expected one of {', '.join(self.names)}")

    def _check_metric(self, name: str, scenario: str) -> None:
        """``KeyError`` naming the metrics there are, unless ``name`` is one
        (a perspective's return or net value included, :func:`_of_perspective`)."""
        self._check(scenario)
        known = self.base[scenario]
        if not isinstance(name, str) or (name not in known and _of_perspective(name) is None):
            extra = ", ".join(n for n in perspective_metric_names() if n not in known)
            raise KeyError(f"no metric {name!r}; expected one of {', '.join(known)}, {extra}")

    def metric(self, name: str, scenario: str = PROGRAMME) -> np.ndarray:
        """Per-draw values of one metric, e.g. ``metric("sroi_ratio", "oxford")``.

        Split metrics are addressed as ``"value_pv_by_payer.nhs"``; every
        perspective's return and net value by its name (``nhs_roi`` [ratio],
        ``public_sector_npv`` [currency]; docs/methodology.md §6), computed
        per draw from its value and cost as the headline is.  NaN marks
        draws where the metric is undefined.  The array is read-only, since
        the run's summaries are made from it: ``.copy()`` it to change it.
        """
        self._check_metric(name, scenario)
        if not self.draw_metrics:
            raise ValueError("this run has no Monte Carlo draws (draws=0)")
        derived = _of_perspective(name) if name not in self.base[scenario] else None
        if derived is not None:
            p, kind = derived
            draws = perspective_draws(self.draw_metrics[scenario], p.id)
            values = draws.ratio if kind == "ratio" else draws.net
            values.flags.writeable = False
            return values
        values = self.draw_metrics[scenario][name].view()
        values.flags.writeable = False
        return values

    def base_value(self, name: str, scenario: str = PROGRAMME) -> float:
        """Base-case value of one metric (NaN when undefined)."""
        self._check_metric(name, scenario)
        derived = _of_perspective(name) if name not in self.base[scenario] else None
        if derived is not None:
            draws = perspective_draws(self.base[scenario], derived[0].id)
            return float((draws.ratio if derived[1] == "ratio" else draws.net)[0])
        return float(self.base[scenario][name][0])

    def probabilities(self, scenario: str = PROGRAMME) -> dict[str, float]:
        """``prob_sroi_above_1``, ``prob_npv_positive``, ``prob_payback`` and
        ``sroi_ratio_of_means`` (NaN when there are no draws)."""
        self._check(scenario)
        if not self.draw_metrics:
            keys = ("prob_sroi_above_1", "prob_npv_positive", "prob_payback")
            return dict.fromkeys((*keys, "sroi_ratio_of_means"), math.nan)
        mc = self.monte_carlo
        assert mc is not None
        counts = mc.counts[scenario]
        mean_value = mc.moments[scenario]["value_pv"].total()[1]
        mean_cost = mc.moments[scenario]["cost_pv"].total()[1]
        return {
            "prob_sroi_above_1": counts["sroi_above_1"] / mc.draws,
            "prob_npv_positive": counts["npv_positive"] / mc.draws,
            "prob_payback": counts["payback"] / mc.draws,
            "sroi_ratio_of_means": mean_value / mean_cost if mean_cost > 0 else math.nan,
        }

    def expected(self, metric: str, scenario: str = PROGRAMME) -> float:
        """The expected value of ``metric`` across draws, the number every
        table leads with: for a ratio (``unit_cost``, ``sroi_ratio``, ...),
        the mean of its numerator over the mean of its denominator (NaN
        unless that is above 0), as for the returns; else the metric's mean
        over every draw.  NaN without draws (docs/methodology.md section 8).

        >>> import sroi
        >>> r = sroi.run("scenarios/family_action_pss/oxford.yaml", draws=200, seed=1)
        >>> s = r.summaries("oxford")
        >>> r.expected("unit_cost", "oxford") == s["cost_total"]["mean"] / s["users"]["mean"]
        True
        """
        self._check_metric(metric, scenario)
        mc = self.monte_carlo
        if mc is None or not mc.draws:
            return math.nan
        derived = _of_perspective(metric) if metric not in self.base[scenario] else None
        if derived is not None:
            # A perspective's return is its mean value over its mean cost.
            line = self.headline(scenario, derived[0].id)
            return (line.ratio if derived[1] == "ratio" else line.net).expected
        moments = mc.moments[scenario]

        def mean(name: str) -> float:
            count, value, _ = moments[name].total()
            return value if count else math.nan

        return expected_value(metric, mean)

    def headline(self, scenario: str = PROGRAMME, perspective: str | None = None) -> Headline:
        """The honest summary of one perspective (the run's unless given) for
        one scenario or the programme: its return, net value, value, cost,
        probabilities and payback, each led by the expected value across draws
        (the ratio of means for the return), with the median, the 90%
        interval and the base case ("modal inputs")."""
        self._check(scenario)
        return headline(
            self.base[scenario], self.monte_carlo, scenario, perspective or self.perspective
        )

    def returns(self, scenario: str = PROGRAMME) -> list[Headline]:
        """Social, public-sector and cashable returns of one scenario or the
        programme, side by side (each a :meth:`headline`)."""
        self._check(scenario)
        return side_by_side(self.base[scenario], self.monte_carlo, scenario)

    def summaries(self, scenario: str = PROGRAMME) -> dict[str, dict[str, float]]:
        """Summary statistics of every metric (split metrics as ``"a.b"``):
        mean, sd, se, p5, p50, p95 (and ``defined`` where a metric can be
        undefined); a ratio (``unit_cost``, ``sroi_ratio``, ...) also its
        ``expected`` value (:meth:`expected`), the number tables lead with."""
        self._check(scenario)
        mc = self.monte_carlo
        if mc is None:
            return {}
        if scenario not in self._summaries:
            # Computed once: a report reads them cell by cell.
            summaries = {
                k: summarize(mc.moments[scenario][k], v, mc.draws, k.split(".")[0])
                for k, v in mc.stored[scenario].items()
            }
            for k, stats in summaries.items():
                if k in METRICS and METRICS[k].ratio_of is not None:
                    stats["expected"] = self.expected(k, scenario)
            self._summaries[scenario] = summaries
        return {k: dict(v) for k, v in self._summaries[scenario].items()}

    def summary(self) -> pd.DataFrame:
        """Tidy summary: columns ``scenario, metric, statistic, value``.

        Statistics are mean, sd, se, p5, p50, p95 (and ``defined`` where a
        metric can be undefined; ``expected`` for a ratio, :meth:`expected`)
        plus ``base`` for the base case; run-level
        probabilities appear as metric rows with statistic ``value``.
        """
        import pandas as pd

        rows: list[tuple[str, str, str, float]] = []
        for name in self.names:
            for metric, values in self.base[name].items():
                rows.append((name, metric, "base", float(values[0])))
            for metric, stats in self.summaries(name).items():
                rows.extend((name, metric, stat, value) for stat, value in stats.items())
            if self.draw_metrics:
                for key, value in self.probabilities(name).items():
                    rows.append((name, key, "value", value))
        return pd.DataFrame(rows, columns=["scenario", "metric", "statistic", "value"])

    def base_case(self) -> pd.DataFrame:
        """Base-case metrics: one row per scenario (and the programme), one
        column per metric."""
        import pandas as pd

        data = {name: {k: float(v[0]) for k, v in self.base[name].items()} for name in self.names}
        return pd.DataFrame.from_dict(data, orient="index")

    def cash_flows(self, scenario: str) -> pd.DataFrame:
        """Base-case cash flows per analysis year of one scenario.

        Columns: ``year``, ``cost`` [currency, undiscounted], ``value_<payer>``
        [currency, undiscounted], ``value``, ``discount_factor`` [1],
        ``cost_discount_factor`` [1], ``cost_discounted``,
        ``value_discounted`` (each outcome on its own discount schedule),
        ``cumulative_net`` (the cumulative discounted net position), and when
        draws were kept, ``cumulative_net_mean``, ``cumulative_net_p5``,
        ``cumulative_net_p95`` across draws.

        ``discount_factor`` is the scenario schedule's, which outcomes without
        their own ``discount_schedule`` use; ``value_discounted`` is therefore
        not ``value`` times it when an outcome has its own schedule.
        ``cost_discount_factor`` is the one cost is discounted with
        (``cost_discounted = cost * cost_discount_factor``): 1 in every year
        when ``discount_costs`` is false, and the standard schedule's when the
        scenario's is the health one (docs/methodology.md §5).  Years after
        the last cost or value are dropped, so a scenario may have fewer rows
        than its run's horizon.
        """
        import pandas as pd

        if scenario == PROGRAMME:
            raise ValueError("cash flows are per scenario; pick a scenario id")
        if scenario not in self.base:
            ids = ", ".join(n for n in self.names if n != PROGRAMME)
            raise KeyError(f"no scenario {scenario!r}; expected one of {ids}")
        f = self.base_flows[scenario]
        data: dict[str, Any] = {"year": np.arange(f.horizon), "cost": f.cost[0]}
        for payer in PAYERS:
            data[f"value_{payer}"] = f.value_by_payer[payer][0]
        data["value"] = f.value[0]
        data["discount_factor"] = f.discount[0]
        data["cost_discount_factor"] = np.broadcast_to(f.cost_discount, f.cost.shape)[0]
        data["cost_discounted"] = (f.cost * f.cost_discount)[0]
        data["value_discounted"] = f.value_discounted[0]
        data["cumulative_net"] = cumulative_net(f)[0]
        if self.yearly is not None:
            draws = self.yearly[scenario]
            data["cumulative_net_mean"] = draws.mean(axis=0)
            data["cumulative_net_p5"] = np.percentile(draws, 5.0, axis=0)
            data["cumulative_net_p95"] = np.percentile(draws, 95.0, axis=0)
        frame = pd.DataFrame(data)
        active = (frame["cost"] != 0) | (frame["value"] != 0)
        last = int(np.flatnonzero(active.to_numpy())[-1]) if active.any() else 0
        return frame.iloc[: last + 1].reset_index(drop=True)

    def _repr_html_(self) -> str | None:
        """A compact headline table for notebooks (base case with 90% intervals),
        from the renderer :func:`set_html_repr` installed (None, the plain
        ``repr``, when none is)."""
        return _html_repr[0](self) if _html_repr else None

    def to_dict(self) -> dict[str, Any]:
        """The ``sroi run --json`` document as Python objects (NaN and inf as None)."""
        from sroi.results.document import document

        return document(self)

    def to_json(self, indent: int | None = 2) -> str:
        """The ``sroi run --json`` document as text; never contains NaN."""
        import json

        return json.dumps(self.to_dict(), indent=indent, allow_nan=False)


def _of_perspective(name: str) -> tuple[Perspective, str] | None:
    """The perspective whose return (``"ratio"``) or net value (``"net"``)
    ``name`` is (``nhs_roi``, ``public_sector_npv``, ...), else None."""
    for p in PERSPECTIVES.values():
        if name == p.ratio_metric:
            return p, "ratio"
        if name == p.net_metric:
            return p, "net"
    return None


__all__ = [
    "SCALAR_METRICS",
    "SPLIT_METRICS",
    "STATISTICS",
    "OutcomeInfo",
    "Results",
    "RunInfo",
    "ScenarioInfo",
    "set_html_repr",
]
