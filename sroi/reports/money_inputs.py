"""The report's table of money inputs: each value's name, as written, its price year,
the factor that puts it at the scenario's price year, and the value used."""

from __future__ import annotations

from dataclasses import dataclass

from sroi.prices import financial_year
from sroi.reports.inputs import input_rows
from sroi.reports.report import Report


@dataclass(frozen=True)
class MoneyRow:
    """One money input of one scenario, as written and as used."""

    scenario: str
    #: The value's readable name (:func:`~sroi.scenario.labels.value_label`).
    label: str
    path: str
    #: The value as written, e.g. ``"PERT [76, 152, 304]"``.
    written: str
    #: Financial year of its prices, e.g. ``"2013-14"``.
    price_year: str
    #: index(scenario's price year) / index(its price year), to 4 places.
    factor: str
    #: Its base-case value at the scenario's price year, to 2 places.
    used: str


def money_rows(report: Report) -> list[MoneyRow]:
    """Every money input of every scenario of ``report``, in file order."""
    rows = []
    for s in report.scenarios:
        for item in input_rows(s):
            if item.price_year is None:
                continue
            rows.append(
                MoneyRow(
                    s.id,
                    item.label,
                    item.path,
                    item.distribution,
                    financial_year(item.price_year),
                    f"{item.factor:.4f}",
                    f"{item.used:,.2f}",
                )
            )
    return rows
