"""The value map (SROI Guide stage 4): one row per outcome per site.

Each row follows the Guide's columns: stakeholder, outcome, indicator,
quantity, financial proxy and its source, deadweight, attribution,
displacement, drop-off, duration and present value.  Inputs carry the 90%
range of their distribution (5th to 95th percentile); quantity and present
value carry the 90% interval of the run's draws.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from sroi.engine.outcomes import OutcomeValues
from sroi.reports.inputs import interval
from sroi.scenario.model import Scenario
from sroi.scenario.values import Value

#: Per-outcome adjustments, which fall back to the scenario's ``adjustments``.
ADJUSTMENTS = ("deadweight", "attribution", "displacement", "drop_off")


@dataclass(frozen=True)
class Cell:
    """A number with its 90% range and provenance.

    central : float
        Base-case value [unit of the column].
    p5, p95 : float
        90% range: of the input's distribution, or of the run's draws for
        quantity and present value; equal to ``central`` when fixed, NaN when
        there were no draws.
    path : str
        Dotted path of the input in the scenario ('' for computed cells).
    inherited : bool
        True when an adjustment comes from the scenario-wide ``adjustments``.
    """

    central: float
    p5: float
    p95: float
    path: str = ""
    source: str | None = None
    evidence: str | None = None
    note: str | None = None
    inherited: bool = False

    @property
    def fixed(self) -> bool:
        """True when there is no range to show."""
        return not (math.isfinite(self.p5) and math.isfinite(self.p95)) or self.p5 == self.p95


def input_cell(value: Value, path: str, inherited: bool = False) -> Cell:
    """A cell for an input value, its range from its distribution."""
    p5, p95 = interval(value)
    note = " ".join(value.note.split()) if value.note else None
    return Cell(value.central(), p5, p95, path, value.source, value.evidence, note, inherited)


def draws_cell(base: float, draws: np.ndarray | None) -> Cell:
    """A cell for a computed quantity, its range from the run's draws."""
    if draws is None or draws.size == 0:
        return Cell(base, math.nan, math.nan)
    p5, p95 = np.percentile(draws, [5.0, 95.0])
    return Cell(base, float(p5), float(p95))


@dataclass(frozen=True)
class ValueMapRow:
    """One outcome of one scenario in the value map."""

    scenario: str
    outcome: str
    label: str
    stakeholder: str
    indicator: str | None
    payer: str
    value_type: str
    cashable: bool
    #: Driver of the quantity (the outcome's ``per``).
    per: str
    #: Share of the driver that experiences the outcome [fraction].
    probability: Cell
    #: Quantity over all cohort years: driver x probability [units of ``per``].
    quantity: Cell
    #: Financial proxy [currency per unit per year].
    proxy: Cell
    deadweight: Cell
    attribution: Cell
    displacement: Cell
    drop_off: Cell
    #: Duration [years].
    duration: Cell
    #: Years from the cohort year to the first value [years].
    lag: int
    #: Financial year whose prices the proxy is written in.
    proxy_year: int
    #: ``(start, years)`` of the outcome's spread: its value, a present value
    #: at the lag, is paid out over ``years`` years from ``start`` years
    #: after it; None without a spread.
    spread: tuple[int, int] | None
    #: Present value [currency].
    pv: Cell

    @property
    def adjustments(self) -> dict[str, Cell]:
        """Deadweight, attribution, displacement and drop-off by name."""
        return {name: getattr(self, name) for name in ADJUSTMENTS}


def rows(scenario: Scenario, values: OutcomeValues) -> list[ValueMapRow]:
    """The value map of one scenario, in the scenario's outcome order."""
    out = []
    for oid, o in scenario.outcomes.items():
        p = f"outcomes.{oid}"
        adjustments = {}
        for name in ADJUSTMENTS:
            own = getattr(o, name)
            if own is not None:
                adjustments[name] = input_cell(own, f"{p}.{name}")
            else:
                default = getattr(scenario.adjustments, name)
                adjustments[name] = input_cell(default, f"adjustments.{name}", inherited=True)
        out.append(
            ValueMapRow(
                scenario=scenario.id,
                outcome=oid,
                label=o.label,
                stakeholder=o.stakeholder,
                indicator=o.indicator,
                payer=o.payer,
                value_type=o.value_type,
                cashable=o.cashable,
                per=o.per,
                probability=input_cell(o.probability, f"{p}.probability"),
                quantity=draws_cell(values.base_quantity[oid], values.quantity.get(oid)),
                proxy=input_cell(o.proxy, f"{p}.proxy"),
                duration=input_cell(o.duration, f"{p}.duration"),
                lag=int(o.lag.central()),
                proxy_year=o.proxy.price_year or scenario.price_year,
                spread=None if o.spread is None else (o.spread.start, o.spread.years),
                pv=draws_cell(values.base_pv[oid], values.pv.get(oid)),
                **adjustments,
            )
        )
    return out


def total_pv(values: OutcomeValues) -> Cell:
    """Present value of all outcomes together, base case and draws [currency]."""
    base = sum(values.base_pv.values())
    draws = sum(values.pv.values()) if values.pv else None
    return draws_cell(base, np.asarray(draws) if draws is not None else None)
