"""Everything a report shows, gathered once from scenarios and their run.

:func:`build` takes the loaded scenarios and the :class:`~sroi.results.Results`
of running them with ``keep_outcomes=True`` (each outcome's own quantity and
present value, kept by the run itself), and adds the evidence profile, the
bibliography, the manifest and the one-way sensitivity analysis.  The HTML
page (:mod:`sroi.reports.html`) and the workbook (:mod:`sroi.reports.xlsx`)
only format a :class:`Report`.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from sroi.analysis.oneway import oneway
from sroi.analysis.subject import AnalysisError
from sroi.engine.outcomes import OutcomeValues
from sroi.reports.evidence import EvidenceProfile, profile
from sroi.reports.manifest import Manifest, manifest
from sroi.reports.sources import Reference, bibliography
from sroi.reports.style import short_name
from sroi.results.cautions import ScenarioCaution, scenario_cautions
from sroi.results.results import Results
from sroi.scenario.model import Scenario

if TYPE_CHECKING:
    import pandas as pd


@dataclass(frozen=True)
class Report:
    """The contents of a report.

    scenarios : tuple of Scenario
        In the run's order (by id).
    outcomes : dict
        Scenario id -> each outcome's quantity and PV, base case and per draw.
    sensitivity : DataFrame or None
        One-way sensitivity of the SROI ratio (columns ``path, input_low,
        input_central, input_high, metric_low, metric_high, swing, base``);
        None when it could not be made, with the reason in ``sensitivity_note``.
    sensitivity_scope : str
        What the sensitivity analysis is of, e.g. "the programme".
    """

    title: str
    scenarios: tuple[Scenario, ...]
    results: Results
    outcomes: dict[str, OutcomeValues]
    evidence: EvidenceProfile
    references: list[Reference]
    manifest: Manifest
    sensitivity: pd.DataFrame | None
    sensitivity_scope: str
    sensitivity_note: str

    @functools.cached_property
    def cautions(self) -> dict[str, list[ScenarioCaution]]:
        """What to check before trusting each scenario's results, by scenario
        id (:func:`~sroi.results.cautions.scenario_cautions` of the scenarios
        as run), worked out once for the page and the workbook."""
        return {s.id: scenario_cautions(s) for s in self.results.loaded}

    @property
    def currency(self) -> str:
        """Currency of the first scenario (a run may mix; labels use this)."""
        return self.results.scenarios[0].currency

    @property
    def price_year(self) -> int:
        """Price year of the first scenario."""
        return self.results.scenarios[0].price_year


def default_title(scenarios: Sequence[Scenario]) -> str:
    """A title naming the scenarios.

    >>> import sroi
    >>> default_title([sroi.load_scenario("scenarios/family_action_pss/oxford.yaml")])
    'Social return on investment: Oxford (Family Action Perinatal Support Service pilot)'
    """
    if len(scenarios) == 1:
        return f"Social return on investment: {scenarios[0].name}"
    names = ", ".join(short_name(s.name) for s in scenarios)
    return f"Social return on investment: {len(scenarios)} sites ({names})"


def sensitivity(
    scenarios: Sequence[Scenario], metric: str | None = None, perspective: str = "society"
) -> tuple[pd.DataFrame | None, str]:
    """One-way sensitivity of ``metric`` (default: the return of
    ``perspective``) from :mod:`sroi.analysis.oneway`, or None and the reason
    it could not be made."""
    try:
        frame = oneway(list(scenarios), metric=metric, perspective=perspective)
    except AnalysisError as exc:  # the analysis declined these scenarios: say why
        return None, f"One-way sensitivity analysis could not be made: {exc}"
    return frame, ""


def build(
    scenarios: Scenario | Sequence[Scenario],
    results: Results,
    *,
    title: str | None = None,
    generated: datetime | None = None,
    command: str | None = None,
    with_sensitivity: bool = True,
) -> Report:
    """Gather a report's contents.

    Parameters
    ----------
    scenarios : Scenario or sequence of Scenario
        The scenarios that were run, in any order.  Where ``results`` hold
        the scenarios as run (:attr:`Results.loaded`: at the run's price
        year, say), the report describes those.
    results : Results
        Their run, made with ``sroi.run(..., keep_outcomes=True)`` so that it
        holds each outcome's values.
    generated : datetime, optional
        Time stamp for the manifest (default: now, UTC).
    command : str, optional
        The command line, for the manifest.
    with_sensitivity : bool
        Run the one-way sensitivity analysis for the tornado chart.

    Raises
    ------
    TypeError
        When ``scenarios`` holds something other than a Scenario (a path).
    ValueError
        When the scenarios are not those of the run, or the run did not keep
        each outcome's values.
    """
    if isinstance(scenarios, Scenario):
        scenarios = [scenarios]
    for s in scenarios:
        if not isinstance(s, Scenario):
            raise TypeError(
                f"expected the Scenario objects that were run; found {type(s).__name__} "
                "(load a file with sroi.load_scenario, or pass results.loaded)"
            )
    by_id = {s.id: s for s in scenarios}
    wanted = [info.id for info in results.scenarios]
    if sorted(by_id) != sorted(wanted):
        raise ValueError(f"scenarios {sorted(by_id)} are not those of the results {sorted(wanted)}")
    # The scenarios as run, which a run at another price year re-expressed:
    # the money inputs and value map must show what the results were made from.
    as_run = {s.id: s for s in results.loaded}
    ordered = tuple(as_run.get(i, by_id[i]) for i in wanted)
    if results.outcomes is None:
        raise ValueError(
            "these results do not hold each outcome's values, which the value map needs; "
            "make them with sroi.run(..., keep_outcomes=True)"
        )
    values = results.outcomes
    if with_sensitivity:
        frame, note = sensitivity(ordered, perspective=results.perspective)
    else:
        frame, note = None, "Not requested."
    scope = "the programme" if len(ordered) > 1 else short_name(ordered[0].name)
    return Report(
        title=title or default_title(ordered),
        scenarios=ordered,
        results=results,
        outcomes=values,
        evidence=profile(ordered, results, values),
        references=bibliography(ordered),
        manifest=manifest(results, generated, command),
        sensitivity=frame,
        sensitivity_scope=scope,
        sensitivity_note=note,
    )
