"""``sroi replicate``: a commissioner's replication calculator.

Answers come as flags or, when the input is a terminal, from questions asked
one by one, where a bad answer is asked again.  Run with no answers to be
asked every question; give some as flags to be asked only the missing ones.
A bad answer given as a flag, or a missing one without a terminal, is an
error (exit status 2).  The output path is checked before the first question
(or, when the file is named after the area, right after the area is given).
The answers become a scenario file extending the replication template, which
is checked before it is written and then shown next to the four pilot sites.
"""

from __future__ import annotations

import argparse
import os
import shlex
import sys
import textwrap
from collections.abc import Collection, Sequence
from typing import Any, TextIO

from sroi.cli.commands import HELP as COMMAND_HELP
from sroi.cli.options import whole_number
from sroi.limits import MAX_DRAWS
from sroi.text import printable

#: One line for ``sroi --help``.
HELP = COMMAND_HELP["replicate"]


class InputEnded(Exception):
    """The input stream ended before every question was answered."""


_EPILOG = """\
examples:
  sroi replicate --area Newham --births 4800 --share-referred 1.8% \\
      --childrens-centre yes --management yes --it-systems no \\
      --referral-network yes --public-transport yes

  sroi replicate --area Riverside --years 2 --referrals-total 150 \\
      --share-accepted 85% --paired 60 --visits 8 --weeks 12 \\
      --volunteers-trained 25 --childrens-centre yes --management yes \\
      --it-systems no --referral-network no --public-transport yes

  sroi replicate --area Riverside --years 2 --referrals-total 150 --paired 60 \\
      --coordinator-salary 34000 --money-year 2024 --childrens-centre yes \\
      --management yes --it-systems no --referral-network no --public-transport yes

Run with no answers to be asked every question. Counts (--assessed, --paired,
--volunteers-trained) are over the --years the records cover. For an area
where the service has not started, --volunteers sets the befrienders planned
(without it, the pool grows with the caseload). Money
(--coordinator-salary, --cost) is entered as paid or budgeted, with
--money-year the financial year of those prices (2024 for 2024-25); the file
records it and sroi converts with the GDP deflator. See docs/replicate.md for
how each answer maps onto the scenario."""


_METAVARS = {
    "area": "NAME",
    "share_referred": "S",
    "share_accepted": "S",
    "coordinator_fte": "FTE",
    "local_costs": "LINE=AMOUNT",
    "money_year": "YEAR",
}


def add_parser(sub: Any) -> None:
    """Register the subcommand."""
    from sroi.replication.answers import QUESTIONS

    p = sub.add_parser(
        "replicate",
        help=HELP,
        description=textwrap.fill(
            "A replication calculator for commissioners. Answer a few questions about "
            "your area (as flags, or one by one when asked), including any figures a "
            "running service has recorded, and get a scenario file that extends the "
            "replication template, plus its unit cost and SROI ratio next to the four "
            "pilot sites. Figures you enter are recorded as local data; everything else "
            "is the template's, marked as assumed.",
            79,
        ),
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    a = p.add_argument_group("answers (asked for when missing and the input is a terminal)")
    for q in QUESTIONS:
        costs = q.key == "local_costs"
        extra = {"action": "append"} if costs else {}
        hint = q.hint.split("; Enter to ")[0].replace("%", "%%")
        more = (
            "; repeat --cost, or separate lines with commas; each AMOUNT is per unit of "
            "the line's driver (its `per` in the template: a year for most lines)"
            if costs
            else ""
        )
        a.add_argument(
            q.flag,
            dest=q.key,
            metavar=_METAVARS.get(q.key, "yes|no" if q.hint == "yes or no" else "N"),
            help=f"{q.prompt} {hint}{more}{' (optional)' if q.optional else ''}",
            **extra,
        )
    p.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help="scenario file to write (default: <area_id>.yaml in the current folder)",
    )
    p.add_argument(
        "--force",
        action="store_true",
        help="replace FILE if it exists (never the template, a pilot scenario, or a file "
        "either extends)",
    )
    p.add_argument(
        "--id", dest="scenario_id", metavar="ID", help="scenario id (default from the area name)"
    )
    p.add_argument(
        "--draws",
        type=whole_number(0, MAX_DRAWS),
        default=10_000,
        metavar="N",
        help="Monte Carlo draws for the comparison, at most 100,000,000 (default 10000; 0: "
        "write the file only)",
    )
    p.add_argument(
        "--seed", type=whole_number(0), default=0, metavar="S", help="random seed (default 0)"
    )
    p.add_argument(
        "--template",
        metavar="FILE",
        help="replication template to extend (default: the one installed with sroi, "
        "replication/new_area.yaml among the bundled scenarios)",
    )
    p.add_argument(
        "--pilots",
        metavar="PATH",
        help="pilot scenarios to compare with, a file or folder (default: the four pilot "
        "sites installed with sroi, family_action_pss among the bundled scenarios)",
    )
    p.set_defaults(handler=run)


def ask(
    given: dict[str, Any],
    stdin: TextIO,
    stdout: TextIO,
    *,
    keys: Collection[str] | None = None,
    required_only: bool = False,
    lines: Sequence[str] | None = None,
) -> dict[str, Any]:
    """Ask, in order, each question that applies and has no answer in ``given``
    (only ``keys`` when given; only required ones when ``required_only``),
    until it gets a good answer; returns the new answers.  An optional
    question is skipped with an empty line.  An answer that contradicts an
    earlier one is asked again, and so are cost lines that are not among
    ``lines`` (the template's, when known).

    Raises
    ------
    InputEnded
        When ``stdin`` ends first.
    """
    from sroi.replication.answers import QUESTIONS, check_answers
    from sroi.replication.rules import check_cost_lines

    answers = dict(given)
    new: dict[str, Any] = {}
    for q in QUESTIONS:
        if q.key in answers or (keys is not None and q.key not in keys):
            continue
        if not q.applies(answers) or (required_only and q.optional):
            continue
        while True:
            stdout.write(f"{q.prompt} ({q.hint})\n> ")
            stdout.flush()
            line = stdin.readline()
            if not line:
                stdout.write("\n")
                raise InputEnded(q.flag)
            if not line.strip() and q.optional:
                break
            if not line.strip():
                stdout.write(
                    "  Sorry: this question needs an answer (Enter skips only those that "
                    "say so). Please try again.\n"
                )
                continue
            try:
                value = q.parse(line)
            except ValueError as exc:
                stdout.write(f"  Sorry: {exc}. Please try again.\n")
                continue
            clash = [p for p in check_answers({**answers, q.key: value}) if p.flag == q.flag]
            if clash:
                stdout.write(f"  Sorry: {clash[0].message}. Please try again.\n")
                continue
            unknown = check_cost_lines(value, lines) if q.key == "local_costs" and lines else []
            if unknown:
                stdout.write(
                    f"  Sorry: {unknown[0].message} (its lines: {', '.join(lines or ())}). "
                    "Please try again.\n"
                )
                continue
            answers[q.key] = new[q.key] = value
            break
    return new


def _lines(template: os.PathLike[str]) -> list[str] | None:
    """The template's cost line ids, or None when it cannot be read (its
    problems are reported when the proposal is written)."""
    from sroi.replication.template import Template
    from sroi.scenario import ScenarioError

    try:
        return Template.load(template).line_ids()
    except (ScenarioError, OSError, ValueError):
        return None


def _proposal_cautions(answers: Any, template: os.PathLike[str], scenario: Any) -> list[Any]:
    """:func:`sroi.analysis.pilots.proposal_cautions` of the written proposal."""
    from sroi.analysis.pilots import proposal_cautions
    from sroi.replication.template import Template

    return proposal_cautions(answers, Template.load(template), scenario)


def _write_cautions(
    answers: Any, template: os.PathLike[str], scenario: Any, stdout: TextIO
) -> None:
    """The answers that are valid but far from the pilots' experience, each
    by its flag, and where the volunteer pool caps the caseload
    (:func:`sroi.analysis.pilots.proposal_cautions`)."""
    from sroi.replication.answers import BY_KEY

    checks = _proposal_cautions(answers, template, scenario)
    if checks:
        stdout.write("\nCheck these answers: each is valid, but far from what the pilots saw.\n")
        for c in checks:
            stdout.write(f"  {BY_KEY[c.key].flag}: {c.sentence}\n")


def run_command(output: os.PathLike[str] | str, price_year: int | None = None) -> str:
    """The ``sroi run`` command that shows the written file, shell-quoted, at
    ``price_year``'s prices (None: the file's own).

    >>> run_command("king s lynn.yaml", 2025)
    "sroi run 'king s lynn.yaml' --price-year 2025"
    >>> run_command("riverside.yaml")
    'sroi run riverside.yaml'
    """
    words = ["sroi", "run", str(output)]
    if price_year is not None:
        words += ["--price-year", str(price_year)]
    return shlex.join(words)


def _error(message: str) -> int:
    print(f"sroi replicate: error: {message}", file=sys.stderr)
    return 2


def _errors(messages: list[str], outcome: str) -> int:
    for message in messages:
        print(f"sroi replicate: error: {message}", file=sys.stderr)
    print(f"sroi replicate: {outcome}", file=sys.stderr)
    return 2


def _flag_answers(args: argparse.Namespace) -> tuple[dict[str, Any], list[str], set[str]]:
    """Answers given as flags that can be read, the error of each that
    cannot, and the keys of those."""
    from sroi.replication.answers import QUESTIONS

    given: dict[str, Any] = {}
    errors: list[str] = []
    unreadable: set[str] = set()
    for q in QUESTIONS:
        text = getattr(args, q.key)
        if text is None:
            continue
        if isinstance(text, list):  # --cost, repeatable
            # With a space, so that "--cost a=1 --cost 200" is not read as a=1,200.
            text = ", ".join(text)
        try:
            given[q.key] = q.parse(text)
        except ValueError as exc:
            errors.append(f"{q.flag}: {exc}")
            unreadable.add(q.key)
    return given, errors, unreadable


def run(
    args: argparse.Namespace,
    parser: argparse.ArgumentParser,
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
) -> int:
    """Collect answers, check and write the scenario, compare with the pilots."""
    import re
    from pathlib import Path

    from sroi import replication as rep
    from sroi.cli.common import load_all
    from sroi.replication.answers import QUESTIONS, check_answers, missing
    from sroi.replication.writer import area_id, check_output
    from sroi.scenario import ScenarioError
    from sroi.scenario.discover import PathError, scenario_files

    stdin = stdin or sys.stdin
    stdout = stdout or sys.stdout
    for flag, name in (
        ("--template", args.template),
        ("--pilots", args.pilots),
        ("-o", args.output),
    ):
        if name == "":
            return _error(f"{flag}: the file name is empty")
    template = Path(args.template) if args.template is not None else rep.template_path()
    if not os.path.isfile(template):
        return _error(f"replication template {str(template)!r} not found; pass --template FILE")
    # The pilots: compared with, never overwritten, and their ids are not reused.
    pilots_path = args.pilots if args.pilots is not None else str(rep.pilots_path())
    pilots: list[Any] = []
    pilot_files: list[str] = []
    if args.draws > 0 or os.path.exists(pilots_path):
        loaded, ok = load_all([pilots_path])
        if not ok:
            return _error(f"cannot read the pilot scenarios in {pilots_path!r}; pass --pilots PATH")
        pilots = [s for _, s in loaded]
        try:
            pilot_files = scenario_files([pilots_path])
        except PathError:
            pilot_files = []
    taken = [s.id for s in pilots]
    if args.scenario_id is not None and not re.fullmatch(r"[a-z][a-z0-9_]*", args.scenario_id):
        return _error(f"--id: expected a snake_case id such as newham; found {args.scenario_id!r}")
    if args.scenario_id in taken:
        return _error(f"--id {args.scenario_id!r} is a pilot site's id; pick another")
    from sroi.vocabulary import PROGRAMME

    if args.scenario_id == PROGRAMME:
        return _error(
            f"--id {PROGRAMME!r} names the total of a run's scenarios in every result; pick another"
        )

    def output_for(area: str) -> Path:
        sid = args.scenario_id or area_id(area, taken)
        return Path(args.output) if args.output else Path(f"{sid}.yaml")

    def refuse_output(output: Path) -> str | None:
        try:
            check_output(output, template=template, protected=pilot_files, force=args.force)
        except FileExistsError:
            return f"{output} already exists; pass --force to replace it, or -o another file"
        except rep.OutputPathError as exc:
            return str(exc)
        except OSError as exc:  # a name too long for the system, ...
            return f"cannot write -o {str(output)!r}: {exc.strerror or exc}"
        return None

    # Answers given as flags: a bad one is refused, never asked again.
    # Every problem is reported at once: each answer on its own, the answers
    # together (leaving out checks that read one that could not be read), and
    # the cost lines against the template.
    given, bad, unreadable = _flag_answers(args)
    problems = [*bad, *(str(p) for p in check_answers(given, unreadable))]
    if given.get("local_costs"):
        from sroi.replication.rules import check_cost_lines

        lines = _lines(template)
        if lines is not None:
            problems += [str(p) for p in check_cost_lines(given["local_costs"], lines)]
    if len(problems) == 1:
        return _error(problems[0])
    if problems:
        return _errors(problems, "nothing was asked or written")
    # The output path is checked before the first question.
    if args.output or "area" in given:
        message = refuse_output(output_for(given.get("area", "")))
        if message:
            return _error(message)
    needed = missing(given)
    interactive = getattr(stdin, "isatty", lambda: False)()
    asked = False
    if needed or not given:
        if not interactive:
            flags = ", ".join(q.flag for q in needed)
            return _error(
                f"missing answers: {flags}. Give them as flags, or run in a terminal to be asked."
            )
        stdout.write(
            "Replication calculator: a few questions about your area. "
            "Press Ctrl-C to stop at any time.\n\n"
        )
        asked = True
        required_only = bool(given)
        try:
            if "area" not in given:
                given.update(ask(given, stdin, stdout, keys={"area"}))
                message = refuse_output(output_for(given["area"]))
                if message:
                    return _error(message)
            given.update(
                ask(given, stdin, stdout, required_only=required_only, lines=_lines(template))
            )
        except InputEnded as exc:
            return _error(
                f"input ended before every question was answered (next: {exc}); nothing was written"
            )
    still = missing(given)
    if still:
        return _error(f"missing answers: {', '.join(q.flag for q in still)}")
    answers = rep.Answers(**{q.key: given[q.key] for q in QUESTIONS if q.key in given})
    output = output_for(answers.area)
    sid = args.scenario_id or area_id(answers.area, taken)
    try:
        scenario = rep.write_scenario(
            answers,
            output,
            template=template,
            scenario_id=sid,
            force=args.force,
            protected=pilot_files,
            check=lambda built: _proposal_cautions(answers, template, built),
        )
    except FileExistsError:
        return _error(
            f"{printable(str(output))} already exists; pass --force to replace it, "
            "or -o another file"
        )
    except rep.OutputPathError as exc:
        return _error(str(exc))
    except rep.AnswersError as exc:
        return _errors([str(p) for p in exc.problems], "nothing was written")
    except ScenarioError as exc:  # the template itself, or a file it extends
        return _errors(
            [str(p) for p in exc.problems], "the template has problems; nothing was written"
        )
    if asked:
        stdout.write("\n")
    # Money entered at a year's prices is compared at that year's, as on the
    # page; the suggested command then shows the same prices, whether or not
    # the comparison is shown (--draws 0).
    year = answers.money_year if answers.money_year is not None else scenario.price_year
    shown_at = year if year != scenario.price_year else None
    stdout.write(
        f"Wrote {printable(str(output))} (scenario {sid}); it is valid. Edit it to refine any "
        f"value, then run `{printable(run_command(output, shown_at))}`.\n"
    )
    _write_cautions(answers, template, scenario, stdout)
    if args.draws == 0:
        return 0
    stdout.write("\n")
    from sroi.analysis.pilots import compare_with_pilots
    from sroi.reports.compare import pilots_table
    from sroi.scenario.money import with_price_year

    mine, others = with_price_year(scenario, year), [with_price_year(p, year) for p in pilots]
    table = compare_with_pilots(mine, others, draws=args.draws, seed=args.seed)
    stdout.write(pilots_table(table, scenario.currency, year, args.draws))
    return 0
