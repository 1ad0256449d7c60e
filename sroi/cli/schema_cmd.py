"""``sroi schema``: print the JSON Schema of scenario files, or where the
installed copy of it is."""

from __future__ import annotations

import argparse
from typing import Any

from sroi.cli.commands import HELP as COMMAND_HELP

#: One line for ``sroi --help``.
HELP = COMMAND_HELP["schema"]


def add_parser(sub: Any) -> None:
    """Register the subcommand."""
    p = sub.add_parser(
        "schema",
        help=HELP,
        description="Print the JSON Schema of scenario files. Point an editor at it with a "
        "first line '# yaml-language-server: $schema=PATH' for completion and inline errors.",
        epilog="examples:\n"
        "  sroi schema > scenario.schema.json   save a copy beside your scenarios\n"
        "  sroi schema --path                   the copy installed with sroi",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument(
        "--path",
        action="store_true",
        help="print the path of the schema file installed with sroi instead of the schema",
    )
    p.set_defaults(handler=run)


def run(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    """Print the schema, or with ``--path`` the installed schema file's path."""
    if args.path:
        from sroi.scenario.bundled import SCHEMA, bundled_path

        print(bundled_path(SCHEMA))
        return 0
    from sroi.scenario.schema import scenario_schema_json

    print(scenario_schema_json(), end="")
    return 0
