"""Helpers shared by subcommands."""

from __future__ import annotations

import sys

from sroi.scenario import Problem, Scenario, check_file
from sroi.scenario.discover import PathError, scenario_files
from sroi.scenario.loader import locate


def load_all(paths: list[str]) -> tuple[list[tuple[str, Scenario]], bool]:
    """Load every scenario named by ``paths``.

    Problems are printed to stderr, one per line.  Returns the valid scenarios
    with their files, and whether everything was valid (ids unique included).
    """
    try:
        files = scenario_files(paths)
    except PathError as exc:
        print(f"sroi: error: {exc}", file=sys.stderr)
        return [], False
    ok = True
    loaded: list[tuple[str, Scenario]] = []
    first: dict[str, str] = {}
    for file in files:
        scenario, problems = check_file(file)
        if scenario is not None and scenario.id in first:
            problems = [
                Problem(
                    locate(file, ("id",)),
                    "id",
                    f"scenario id {scenario.id!r} is already used by {first[scenario.id]}; "
                    "ids must be unique in a run",
                )
            ]
            scenario = None
        for problem in problems:
            print(problem, file=sys.stderr)
        if scenario is None:
            ok = False
            continue
        first[scenario.id] = file
        loaded.append((file, scenario))
    return loaded, ok
