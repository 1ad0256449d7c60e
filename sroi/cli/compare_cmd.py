"""``sroi compare PATH...``: league table of sites and proposals, draw by draw."""

from __future__ import annotations

import argparse
import math
import sys
import textwrap
from typing import Any

from sroi.cli.commands import HELP as COMMAND_HELP
from sroi.cli.options import (
    add_draws,
    add_paths,
    add_perspective,
    add_price_year,
    add_sampler,
    add_seed,
    whole_number,
)
from sroi.limits import MAX_MAGNITUDE

#: One line for ``sroi --help``.
HELP = COMMAND_HELP["compare"]


def _thresholds(text: str) -> list[float]:
    out = []
    for part in text.split(","):
        try:
            value = float(part)
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"expected numbers separated by commas, e.g. 0.5,1,2,3; found {part.strip()!r}"
            ) from None
        if not math.isfinite(value):
            raise argparse.ArgumentTypeError(f"expected finite numbers; found {part.strip()!r}")
        out.append(value)
    return out


def _contribution(text: str) -> dict[str, float]:
    from sroi.vocabulary import PAYERS

    out: dict[str, float] = {}
    for part in text.split(","):
        payer, sep, amount = part.partition("=")
        payer = payer.strip()
        if not sep:
            raise argparse.ArgumentTypeError(
                f"expected PAYER=AMOUNT, e.g. nhs=50000; found {part.strip()!r}"
            )
        if payer not in PAYERS:
            raise argparse.ArgumentTypeError(
                f"unknown payer {payer!r}; expected one of {', '.join(PAYERS)}"
            )
        try:
            value = float(amount.strip().replace("_", ""))
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"expected an amount for {payer}, e.g. {payer}=50000; found {amount.strip()!r}"
            ) from None
        if math.isnan(value) or value < 0:
            raise argparse.ArgumentTypeError(f"expected an amount >= 0; found {amount.strip()!r}")
        if value > MAX_MAGNITUDE:  # infinity too
            raise argparse.ArgumentTypeError(
                f"expected an amount of at most {MAX_MAGNITUDE:,.0f} (the largest a scenario "
                f"may hold); found {amount.strip()!r}"
            )
        if payer in out:
            raise argparse.ArgumentTypeError(_twice(payer))
        out[payer] = value
    return out


def _twice(payer: str) -> str:
    return f"payer {payer} is given twice; give each payer one amount"


class _Contributions(argparse.Action):
    """``--contribution``, repeatable: the payers' amounts in one mapping, each
    payer at most once over every use of the flag."""

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: Any,
        option_string: str | None = None,
    ) -> None:
        given: dict[str, float] = dict(getattr(namespace, self.dest) or {})
        for payer, amount in values.items():
            if payer in given:
                raise argparse.ArgumentError(self, _twice(payer))
            given[payer] = amount
        setattr(namespace, self.dest, given)


def add_parser(sub: Any) -> None:
    """Register the subcommand."""
    from sroi.vocabulary import PAYERS, PUBLIC_PAYERS

    p = sub.add_parser(
        "compare",
        help=HELP,
        description=textwrap.fill(
            "Compare scenarios (pilot sites, replication proposals) in one run with "
            "common random numbers: the return of the --perspective (SROI ratio for society; "
            "expected = mean value / mean cost, with its median and 90% interval), its net "
            "present value, unit cost and cost per case averted; the probability that each is "
            "the best value (by that return, draw by draw); pairwise P(A beats B); rank "
            "uncertainty; P(return >= threshold); and, with --contribution, the probability "
            "that a payer gets back more than it puts in.",
            79,
        ),
        epilog="examples:\n"
        "  sroi compare scenarios/family_action_pss scenarios/replication/new_area.yaml\n"
        "  sroi compare scenarios --contribution nhs=50000 --contribution local_authority=20000"
        " --by-year 4\n\nsee docs/compare.md for how to read each table.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_paths(p)
    add_draws(p, minimum=1)
    add_seed(p)
    add_price_year(p)
    add_perspective(p)
    add_sampler(p)
    p.add_argument("--json", action="store_true", help="print a JSON document to stdout")
    p.add_argument(
        "--thresholds",
        type=_thresholds,
        default=[0.5, 1.0, 2.0, 3.0],
        metavar="T,T,...",
        help="returns for the acceptability curve (default 0.5,1,2,3)",
    )
    p.add_argument(
        "--contribution",
        type=_contribution,
        action=_Contributions,
        metavar="PAYER=AMOUNT",
        help=f"what a payer ({', '.join(PUBLIC_PAYERS)}; also "
        f"{', '.join(p for p in PAYERS if p not in PUBLIC_PAYERS)}) is asked to put in "
        "[scenario currency, price year]; repeat or separate with commas, each payer once",
    )
    p.add_argument(
        "--by-year",
        type=whole_number(0),
        metavar="N",
        help="with --contribution: count the payer's discounted value over years 0..N "
        "(year 0 is the first delivery year; default: every year)",
    )
    p.set_defaults(handler=run)


def run(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    """Load, compare, print."""
    if args.by_year is not None and not args.contribution:
        parser.error("--by-year needs --contribution PAYER=AMOUNT")
    from sroi.analysis.compare import compare
    from sroi.cli.common import load_all, loaded_files

    loaded, ok = load_all(args.paths, args.price_year, allow_extends=args.allow_extends)
    if not ok:
        return 2
    if args.by_year is not None:
        from sroi.analysis.compare import check_by_year
        from sroi.engine.model import horizon

        try:  # before the run, which takes a while
            check_by_year(args.by_year, max(horizon(s) for _, s in loaded), "--by-year")
        except ValueError as exc:
            parser.error(str(exc))
    result = compare(
        [scenario for _, scenario in loaded],
        draws=args.draws,
        seed=args.seed,
        thresholds=args.thresholds,
        contributions=args.contribution or {},
        by_year=args.by_year,
        files=loaded_files(loaded),
        perspective=args.perspective,
        sampler=args.sampler,
    )
    if args.json:
        import json

        doc = result.to_dict()
        files = {info.id: info.file for info in result.run.scenarios}
        doc["scenarios"] = [{**entry, "file": files[entry["id"]]} for entry in doc["scenarios"]]
        sys.stdout.write(json.dumps(doc, indent=2, allow_nan=False) + "\n")
    else:
        from sroi.reports.compare import compare_table

        sys.stdout.write(compare_table(result))
    return 0
