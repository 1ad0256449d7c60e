"""Entry point of the ``sroi`` command.

Each subcommand lives in its own module with ``add_parser`` and ``run``;
heavy libraries are imported inside ``run`` so ``sroi --help`` starts fast.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from sroi._version import __version__
from sroi.cli import (
    app_cmd,
    compare_cmd,
    replicate_cmd,
    report_cmd,
    run_cmd,
    schema_cmd,
    sensitivity_cmd,
    sweep_cmd,
    validate_cmd,
)

_COMMANDS = (
    validate_cmd,
    run_cmd,
    schema_cmd,
    sensitivity_cmd,
    report_cmd,
    compare_cmd,
    replicate_cmd,
    sweep_cmd,
    app_cmd,
)

_EPILOG = """\
examples:
  sroi validate scenarios                      check every bundled scenario
  sroi run scenarios/family_action_pss         four pilot sites and the programme
  sroi run scenarios/family_action_pss --json  the same as a JSON document
  sroi schema > scenario.schema.json           JSON Schema for editors
  sroi sensitivity scenarios/family_action_pss/oxford.yaml --method oneway
                                               what drives Oxford's SROI ratio
  sroi compare scenarios/family_action_pss     league table of the sites
  sroi report scenarios/family_action_pss -o report.html --xlsx value_map.xlsx
                                               HTML report and Excel value map
  sroi replicate                               cost the service in a new area
  sroi app                                     the same, and more, on a web page
  sroi sweep scenarios/family_action_pss/oxford.yaml --grid scenarios/sweeps/areas.yaml
             --design scenarios/sweeps/designs.yaml --out sweep.parquet
                                               every area x design into one table

exit status: 0 success, 2 invalid input or arguments, 1 internal error.
"""


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``sroi`` command."""
    parser = argparse.ArgumentParser(
        prog="sroi",
        description="Social Return on Investment (SROI) modelling with honest uncertainty: "
        "validate YAML scenarios and run Monte Carlo projections of unit cost, "
        "value, NPV and SROI ratio per site.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"sroi {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for command in _COMMANDS:
        command.add_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        status: int = args.handler(args, parser)
        return status
    except KeyboardInterrupt:
        print("sroi: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # Output piped into a command that stopped reading (e.g. `| head`).
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except Exception as exc:  # pragma: no cover - a bug, not bad input
        if os.environ.get("SROI_DEBUG"):
            raise
        print(
            f"sroi: internal error: {type(exc).__name__}: {exc}\n"
            "This is a bug in sroi, not in your input; set SROI_DEBUG=1 to see the traceback.",
            file=sys.stderr,
        )
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
