"""``sroi run PATH...``: Monte Carlo projections per site and for the programme."""

from __future__ import annotations

import argparse
from typing import Any


def add_parser(sub: Any) -> None:
    """Register the subcommand."""
    p = sub.add_parser("run", help="run the model (not yet available)")
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    """Not yet implemented."""
    parser.error("run is not available yet")
    return 2
