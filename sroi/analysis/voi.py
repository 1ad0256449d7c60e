"""Value of information for the decision "commission the service or not",
for scenarios and the programme: :func:`voi`, the entry point of
``sroi sensitivity --method voi``, and its result :class:`VoiResult`.

The net benefit of commissioning is the NPV of a draw; not commissioning is
worth 0.  With today's evidence the commissioner picks the option with the
higher expected net benefit, ``max(E[NPV], 0)``.

* **EVPI**, the expected value of perfect information, is what knowing every
  uncertain value exactly would add: ``E[max(NPV, 0)] - max(E[NPV], 0)``.
* **EVPPI**, the expected value of partial perfect information about one
  value (or a group of values) φ, is ``E_φ[max(E[NPV | φ], 0)] - max(E[NPV], 0)``,
  estimated by regression.

Both can be scaled to a population (:mod:`sroi.analysis.population`), and
several scenarios can be weighed as options of one choice
(:mod:`sroi.analysis.options`).  See ``docs/value-of-information.md``.

The work is split as in SALib: :func:`~sroi.analysis.collect.collect`
gathers the net benefit and the sampled values once; estimators on arrays
do the rest, each in its own module (their names are re-exported here):

* :mod:`sroi.analysis.voi_net_benefit`: what a draw's net benefit is
  (:class:`NetBenefit`, NPV by default, so any view of whose value and cost
  count plugs in), :func:`evpi` and its :func:`standard_error`;
* :mod:`sroi.analysis.voi_fits`: :func:`evppi` by regression (:class:`Fit`);
* :mod:`sroi.analysis.voi_decision`: :func:`decision`, EVPI and the EVPPI of
  each value and group of one decision.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

import numpy as np

from sroi.analysis.collect import Draws, ScenarioLike, collect, load_scenarios
from sroi.analysis.options import Choice, choice
from sroi.analysis.population import PopulationError, population_factor
from sroi.analysis.voi_decision import decision
from sroi.analysis.voi_fits import ADDITIVE_KNOTS, MAX_TERMS, SPLINE_KNOTS, Fit, evppi
from sroi.analysis.voi_net_benefit import (
    NPV,
    NetBenefit,
    evpi,
    perspective_net_benefit,
    standard_error,
)
from sroi.arguments import whole
from sroi.engine.runner import DEFAULT_CHUNK
from sroi.results.perspective import check_perspective
from sroi.results.run_info import RunFields, RunInfo
from sroi.vocabulary import PROGRAMME

if TYPE_CHECKING:
    import pandas as pd

#: Fewest Monte Carlo draws a value-of-information analysis takes [draws].
MIN_DRAWS = 10

#: Groups of values whose joint EVPPI is reported by default: name -> glob
#: patterns over dotted paths (``*`` matches dots too).
DEFAULT_GROUPS: dict[str, tuple[str, ...]] = {
    "caseload": ("delivery.*",),
    "volunteers": ("volunteers.*",),
    "costs": ("costs.*",),
    "effect": ("effect.*",),
    "adjustments": (
        "adjustments.*",
        "outcomes.*.deadweight",
        "outcomes.*.attribution",
        "outcomes.*.displacement",
        "outcomes.*.drop_off",
    ),
    "outcome_probabilities": ("outcomes.*.probability",),
    "proxies": ("outcomes.*.proxy",),
    "durations": ("outcomes.*.duration",),
}

#: Columns of :attr:`VoiResult.evppi`, in order.
EVPPI_COLUMNS = (
    "scenario",
    "kind",
    "name",
    "paths",
    "evppi",
    "evppi_se",
    "evppi_per_woman",
    "evppi_population",
    "share_of_evpi",
    "r2",
    "terms",
    "basis",
)


@dataclass(frozen=True, repr=False)
class VoiResult(RunFields):
    """Value of information of commissioning each scenario (and the programme).

    Money is in the scenarios' currency at their price year.
    """

    #: What identifies the run: version, seed, draws N, scenario files.
    run: RunInfo
    #: Scenario id -> display name, in run (id) order.
    names: dict[str, str]
    #: Groups of values used for group EVPPI: name -> glob patterns.
    groups: dict[str, tuple[str, ...]]
    #: One row per scenario id (and ``"programme"`` when there are several):
    #: ``name``, ``decision`` (commission / do not commission), ``mean_npv``
    #: [currency], ``prob_npv_positive``, ``mean_users`` [women],
    #: ``value_perfect_info`` (E[max(NPV, 0)]) [currency], ``evpi`` [currency],
    #: ``evpi_se`` (its Monte Carlo standard error) [currency],
    #: ``evpi_per_woman`` [currency per woman supported],
    #: ``evpi_population`` (per woman times :attr:`population_women`, NaN
    #: without a population) [currency].
    evpi: pd.DataFrame
    #: One row per scenario and value or group: ``scenario``, ``kind``
    #: (``value`` or ``group``), ``name`` (dotted path or group name),
    #: ``paths`` (the dotted paths in it, comma separated), ``evppi``
    #: [currency], ``evppi_se`` (Monte Carlo standard error, the fit taken as
    #: exact) [currency], ``evppi_per_woman`` [currency per woman],
    #: ``evppi_population`` [currency], ``share_of_evpi``, ``r2``, ``terms``,
    #: ``basis``; largest EVPPI first within each scenario.
    evppi: pd.DataFrame
    #: What the net benefit counts, e.g. ``"NPV"``.
    net_benefit: str = "NPV"
    #: Women facing the decision each year [women/year], when given.
    population: float | None = None
    #: Years over which the decision recurs [years], when given.
    horizon: int | None = None
    #: Population times the discounted years of the horizon [women]; the
    #: per-woman figures times this are the population figures.
    population_women: float | None = None
    #: The scenarios as options of one choice (with "none"), when asked for.
    choice: Choice | None = None

    def frame(self) -> pd.DataFrame:
        """The EVPPI rows with everything else in ``attrs`` (``method``,
        ``seed``, ``draws``, ``currency``, ``price_year``, ``scenarios``,
        ``groups`` and ``evpi``, one dict per decision): the shape
        ``sroi sensitivity`` prints and turns into JSON."""
        frame = self.evppi.copy()
        evpi_rows = [
            {"scenario": str(sid), **{k: _plain(v) for k, v in row.items()}}
            for sid, row in self.evpi.iterrows()
        ]
        frame.attrs = {
            **self.run.header(method="voi", money=True, files=True),
            "scenarios": list(self.names),
            "titles": {**self.names, PROGRAMME: "Programme (all scenarios)"},
            "groups": {k: list(v) for k, v in self.groups.items()},
            **self._settings(),
            "evpi": evpi_rows,
            "choice": self._choice(),
        }
        return frame

    def _settings(self) -> dict[str, Any]:
        return {
            "net_benefit": self.net_benefit,
            "population": self.population,
            "horizon": self.horizon,
            "population_women": self.population_women,
        }

    def _choice(self) -> dict[str, Any] | None:
        """The choice among options as plain data (None when not asked for)."""
        c = self.choice
        if c is None:
            return None
        women = self.population_women
        return {
            "options": [
                {"option": name, "mean_net_benefit": _finite(mean), "prob_best": _finite(p)}
                for name, mean, p in zip(c.options, c.mean_net_benefit, c.prob_best, strict=True)
            ],
            "chosen": c.chosen,
            "evpi": _finite(c.evpi),
            "evpi_se": _finite(c.evpi_se),
            "evpi_per_woman": _finite(c.evpi_per_woman),
            "evpi_population": None if women is None else _finite(c.evpi_per_woman * women),
        }

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready document (stable keys; NaN and infinities as None)."""
        entries = []
        for sid, row in self.evpi.iterrows():
            rows = self.evppi[self.evppi["scenario"] == sid]
            entry: dict[str, Any] = {"id": sid, "name": row["name"], "decision": row["decision"]}
            for key in (
                "mean_npv",
                "prob_npv_positive",
                "mean_users",
                "value_perfect_info",
                "evpi",
                "evpi_se",
                "evpi_per_woman",
                "evpi_population",
            ):
                entry[key] = _finite(row[key])
            for kind, label in (("value", "values"), ("group", "groups")):
                entry[label] = [
                    {
                        "name": r["name"],
                        "paths": r["paths"].split(","),
                        "evppi": _finite(r["evppi"]),
                        "evppi_se": _finite(r["evppi_se"]),
                        "evppi_per_woman": _finite(r["evppi_per_woman"]),
                        "evppi_population": _finite(r["evppi_population"]),
                        "share_of_evpi": _finite(r["share_of_evpi"]),
                        "r2": _finite(r["r2"]),
                        "terms": int(r["terms"]),
                        "basis": r["basis"],
                    }
                    for _, r in rows[rows["kind"] == kind].iterrows()
                ]
            entries.append(entry)
        return {
            **self.run.header(method="voi", files=True),
            "groups": {k: list(v) for k, v in self.groups.items()},
            **self._settings(),
            "scenarios": [e for e in entries if e["id"] != PROGRAMME],
            "programme": next((e for e in entries if e["id"] == PROGRAMME), None),
            "choice": self._choice(),
        }


def _plain(x: Any) -> Any:
    return x.item() if isinstance(x, np.generic) else x


def _finite(x: Any) -> float | None:
    x = float(x)
    return x if math.isfinite(x) else None


def voi(
    paths: ScenarioLike | Sequence[ScenarioLike],
    draws: int = 10_000,
    seed: int = 0,
    groups: Mapping[str, Sequence[str]] | None = None,
    *,
    population: float | None = None,
    horizon: int | None = None,
    options: bool = False,
    net_benefit: NetBenefit | None = None,
    chunk_size: int | None = DEFAULT_CHUNK,
    perspective: str = "society",
    files: Mapping[str, str] | None = None,
) -> VoiResult:
    """EVPI and EVPPI of commissioning each scenario (and the programme).

    A draw's net benefit is the net present value of ``perspective``
    (:func:`sroi.results.perspective.perspective_draws`): ``npv`` for
    society, public value minus cash cost for the public sector, and so on;
    the ``mean_npv`` and ``prob_npv_positive`` columns are of that net value.

    Parameters
    ----------
    paths : path, Scenario, or a sequence of them
        Scenario files, folders or loaded scenarios; ids must be unique.
    draws : int
        Monte Carlo draws N (at least :data:`MIN_DRAWS`; thousands for stable EVPPI).
    seed : int
        Fixes every random number; the draws are those of ``sroi.run``.
    groups : mapping, optional
        Group name -> glob patterns over dotted paths, e.g.
        ``{"effect": ["effect.*"], "proxies": ["outcomes.*.proxy"]}``;
        default :data:`DEFAULT_GROUPS`.  Groups matching no uncertain value
        of a scenario are left out for it.
    population : float, optional
        Women facing the decision each year [women/year]; with ``horizon``,
        adds EVPI and EVPPI for that population over the horizon,
        discounted with the scenarios' schedule.
    horizon : int, optional
        Years the decision recurs [years]; given with ``population``.
    options : bool
        Also weigh the scenarios as options of one choice (which one, if
        any), draw by draw in the same run: multi-option EVPI.
    net_benefit : NetBenefit, optional
        What a draw's net benefit is, for a view no perspective names;
        default the perspective's (:func:`perspective_net_benefit`).
    chunk_size : int, optional
        Draws per unit of work [draws]; changes memory, not results.
        None: one block (16,384 draws), as by default.
    perspective : str
        Whose value and which cost count (:data:`sroi.vocabulary.PERSPECTIVES`).
    files : mapping, optional
        Scenario id -> the file a loaded scenario came from, for the run
        header's file names and SHA-256.

    Raises
    ------
    PopulationError
        For a population or horizon that cannot scale the results (only one
        of them given, not positive, or scenarios discounting differently).

    Examples
    --------
    >>> r = voi("scenarios/family_action_pss/oxford.yaml", draws=400, seed=1)
    >>> bool(r.evpi.loc["oxford", "evpi"] >= r.evppi["evppi"].max() >= 0)
    True
    >>> r = voi("scenarios/family_action_pss/oxford.yaml", draws=400, seed=1,
    ...         groups={}, population=100, horizon=1)
    >>> row = r.evpi.loc["oxford"]
    >>> bool(row["evpi_population"] == row["evpi_per_woman"] * 100)
    True
    """
    import pandas as pd

    draws = whole("draws", draws, 1)
    if draws < MIN_DRAWS:
        raise ValueError(f"value of information needs at least {MIN_DRAWS} draws; found {draws}")
    if groups is not None and not isinstance(groups, Mapping):
        raise ValueError(f"groups must map names to lists of patterns; found {groups!r}")
    if (population is None) != (horizon is None):
        raise PopulationError("give both a population and a horizon, or neither")
    women = None
    if population is not None and horizon is not None:
        women = population_factor(load_scenarios(paths), population, horizon)
    chosen = {k: tuple(v) for k, v in (DEFAULT_GROUPS if groups is None else groups).items()}
    if net_benefit is None:
        net_benefit = perspective_net_benefit(perspective)
    elif check_perspective(perspective).id != "society":
        raise ValueError("give a perspective or a net benefit, not both")
    wanted = tuple(dict.fromkeys((*net_benefit.metrics, "users")))
    found = collect(paths, draws, seed, wanted, inputs=True, chunk_size=chunk_size, files=files)
    titles = {**found.names, PROGRAMME: "Programme (all scenarios)"}
    evpi_rows: list[dict[str, Any]] = []
    evppi_rows: list[dict[str, Any]] = []
    columns = regressors(found)
    benefits = {name: net_benefit.of(found.metrics[name]) for name in columns}
    for name, cols in columns.items():
        row, values = decision(
            benefits[name], found.metrics[name]["users"], cols, chosen, population=women
        )
        evpi_rows.append({"scenario": name, "name": titles[name], **row})
        evppi_rows.extend({"scenario": name, **v} for v in values)
    evpi_frame = pd.DataFrame(evpi_rows).set_index("scenario")
    order = {name: i for i, name in enumerate(columns)}
    evppi_frame = pd.DataFrame(evppi_rows, columns=list(EVPPI_COLUMNS))
    evppi_frame = (
        evppi_frame.assign(_order=evppi_frame["scenario"].map(order))
        .sort_values(["_order", "kind", "evppi"], ascending=[True, False, False], kind="stable")
        .drop(columns="_order")
        .reset_index(drop=True)
    )
    among = None
    if options:
        ids = found.ids
        among = choice(
            ids,
            np.vstack([benefits[sid] for sid in ids]),
            np.vstack([found.metrics[sid]["users"] for sid in ids]),
        )
    return VoiResult(
        replace(found.run, perspective=perspective),
        dict(found.names),
        chosen,
        evpi_frame,
        evppi_frame,
        net_benefit=net_benefit.label,
        population=population,
        horizon=horizon,
        population_women=women,
        choice=among,
    )


def regressors(found: Draws) -> dict[str, dict[str, list[np.ndarray]]]:
    """The sampled values to regress on, per decision: a scenario's own
    uncertain values; for the programme (several scenarios), each value at
    every site (a shared value once per site; :func:`evppi` drops the copies)."""
    columns: dict[str, dict[str, list[np.ndarray]]] = {}
    for sid, own in zip(found.ids, found.inputs, strict=True):
        columns[sid] = {p: [v] for p, v in own.items()}
    if len(found.ids) > 1:
        merged: dict[str, list[np.ndarray]] = {}
        for own in found.inputs:
            for p, v in own.items():
                merged.setdefault(p, []).append(v)
        columns[PROGRAMME] = merged
    return columns


__all__ = [
    "ADDITIVE_KNOTS",
    "DEFAULT_GROUPS",
    "MAX_TERMS",
    "NPV",
    "SPLINE_KNOTS",
    "Fit",
    "NetBenefit",
    "VoiResult",
    "decision",
    "evpi",
    "evppi",
    "regressors",
    "standard_error",
    "voi",
]
