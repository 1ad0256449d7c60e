"""Every number in a bundled scenario says where it comes from.

Each numeric value must be written as a mapping with a ``source`` that is
defined under ``sources``, or with ``evidence: assumption`` and a ``note``
explaining the guess.  The walk reads the files as written (before
``extends`` merges them), so a parent cannot lend its source to a child's
number.

A sweep input (a grid of areas or a designs file, under ``scenarios/sweeps``)
is checked the same way; its values are set on the bundled base scenarios,
so it cites their sources.

Numbers that are not model values are exempt: ``schema_version``,
``price_year`` and a source's publication ``year``.  A ``spread`` (when an
outcome's value arrives) is checked as one: it needs a ``note`` giving the
reasoning, and any ``source`` it cites must be defined.  A correlation entry has
only ``between`` and ``rank`` in the scenario language, so its reasoning must
be given in the ``note`` of the values it correlates, which is checked.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sroi.scenario.discover import is_sweep_input
from sroi.scenario.problems import dotted
from sroi.scenario.values import DISTRIBUTION_KEYS
from sroi.scenario.yamlio import read_yaml

ROOT = Path(__file__).resolve().parent.parent
FILES = sorted((ROOT / "scenarios").rglob("*.yaml"))
#: The file whose sources the bundled sweep inputs cite.
SWEEP_BASE = ROOT / "scenarios" / "family_action_pss" / "_common.yaml"
EXEMPT = {("schema_version",), ("price_year",)}


def numbers(data: Any, path: tuple = ()) -> Iterator[tuple[tuple, Any]]:
    """Every numeric value: value mappings and bare numbers, with their paths."""
    if isinstance(data, dict):
        if any(k in data for k in DISTRIBUTION_KEYS) or path[-1:] == ("spread",):
            yield path, data
            return
        for key, child in data.items():
            if path[:1] == ("sources",) or path[:1] == ("correlations",):
                continue
            yield from numbers(child, (*path, key))
    elif isinstance(data, list):
        for i, child in enumerate(data):
            yield from numbers(child, (*path, i))
    elif isinstance(data, (int, float)) and not isinstance(data, bool):
        yield path, data


def sources_in_chain(file: Path) -> set[str]:
    """Source keys defined in ``file`` and every file it extends."""
    keys: set[str] = set()
    while True:
        doc = read_yaml(file)
        keys |= set((doc.data or {}).get("sources") or {})
        parent = (doc.data or {}).get("extends")
        if not parent:
            return keys
        file = (file.parent / parent).resolve()


def test_there_are_bundled_scenarios() -> None:
    names = {f.name for f in FILES}
    assert {
        "_common.yaml",
        "west_mansfield.yaml",
        "oxford.yaml",
        "swaffham.yaml",
        "hackney.yaml",
        "new_area.yaml",
    } <= names


@pytest.mark.parametrize("file", FILES, ids=lambda f: str(f.relative_to(ROOT)))
def test_every_number_has_a_source_or_an_explained_assumption(file: Path) -> None:
    doc = read_yaml(file)
    assert not doc.problems, doc.problems
    defined = sources_in_chain(SWEEP_BASE if is_sweep_input(file) else file)
    bad = []
    for path, value in numbers(doc.data):
        if path in EXEMPT:
            continue
        where = f"{doc.values[path].line}: {dotted(path)}"
        if not isinstance(value, dict):
            bad.append(f"{where}: bare number {value!r} has no source")
            continue
        source = value.get("source")
        if source is not None and source not in defined:
            bad.append(f"{where}: source {source!r} is not defined")
        elif path[-1:] == ("spread",):
            if not value.get("note"):
                bad.append(f"{where}: a spread needs a note saying why the value arrives then")
        elif source is not None:
            pass
        elif not (value.get("evidence") == "assumption" and value.get("note")):
            bad.append(f"{where}: needs a source, or evidence: assumption and a note")
    assert not bad, "\n".join(bad)


@pytest.mark.parametrize("file", FILES, ids=lambda f: str(f.relative_to(ROOT)))
def test_correlated_values_explain_their_correlation(file: Path) -> None:
    doc = read_yaml(file)
    for entry in (doc.data or {}).get("correlations") or []:
        for target in entry["between"]:
            node: Any = doc.data
            for part in target.split("."):
                node = node.get(part) if isinstance(node, dict) else None
            if node is None:
                continue  # written in a parent; checked with the parent
            assert isinstance(node, dict) and node.get("note"), (
                f"{file.name}: {target} is correlated but has no note explaining why"
            )


def test_the_walk_finds_a_missing_source(tmp_path: Path) -> None:
    """The check itself can fail: a bare number and an unexplained guess."""
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "sources: {a: {citation: x}}\n"
        "delivery:\n  years: 3\n  uptake: {value: 0.5, evidence: assumption}\n"
        "  engagement: {value: 0.9, source: a}\n"
    )
    found = {
        dotted(p)
        for p, v in numbers(read_yaml(bad).data)
        if not isinstance(v, dict) or not (v.get("source") or v.get("note"))
    }
    assert found == {"delivery.years", "delivery.uptake"}
