"""The Draws sheet: the key metrics of each stored Monte Carlo draw."""

from __future__ import annotations

from sroi.reports.report import Report
from sroi.reports.xlsx._cells import Sheet, finite
from sroi.reports.xlsx.site_results import kind_of
from sroi.vocabulary import PROGRAMME

#: Metrics on the Draws sheet, per site and for the programme.
DRAW_METRICS = ("sroi_ratio", "npv", "value_pv", "cost_pv", "unit_cost")


def draws(sh: Sheet, report: Report, limit: int) -> None:
    """Write up to ``limit`` stored draws, one row each."""
    r = report.results
    if not r.draws:
        sh.text(0, 0, "The run had no Monte Carlo draws (draws = 0).")
        return
    ids = [s.id for s in report.scenarios] + ([PROGRAMME] if len(report.scenarios) > 1 else [])
    names = {s.id: s.name for s in report.scenarios} | {PROGRAMME: "Programme"}
    columns = [(n, m) for n in ids for m in DRAW_METRICS]
    stored = len(r.metric(DRAW_METRICS[0], ids[0]))
    n = min(stored, limit)
    sh.header(0, ["Draw"] + [f"{names[name]}: {metric}" for name, metric in columns])
    data = [r.metric(metric, name)[:n] for name, metric in columns]
    kinds = [kind_of(metric) for _, metric in columns]
    for i in range(n):
        sh.number(i + 1, 0, i * r.stored_every, "year")
        for j, col in enumerate(data):
            sh.number(i + 1, j + 1, finite(float(col[i])), kinds[j])
    if r.draws > n:
        every = f"every {r.stored_every}th draw, " if r.stored_every > 1 else ""
        note = f"{n:,} of {r.draws:,} draws ({every}in draw order)."
        sh.text(n + 2, 0, note, sh.fmt.get(muted=True))
    sh.ws.freeze_panes(1, 1)
    sh.ws.set_column(1, len(columns), 16)
    sh.ws.set_row(0, 48)
    sh.print_setup(n, len(columns), (0, 0))
