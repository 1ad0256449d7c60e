"""Load the scenarios of one run, with the identity its results record."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from sroi.prices import check_price_year
from sroi.results.run_info import ScenarioInfo
from sroi.scenario import Scenario, ScenarioError, check_file
from sroi.scenario.discover import PathError, is_empty_path, regular_file, scenario_files
from sroi.scenario.loader import extends_chain
from sroi.scenario.money import with_price_year
from sroi.scenario.problems import Problem
from sroi.scenario.together import check_repricing, check_together

#: What a run accepts as scenarios: a file or folder path, or a loaded scenario.
ScenarioLike = str | os.PathLike[str] | Scenario


def _not_scenarios(found: object) -> str:
    shown = repr(found)
    shown = shown if len(shown) <= 60 else shown[:57] + "..."
    return (
        "scenarios: expected a scenario file or folder (str or os.PathLike), a Scenario, "
        f"or a list of them; found {type(found).__name__} {shown}"
    )


def sha256(file: str) -> str:
    """SHA-256 of a file's bytes, as 64 hex digits."""
    return hashlib.sha256(Path(file).read_bytes()).hexdigest()


class LoadedFiles(dict[str, str]):
    """Scenario id -> the file the caller itself loaded that scenario from
    (the command line's ``load_all``), with the ``allow_extends`` it loaded
    it with: recorded as given, without loading the file again."""


def _shown(found: object) -> str:
    shown = repr(found)
    return f"{type(found).__name__} {shown if len(shown) <= 60 else shown[:57] + '...'}"


def _recorded(
    files: Mapping[str, str | os.PathLike[str]] | None,
    given: Sequence[Scenario],
    allow_extends: Sequence[str | os.PathLike[str]],
) -> dict[str, str]:
    """``files`` checked: each id one of a Scenario ``given``, each path a
    scenario file that holds that scenario (at its own or the run's price
    year).  Returns id -> file name."""
    if files is None:
        return {}
    if isinstance(files, LoadedFiles):
        return dict(files)
    if not isinstance(files, Mapping):
        raise ValueError(
            "files must be a mapping of scenario id -> the file that Scenario was "
            f"loaded from; found {_shown(files)}"
        )
    scenarios = {s.id: s for s in given}
    out: dict[str, str] = {}
    for sid, file in files.items():
        if sid not in scenarios:
            held = ", ".join(sorted(scenarios)) or "none (a path given is recorded as it is)"
            raise ValueError(
                f"files names scenario {sid!r}, which is not a Scenario given; "
                f"the ids of the Scenarios given are {held}"
            )
        if not isinstance(file, (str, os.PathLike)) or not isinstance(os.fspath(file), str):
            raise ValueError(f"files[{sid!r}] must be the path of a file; found {_shown(file)}")
        name = "" if is_empty_path(file) else os.fspath(file)
        try:
            regular_file(name)
        except PathError as exc:
            raise PathError(f"files[{sid!r}]: {exc}") from None
        scenario, problems = check_file(name, allow_extends=allow_extends)
        if scenario is None:
            raise ValueError(
                f"files[{sid!r}] holds no valid scenario ({len(problems)} problem(s); "
                f"the first: {problems[0]})"
            )
        if not _same(scenario, scenarios[sid]):
            raise ValueError(
                f"files[{sid!r}] holds a scenario other than the one given "
                "(edited since it was loaded?)"
            )
        out[sid] = name
    return out


def _same(loaded: Scenario, given: Scenario) -> bool:
    """Whether ``given`` is ``loaded``, at its own price year or repriced."""
    if loaded == given:
        return True
    if loaded.price_year == given.price_year:
        return False
    try:
        return with_price_year(loaded, given.price_year) == given
    except ValueError:
        return False


def load_run(
    items: ScenarioLike | Sequence[ScenarioLike],
    files: Mapping[str, str | os.PathLike[str]] | None = None,
    price_year: int | None = None,
    *,
    allow_extends: Sequence[str | os.PathLike[str]] = (),
) -> tuple[list[Scenario], list[ScenarioInfo]]:
    """Load the scenarios of one run, with what identifies each.

    ``items`` are files, folders (every ``*.yaml`` below, except ``_*``) or
    loaded scenarios; a file named twice (or by its folder too) is read
    once, as on the command line.  ``files`` maps the id of a loaded
    scenario to the file it came from, which must hold it (checked, unless
    it is a :class:`LoadedFiles`); ``price_year``, when given, re-expresses
    every scenario's money at that year's prices
    (:func:`~sroi.scenario.money.with_price_year`); ``allow_extends`` names
    more folders ``extends`` may read.  Every problem in every file is
    collected, then the scenarios are checked together
    (:mod:`sroi.scenario.together`).

    Raises
    ------
    ScenarioError
        With every problem found.
    PathError
        When a path names no scenario file (in ``files`` too).
    ValueError
        When ``files`` is not a mapping of the ids of the Scenarios given
        to the files that hold them.
    TypeError
        When ``items`` or one of them is neither a path nor a Scenario (a
        number, bytes, a mapping, ...).
    """
    if isinstance(items, (str, os.PathLike, Scenario)):
        items = [items]
    elif isinstance(items, (bytes, Mapping)) or not isinstance(items, Iterable):
        raise TypeError(_not_scenarios(items))
    items = list(items)
    for item in items:
        if not isinstance(item, (str, os.PathLike, Scenario)):
            raise TypeError(_not_scenarios(item))
    given = [item for item in items if isinstance(item, Scenario)]
    recorded = _recorded(files, given, allow_extends)
    pairs: list[tuple[str | None, Scenario]] = [(recorded.get(s.id), s) for s in given]
    # Every path at once, as the command line reads them: a file named twice,
    # or by its folder too, is one file (read once).
    paths = [
        "" if is_empty_path(item) else os.fspath(item)
        for item in items
        if not isinstance(item, Scenario)
    ]
    problems: list[Problem] = []
    for file in scenario_files(paths) if paths else []:
        scenario, found = check_file(file, allow_extends=allow_extends)
        problems.extend(found)
        if scenario is not None:
            pairs.append((file, scenario))
    if problems:
        raise ScenarioError(problems)
    if price_year is not None:
        check_price_year(price_year)
        refused = check_repricing(pairs, price_year)
        if refused:
            raise ScenarioError(refused)
        pairs = [(f, with_price_year(s, price_year)) for f, s in pairs]
    problems = check_together(pairs)
    if problems:
        raise ScenarioError(problems)
    digests: dict[str, str] = {}  # a shared parent (_common.yaml) is read once
    infos = [
        ScenarioInfo(
            s.id,
            s.name,
            f,
            sha256(f) if f else None,
            s.currency,
            s.price_year,
            _parents(f, digests),
        )
        for f, s in pairs
    ]
    return [s for _, s in pairs], infos


def _parents(file: str | None, digests: dict[str, str]) -> tuple[tuple[str, str], ...]:
    """Each file ``file`` extends, in turn, with its SHA-256 (none for a
    scenario built in Python); ``digests`` keeps those already read."""
    return file_digests(extends_chain(file)[1:], digests) if file else ()


def file_digests(
    files: Sequence[Path], digests: dict[str, str] | None = None
) -> tuple[tuple[str, str], ...]:
    """``(file, SHA-256)`` of each of ``files`` that exists, in order, as a
    run records the files a scenario extends; ``digests`` keeps those
    already read (a parent several scenarios share is read once)."""
    digests = {} if digests is None else digests
    out = []
    for path in files:
        if path.is_file():
            name = str(path)
            if name not in digests:
                digests[name] = sha256(name)
            out.append((name, digests[name]))
    return tuple(out)


__all__ = ["LoadedFiles", "ScenarioLike", "file_digests", "load_run", "sha256"]
