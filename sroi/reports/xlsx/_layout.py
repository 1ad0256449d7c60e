"""Where things sit on the Value map and Discounting sheets, which the Cash
flows and Summary sheets refer to by formula."""

from __future__ import annotations

from sroi.reports.report import Report
from sroi.reports.xlsx._cells import _letter
from sroi.scenario.model import Outcome, Scenario

#: Value map: fixed columns, in order (name, heading, width).
_FIXED = (
    ("site", "Site", 14),
    ("outcome", "Outcome id", 24),
    ("label", "Outcome", 40),
    ("stakeholder", "Stakeholder", 26),
    ("indicator", "Indicator", 34),
    ("payer", "Payer", 16),
    ("value_type", "Value type", 10),
    ("cashable", "Cashable", 9),
    ("per", "Driver (per)", 13),
    ("probability", "Probability (share of driver)", 12),
    ("proxy_written", "Proxy as written [currency/unit/year]", 14),
    ("price_year", "Proxy price year", 9),
    ("price_factor", "Price factor (to scenario prices)", 10),
    ("proxy", "Financial proxy [currency/unit/year]", 14),
    ("deadweight", "Deadweight", 11),
    ("attribution", "Attribution", 11),
    ("displacement", "Displacement", 12),
    ("drop_off", "Drop-off [per year]", 11),
    ("duration", "Duration [years]", 10),
    ("lag", "Lag [years]", 8),
    ("schedule", "Discount schedule", 16),
    ("spread", "Spread (Spreads sheet row)", 10),
    ("source", "Proxy source", 18),
    ("evidence", "Proxy evidence", 18),
)
_HEADER_ROW = 4
_INDEX_ROW = 3  # holds t or y for the per-year columns
_FIRST = 5


def value_schedule(s: Scenario, o: Outcome) -> str:
    """The discount schedule of an outcome's value: its own, else the scenario's."""
    return o.discount_schedule or s.discounting.schedule


def cost_schedule(s: Scenario) -> str:
    """The discount schedule of a scenario's costs (green_book_health discounts
    costs at the green_book rates)."""
    d = s.discounting.schedule
    return "green_book" if d == "green_book_health" else d


def schedules(s: Scenario) -> list[str]:
    """Every schedule a scenario uses, the scenario's first."""
    used = [s.discounting.schedule, cost_schedule(s)]
    used += [value_schedule(s, o) for o in s.outcomes.values()]
    return list(dict.fromkeys(used))


class _Layout:
    """Column positions of the Value map, Discounting and Spreads sheets."""

    def __init__(self, report: Report) -> None:
        self.years = max(s.years for s in report.scenarios)  # cohort years T
        self.horizon = max(f.horizon for f in report.results.base_flows.values())  # H
        self.col = {name: i for i, (name, _, _) in enumerate(_FIXED, 1)}
        start = len(_FIXED) + 1
        self.driver = [start + t for t in range(self.years)]
        self.quantity = [start + self.years + t for t in range(self.years)]
        self.impact = [start + 2 * self.years + t for t in range(self.years)]
        self.value = [start + 3 * self.years + y for y in range(self.horizon)]
        self.pv = start + 3 * self.years + self.horizon
        self.engine_pv = self.pv + 1
        self.check = self.pv + 2
        # Discounting sheet: A site, B schedule, C convention, D discount costs,
        # E what the row holds, F.. one column per analysis year.
        self.df_first = 6
        #: (site, schedule) -> row of that schedule's discount factors.
        self.df_rows: dict[tuple[str, str], int] = {}
        #: site -> row of the factors applied to cost.
        self.cost_rows: dict[str, int] = {}
        #: (site, outcome) -> row of its spread on the Spreads sheet.
        self.spread_rows: dict[tuple[str, str], int] = {}
        #: Spreads sheet: A site, B outcome, C start, D years, E.. the weights.
        self.weights_first = 5
        self.max_spread = max(
            (o.spread.years for s in report.scenarios for o in s.outcomes.values() if o.spread),
            default=1,
        )

    def c(self, name: str) -> str:
        """Letter of a fixed Value map column."""
        return _letter(self.col[name])

    def _row_range(self, row: int) -> str:
        first, last = _letter(self.df_first), _letter(self.df_first + self.horizon - 1)
        return f"Discounting!${first}${row}:${last}${row}"

    def df_range(self, site: str, schedule: str) -> str:
        """The Discounting cells of one site's discount factors on ``schedule``."""
        return self._row_range(self.df_rows[(site, schedule)])

    def df_cell(self, site: str, schedule: str, year: int) -> str:
        """The Discounting cell of one discount factor."""
        return f"Discounting!${_letter(self.df_first + year)}${self.df_rows[(site, schedule)]}"

    def cost_df_cell(self, site: str, year: int) -> str:
        """The Discounting cell of the factor applied to one year's cost."""
        return f"Discounting!${_letter(self.df_first + year)}${self.cost_rows[site]}"

    def weights_range(self, site: str, outcome: str) -> str:
        """The Spreads cells of one outcome's weights (as many as its years)."""
        row = self.spread_rows[(site, outcome)]
        first = _letter(self.weights_first)
        last = _letter(self.weights_first + self.max_spread - 1)
        return f"Spreads!${first}${row}:${last}${row}"
