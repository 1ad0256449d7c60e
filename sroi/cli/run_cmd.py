"""``sroi run PATH...``: Monte Carlo projections per site and for the programme."""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from sroi.cli.commands import HELP as COMMAND_HELP
from sroi.cli.options import (
    add_paths,
    add_perspective,
    add_price_year,
    add_sampler,
    add_seed,
    add_workers,
    whole_number,
)
from sroi.limits import MAX_DRAWS

#: One line for ``sroi --help``.
HELP = COMMAND_HELP["run"]

#: The most draws a run with ``--precision`` takes unless ``--draws`` says.
PRECISION_MAX_DRAWS = 1_000_000


def _share(text: str) -> float:
    """An argparse type: a number strictly between 0 and 1."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected a number such as 0.01; found {text!r}"
        ) from None
    if not 0 < value < 1:
        raise argparse.ArgumentTypeError(
            f"expected a number above 0 and below 1, such as 0.01 for 1%; found {text}"
        )
    return value


def add_parser(sub: Any) -> None:
    """Register the subcommand."""
    p = sub.add_parser(
        "run",
        help=HELP,
        description="Run the base case and N Monte Carlo draws of each scenario, and the "
        "programme (all scenarios together, draw by draw). Prints a table per site (the "
        "social, public-sector and cashable returns side by side, then the metrics, then "
        "the --perspective's return, net value and payback), or the full JSON document "
        "with --json. Results are the same for a given seed "
        "whatever the order of PATHs, the chunk size or the number of workers.",
    )
    add_paths(p)
    p.add_argument(
        "--draws",
        type=whole_number(0, MAX_DRAWS),
        default=None,
        metavar="N",
        help=f"Monte Carlo draws, at most {MAX_DRAWS:,} (default 10000; 0: base case only); "
        f"with --precision, the most to run (default {PRECISION_MAX_DRAWS:,})",
    )
    p.add_argument(
        "--precision",
        type=_share,
        default=None,
        metavar="P",
        help="run in blocks of 16,384 draws until every return (expected, and the mean of "
        "the draws' returns) is within P of its value (95%% half-width, e.g. 0.01 for 1%%) "
        "and every P(SROI > 1) within P; the "
        "header and JSON give the draws taken and the precision reached. Without it, the "
        "table ends with the precision that --draws gave",
    )
    add_seed(p)
    add_price_year(p)
    add_perspective(p)
    add_sampler(p)
    p.add_argument("--json", action="store_true", help="print the JSON document to stdout")
    add_workers(p)
    p.add_argument(
        "--chunk-size",
        type=whole_number(1),
        default=None,
        metavar="C",
        help="draws per unit of work (default: chosen for the run, 16384 or 32768); "
        "changes memory and speed, not results",
    )
    p.set_defaults(handler=run)


def run(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    """Load, run and print."""
    from sroi.api import run as run_model
    from sroi.cli.common import load_all, loaded_files
    from sroi.cli.progress import ProgressBar

    loaded, ok = load_all(args.paths, args.price_year, allow_extends=args.allow_extends)
    if not ok:
        return 2
    if args.workers > (os.cpu_count() or 1) * 4:
        parser.error(f"--workers {args.workers} is far more than this machine's CPUs")
    draws = args.draws
    if draws is None:
        draws = PRECISION_MAX_DRAWS if args.precision is not None else 10_000
    if args.precision is not None and draws == 0:
        parser.error("--precision needs --draws >= 1 (the most draws to run)")
    bar = ProgressBar(draws) if draws and ProgressBar.wanted() else None
    try:
        results = run_model(
            [scenario for _, scenario in loaded],
            draws=draws,
            seed=args.seed,
            workers=args.workers,
            chunk_size=args.chunk_size,
            progress=bar,
            files=loaded_files(loaded),
            perspective=args.perspective,
            sampler=args.sampler,
            precision=args.precision,
        )
    finally:
        if bar is not None:
            bar.close()
    if args.json:
        sys.stdout.write(results.to_json() + "\n")
    else:
        from sroi.reports.table import run_table

        sys.stdout.write(run_table(results))
    return 0
