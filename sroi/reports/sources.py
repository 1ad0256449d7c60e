"""The bibliography: every source the scenarios cite, and what cites it."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from sroi.scenario.model import Scenario, scenario_values


@dataclass(frozen=True)
class Reference:
    """One cited source.

    key : str
        Its key under ``sources`` in the scenario files.
    number : int
        Its number in the bibliography, from 1.
    cited_by : tuple of (scenario id, dotted path)
        Every value that names it as its ``source`` (empty for a source cited
        in notes only).
    """

    key: str
    number: int
    citation: str
    url: str | None
    year: int | None
    cited_by: tuple[tuple[str, str], ...]

    @property
    def anchor(self) -> str:
        """HTML id of its entry."""
        return f"src-{self.key}"


def _sort_key(citation: str) -> str:
    return re.sub(r"[^a-z0-9 ]", "", citation.lower())


def bibliography(scenarios: Sequence[Scenario]) -> list[Reference]:
    """Every source of the scenarios, alphabetically by citation.

    A key defined in several scenarios with the same citation appears once.
    Sources that no value names (cited in notes only) are listed too, with an
    empty ``cited_by``.

    >>> import sroi
    >>> s = sroi.load_scenario("scenarios/family_action_pss/oxford.yaml")
    >>> refs = bibliography([s])
    >>> [r.key for r in refs][:2], refs[0].number
    (['bauer_2016', 'bauer_2014'], 1)
    >>> [r.key for r in refs if not r.cited_by][:2]
    ['newpin_1991', 'hmt_gdp_deflator']
    """
    cited: dict[str, list[tuple[str, str]]] = {}
    entries: dict[str, tuple[str, str | None, int | None]] = {}
    for s in scenarios:
        for path, value in scenario_values(s).items():
            if value.source is None:
                continue
            source = s.sources[value.source]
            citation = " ".join(source.citation.split())
            key = value.source
            if key in entries and entries[key][0] != citation:
                key = f"{value.source}.{s.id}"  # same key, different text: keep both
            entries[key] = (citation, source.url, source.year)
            cited.setdefault(key, []).append((s.id, path))
    for s in scenarios:  # defined but cited only in notes
        for key, source in s.sources.items():
            citation = " ".join(source.citation.split())
            if not any(e[0] == citation for e in entries.values()):
                entries[key if key not in entries else f"{key}.{s.id}"] = (
                    citation,
                    source.url,
                    source.year,
                )
    order = sorted(entries, key=lambda k: (_sort_key(entries[k][0]), k))
    return [
        Reference(k, i, *entries[k], cited_by=tuple(cited.get(k, ())))
        for i, k in enumerate(order, 1)
    ]
