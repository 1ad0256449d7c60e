"""Where things sit on the Value map and Discounting sheets, which the Cash
flows and Summary sheets refer to by formula."""

from __future__ import annotations

from sroi.reports.report import Report
from sroi.reports.xlsx._cells import _letter

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
    ("proxy", "Financial proxy [currency/unit/year]", 14),
    ("deadweight", "Deadweight", 11),
    ("attribution", "Attribution", 11),
    ("displacement", "Displacement", 12),
    ("drop_off", "Drop-off [per year]", 11),
    ("duration", "Duration [years]", 10),
    ("lag", "Lag [years]", 8),
    ("source", "Proxy source", 18),
    ("evidence", "Proxy evidence", 18),
)
_HEADER_ROW = 4
_INDEX_ROW = 3  # holds t or y for the per-year columns
_FIRST = 5


class _Layout:
    """Column positions of the Value map and Discounting sheets."""

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
        self.df_rows: dict[str, int] = {}  # site -> row of the value discount factors

    def c(self, name: str) -> str:
        """Letter of a fixed Value map column."""
        return _letter(self.col[name])

    def df_range(self, site: str, cost: bool = False) -> str:
        """The Discounting cells of one site's value (or cost) discount factors."""
        row = self.df_rows[site] + (1 if cost else 0)
        first, last = _letter(self.df_first), _letter(self.df_first + self.horizon - 1)
        return f"Discounting!${first}${row}:${last}${row}"
