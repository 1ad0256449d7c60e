"""``sroi schema``: print the JSON Schema of scenario files."""

from __future__ import annotations

import argparse
from typing import Any


def add_parser(sub: Any) -> None:
    """Register the subcommand."""
    p = sub.add_parser(
        "schema",
        help="print the JSON Schema of the scenario format (for editors)",
        description="Print the JSON Schema of scenario files. Point an editor at it with a "
        "first line '# yaml-language-server: $schema=PATH' for completion and inline errors.",
    )
    p.set_defaults(handler=run)


def run(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    """Print the schema."""
    from sroi.scenario.schema import scenario_schema_json

    print(scenario_schema_json(), end="")
    return 0
