"""Numbers without a source: what ``sroi validate`` warns about.

A scenario should give a source for every number, or say that it is an
assumption (docs/writing-a-scenario.md, Checklist).  A value with neither a
``source`` nor an ``evidence`` grade is valid, so that a draft can run;
``sroi validate --require-sources`` refuses it, and :func:`unsourced_problems`
names each one where it is written.  A value no file writes (a default,
such as an outcome's ``lag``) can be graded only once written out, and its
problem says so.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from sroi.scenario.loader import extends_roots, load_document
from sroi.scenario.model import Scenario, path_steps, scenario_values
from sroi.scenario.problems import Problem
from sroi.scenario.values import Value

#: What each problem says after the value's path.
MESSAGE = (
    "no source and no evidence grade; name a source (source: KEY) or say it is an "
    "assumption (evidence: assumption) with a note that shows the working"
)


def unsourced(scenario: Scenario) -> list[str]:
    """Dotted paths of the values of ``scenario`` with neither a source nor an
    evidence grade, in file order.

    >>> import sroi
    >>> unsourced(sroi.load_scenario("scenarios/family_action_pss/oxford.yaml"))
    []
    """
    return [
        path
        for path, value in scenario_values(scenario).items()
        if value.source is None and value.evidence is None
    ]


def unsourced_problems(
    file: str | os.PathLike[str],
    scenario: Scenario,
    allow_extends: Sequence[str | os.PathLike[str]] = (),
) -> list[Problem]:
    """One problem per unsourced value of ``scenario`` (loaded from ``file``),
    located where the value is written: in ``file`` or the parent it
    inherits the value from."""
    paths = unsourced(scenario)
    if not paths:
        return []
    doc = load_document(Path(file), str(file), roots=extends_roots(file, allow_extends))
    values = scenario_values(scenario)
    out = []
    for path in paths:
        at = tuple(int(s[1:-1]) if s.startswith("[") else s for s in path_steps(path))
        message = MESSAGE if at in doc.values else default_message(str(at[-1]), values[path])
        out.append(Problem(doc.mark(at), path, message))
    return out


def default_message(key: str, value: Value) -> str:
    """The problem of a value no file writes, so its default is used: it can
    be graded only once written out.

    >>> print(default_message("deadweight", Value(value=0)))
    not written; the default 0 is used. To grade it, write
    `deadweight: {value: 0, evidence: assumption, note: ...}` (or a source)
    """
    number = f"{value.central():g}"
    return (
        f"not written; the default {number} is used. To grade it, write "
        f"`{key}: {{value: {number}, evidence: assumption, note: ...}}` (or a source)"
    )


__all__ = ["MESSAGE", "default_message", "unsourced", "unsourced_problems"]
