"""A parent that several files extend is merged once, never shared.

The parent merged over what it extends is kept for reuse; a changed file in
its chain is read and merged again, the checks on every ``extends`` run each
time, and each caller gets a document it may change.
"""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from sroi.scenario import loader, yamlio
from sroi.scenario.loader import load_document
from sroi.scenario.yamlio import Document

ROOT = Path(__file__).resolve().parent.parent
SITES = ROOT / "scenarios" / "family_action_pss"


@pytest.fixture(autouse=True)
def _empty_caches() -> None:
    yamlio._PARSED.clear()
    loader._MERGED.clear()


def _load(path: Path, roots: tuple[Path, ...] | None = None) -> Document:
    return load_document(path, str(path), roots=roots)


def _cold(path: Path, roots: tuple[Path, ...] | None = None) -> Document:
    yamlio._PARSED.clear()
    loader._MERGED.clear()
    return _load(path, roots)


def _same(one: Document, two: Document) -> None:
    assert one.file == two.file
    assert one.data == two.data
    assert list(one.values.items()) == list(two.values.items())
    assert list(one.keys.items()) == list(two.keys.items())
    assert one.problems == two.problems


def test_kept_parents_give_what_a_fresh_load_gives() -> None:
    sites = sorted(SITES.glob("[!_]*.yaml"))
    cold = [_cold(site) for site in sites]
    loader._MERGED.clear()
    for site, fresh in zip(sites, cold, strict=True):
        _same(_load(site), fresh)
    assert len(loader._MERGED) == 1  # _common.yaml, merged once
    for site, fresh in zip(sites, cold, strict=True):
        _same(_load(site), fresh)


def test_each_caller_may_change_its_document() -> None:
    site = SITES / "oxford.yaml"
    fresh = copy.deepcopy(_cold(site))
    one = _load(site)
    for key in list(one.data):
        if isinstance(one.data[key], dict):
            one.data[key].clear()
    one.values.clear()
    one.keys.clear()
    _same(_load(site), fresh)


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_a_changed_parent_is_merged_again(tmp_path: Path) -> None:
    parent = _write(tmp_path / "parent.yaml", "a: 1\nb: {c: 2, d: 3}\n")
    child = _write(tmp_path / "child.yaml", "extends: parent.yaml\nb: {d: 4}\n")
    assert _load(child).data == {"a": 1, "b": {"c": 2, "d": 4}}
    _write(parent, "a: 5\nb: {c: 6, d: 3}\n")  # same size: only the text differs
    doc = _load(child)
    assert doc.data == {"a": 5, "b": {"c": 6, "d": 4}}
    _same(doc, _cold(child))


def test_a_changed_grandparent_is_merged_again(tmp_path: Path) -> None:
    grand = _write(tmp_path / "grand.yaml", "a: 1\nb: 2\n")
    _write(tmp_path / "parent.yaml", "extends: grand.yaml\nb: 3\n")
    child = _write(tmp_path / "child.yaml", "extends: parent.yaml\nc: 4\n")
    assert _load(child).data == {"a": 1, "b": 3, "c": 4}
    _write(grand, "a: 7\nb: 2\n")
    assert _load(child).data == {"a": 7, "b": 3, "c": 4}
    _write(grand, "a: 7\nb: [\n")
    problems = _load(child).problems
    assert problems == _cold(child).problems
    assert [p.mark.file for p in problems] == [str(tmp_path / "grand.yaml")]


def test_extends_is_checked_each_time(tmp_path: Path) -> None:
    base = tmp_path / "base"
    base.mkdir()
    _write(base / "grand.yaml", "a: 1\n")
    _write(tmp_path / "parent.yaml", "extends: base/grand.yaml\nb: 2\n")
    child = _write(tmp_path / "child.yaml", "extends: parent.yaml\n")
    assert _load(child, (tmp_path,)).data == {"a": 1, "b": 2}
    problems = _load(child, (tmp_path / "elsewhere",)).problems
    assert problems == _cold(child, (tmp_path / "elsewhere",)).problems
    assert [p.message.split(" is outside")[0] for p in problems] == ["parent file 'parent.yaml'"]
    loader._MERGED.clear()
    assert _load(child, (tmp_path,)).data == {"a": 1, "b": 2}
    (base / "grand.yaml").unlink()
    problems = _load(child, (tmp_path,)).problems
    assert problems == _cold(child, (tmp_path,)).problems
    assert "does not exist" in problems[0].message


def test_price_years_marked_for_one_child_stay_with_it(tmp_path: Path) -> None:
    _write(
        tmp_path / "parent.yaml",
        "price_year: 2011\nvolunteers:\n  expenses_per_hour: 10\n",
    )
    later = _write(tmp_path / "later.yaml", "extends: parent.yaml\nprice_year: 2015\n")
    same = _write(tmp_path / "same.yaml", "extends: parent.yaml\nid: x\n")
    assert _load(later).data["volunteers"] == {
        "expenses_per_hour": {"value": 10, "price_year": 2011}
    }
    assert _load(same).data["volunteers"] == {"expenses_per_hour": 10}


def test_only_the_latest_parents_are_kept(tmp_path: Path) -> None:
    for i in range(loader.MERGED_KEPT + 3):
        _write(tmp_path / f"p{i}.yaml", f"a: {i}\n")
        child = _write(tmp_path / f"c{i}.yaml", f"extends: p{i}.yaml\n")
        assert _load(child).data == {"a": i}
    assert len(loader._MERGED) == loader.MERGED_KEPT
