"""``sroi report PATH... -o report.html [--xlsx value_map.xlsx]``: a report to read
and a workbook to audit."""

from __future__ import annotations

import argparse
import shlex
import sys
from pathlib import Path
from typing import Any

from sroi.cli.options import (
    add_draws,
    add_paths,
    add_price_year,
    add_sampler,
    add_seed,
    add_workers,
)


def add_parser(sub: Any) -> None:
    """Register the subcommand."""
    p = sub.add_parser(
        "report",
        help="write a self-contained HTML report (and optionally an Excel value map)",
        description="Run the scenarios (base case and N Monte Carlo draws) and write one "
        "self-contained HTML file: run manifest, headline table per site and for the "
        "programme, value map, charts (SROI distribution, value by payer, payback, tornado, "
        "P(SROI >= threshold), sites compared, evidence profile) and bibliography. With "
        "--xlsx, also an Excel workbook whose value map recomputes each outcome's present "
        "value with live formulas. Files are written whole or not at all.",
    )
    add_paths(p)
    p.add_argument(
        "-o",
        "--output",
        default="report.html",
        metavar="FILE",
        help="HTML file to write (default report.html)",
    )
    p.add_argument("--xlsx", metavar="FILE", help="also write an Excel workbook (needs openpyxl)")
    add_draws(p)
    add_seed(p)
    add_price_year(p)
    add_sampler(p)
    add_workers(p)
    p.add_argument("--title", help="report title (default: names the scenarios)")
    p.add_argument(
        "--no-sensitivity",
        action="store_true",
        help="skip the one-way sensitivity analysis (no tornado chart)",
    )
    p.set_defaults(handler=run)


def _folder_problem(target: str) -> str | None:
    folder = Path(target).parent
    if not folder.is_dir():
        return f"cannot write {target}: folder {folder} does not exist"
    return None


def _command(args: argparse.Namespace) -> str:
    """The command line that reproduces this report (for the manifest)."""
    words = ["sroi", "report", *args.paths, "-o", args.output]
    if args.xlsx:
        words += ["--xlsx", args.xlsx]
    words += ["--draws", str(args.draws), "--seed", str(args.seed)]
    if args.sampler != "random":
        words += ["--sampler", args.sampler]
    if args.title:
        words += ["--title", args.title]
    if args.no_sensitivity:
        words.append("--no-sensitivity")
    return " ".join(shlex.quote(w) for w in words)


def run(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    """Load, run, build the report, write it."""
    targets = [args.output] + ([args.xlsx] if args.xlsx else [])
    for target in targets:
        problem = _folder_problem(target)
        if problem:
            print(f"sroi: error: {problem}", file=sys.stderr)
            return 2
    if args.xlsx:
        try:
            import openpyxl  # noqa: F401
        except ImportError:
            print(
                "sroi: error: --xlsx needs openpyxl; install it with "
                "`pip install 'sroi[report]'` (or `pip install openpyxl`)",
                file=sys.stderr,
            )
            return 2

    from sroi.api import run as run_model
    from sroi.cli.common import load_all
    from sroi.cli.progress import ProgressBar
    from sroi.reports import html
    from sroi.reports.report import build

    loaded, ok = load_all(args.paths, args.price_year)
    if not ok:
        return 2
    bar = ProgressBar(args.draws) if args.draws and ProgressBar.wanted() else None
    try:
        results = run_model(
            [scenario for _, scenario in loaded],
            draws=args.draws,
            seed=args.seed,
            workers=args.workers,
            progress=bar,
            files={scenario.id: file for file, scenario in loaded},
            keep_outcomes=True,
            sampler=args.sampler,
        )
    finally:
        if bar is not None:
            bar.close()
    command = _command(args)
    report = build(
        [scenario for _, scenario in loaded],
        results,
        title=args.title,
        command=command,
        with_sensitivity=not args.no_sensitivity,
    )
    html.write(report, args.output)
    print(f"wrote {args.output}")
    if args.xlsx:
        from sroi.reports import xlsx

        xlsx.write(report, args.xlsx)
        print(f"wrote {args.xlsx}")
    return 0
