"""A plain YAML document is built straight from the parser's events, not from
composed nodes (yamlio._prescan).  Property: for any text, that gives the
very document the composed nodes give: the same data, the same positions in
the same order, the same problems; a document that is not plain (anchors,
tags, several documents, ...) is composed as before.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from sroi.scenario import yamlio

ROOT = Path(__file__).resolve().parent.parent
FILES = sorted(
    p
    for folder in ("scenarios", "tests", "docs")
    for p in (ROOT / folder).rglob("*")
    if p.suffix in (".yaml", ".yml") and p.is_file()
)


def _same(a: Any, b: Any) -> bool:
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(map(_same, a, b))
    if isinstance(a, float) and math.isnan(a):
        return math.isnan(b)
    return bool(a == b)


def _assert_same_both_ways(text: str, file: str = "x.yaml") -> yamlio.Document:
    direct = yamlio._parse(text, file)
    composed = yamlio._parse(text, file, direct=False)
    assert direct.file == composed.file
    assert _same(direct.data, composed.data)
    assert list(direct.values.items()) == list(composed.values.items())
    assert list(direct.keys.items()) == list(composed.keys.items())
    assert direct.problems == composed.problems
    return direct


def _built_directly(text: str) -> bool:
    try:
        refused, built = yamlio._prescan(text, "x.yaml")
    except yaml.YAMLError:
        return False
    return refused is None and built is not None


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_yaml_file_of_the_project(path: Path) -> None:
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        pytest.skip("not UTF-8")
    _assert_same_both_ways(text, str(path))


PLAIN = [
    "a: 1\n",
    "a: {b: [1, 2.5, -0.0, .inf, -.inf, .nan, 0x1F, 0o17, 010, 1e3], c: null, d: ~}\n",
    "a: 1\na: 2\nb: {c: 1, c: [x]}\n",  # duplicate keys, at both levels
    "a: !!int abc\nb: !!float x\nc: !!bool yes\nd: !!null 0\ne: !!str 12\n",
    "a: 1e400\nb: -1e400\nc: 1e-400\nd: 0.0e-400\ne: " + "9" * 5000 + "\n",
    "a: !!timestamp 2001-12-14\nb: ! 12\nc: '12'\nd: \"true\"\ne: |\n  text\n",
    "!!int 1: x\n!!str 2: y\n'3': z\n? k\n: v\n",
    "---\na: [1, [2, [3, {b: c}]]]\n...\n",
    "a:\n  - b: 1\n    c: 2\n  - [3]\n  -\n  - ''\n",
    "{}\n",
    "a: yes\nb: No\nc: 1:30\nd: 0b101\ne: 1_000\nf: True\ng: FALSE\nh: Null\n",
]
NOT_PLAIN = [
    "",
    "# only a comment\n",
    "1\n",
    "[1, 2]\n",
    "a: &x 1\nb: *x\n",
    "a: &x [1]\n",
    "<<: {a: 1}\n",
    "a: {<<: {b: 1}}\n",
    "a: <<\n",
    "? [1, 2]\n: x\n",
    "? {a: 1}\n: x\n",
    "a: !!set {b, c}\n",
    "a: !!python/object/apply:os.system [echo]\n",
    "a: !local x\n",
    "!!timestamp 2001-12-14: x\n",
    "!!seq [a]\n",
    "a: 1\n---\nb: 2\n",
    "a: !!map [1]\n",
    "a: !!seq {b: 1}\n",
    "a: *nowhere\n",
    "a: &x 1\nb: &x 2\n",
]
HOSTILE = [
    "a: [" * 60 + "]" * 60 + "\n",
    "".join(f"k{i}: {i}\n" for i in range(600)),
    "a: [" + ", ".join(["1"] * 20_100) + "]\n",
    'a: "\\x"\n',
    "a: b: c\n",
    "a:\n\tb: 1\n",
    "a: [1, 2\n",
    "a: 1\n b: 2\n",
]


@pytest.mark.parametrize("text", PLAIN)
def test_plain_documents_are_built_directly_alike(text: str) -> None:
    assert _built_directly(text)
    _assert_same_both_ways(text)


@pytest.mark.parametrize("text", NOT_PLAIN + HOSTILE)
def test_other_documents_are_composed_alike(text: str) -> None:
    assert not _built_directly(text)
    _assert_same_both_ways(text)


def test_an_alias_bomb_is_refused_alike() -> None:
    doc = _assert_same_both_ways((ROOT / "tests" / "corpus" / "alias_bomb.yaml").read_text())
    assert doc.problems


_PIECES = [
    "a", "b", "ab", "1", "0", "-1", "1.5", "1e3", "1e400", "1e-400", ".inf", ".nan",
    "null", "~", "true", "False", "yes", "0x1F", "0o17", "010", "'q'", '"d"', "!!int x",
    "!!str 1", "!!float 2", "!!bool no", "!!null ~", "!", "&a", "*a", "<<", "!!set",
    "!x", "[", "]", "{", "}", ",", ":", ": ", "- ", "? ", "#", "\n", "\n  ", "\n    ",
    "\n- ", "\t", "---", "...", "|", ">", "%YAML 1.2", " ",
]  # fmt: skip


@given(st.lists(st.sampled_from(_PIECES), max_size=40))
def test_random_text_builds_alike(pieces: list[str]) -> None:
    _assert_same_both_ways("".join(pieces))


@given(
    st.recursive(
        st.sampled_from(["1", "x", "~", "1e400", "!!int x", "'s'", "true", "1.5", "[]", "{}"]),
        lambda inner: st.one_of(
            st.lists(inner, max_size=4).map(lambda xs: "[" + ", ".join(xs) + "]"),
            st.lists(st.tuples(st.sampled_from(["a", "b", "c", "1", "~"]), inner), max_size=4).map(
                lambda kv: "{" + ", ".join(f"{k}: {v}" for k, v in kv) + "}"
            ),
        ),
        max_leaves=20,
    )
)
def test_random_flow_mappings_build_alike(flow: str) -> None:
    _assert_same_both_ways(f"top: {flow}\nother: {flow}\n")
