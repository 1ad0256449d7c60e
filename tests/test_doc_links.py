"""Every relative link in README.md and docs/*.md reaches a file, and a
``#fragment`` reaches a heading of that file (GitHub's anchor for it)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
LINK = re.compile(r"\]\((?P<target>[^)\s]+)\)")
FENCE = re.compile(r"^```.*?^```$", flags=re.M | re.S)


def anchors(page: Path) -> set[str]:
    """GitHub's anchors for the headings of ``page`` (repeats get ``-1``, ``-2``...)."""
    found: set[str] = set()
    text = FENCE.sub("", page.read_text(encoding="utf-8"))
    for heading in re.findall(r"^#+\s+(.+?)\s*$", text, flags=re.M):
        base = re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-")
        slug, n = base, 0
        while slug in found:
            n += 1
            slug = f"{base}-{n}"
        found.add(slug)
    found.update(re.findall(r'<a (?:name|id)="([^"]+)"', text))
    return found


def broken_links(page: Path) -> list[str]:
    problems = []
    text = page.read_text(encoding="utf-8")
    for match in LINK.finditer(FENCE.sub("", text)):
        target = match["target"]
        if re.match(r"[a-z]+:", target):
            continue
        path, _, fragment = target.partition("#")
        linked = (page.parent / path).resolve() if path else page
        if not linked.exists():
            problems.append(f"{target}: no such file")
        elif fragment and linked.suffix == ".md" and fragment not in anchors(linked):
            problems.append(f"{target}: {linked.name} has no heading with that anchor")
    return problems


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_links_resolve(page: Path) -> None:
    assert not broken_links(page), f"{page.name}: " + "; ".join(broken_links(page))


def test_a_wrong_anchor_is_caught(tmp_path: Path) -> None:
    (tmp_path / "ref.md").write_text("# Ref\n\n## 6. Money: price years\n", encoding="utf-8")
    page = tmp_path / "page.md"
    page.write_text(
        "[ok](ref.md#6-money-price-years) [bad](ref.md#money-price-years) [gone](nope.md)\n",
        encoding="utf-8",
    )
    assert broken_links(page) == [
        "ref.md#money-price-years: ref.md has no heading with that anchor",
        "nope.md: no such file",
    ]
