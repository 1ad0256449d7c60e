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
        Every value that names it as its ``source``.
    noted_by : tuple of (scenario id, dotted path)
        Every value whose ``note`` names its key (for example "source
        nmw_2011"), without it being the value's ``source``.
    """

    key: str
    number: int
    citation: str
    url: str | None
    year: int | None
    cited_by: tuple[tuple[str, str], ...]
    noted_by: tuple[tuple[str, str], ...] = ()

    @property
    def anchor(self) -> str:
        """HTML id of its entry."""
        return f"src-{self.key}"


def _sort_key(citation: str) -> str:
    return re.sub(r"[^a-z0-9 ]", "", citation.lower())


def _names(note: str, key: str) -> bool:
    """True when ``note`` names the source ``key`` as a whole word."""
    return re.search(rf"(?<![\w.]){re.escape(key)}(?!\w)", note) is not None


def bibliography(scenarios: Sequence[Scenario]) -> list[Reference]:
    """Every source that a value of the scenarios cites, alphabetically by
    citation.

    A value cites a source by naming it as its ``source``, or by naming its
    key in its ``note``.  A source defined under ``sources`` but cited by no
    value is left out.  A key defined in several scenarios with the same
    citation appears once.

    >>> import sroi
    >>> s = sroi.load_scenario("scenarios/family_action_pss/oxford.yaml")
    >>> refs = bibliography([s])
    >>> [r.key for r in refs][:2], refs[0].number
    (['bauer_2016', 'bauer_2014'], 1)
    >>> [(r.key, r.noted_by) for r in refs if not r.cited_by]
    [('nmw_2011', (('oxford', 'volunteers.value_per_hour'),))]
    >>> "hmt_gdp_deflator" in s.sources, "hmt_gdp_deflator" in [r.key for r in refs]
    (True, False)
    """
    cited: dict[str, list[tuple[str, str]]] = {}
    noted: dict[str, list[tuple[str, str]]] = {}
    entries: dict[str, tuple[str, str | None, int | None]] = {}

    def key_of(s: Scenario, name: str) -> str:
        """The bibliography key of source ``name`` of ``s``: its own name,
        unless another scenario defines that name with a different text."""
        source = s.sources[name]
        citation = " ".join(source.citation.split())
        key = name
        if key in entries and entries[key][0] != citation:
            key = f"{name}.{s.id}"  # same key, different text: keep both
        entries[key] = (citation, source.url, source.year)
        return key

    for s in scenarios:
        for path, value in scenario_values(s).items():
            if value.source is not None:
                cited.setdefault(key_of(s, value.source), []).append((s.id, path))
            if value.note:
                for name in s.sources:
                    if name != value.source and _names(value.note, name):
                        noted.setdefault(key_of(s, name), []).append((s.id, path))
    order = sorted(entries, key=lambda k: (_sort_key(entries[k][0]), k))
    return [
        Reference(
            k, i, *entries[k], cited_by=tuple(cited.get(k, ())), noted_by=tuple(noted.get(k, ()))
        )
        for i, k in enumerate(order, 1)
    ]
