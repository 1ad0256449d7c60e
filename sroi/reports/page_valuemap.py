"""The value map as the HTML page shows it: formatted cells, one table per
site and, for a run of several sites, one for the programme.

Numbers come from :mod:`sroi.reports.valuemap`; this module only turns them
into text.  The programme's table has one row per outcome: quantity and
present value add the sites draw by draw, and an input that differs between
sites shows its range across them, with each site's value in the cell's note.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from sroi.prices import financial_year
from sroi.reports import style
from sroi.reports.report import Report
from sroi.reports.valuemap import ADJUSTMENTS, Cell, ValueMapRow, draws_cell, rows, total_pv
from sroi.vocabulary import NOT_GRADED

Format = Callable[[float], str]

#: Column class, heading and alignment of the value map, in order.
COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("stakeholder", "Stakeholder", ""),
    ("outcome", "Outcome", ""),
    ("indicator", "Indicator", ""),
    ("quantity", "Quantity", "num"),
    ("proxy", "Financial proxy and source", ""),
    ("adj", "Deadweight", "num"),
    ("adj", "Attribution", "num"),
    ("adj", "Displacement", "num"),
    ("adj", "Drop-off", "num"),
    ("duration", "Duration", "num"),
    ("pv", "Present value", "num"),
)


@dataclass(frozen=True)
class Shown:
    """One number of the value map as printed.

    base : str
        The base case, formatted with its unit.
    interval : str
        "90%: low to high", "by site" for a programme input that differs
        between sites, or "" when there is no range to show.
    inherited : bool
        The value is the scenario-wide default adjustment (marked †).
    note : str
        The note behind the value (shown on hover), or "".
    """

    base: str
    interval: str = ""
    inherited: bool = False
    note: str = ""


@dataclass(frozen=True)
class Grade:
    """An evidence grade: its id (for the CSS class) and label."""

    id: str
    label: str


@dataclass(frozen=True)
class SourceLink:
    """A link from a proxy to its bibliography entry."""

    anchor: str
    number: int
    key: str


@dataclass(frozen=True)
class MapRow:
    """One outcome's row of a value-map table, as text."""

    stakeholder: str
    label: str
    #: Outcome id, payer, value type and "cashable", joined by " · ".
    tags: str
    indicator: str
    quantity: Shown
    #: e.g. "share affected 30%".
    share_affected: str
    proxy: Shown
    #: e.g. "per case averted a year".
    proxy_unit: str
    grades: tuple[Grade, ...]
    sources: tuple[SourceLink, ...]
    #: Deadweight, attribution, displacement and drop-off, in that order.
    adjustments: tuple[Shown, ...]
    duration: Shown
    #: e.g. "starts 1 year(s) after", or "".
    lag: str
    pv: Shown


@dataclass(frozen=True)
class MapTable:
    """One value-map table: a site, or the programme."""

    anchor: str
    heading: str
    #: Short name for the list of tables.
    label: str
    #: Unfolded when the page opens.
    open: bool
    rows: tuple[MapRow, ...]
    #: Total present value of the table's outcomes.
    total: Shown


def shown(c: Cell, f: Format, unit: str = "") -> Shown:
    """A cell as text: base case with ``unit``, and its 90% range unless fixed."""
    interval = "" if c.fixed else f"90%: {f(c.p5)} to {f(c.p95)}"
    return Shown(f(c.central) + unit, interval, c.inherited, c.note or "")


def across(cells: Sequence[Cell], f: Format, sites: Sequence[str], unit: str = "") -> Shown:
    """An input of several sites: as one site when they agree, else its range."""
    first = shown(cells[0], f, unit)
    if all(shown(c, f, unit) == first for c in cells[1:]):
        return first
    lo, hi = min(c.central for c in cells), max(c.central for c in cells)
    note = "; ".join(f"{site}: {f(c.central)}{unit}" for site, c in zip(sites, cells, strict=True))
    return Shown(f"{f(lo)} to {f(hi)}{unit}", "by site", False, note)


def _sum_cells(cells: Sequence[Cell], draws: Sequence[np.ndarray | None]) -> Cell:
    """A computed cell added up over sites, draw by draw."""
    base = sum(c.central for c in cells)
    if any(d is None or d.size == 0 for d in draws):
        return draws_cell(base, None)
    return draws_cell(base, np.sum(np.stack([np.asarray(d) for d in draws]), axis=0))


def _tags(row: ValueMapRow) -> str:
    tags = [row.outcome, style.PAYER_LABELS[row.payer], row.value_type]
    if row.cashable:
        tags.append("cashable")
    return " · ".join(tags)


def _proxy_unit(report: Report, group: Sequence[ValueMapRow], singular: str) -> str:
    """What the proxy is per, and the prices it is written at when they are
    not the report's (the value used is converted; see the money inputs)."""
    spreads = {r.spread for r in group}
    unit = f"per {singular}" if spreads != {None} else f"per {singular} a year"
    years = sorted({r.proxy_year for r in group})
    if years != [report.price_year]:
        shown = " or ".join(f"FY {financial_year(y)}" for y in years)
        unit += f", as written at {shown} prices"
    return unit


def _duration(group: Sequence[ValueMapRow], sites: Sequence[str]) -> Shown:
    """The duration, or for a spread outcome the years its value is paid over."""
    spreads = {r.spread for r in group}
    if spreads == {None}:
        return across([r.duration for r in group], style.years, sites)
    if len(spreads) == 1:
        ((start, years),) = (s for s in spreads if s is not None)
        after = f", from {start} year(s) after the lag" if start else ""
        return Shown(f"paid over {style.years(years)}{after}", "", False, "")
    return Shown("paid over several years", "by site", False, "")


def _lag(lags: Sequence[int]) -> str:
    distinct = sorted(set(lags))
    if distinct == [0]:
        return ""
    return f"starts {' or '.join(str(n) for n in distinct)} year(s) after"


def _grades(cells: Sequence[Cell]) -> tuple[Grade, ...]:
    ids = dict.fromkeys(c.evidence or NOT_GRADED.id for c in cells)
    return tuple(Grade(g, style.EVIDENCE_LABELS[g]) for g in ids)


def _sources(report: Report, cells: Sequence[Cell]) -> tuple[SourceLink, ...]:
    refs = {r.key: r for r in report.references}
    keys = dict.fromkeys(c.source for c in cells if c.source and c.source in refs)
    return tuple(SourceLink(refs[k].anchor, refs[k].number, k) for k in keys)


def map_row(
    report: Report,
    group: Sequence[ValueMapRow],
    sites: Sequence[str],
    draws: tuple[Sequence[np.ndarray | None], Sequence[np.ndarray | None]] | None = None,
) -> MapRow:
    """The row of one outcome: of one site (``group`` of one), or of the
    programme (one row per site that has the outcome, named by ``sites``,
    with each site's quantity and PV draws in ``draws``)."""
    first = group[0]
    singular, plural = style.DRIVER_UNITS[first.per]

    def money(x: float) -> str:
        return style.money(x, report.currency)

    if len(group) == 1:
        quantity, pv = first.quantity, first.pv
    else:
        assert draws is not None
        quantity = _sum_cells([r.quantity for r in group], draws[0])
        pv = _sum_cells([r.pv for r in group], draws[1])
    same_driver = all(r.per == first.per for r in group)
    quantity_text = (
        shown(quantity, style.count, f" {plural}")
        if same_driver
        else Shown("–", "drivers differ by site")
    )
    shares = across([r.probability for r in group], style.share, sites)
    return MapRow(
        stakeholder=first.stakeholder,
        label=first.label,
        tags=_tags(first),
        indicator=first.indicator or "",
        quantity=quantity_text,
        share_affected=f"share affected {shares.base}",
        proxy=across([r.proxy for r in group], money, sites),
        proxy_unit=_proxy_unit(report, group, singular),
        grades=_grades([r.proxy for r in group]),
        sources=_sources(report, [r.proxy for r in group]),
        adjustments=tuple(
            across([r.adjustments[name] for r in group], style.share, sites) for name in ADJUSTMENTS
        ),
        duration=_duration(group, sites),
        lag=_lag([r.lag for r in group]),
        pv=shown(pv, money),
    )


def _programme(report: Report) -> MapTable:
    """The programme's table: every outcome of any site, added up over sites."""
    by_outcome: dict[str, list[tuple[str, ValueMapRow]]] = {}
    for s in report.scenarios:
        for row in rows(s, report.outcomes[s.id]):
            by_outcome.setdefault(row.outcome, []).append((s.id, row))
    names = {s.id: style.short_name(s.name) for s in report.scenarios}
    table_rows = []
    for oid, members in by_outcome.items():
        values = [report.outcomes[sid] for sid, _ in members]
        draws = (
            [v.quantity.get(oid) for v in values],
            [v.pv.get(oid) for v in values],
        )
        sites = [names[sid] for sid, _ in members]
        table_rows.append(map_row(report, [r for _, r in members], sites, draws))
    totals = [total_pv(report.outcomes[s.id]) for s in report.scenarios]
    total_draws = [
        np.sum(np.stack(list(v.pv.values())), axis=0) if v.pv else None
        for v in (report.outcomes[s.id] for s in report.scenarios)
    ]
    total = _sum_cells(totals, total_draws)
    return MapTable(
        anchor="vm-programme",
        heading="Programme: all sites together",
        label="Programme",
        open=True,
        rows=tuple(table_rows),
        total=shown(total, lambda x: style.money(x, report.currency)),
    )


def tables(report: Report) -> list[MapTable]:
    """Every value-map table: the programme first (open) when there are
    several sites, then each site (folded unless it is the only one)."""
    several = len(report.scenarios) > 1
    out = [_programme(report)] if several else []
    for s in report.scenarios:
        values = report.outcomes[s.id]
        out.append(
            MapTable(
                anchor=f"vm-{s.id}",
                heading=s.name,
                label=style.short_name(s.name),
                open=not several,
                rows=tuple(map_row(report, [row], [s.name]) for row in rows(s, values)),
                total=shown(total_pv(values), lambda x: style.money(x, report.currency)),
            )
        )
    return out
