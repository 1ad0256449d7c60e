"""``sroi sweep BASE... --grid GRID --design DESIGNS --out FILE``: many cases, one table."""

from __future__ import annotations

import argparse
import os
import re
import sys
from typing import Any

from sroi.cli.commands import HELP as COMMAND_HELP
from sroi.cli.options import PATH_HELP, add_draws, add_seed, add_workers, whole_number
from sroi.text import printable

#: One line for ``sroi --help``.
HELP = COMMAND_HELP["sweep"]

_EPILOG = """\
examples:
  sroi sweep scenarios/family_action_pss/oxford.yaml \\
      --grid scenarios/sweeps/areas.yaml --design scenarios/sweeps/designs.yaml \\
      --out sweep.csv
                       every area x design, in this process
  sroi sweep ... --out sweep.parquet
                       the same table as Parquet (pip install 'sroi[parquet]')
  sroi sweep ... --out sweep.parquet --scheduler local:2
                       on a local Dask cluster of 2 workers, same numbers
                       (pip install 'sroi[dask]', which includes Parquet)
  sroi sweep ... --out sweep.parquet --scheduler tcp://10.0.0.5:8786
                       on a running Dask cluster (see docs/scale-out.md)
  sroi sweep ... --out sweep.csv --resume
                       run only the cases not yet in sweep.csv

output columns: case, area, design, scenario, metric, statistic, value,
perspective, price_year, input_hash, error (set on the one row of a failed case).

exit status: 0 every case ran, 2 invalid input, a table that cannot be
written (a full disk) or any case failed, 130 interrupted (the table keeps
the cases done; rerun with --resume).
"""


def add_parser(sub: Any) -> None:
    """Register the subcommand."""
    p = sub.add_parser(
        "sweep",
        help=HELP,
        description="Run every base scenario x grid row (area) x design as one case: each "
        "case sets its values on the base by dotted path, runs under the same seed as every "
        "other case (common random numbers) and adds its rows to one long table, .csv "
        "or .parquet. A case's numbers equal `sroi run` of that case's scenario alone, whatever "
        "the pool or the order of rows. A failed case is reported and the others still run.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("paths", nargs="+", metavar="BASE", help=PATH_HELP)
    p.add_argument(
        "--grid",
        metavar="GRID",
        help="CSV or YAML file: one case per row, an 'area' (or 'case') column and columns "
        "named by dotted paths (numbers or value forms such as {pert: [60, 90, 130]})",
    )
    p.add_argument(
        "--design",
        metavar="DESIGNS",
        help="YAML file of named designs (sets of values by dotted path), crossed with "
        "every row of the grid",
    )
    p.add_argument(
        "--out",
        required=True,
        metavar="FILE",
        help="output table: .csv, or .parquet (needs pyarrow: pip install "
        "'sroi[parquet]'); written atomically, and never one of the sweep's inputs (a base "
        "scenario, a file it extends, the grid or designs)",
    )
    add_draws(p)
    add_seed(p)
    add_workers(p)
    p.add_argument(
        "--scheduler",
        metavar="S",
        help="run on Dask: local:K (a local cluster of K workers) or tcp://HOST:PORT "
        "(a running scheduler); needs pip install 'sroi[dask]'",
    )
    p.add_argument(
        "--resume",
        action="store_true",
        help="keep the cases already in FILE with the same inputs; run only the rest "
        "(a CSV table cut short part-way through a row keeps its whole rows, and the case "
        "of the last of them runs again; any other damage is an error naming the line)",
    )
    p.add_argument(
        "--chunk-size",
        type=whole_number(1),
        default=None,
        metavar="C",
        help="draws per unit of work within a case (default 16384); memory, not results",
    )
    p.set_defaults(handler=run)


#: Cases named in the message of a problem that several cases share.
_NAMED = 5


def run(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    """Load, sweep and print a summary."""
    from sroi.cli.common import check_output_paths, load_all
    from sroi.cli.progress import ProgressBar, ProgressLines
    from sroi.engine.runner import DEFAULT_CHUNK
    from sroi.scenario import ScenarioError
    from sroi.sweep import read_designs, read_grid, sweep
    from sroi.sweep.cluster import SchedulerError, check_scheduler
    from sroi.sweep.run import count_cases
    from sroi.sweep.table import TableError, table_format

    if not args.grid and not args.design:
        parser.error("give --grid, --design, or both")
    if args.scheduler and args.workers > 1:
        parser.error("--workers applies without --scheduler; a Dask cluster has its own workers")
    if args.workers > (os.cpu_count() or 1) * 4:
        parser.error(f"--workers {args.workers} is far more than this machine's CPUs")
    local = re.fullmatch(r"local:(\d+)", args.scheduler or "")
    if local and int(local.group(1)) > (os.cpu_count() or 1) * 4:
        parser.error(
            f"--scheduler {args.scheduler}: {int(local.group(1)):,} workers is far more than "
            "this machine's CPUs"
        )
    # The table must not replace anything the sweep reads.
    inputs = [("grid", args.grid), ("designs file", args.design)]
    named = [(what, path) for what, path in inputs if path]
    if check_output_paths([("--out", args.out)], args.paths, named_inputs=named) is None:
        return 2
    try:
        table_format(args.out)
        if args.scheduler:
            check_scheduler(args.scheduler)
    except (TableError, SchedulerError) as exc:
        print(f"sroi: error: {exc}", file=sys.stderr)
        return 2
    loaded, ok = load_all(args.paths)
    if not ok:
        return 2
    try:
        grid = read_grid(args.grid) if args.grid else None
        designs = read_designs(args.design) if args.design else None
    except ScenarioError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return 2
    total = count_cases(len(loaded), grid, designs)
    # A sweep may run for hours in a batch job: without a terminal, a line a minute.
    bar = (
        ProgressBar(total, unit="cases", delay=0.0)
        if ProgressBar.wanted()
        else ProgressLines(total, sys.stderr, "sroi sweep", "cases")
    )
    try:
        report = sweep(
            [scenario for _, scenario in loaded],
            args.out,
            grid=grid,
            designs=designs,
            draws=args.draws,
            seed=args.seed,
            chunk_size=args.chunk_size or DEFAULT_CHUNK,
            workers=args.workers,
            scheduler=args.scheduler,
            resume=args.resume,
            progress=bar,
        )
    except (TableError, SchedulerError) as exc:
        print(f"sroi: error: {exc}", file=sys.stderr)
        return 2
    finally:
        if bar is not None:
            bar.close()
    # A problem shared by several cases (a design's own, invalid for every
    # area) is printed once, with the cases it failed.
    alike: dict[str, list[Any]] = {}
    for failure in report.failures:
        alike.setdefault(failure.message, []).append(failure)
    for message, failures in alike.items():
        if len(failures) == 1:
            f = failures[0]
            print(f"sroi: case {f.case_id} ({f.where}) failed:", file=sys.stderr)
        else:
            cases = ", ".join(f"{f.case_id} ({f.where})" for f in failures[:_NAMED])
            more = f" and {len(failures) - _NAMED:,} more" if len(failures) > _NAMED else ""
            print(f"sroi: {len(failures):,} cases failed alike: {cases}{more}:", file=sys.stderr)
        for line in message.splitlines():
            print(f"  {line}", file=sys.stderr)
    failed = len(report.failures)
    if not report.written:
        left = "was left as it was" if report.out.exists() else "was not written"
        print(
            f"sroi: interrupted before any case finished; {printable(str(report.out))} {left}",
            file=sys.stderr,
        )
        return 130
    out = printable(str(report.out))
    dropped = (
        f"; {report.dropped} cases of the old table are no longer planned and were left out"
        if report.dropped
        else ""
    )
    print(
        f"{out}: {report.rows:,} rows; {report.cases} cases: {report.ran} run "
        f"({failed} failed), {report.skipped} already done{dropped}",
        file=sys.stderr,
    )
    if report.interrupted:
        print("sroi: interrupted; rerun with --resume to finish the sweep", file=sys.stderr)
        return 130
    return 2 if failed else 0
