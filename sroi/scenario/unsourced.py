"""Numbers without a source: what ``sroi validate`` warns about.

A scenario should give a source for every number, or say that it is an
assumption (docs/writing-a-scenario.md, Checklist).  A value with neither a
``source`` nor an ``evidence`` grade is valid, so that a draft can run;
``sroi validate --require-sources`` refuses it, and :func:`unsourced_problems`
names each one where it is written.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from sroi.scenario.loader import extends_roots, load_document
from sroi.scenario.model import Scenario, path_steps, scenario_values
from sroi.scenario.problems import Problem

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
    out = []
    for path in paths:
        at = tuple(int(s[1:-1]) if s.startswith("[") else s for s in path_steps(path))
        out.append(Problem(doc.mark(at), path, MESSAGE))
    return out


__all__ = ["MESSAGE", "unsourced", "unsourced_problems"]
