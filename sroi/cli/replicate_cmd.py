"""``sroi replicate``: a commissioner's replication calculator.

Answers come as flags or, when some are missing and the input is a terminal,
from questions asked one by one, where a bad answer is asked again.  A bad
answer given as a flag, or a missing one without a terminal, is an error
(exit status 2).  The answers
become a scenario file extending the replication template, which is checked
and then shown next to the four pilot sites.
"""

from __future__ import annotations

import argparse
import sys
import textwrap
from typing import Any, TextIO

from sroi.cli.options import whole_number


class InputEnded(Exception):
    """The input stream ended before every question was answered."""


def add_parser(sub: Any) -> None:
    """Register the subcommand."""
    p = sub.add_parser(
        "replicate",
        help="cost the service in a new area from a few answers; writes a scenario file",
        description=textwrap.fill(
            "A replication calculator for commissioners. Answer a few questions about "
            "your area (as flags, or one by one when asked) and get a scenario file that extends "
            "the replication template, with every answer recorded as local data, plus its unit "
            "cost and SROI ratio next to the four pilot sites.",
            79,
        ),
        epilog="example:\n"
        "  sroi replicate --area Newham --births 4800 --share-referred 1.8% \\\n"
        "      --childrens-centre yes --management yes --it-systems no \\\n"
        "      --referral-network yes --public-transport yes\n\n"
        "Leave out any answer to be asked for it. See docs/replicate.md.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    a = p.add_argument_group("answers (asked for when missing and the input is a terminal)")
    a.add_argument("--area", metavar="NAME", help="name of the area, e.g. Newham")
    a.add_argument("--births", metavar="N", help="births a year in the area, e.g. 4800")
    a.add_argument(
        "--share-referred",
        metavar="S",
        help="share of births expected to be referred: 0.018 or 1.8%%",
    )
    for flag, what in (
        ("--childrens-centre", "a children's centre or other host gives space free"),
        ("--management", "the host line-manages and supervises the co-ordinator"),
        ("--it-systems", "the host's IT and monitoring systems can be used"),
        ("--referral-network", "an integrated referral route already exists"),
        ("--public-transport", "affordable public transport for volunteers"),
    ):
        a.add_argument(flag, metavar="yes|no", help=what)
    p.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help="scenario file to write (default: <area_id>.yaml in the current folder)",
    )
    p.add_argument("--force", action="store_true", help="replace FILE if it exists")
    p.add_argument(
        "--id", dest="scenario_id", metavar="ID", help="scenario id (default from the area name)"
    )
    p.add_argument(
        "--draws",
        type=whole_number(0),
        default=10_000,
        metavar="N",
        help="Monte Carlo draws for the comparison (default 10000; 0: write the file only)",
    )
    p.add_argument(
        "--seed", type=whole_number(0), default=0, metavar="S", help="random seed (default 0)"
    )
    p.add_argument("--template", metavar="FILE", help="replication template to extend")
    p.add_argument(
        "--pilots", metavar="PATH", help="pilot scenarios to compare with (file or folder)"
    )
    p.set_defaults(handler=run)


def ask(missing: list[str], stdin: TextIO, stdout: TextIO) -> dict[str, Any]:
    """Ask each question in ``missing`` (keys of ``QUESTIONS``) until it gets a
    good answer; returns the parsed answers.

    Raises
    ------
    InputEnded
        When ``stdin`` ends first.
    """
    from sroi.analysis.replicate import QUESTIONS

    answers: dict[str, Any] = {}
    for q in QUESTIONS:
        if q.key not in missing:
            continue
        while True:
            stdout.write(f"{q.prompt} ({q.hint})\n> ")
            stdout.flush()
            line = stdin.readline()
            if not line:
                stdout.write("\n")
                raise InputEnded(q.flag)
            try:
                answers[q.key] = q.parse(line)
                break
            except ValueError as exc:
                stdout.write(f"  Sorry: {exc}. Please try again.\n")
    return answers


def _error(message: str) -> int:
    print(f"sroi replicate: error: {message}", file=sys.stderr)
    return 2


def run(
    args: argparse.Namespace,
    parser: argparse.ArgumentParser,
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
) -> int:
    """Collect answers, write and check the scenario, compare with the pilots."""
    import re
    from pathlib import Path

    from sroi.analysis import replicate as rep
    from sroi.cli.common import load_all
    from sroi.scenario import ScenarioError

    stdin = stdin or sys.stdin
    stdout = stdout or sys.stdout
    template = Path(args.template) if args.template else rep.TEMPLATE
    if not template.is_file():
        return _error(f"replication template {str(template)!r} not found; pass --template FILE")
    # The pilots: compared with, and their ids are not reused.
    pilots_path = args.pilots or str(rep.PILOTS)
    pilots: list[Any] = []
    if args.draws > 0 or Path(pilots_path).exists():
        loaded, ok = load_all([pilots_path])
        if not ok:
            return _error(f"cannot read the pilot scenarios in {pilots_path!r}; pass --pilots PATH")
        pilots = [s for _, s in loaded]
    if args.scenario_id is not None and not re.fullmatch(r"[a-z][a-z0-9_]*", args.scenario_id):
        return _error(f"--id: expected a snake_case id such as newham; found {args.scenario_id!r}")

    # Answers given as flags: a bad one is refused, never asked again.
    given: dict[str, Any] = {}
    for q in rep.QUESTIONS:
        text = getattr(args, q.key)
        if text is None:
            continue
        try:
            given[q.key] = q.parse(text)
        except ValueError as exc:
            return _error(f"{q.flag}: {exc}")
    missing = [q.key for q in rep.QUESTIONS if q.key not in given]
    if missing:
        if not getattr(stdin, "isatty", lambda: False)():
            flags = ", ".join(q.flag for q in rep.QUESTIONS if q.key in missing)
            return _error(
                f"missing answers: {flags}. Give them as flags, or run in a terminal to be asked."
            )
        stdout.write(
            "Replication calculator: a few questions about your area. "
            "Press Ctrl-C to stop at any time.\n\n"
        )
        try:
            given.update(ask(missing, stdin, stdout))
        except InputEnded as exc:
            return _error(f"input ended before every question was answered (next: {exc})")
    answers = rep.Answers(**given)

    taken = [s.id for s in pilots]
    sid = args.scenario_id or rep.area_id(answers.area, taken)
    if sid in taken:
        return _error(f"--id {sid!r} is a pilot site's id; pick another")
    output = Path(args.output) if args.output else Path(f"{sid}.yaml")
    try:
        scenario = rep.write_scenario(
            answers, output, template=template, scenario_id=sid, force=args.force
        )
    except FileExistsError:
        return _error(f"{output} already exists; pass --force to replace it, or -o another file")
    except FileNotFoundError as exc:
        return _error(str(exc))
    except ScenarioError as exc:  # pragma: no cover - a bug in the calculator
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return _error("the written scenario is not valid (nothing was kept)")
    if missing:
        stdout.write("\n")
    stdout.write(
        f"Wrote {output} (scenario {sid}); it is valid. Edit it to refine any value, "
        f"then run `sroi run {output}`.\n"
    )
    if args.draws == 0:
        return 0
    stdout.write("\n")
    table = rep.compare_with_pilots(output, pilots, draws=args.draws, seed=args.seed)
    from sroi.reports.compare import pilots_table

    stdout.write(pilots_table(table, scenario.currency, scenario.price_year, args.draws))
    return 0
