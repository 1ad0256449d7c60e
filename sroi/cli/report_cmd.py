"""``sroi report PATH... -o report.html [--xlsx value_map.xlsx]``: a report to read
and a workbook to audit."""

from __future__ import annotations

import argparse
import shlex
import sys
from pathlib import PurePath
from typing import Any

from sroi.cli.commands import HELP as COMMAND_HELP
from sroi.cli.options import (
    add_draws,
    add_follow_symlinks,
    add_paths,
    add_perspective,
    add_price_year,
    add_sampler,
    add_seed,
    add_workers,
)
from sroi.limits import MAX_REPORT_SCENARIOS
from sroi.text import printable

#: One line for ``sroi --help``.
HELP = COMMAND_HELP["report"]


def add_parser(sub: Any) -> None:
    """Register the subcommand."""
    p = sub.add_parser(
        "report",
        help=HELP,
        description="Run the scenarios (base case and N Monte Carlo draws) and write one "
        "self-contained HTML file: run manifest, headline table per site and for the "
        "programme, value map, charts (SROI distribution, value by payer, payback, tornado, "
        "P(SROI >= threshold), sites compared, evidence profile) and bibliography. With "
        "--xlsx, also an Excel workbook that drives the whole model: each site's inputs are "
        "named cells, and caseload, costs, value by year, present values, the three returns, "
        "NPV and payback are live formulas of them. Output paths are checked before the run "
        "starts; the files are written together, whole, or not at all.",
    )
    add_paths(p)
    p.add_argument(
        "-o",
        "--output",
        default="report.html",
        metavar="FILE",
        help="HTML file to write (default report.html)",
    )
    p.add_argument("--xlsx", metavar="FILE", help="also write an Excel workbook (needs xlsxwriter)")
    add_follow_symlinks(p)
    add_draws(p)
    add_seed(p)
    add_price_year(p)
    add_perspective(p)
    add_sampler(p)
    add_workers(p)
    p.add_argument("--title", help="report title (default: names the scenarios)")
    p.add_argument(
        "--no-sensitivity",
        action="store_true",
        help="skip the one-way sensitivity analysis (no tornado chart)",
    )
    p.set_defaults(handler=run)


#: Endings that say a file is not a web page: ``-o`` refuses them.
NOT_HTML = (".xlsx", ".xlsm", ".xls", ".ods", ".csv", ".json", ".pdf", ".png", ".svg")
#: Endings that say a file is not an Excel workbook: ``--xlsx`` refuses them.
NOT_XLSX = (".html", ".htm", ".xls", ".ods", ".csv", ".json", ".pdf", ".png", ".svg")


def _mismatched_name(output: str, xlsx: str | None) -> str:
    """Why ``-o`` or ``--xlsx`` names a file of the other kind (an HTML page
    written as ``r.xlsx`` opens as a broken workbook), or ""."""
    ending = PurePath(output).suffix.lower()
    if ending in NOT_HTML:
        fix = f"--xlsx {output}" if ending in (".xlsx", ".xlsm") else "a name ending .html"
        return (
            f"-o {printable(output)}: -o writes the HTML report, and a name ending "
            f"{ending} says otherwise; use {fix}"
            + (" for the workbook (with -o for the page)" if fix.startswith("--xlsx") else "")
        )
    if xlsx is not None and PurePath(xlsx).suffix.lower() in NOT_XLSX:
        return (
            f"--xlsx {printable(xlsx)}: --xlsx writes an Excel workbook; give a name ending .xlsx"
        )
    return ""


def _title_problem(title: str | None) -> str:
    """Why ``--title`` cannot head a page (a control character), or ""."""
    from sroi.text import describe_character

    c = next((c for c in title or "" if not c.isprintable()), None)
    if c is None:
        return ""
    return (
        f"--title {printable(title or '')}: expected one line of printable text; found the "
        f"character {describe_character(c)}"
    )


def command_line(args: argparse.Namespace) -> str:
    """The command line that reproduces this report (for the manifest)."""
    words = ["sroi", "report", *args.paths, "-o", args.output]
    if args.xlsx:
        words += ["--xlsx", args.xlsx]
    words += ["--draws", str(args.draws), "--seed", str(args.seed)]
    if args.price_year is not None:
        words += ["--price-year", str(args.price_year)]
    if args.perspective != "society":
        words += ["--perspective", args.perspective]
    if args.sampler != "random":
        words += ["--sampler", args.sampler]
    if args.title:
        words += ["--title", args.title]
    if args.no_sensitivity:
        words.append("--no-sensitivity")
    return " ".join(shlex.quote(w) for w in words)


def run(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    """Check the outputs, load, run, build the report, write both files together."""
    from sroi.cli.common import check_output_paths

    targets = [("-o", args.output)] + ([("--xlsx", args.xlsx)] if args.xlsx else [])
    outputs = check_output_paths(targets, args.paths, args.allow_extends, args.follow_symlinks)
    if outputs is None:
        return 2
    mismatch = _mismatched_name(args.output, args.xlsx) or _title_problem(args.title)
    if mismatch:
        print(f"sroi: error: {mismatch}", file=sys.stderr)
        return 2
    if args.xlsx:
        try:
            import xlsxwriter  # noqa: F401
        except ImportError:
            print(
                "sroi: error: --xlsx needs xlsxwriter; install it with "
                "`pip install 'sroi[report]'` (or `pip install xlsxwriter`)",
                file=sys.stderr,
            )
            return 2

    from sroi.api import run as run_model
    from sroi.cli.common import load_all, loaded_files
    from sroi.cli.progress import ProgressBar
    from sroi.files import text_writer, write_files
    from sroi.reports import html
    from sroi.reports.report import build

    loaded, ok = load_all(args.paths, args.price_year, allow_extends=args.allow_extends)
    if not ok:
        return 2
    if len(loaded) > MAX_REPORT_SCENARIOS:
        print(
            f"sroi: error: a report holds at most {MAX_REPORT_SCENARIOS} scenarios; found "
            f"{len(loaded)} (report them in groups)",
            file=sys.stderr,
        )
        return 2
    bar = ProgressBar(args.draws) if args.draws and ProgressBar.wanted() else None
    try:
        results = run_model(
            [scenario for _, scenario in loaded],
            draws=args.draws,
            seed=args.seed,
            workers=args.workers,
            progress=bar,
            files=loaded_files(loaded),
            keep_outcomes=True,
            perspective=args.perspective,
            sampler=args.sampler,
        )
    finally:
        if bar is not None:
            bar.close()
    command = command_line(args)
    report = build(
        [scenario for _, scenario in loaded],
        results,
        title=args.title,
        command=command,
        with_sensitivity=not args.no_sensitivity,
    )
    writers = [(outputs[0], text_writer(html.render(report)))]
    if args.xlsx:
        from sroi.reports import xlsx

        writers.append((outputs[1], xlsx.writer(report)))
    write_files(writers)
    for output in outputs:
        print(f"wrote {printable(str(output.given))}")
    return 0
