"""A site's sheet: the whole model of one scenario as live formulas.

From the top: the site's inputs (named entry cells), the caseload and
volunteer hours by delivery year, each cost line by its driver with
overheads, optimism bias and volunteer time in kind, the discount factors of
each schedule, each outcome's value by year (:mod:`.site_outcomes`), and the
results (:mod:`.site_results`).  The equations are those of
docs/methodology.md; each row says how it is computed in column B.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from sroi.engine.discounting import annual_rates
from sroi.prices import financial_year
from sroi.reports.xlsx._cells import Kind, Sheet, ref
from sroi.reports.xlsx._grid import HEADER_ROW, HEADINGS, YEAR0, Grid
from sroi.scenario.model import Scenario, scenario_values
from sroi.scenario.money import is_money_path
from sroi.vocabulary import COST_DRIVERS

if TYPE_CHECKING:
    from xlsxwriter.workbook import Workbook


def cost_schedule(s: Scenario) -> str:
    """The discount schedule of a scenario's costs (green_book_health
    discounts costs at the green_book rates)."""
    d = s.discounting.schedule
    return "green_book" if d == "green_book_health" else d


def value_schedule(s: Scenario, outcome_id: str) -> str:
    """The discount schedule of an outcome's value: its own, else the scenario's."""
    return s.outcomes[outcome_id].discount_schedule or s.discounting.schedule


def schedules(s: Scenario) -> list[str]:
    """Every schedule a scenario uses, the scenario's own first."""
    used = [s.discounting.schedule, cost_schedule(s)]
    used += [value_schedule(s, oid) for oid in s.outcomes]
    return list(dict.fromkeys(used))


def _kind(path: str) -> Kind:
    """How an input is shown."""
    last = path.rsplit(".", 1)[-1]
    if is_money_path(path):
        return "money_unit"
    if last in ("uptake", "engagement", "turnover", "on_costs", "overhead_rate", "optimism_bias"):
        return "share"
    if last in ("risk_without", "risk_with", "relative_risk", "rate"):
        return "share" if last != "relative_risk" else "ratio"
    if path.startswith("adjustments."):
        return "share"
    return "number"


@dataclass
class SiteRows:
    """Where one site's sheet keeps what other sheets read, and their values."""

    #: Sheet title.
    title: str
    scenario: Scenario
    #: Per-year rows by key -> row: each driver by its formula's name in
    #: :mod:`sroi.engine.drivers` ("referrals", "cases_averted", ...), "cost",
    #: "cash_cost", "value.<payer>", "value", "value_discounted" and so on.
    rows: dict[str, int] = field(default_factory=dict)
    #: Their values by year [as on the sheet].
    values: dict[str, np.ndarray] = field(default_factory=dict)
    #: Discount factor rows by schedule, and "costs" for the factors applied to cost.
    discount_rows: dict[str, int] = field(default_factory=dict)
    #: Named cells of inputs a formula reads -> value at the scenario's prices.
    names: dict[str, float] = field(default_factory=dict)
    #: Per outcome: "quantity", "proxy", "pv" and each adjustment -> (reference, value).
    outcomes: dict[str, dict[str, tuple[str, float]]] = field(default_factory=dict)
    #: Results by metric key -> (absolute reference in column C, value).
    results: dict[str, tuple[str, float | str]] = field(default_factory=dict)


class SiteWriter(Grid):
    """Writes the inputs, caseload, costs and discounting of one site."""

    def __init__(
        self, wb: Workbook, sheet: Sheet, scenario: Scenario, horizon: int, title: str
    ) -> None:
        super().__init__(wb, sheet, scenario, horizon)
        self.out = SiteRows(title, scenario)
        self.years = scenario.years

    def keep(self, key: str, row: int, values: np.ndarray) -> np.ndarray:
        """Remember a per-year row; returns its values padded to the horizon."""
        padded = np.zeros(self.horizon)
        padded[: len(values)] = values
        self.out.rows[key] = row
        self.out.values[key] = padded
        return padded

    def header(self, currency: str, price_year: int) -> None:
        """Title, note and the header row with the year numbers."""
        sh = self.sheet
        sh.heading(
            0,
            f"{self.s.name}: the model, live",
            f"Money in {currency} at FY {financial_year(price_year)} prices. Blue on yellow cells "
            "are the base "
            "case's inputs: change one and every row below, the Summary and the Cash flows "
            "follow. Column B gives each input's name, used by the formulas, or how the row "
            "is computed.",
        )
        sh.header(HEADER_ROW, HEADINGS)
        year_fmt = sh.fmt.get("year_header", header=True)
        for y in range(self.horizon):
            sh.ws.write_number(HEADER_ROW, YEAR0 + y, y, year_fmt)

    # ------------------------------------------------------------------ inputs

    def inputs(self) -> None:
        """Every scenario-wide input (outcomes keep theirs in their own block)."""
        self.section("Inputs", "Base-case values; every money value with its price conversion")
        self.info("Delivery years", f"{self.years} (one column each; structure, not an input)")
        for path in scenario_values(self.s):
            if path.startswith("outcomes.") or path.startswith("delivery.ramp"):
                continue
            if path == "delivery.years":
                continue
            name, value = self.input(path, _kind(path))
            self.out.names[name] = value
        v, d = self.s.volunteers, self.s.discounting
        self.flag(
            "volunteers.value_time_as_input",
            "Count volunteer time as a cost",
            v.value_time_as_input,
        )
        self.flag("discounting.discount_costs", "Discount costs", d.discount_costs)
        self.info("Discount schedule", d.schedule)
        self.info("Discounting convention", d.convention)
        self.out.names["volunteers.value_time_as_input"] = float(v.value_time_as_input)
        self.out.names["discounting.discount_costs"] = float(d.discount_costs)

    def n(self, name: str) -> float:
        """The base-case value of a named input."""
        return self.out.names[name]

    # ------------------------------------------------------------------ caseload

    def caseload(self) -> None:
        """Referrals to cases averted, and the volunteers' hours, by delivery year."""
        self.section("Caseload and volunteer hours", "By delivery year")
        t_years = self.years
        c = self.year_cell
        if self.s.delivery.ramp is not None:
            ramp_values = self.s.ramp()
            ramp = self.entries("Ramp", "delivery.ramp_<year>", ramp_values, "ratio")
            for t in range(t_years):
                name = f"delivery.ramp_{t}"
                self.define(name, ref(ramp, YEAR0 + t, fix_row=True, fix_col=True))
        else:
            ramp_values = [1.0] * t_years
            ramp = self.constants("Ramp", "none given: 1 each year", ramp_values)
        r_ramp = np.asarray(ramp_values)
        referrals = r_ramp * self.n("delivery.referrals_per_year")
        row = self.yearly(
            "Referrals",
            "referrals per year × ramp",
            "women",
            lambda y: f"=delivery.referrals_per_year*{c(ramp, y)}",
            referrals,
            "count",
        )
        self.keep("referrals", row, referrals)
        before = referrals * self.n("delivery.uptake")
        r_before = self.yearly(
            "Users before any capacity cap" if self._capped() else "Users",
            "referrals × uptake",
            "women",
            lambda y: f"={c(row, y)}*delivery.uptake",
            before,
            "count",
        )
        users, r_users = before, r_before
        if self._capped():
            cap = self.n("volunteers.pool") * self.n("volunteers.max_users_per_volunteer")
            capacity = np.full(t_years, cap)
            r_cap = self.yearly(
                "Capacity",
                "pool × users per volunteer",
                "women",
                lambda y: "=volunteers.pool*volunteers.max_users_per_volunteer",
                capacity,
                "count",
                total=False,
            )
            users = np.minimum(before, capacity)
            r_users = self.yearly(
                "Users",
                "the smaller of the two",
                "women",
                lambda y: f"=MIN({c(r_before, y)},{c(r_cap, y)})",
                users,
                "count",
            )
        self.keep("users", r_users, users)
        engaged = users * self.n("delivery.engagement")
        r_engaged = self.yearly(
            "Engaged users",
            "users × engagement",
            "women",
            lambda y: f"={c(r_users, y)}*delivery.engagement",
            engaged,
            "count",
        )
        self.keep("engaged_users", r_engaged, engaged)
        without = self.n("effect.risk_without")
        if self.s.effect.relative_risk is not None:
            risk_with = without * self.n("effect.relative_risk")
            self.scalar(
                "Risk of onset with the service",
                "",
                "=effect.risk_without*effect.relative_risk",
                risk_with,
                "share",
                name="effect.risk_with",
            )
        else:
            risk_with = self.n("effect.risk_with")
        reduction = without - risk_with
        self.scalar(
            "Risk reduction",
            "",
            "=effect.risk_without-effect.risk_with",
            reduction,
            "share",
            name="effect.risk_reduction",
        )
        cases = engaged * reduction
        r_cases = self.yearly(
            "Cases of perinatal depression averted",
            "engaged users × risk reduction",
            "cases",
            lambda y: f"={c(r_engaged, y)}*effect.risk_reduction",
            cases,
            "count",
            bold=True,
        )
        self.keep("cases_averted", r_cases, cases)
        self._volunteers(users)

    def _capped(self) -> bool:
        return self.s.volunteers.max_users_per_volunteer is not None

    def _volunteers(self, users: np.ndarray) -> None:
        t_years, c = self.years, self.year_cell
        pool_n = self.n("volunteers.pool")
        pool = np.full(t_years, pool_n)
        r_pool = self.yearly(
            "Volunteers in the pool", "", "volunteers", lambda y: "=volunteers.pool", pool, "count"
        )
        self.keep("volunteers", r_pool, pool)
        recruited = np.where(
            np.arange(t_years) == 0, pool_n, pool_n * self.n("volunteers.turnover")
        )
        r_rec = self.yearly(
            "Volunteers recruited",
            "the pool in year 0, pool × turnover after",
            "volunteers",
            lambda y: (
                f"=IF({self.year_index(y)}=0,volunteers.pool,volunteers.pool*volunteers.turnover)"
            ),
            recruited,
            "count",
        )
        self.keep("volunteers_recruited", r_rec, recruited)
        contact = users * self.n("volunteers.hours_per_user")
        r_contact = self.yearly(
            "Befriending contact hours",
            "users × hours per user",
            "hours",
            lambda y: f"={c(self.out.rows['users'], y)}*volunteers.hours_per_user",
            contact,
            "hours",
        )
        self.keep("contact_hours", r_contact, contact)
        hours = (
            contact
            + recruited * self.n("volunteers.training_hours")
            + pool * self.n("volunteers.supervision_hours_per_year")
        )
        r_hours = self.yearly(
            "Volunteer hours",
            "contact + recruited × training + pool × supervision",
            "hours",
            lambda y: (
                f"={c(r_contact, y)}+{c(r_rec, y)}*volunteers.training_hours"
                f"+{c(r_pool, y)}*volunteers.supervision_hours_per_year"
            ),
            hours,
            "hours",
            bold=True,
        )
        self.keep("volunteer_hours", r_hours, hours)
        every = self.constants("Every delivery year", "1 each year", [1.0] * t_years)
        self.keep("every_year", every, np.ones(t_years))
        first = [1.0 if t == 0 else 0.0 for t in range(t_years)]
        r_first = self.constants("First year only", "1 in year 0, else 0", first)
        self.keep("first_year", r_first, np.asarray(first))

    # ------------------------------------------------------------------ costs

    def costs(self) -> None:
        """Each cost line by its driver, overheads, optimism bias and time in kind."""
        self.section("Costs", "By delivery year; undiscounted")
        t_years, c = self.years, self.year_cell
        v = self.out.values
        coordinator = np.full(
            t_years,
            self.n("costs.coordinator.fte")
            * self.n("costs.coordinator.salary")
            * (1 + self.n("costs.coordinator.on_costs")),
        )
        first = self.yearly(
            "Co-ordinator",
            "FTE × salary × (1 + on-costs)",
            self.s.currency,
            lambda y: (
                "=costs.coordinator.fte*costs.coordinator.salary*(1+costs.coordinator.on_costs)"
            ),
            coordinator,
            "money",
        )
        lines = [coordinator]
        for line_id, line in self.s.costs.lines.items():
            name = f"costs.lines.{line_id}.amount"
            driver = COST_DRIVERS[line.per].formula
            driver_row = self.out.rows[driver]
            amount = self.n(name) * v[driver][:t_years]
            lines.append(amount)
            self.yearly(
                line.label,
                f"amount × {COST_DRIVERS[line.per].units}",
                self.s.currency,
                [f"={name}*{c(driver_row, y)}" for y in range(t_years)],
                amount,
                "money",
            )
        expenses = v["contact_hours"][:t_years] * self.n("volunteers.expenses_per_hour")
        lines.append(expenses)
        last = self.yearly(
            "Volunteer expenses",
            "contact hours × expenses per hour",
            self.s.currency,
            lambda y: f"={c(self.out.rows['contact_hours'], y)}*volunteers.expenses_per_hour",
            expenses,
            "money",
        )
        before = np.sum(lines, axis=0)
        r_before = self.yearly(
            "Cash cost before overheads",
            "sum of the lines above",
            self.s.currency,
            lambda y: f"=SUM({c(first, y)}:{c(last, y)})",
            before,
            "money",
        )
        overheads = before * self.n("costs.overhead_rate")
        r_over = self.yearly(
            "Overheads",
            "cash cost × overhead rate",
            self.s.currency,
            lambda y: f"={c(r_before, y)}*costs.overhead_rate",
            overheads,
            "money",
        )
        bias = (before + overheads) * self.n("costs.optimism_bias")
        r_bias = self.yearly(
            "Optimism bias",
            "(cash cost + overheads) × optimism bias",
            self.s.currency,
            lambda y: f"=({c(r_before, y)}+{c(r_over, y)})*costs.optimism_bias",
            bias,
            "money",
        )
        cash = before + overheads + bias
        r_cash = self.yearly(
            "Cash cost",
            "cash cost + overheads + optimism bias",
            self.s.currency,
            lambda y: f"={c(r_before, y)}+{c(r_over, y)}+{c(r_bias, y)}",
            cash,
            "money",
            bold=True,
        )
        self.keep("cash_cost", r_cash, cash)
        in_kind = (
            v["volunteer_hours"][:t_years]
            * self.n("volunteers.value_per_hour")
            * self.n("volunteers.value_time_as_input")
        )
        r_kind = self.yearly(
            "Volunteer time in kind",
            "volunteer hours × value per hour (when counted)",
            self.s.currency,
            lambda y: (
                f"={c(self.out.rows['volunteer_hours'], y)}*volunteers.value_per_hour"
                "*volunteers.value_time_as_input"
            ),
            in_kind,
            "money",
        )
        cost = cash + in_kind
        r_cost = self.yearly(
            "Cost",
            "cash cost + volunteer time in kind",
            self.s.currency,
            lambda y: f"={c(r_cash, y)}+{c(r_kind, y)}",
            cost,
            "money",
            bold=True,
        )
        self.keep("cost", r_cost, cost)

    # ------------------------------------------------------------------ discounting

    def discounting(self) -> None:
        """Rates and discount factors of every schedule the site uses."""
        d = self.s.discounting
        self.section(
            "Discount factors",
            "factor = previous factor / (1 + rate on reaching the year), from 1",
        )
        big_h, c = self.horizon, self.year_cell
        for schedule in schedules(self.s):
            rates = self._rates(schedule)
            if schedule == "constant":
                r_rate = self.yearly(
                    "Rate on reaching the year (constant)",
                    "discounting.rate (0 in year 0 under the green_book convention)",
                    "per year",
                    lambda y: "=0" if self._undiscounted(y) else "=discounting.rate",
                    np.asarray(rates),
                    "share",
                    total=False,
                )
            else:
                r_rate = self.entries(
                    f"Rate on reaching the year ({schedule})",
                    "HM Treasury Green Book, Annex A6",
                    rates,
                    "share",
                )
            factors = np.cumprod(1.0 / (1.0 + np.asarray(rates)))
            name = f"discount.{schedule}"
            r_df = self.yearly(
                f"Discount factor ({schedule})",
                name,
                "",
                [f"=1/(1+{c(r_rate, 0)})"]
                + [f"={c(r_rate + 1, y - 1)}/(1+{c(r_rate, y)})" for y in range(1, big_h)],
                factors,
                "factor",
                total=False,
            )
            self.define(name, self.year_span(r_df))
            self.out.discount_rows[schedule] = r_df
            self.out.values[name] = factors
        own = self.out.discount_rows[cost_schedule(self.s)]
        cost_factors = (
            self.out.values[f"discount.{cost_schedule(self.s)}"]
            if d.discount_costs
            else np.ones(big_h)
        )
        r_cost = self.yearly(
            "Discount factor applied to cost",
            "discount.costs: the cost schedule's factor when costs are discounted, else 1",
            "",
            lambda y: f"=IF(discounting.discount_costs,{c(own, y)},1)",
            cost_factors,
            "factor",
            total=False,
        )
        self.define("discount.costs", self.year_span(r_cost))
        self.out.discount_rows["costs"] = r_cost
        self.out.values["discount.costs"] = cost_factors

    def _undiscounted(self, y: int) -> bool:
        return y == 0 and self.s.discounting.convention == "green_book"

    def _rates(self, schedule: str) -> list[float]:
        """Rate applied on reaching each analysis year, so that
        DF_y = DF_(y-1) / (1 + rate_y) with DF_(-1) = 1 reproduces the engine."""
        d = self.s.discounting
        rate = self.n("discounting.rate") if schedule == "constant" else None
        rates = [float(r) for r in annual_rates(schedule, self.horizon + 1, rate)]
        if d.convention == "end_of_year":
            return rates[: self.horizon]
        return [0.0, *rates[: self.horizon - 1]]
