"""Helpers shared by subcommands."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from sroi.files import Output, OutputError, check_outputs
from sroi.scenario import Scenario, check_file
from sroi.scenario.discover import PathError, scenario_files
from sroi.scenario.money import with_price_year
from sroi.scenario.together import check_repricing, check_together
from sroi.text import printable


def load_all(
    paths: list[str],
    price_year: int | None = None,
    *,
    allow_extends: Sequence[str] = (),
    together: bool = True,
) -> tuple[list[tuple[str, Scenario]], bool]:
    """Load every scenario named by ``paths``, at ``price_year`` prices when
    given (``allow_extends``: more folders that ``extends`` may read, see
    :func:`sroi.scenario.loader.extends_roots`).

    Problems are printed to stderr, one per line.  Returns the valid scenarios
    with their files, and whether everything was valid, including (unless
    ``together`` is false) the checks on running them together
    (:mod:`sroi.scenario.together`).
    """
    try:
        files = scenario_files(paths)
    except PathError as exc:
        print(f"sroi: error: {exc}", file=sys.stderr)
        return [], False
    ok = True
    loaded: list[tuple[str, Scenario]] = []
    for file in files:
        scenario, problems = check_file(file, allow_extends=allow_extends)
        for problem in problems:
            print(problem, file=sys.stderr)
        if scenario is None:
            ok = False
            if Path(file).name.startswith("_"):
                print(
                    f"{printable(file)}: note: a file whose name starts with _ is a base: "
                    "it need not be a whole scenario, and is checked through the files "
                    "that extend it",
                    file=sys.stderr,
                )
        else:
            loaded.append((file, scenario))
    if price_year is not None:
        for file, scenario in list(loaded):
            refused = check_repricing([(file, scenario)], price_year)
            for problem in refused:
                print(problem, file=sys.stderr)
            if refused:
                ok = False
                loaded.remove((file, scenario))
        loaded = [(file, with_price_year(scenario, price_year)) for file, scenario in loaded]
    problems = check_together(loaded) if together else []
    for problem in problems:
        print(problem, file=sys.stderr)
    return loaded, ok and not problems


def loaded_files(loaded: list[tuple[str, Scenario]]) -> dict[str, str]:
    """Scenario id -> the file :func:`load_all` loaded it from, for a run's
    ``files``: recorded as they are, since the files were just loaded (with
    the command's ``--allow-extends``)."""
    from sroi.results.load import LoadedFiles

    return LoadedFiles({scenario.id: file for file, scenario in loaded})


def check_output_paths(
    targets: list[tuple[str, str]],
    paths: list[str],
    allow_extends: Sequence[str] = (),
    follow_symlinks: bool | None = None,
    named_inputs: Sequence[tuple[str, str]] = (),
) -> list[Output] | None:
    """Check a command's outputs before it does any work (:mod:`sroi.files`):
    none may be a folder, a device, a link (unless followed), unwritable, an
    input scenario or a parent it extends, another input of the command
    (``named_inputs``: what it is and its path, such as ``("grid", "areas.csv")``),
    or the same file as another.

    Prints the problem and returns None when one is found.
    """
    from sroi.scenario.loader import input_files

    try:
        return check_outputs(
            targets,
            input_files(paths),
            follow_symlinks=follow_symlinks,
            named_inputs=named_inputs,
        )
    except OutputError as exc:
        print(f"sroi: error: {exc}", file=sys.stderr)
        return None
