"""``sroi app [--port P] [--no-browser]``: the commissioners' web page, served
on this computer only."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from sroi.cli.commands import HELP as COMMAND_HELP
from sroi.cli.options import _whole

#: One line for ``sroi --help``.
HELP = COMMAND_HELP["app"]


#: Highest TCP port.
MAX_PORT = 65_535


def port(text: str) -> int:
    """An argparse type: a TCP port, 1 to 65535, or 0 for any free one.

    >>> port("8000"), port("0")
    (8000, 0)
    """
    try:
        value = _whole(text)
    except (ValueError, OverflowError):
        value = None
    if value is None or not 0 <= value <= MAX_PORT:
        raise argparse.ArgumentTypeError(
            f"expected a port from 1 to {MAX_PORT}, or 0 for any free port; found {text!r}"
        )
    return value


port.__name__ = "port"


def add_parser(sub: Any) -> None:
    """Register the subcommand."""
    p = sub.add_parser(
        "app",
        help=HELP,
        description="Start a web page for commissioners on this computer: choose a pilot "
        "site or enter your area's figures, see its cost, returns and how sure they are "
        "next to the four pilots, and download the scenario file, the HTML report and the "
        "Excel workbook. It listens on 127.0.0.1 only, so no other computer can reach it, "
        "and it loads nothing from the internet. Stop it with Ctrl-C. Needs the app extra: "
        "pip install 'sroi[app]'.",
    )
    p.add_argument(
        "--port",
        type=port,
        default=8000,
        metavar="P",
        help="port to listen on (default 8000; 0 picks a free one)",
    )
    p.add_argument(
        "--no-browser",
        action="store_true",
        help="do not open a browser; just print the address",
    )
    p.set_defaults(handler=run)


def run(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    """Serve the page until interrupted."""
    try:
        from sroi.app.server import serve
    except ImportError as exc:
        print(
            f"sroi app: error: the web page needs the app extra ({exc.name} is missing); "
            "install it with `pip install 'sroi[app]'`",
            file=sys.stderr,
        )
        return 2

    def ready(address: str) -> None:
        print(f"sroi app: serving on {address} (this computer only); press Ctrl-C to stop")
        sys.stdout.flush()

    try:
        serve(args.port, open_browser=not args.no_browser, ready=ready)
    except KeyboardInterrupt:
        pass
    except OSError as exc:
        import errno

        if exc.errno == errno.EADDRINUSE:
            reason = (
                f"port {args.port} is already in use (another program, or another "
                "sroi app, is listening on it); try --port 0 for any free port"
            )
        elif exc.errno == errno.EACCES:
            reason = (
                f"port {args.port} needs special permission on this computer; "
                "try --port 0 for any free port"
            )
        else:
            reason = f"{exc.strerror or exc}; try --port 0 for any free port"
        print(f"sroi app: error: cannot listen on 127.0.0.1:{args.port}: {reason}", file=sys.stderr)
        return 2
    return 0
