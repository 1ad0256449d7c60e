"""Helpers shared by subcommands."""

from __future__ import annotations

import sys

from sroi.scenario import Scenario, check_file
from sroi.scenario.discover import PathError, scenario_files
from sroi.scenario.money import with_price_year
from sroi.scenario.together import check_together


def load_all(
    paths: list[str], price_year: int | None = None
) -> tuple[list[tuple[str, Scenario]], bool]:
    """Load every scenario named by ``paths``, at ``price_year`` prices when given.

    Problems are printed to stderr, one per line.  Returns the valid scenarios
    with their files, and whether everything was valid, including the checks
    on running them together (:mod:`sroi.scenario.together`).
    """
    try:
        files = scenario_files(paths)
    except PathError as exc:
        print(f"sroi: error: {exc}", file=sys.stderr)
        return [], False
    ok = True
    loaded: list[tuple[str, Scenario]] = []
    for file in files:
        scenario, problems = check_file(file)
        for problem in problems:
            print(problem, file=sys.stderr)
        if scenario is None:
            ok = False
        else:
            if price_year is not None:
                scenario = with_price_year(scenario, price_year)
            loaded.append((file, scenario))
    together = check_together(loaded)
    for problem in together:
        print(problem, file=sys.stderr)
    return loaded, ok and not together
