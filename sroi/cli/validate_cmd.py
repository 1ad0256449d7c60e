"""``sroi validate PATH...``: check scenario files and report every problem."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from sroi.cli.commands import HELP as COMMAND_HELP
from sroi.cli.options import PATH_HELP, add_allow_extends, add_price_year

#: One line for ``sroi --help``.
HELP = COMMAND_HELP["validate"]


def add_parser(sub: Any) -> None:
    """Register the subcommand."""
    p = sub.add_parser(
        "validate",
        help=HELP,
        description="Check scenario files. Every problem is reported, one per line, as "
        "FILE:LINE:COL: dotted.path: message. Exit status 0 when every file is valid, "
        "2 when any is not. Files named together are also checked as one run would "
        "take them: unique ids, one currency, and one price year unless --price-year "
        "is given.",
    )
    p.add_argument(
        "paths",
        nargs="+",
        metavar="PATH",
        help=PATH_HELP,
    )
    add_allow_extends(p)
    add_price_year(p)
    p.add_argument("-q", "--quiet", action="store_true", help="print nothing for valid files")
    p.add_argument(
        "--require-sources",
        action="store_true",
        help="also refuse every number with neither a source nor an evidence grade "
        "(source: KEY, or evidence: assumption with a note), naming each where it is written; "
        "a default the file does not write counts too, and is graded by writing it out",
    )
    p.set_defaults(handler=run)


def run(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    """Validate every file; print problems to stderr and valid files to stdout."""
    from sroi.cli.common import load_all
    from sroi.scenario.together import check_together
    from sroi.text import printable

    scenarios, ok = load_all(
        args.paths, price_year=args.price_year, allow_extends=args.allow_extends, together=False
    )
    for file, scenario in scenarios:
        if args.require_sources:
            from sroi.scenario.unsourced import unsourced_problems

            problems = unsourced_problems(file, scenario, args.allow_extends)
            for problem in problems:
                print(problem, file=sys.stderr)
            if problems:
                ok = False
                continue
        if not args.quiet:
            # A file found in a folder may have a line break in its name.
            print(f"ok  {printable(file)}  ({scenario.id}: {scenario.name})")
    together = check_together(scenarios)
    if together:
        sys.stdout.flush()
        print(
            "sroi validate: these scenarios cannot run together as one programme "
            "(each may still run alone):",
            file=sys.stderr,
        )
        for problem in together:
            print(problem, file=sys.stderr)
    return 0 if ok and not together else 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(1)
