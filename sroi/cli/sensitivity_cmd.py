"""``sroi sensitivity PATH... --method M``: which values drive the results.

Methods live in :data:`METHODS`; adding one is one entry (a sentence for
``--help``, the options it reads, a function computing its DataFrame and one
printing it).  ``--json`` prints :func:`sroi.reports.sensitivity.document`
of the DataFrame for every method.
"""

from __future__ import annotations

import argparse
import math
import sys
import textwrap
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NamedTuple

from sroi.cli.commands import HELP as COMMAND_HELP
from sroi.cli.options import (
    PATH_HELP,
    add_allow_extends,
    add_perspective,
    add_price_year,
    whole_number,
)
from sroi.limits import MAX_MAGNITUDE

if TYPE_CHECKING:
    import pandas as pd

    from sroi.scenario import Scenario

#: One line for ``sroi --help``.
HELP = COMMAND_HELP["sensitivity"]


class Method(NamedTuple):
    """One ``--method``.

    help : str
        What it answers, in a sentence (shown by ``--help``).
    options : tuple of str
        Optional arguments it reads, by ``dest`` (others are refused).
    compute : callable
        ``(args, scenarios, files) -> DataFrame``, ``files`` mapping each
        scenario id to its file (for the run header); imports the library
        when called.
    table : callable
        ``DataFrame -> str`` for the terminal.
    """

    help: str
    options: tuple[str, ...]
    compute: Callable[[argparse.Namespace, list[Scenario], dict[str, str]], pd.DataFrame]
    table: Callable[[pd.DataFrame], str]


def _oneway(
    args: argparse.Namespace, scenarios: list[Scenario], files: dict[str, str]
) -> pd.DataFrame:
    from sroi.analysis.oneway import oneway

    return oneway(
        scenarios,
        metric=args.metric,
        band=0.2 if args.band is None else args.band,
        scenario_id=args.scenario,
        perspective=args.perspective,
        files=files,
    )


def _breakeven(
    args: argparse.Namespace, scenarios: list[Scenario], files: dict[str, str]
) -> pd.DataFrame:
    from sroi.analysis.breakeven import DEFAULT_TARGETS, breakeven
    from sroi.analysis.subject import AnalysisError, check_metric, perspective_metric

    # An unknown metric is named as such before any --target-value is asked for.
    target = check_metric(perspective_metric(args.metric, args.perspective), continuous=True)
    if args.target_value is None and target not in DEFAULT_TARGETS:
        raise AnalysisError(f"--metric {target} needs --target-value X (the {target} to reach)")
    if args.target_value is not None and abs(args.target_value) > MAX_MAGNITUDE:
        raise AnalysisError(
            f"--target-value: expected a number between -{MAX_MAGNITUDE:g} and "
            f"{MAX_MAGNITUDE:g} (the largest a scenario may hold); found {args.target_value:g}"
        )
    return breakeven(
        scenarios,
        target=target,
        value=args.target_value,
        band=0.2 if args.band is None else args.band,
        scenario_id=args.scenario,
        perspective=args.perspective,
        files=files,
    )


def _sobol(
    args: argparse.Namespace, scenarios: list[Scenario], files: dict[str, str]
) -> pd.DataFrame:
    from sroi.analysis.sobol import sobol
    from sroi.analysis.subject import perspective_metric
    from sroi.cli.progress import ProgressBar

    own = [perspective_metric(None, args.perspective, kind) for kind in ("ratio", "net")]
    bar: ProgressBar | None = None

    def shown(done: int, total: int) -> None:
        # The bar starts with the first model runs, so that its rate and
        # time left are theirs, not the set-up's.
        nonlocal bar
        if bar is None and ProgressBar.wanted():
            bar = ProgressBar(total, unit="model runs")
        if bar is not None:
            bar(done)

    try:
        return sobol(
            scenarios,
            metrics=[args.metric] if args.metric else own,
            base_samples=args.samples or 2**12,
            seed=0 if args.seed is None else args.seed,
            scenario_id=args.scenario,
            perspective=args.perspective,
            files=files,
            progress=shown,
        )
    finally:
        if bar is not None:
            bar.close()


def _voi(
    args: argparse.Namespace, scenarios: list[Scenario], files: dict[str, str]
) -> pd.DataFrame:
    from sroi.analysis.subject import AnalysisError
    from sroi.analysis.voi import voi

    if args.scenario is not None:
        chosen = [s for s in scenarios if s.id == args.scenario]
        if not chosen:
            ids = ", ".join(sorted(s.id for s in scenarios))
            raise AnalysisError(f"no scenario {args.scenario!r}; expected one of {ids}")
        scenarios = chosen
    if (args.population is None) != (args.horizon is None):
        raise AnalysisError(
            "--population and --horizon go together: women a year, and for how many years"
        )
    return voi(
        scenarios,
        draws=10_000 if args.draws is None else args.draws,
        seed=0 if args.seed is None else args.seed,
        population=args.population,
        horizon=args.horizon,
        options=bool(args.options),
        perspective=args.perspective,
        files=files,
    ).frame()


def _voi_table(frame: pd.DataFrame) -> str:
    from sroi.reports.voi import voi_table

    return voi_table(frame)


def _table(name: str) -> Callable[[pd.DataFrame], str]:
    def show(frame: pd.DataFrame) -> str:
        from sroi.reports import sensitivity

        text: str = getattr(sensitivity, name)(frame)
        return text

    return show


#: Every ``--method``, in the order ``--help`` lists them.
METHODS: dict[str, Method] = {
    "oneway": Method(
        "move each value alone from its 5th to 95th percentile (fixed values -/+ band) and "
        "rank the values by how far the metric swings: the data of a tornado diagram",
        ("metric", "band", "scenario"),
        _oneway,
        _table("oneway_table"),
    ),
    "breakeven": Method(
        "for each value alone, find the value at which the metric reaches a target (SROI "
        "ratio 1, NPV 0, or --target-value) and whether that lies in its plausible range",
        ("metric", "target_value", "band", "scenario"),
        _breakeven,
        _table("breakeven_table"),
    ),
    "sobol": Method(
        "split the metric's Monte Carlo variance among the uncertain values, correlated "
        "ones as one group: Sobol' first-order (alone) and total-order (with interactions) "
        "indices, with bootstrap intervals, and the ratio of the Monte Carlo variance to "
        "the Sobol' variance as a check",
        ("metric", "samples", "seed", "scenario"),
        _sobol,
        _table("sobol_table"),
    ),
    "voi": Method(
        "value of information for the decision to commission or not (net benefit: the "
        "perspective's net present value, NPV for society): "
        "EVPI, and EVPPI of each uncertain value and group of values (effect, proxies, "
        "costs, ...) by regression; per decision, per woman and, with --population and "
        "--horizon, for every woman the decision will serve; with --options, also the "
        "choice among the scenarios",
        ("draws", "seed", "scenario", "population", "horizon", "options"),
        _voi,
        _voi_table,
    ),
}


def _number(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        from sroi.replication.answers import number_hint

        raise argparse.ArgumentTypeError(
            f"expected a number; found {text!r}{number_hint(text)}"
        ) from None
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"expected a finite number; found {text!r}")
    return value


def _band(text: str) -> float:
    value = _number(text)
    if not 0 < value < 1:
        raise argparse.ArgumentTypeError(
            f"expected a fraction between 0 and 1 (0.2 is -/+20%); found {text}"
        )
    return value


def _power_of_two(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number; found {text!r}") from None
    if value < 16 or value & (value - 1):
        raise argparse.ArgumentTypeError(
            f"expected a power of 2 of at least 16 (e.g. 1024, 4096); found {value}"
        )
    return value


def add_parser(sub: Any) -> None:
    """Register the subcommand."""
    methods = "\n".join(
        textwrap.fill(m.help, 79, initial_indent=f"  {name:<10} ", subsequent_indent=" " * 13)
        for name, m in METHODS.items()
    )
    p = sub.add_parser(
        "sensitivity",
        help=HELP,
        description=textwrap.fill(
            "Sensitivity analysis of a metric of one scenario, or of the programme when "
            "several are given (a shared value then moves in every scenario at once). "
            "Prints a table, or a JSON document with --json.",
            79,
        ),
        epilog=f"methods:\n{methods}\n\nsee docs/sensitivity.md for how to read each one,\n"
        "and docs/value-of-information.md for voi.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument(
        "paths",
        nargs="+",
        metavar="PATH",
        help=PATH_HELP,
    )
    add_price_year(p)
    add_allow_extends(p)
    p.add_argument(
        "--method", choices=list(METHODS), required=True, help="the analysis (see below)"
    )
    add_perspective(p)
    p.add_argument(
        "--metric",
        metavar="M",
        help="metric to analyse: sroi_ratio, npv, public_roi, public_sector_npv, nhs_roi, "
        "unit_cost, value_pv, value_pv_by_payer.nhs, ... (default: the perspective's return, "
        "sroi_ratio for society; sobol: its return and net present value)",
    )
    p.add_argument(
        "--target-value",
        type=_number,
        metavar="X",
        help="breakeven: the metric's target (default 1 for a return such as sroi_ratio or "
        "public_roi, 0 for a net present value such as npv; required for other metrics)",
    )
    p.add_argument(
        "--band",
        type=_band,
        metavar="B",
        help="oneway, breakeven: relative move of fixed values (default 0.2: -/+20%%)",
    )
    p.add_argument(
        "--samples",
        type=_power_of_two,
        metavar="N",
        help="sobol: base samples, a power of 2 (default 4096; runs N x (inputs + 2), "
        "correlated values counting as one input)",
    )
    p.add_argument(
        "--draws",
        type=whole_number(0),
        metavar="N",
        help="voi: Monte Carlo draws (default 10000; at least 10)",
    )
    p.add_argument(
        "--seed", type=whole_number(0), metavar="S", help="sobol, voi: random seed (default 0)"
    )
    p.add_argument(
        "--population",
        type=_number,
        metavar="N",
        help="voi: women facing the decision each year, at most 10^12; with --horizon, adds "
        "EVPI and EVPPI for all of them over the horizon, discounted as the scenarios discount "
        "money (no default: without both, no population figures)",
    )
    p.add_argument(
        "--horizon",
        type=whole_number(0),
        metavar="Y",
        help="voi: years over which the decision recurs, 1 to 300 (with --population; no "
        "default: without both, no population figures)",
    )
    p.add_argument(
        "--options",
        action="store_true",
        default=None,
        help="voi: also treat the scenarios as options of one choice (which one, if any) "
        "and give its EVPI",
    )
    p.add_argument("--scenario", metavar="ID", help="analyse only this scenario of those given")
    p.add_argument("--json", action="store_true", help="print a JSON document to stdout")
    p.set_defaults(handler=run, check=check)


def check(args: argparse.Namespace) -> str | None:
    """The first option that does not fit ``--method``, as a message, or None.

    Run before anything else (and before any warning about few draws), so a
    refused option is the only thing said.
    """
    method = METHODS[args.method]
    settings = ("metric", "target_value", "band", "samples", "draws", "seed", "scenario")
    for dest in (*settings, "population", "horizon", "options"):
        if getattr(args, dest, None) is not None and dest not in method.options:
            flag = "--" + dest.replace("_", "-")
            return f"{flag} does not apply to --method {args.method}"
    if args.method == "voi" and args.draws is not None:
        from sroi.analysis.voi import MIN_DRAWS

        if args.draws < MIN_DRAWS:
            return (
                f"--draws must be at least {MIN_DRAWS} for value of information; found {args.draws}"
            )
    return None


def run(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    """Load, compute, print (options are checked first by :func:`check`)."""
    method = METHODS[args.method]
    from sroi.analysis.subject import AnalysisError
    from sroi.cli.common import load_all, loaded_files

    loaded, ok = load_all(args.paths, args.price_year, allow_extends=args.allow_extends)
    if not ok:
        return 2
    try:
        files = loaded_files(loaded)
        frame = method.compute(args, [scenario for _, scenario in loaded], files)
    except AnalysisError as exc:
        print(f"sroi sensitivity: error: {exc}", file=sys.stderr)
        return 2
    if args.json:
        import json

        from sroi.reports.sensitivity import document

        sys.stdout.write(json.dumps(document(frame), indent=2, allow_nan=False) + "\n")
    else:
        from sroi.vocabulary import PERSPECTIVES

        view = PERSPECTIVES[args.perspective]
        sys.stdout.write(f"Perspective: {view.label} ({view.definition})\n")
        sys.stdout.write(method.table(frame))
    return 0
