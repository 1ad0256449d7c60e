"""``sroi run PATH...``: Monte Carlo projections per site and for the programme."""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from sroi.cli.options import (
    add_draws,
    add_paths,
    add_price_year,
    add_sampler,
    add_seed,
    add_workers,
    whole_number,
)


def add_parser(sub: Any) -> None:
    """Register the subcommand."""
    p = sub.add_parser(
        "run",
        help="run the base case and a Monte Carlo analysis; print a table or JSON",
        description="Run the base case and N Monte Carlo draws of each scenario, and the "
        "programme (all scenarios together, draw by draw). Prints a table per site, or the "
        "full JSON document with --json. Results are the same for a given seed "
        "whatever the order of PATHs, the chunk size or the number of workers.",
    )
    add_paths(p)
    add_draws(p)
    add_seed(p)
    add_price_year(p)
    add_sampler(p)
    p.add_argument("--json", action="store_true", help="print the JSON document to stdout")
    add_workers(p)
    p.add_argument(
        "--chunk-size",
        type=whole_number(1),
        default=None,
        metavar="C",
        help="draws per unit of work (default 16384); changes memory and speed, not results",
    )
    p.set_defaults(handler=run)


def run(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    """Load, run and print."""
    from sroi.api import run as run_model
    from sroi.cli.common import load_all
    from sroi.cli.progress import ProgressBar
    from sroi.engine.runner import DEFAULT_CHUNK

    loaded, ok = load_all(args.paths, args.price_year)
    if not ok:
        return 2
    if args.workers > (os.cpu_count() or 1) * 4:
        parser.error(f"--workers {args.workers} is far more than this machine's CPUs")
    bar = ProgressBar(args.draws) if args.draws and ProgressBar.wanted() else None
    try:
        results = run_model(
            [scenario for _, scenario in loaded],
            draws=args.draws,
            seed=args.seed,
            workers=args.workers,
            chunk_size=args.chunk_size or DEFAULT_CHUNK,
            progress=bar,
            files={scenario.id: file for file, scenario in loaded},
            sampler=args.sampler,
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
