"""Every "§" citation names a document and a section that exists in it.

``docs/methodology.md`` (the equations) and ``docs/scenarios.md`` (the file
format) are the model's contract; code and pages cite their numbered
headings as ``docs/methodology.md §7`` or ``docs/scenarios.md §2 and §4``.
A "§" with no document before it, or a number the document has no heading
for, is a dangling citation.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
#: Text files that may cite the contract, as globs under the repository root.
CITING = (
    "README.md",
    "docs/**/*.md",
    "sroi/**/*.py",
    "tests/**/*.py",
    "tools/**/*.py",
    "benchmarks/**/*.py",
    "scenarios/**/*.yaml",
)
_NUMBER = r"§\d+(?:\.\d+)*"
#: One citation: a Markdown document, then one or more section numbers joined
#: by "and", "to", commas or dashes (``docs/methodology.md §2 to §5``).
CITATION = re.compile(
    rf"(?P<doc>[\w./-]+\.md)\s+(?P<numbers>{_NUMBER}(?:\s*(?:,|and|to|-|–)\s*{_NUMBER})*)"
)
#: ``§N`` where a page explains the citation form itself.
PLACEHOLDER = "§N"
_HEADING = re.compile(r"^#+\s+(\d+(?:\.\d+)*)\.?\s", flags=re.M)


def sections(doc: Path) -> set[str]:
    """Numbers of the numbered headings in ``doc`` (``## 7. Programme totals``
    gives ``"7"``; ``### 3.2 ...`` gives ``"3.2"``)."""
    return set(_HEADING.findall(doc.read_text(encoding="utf-8")))


def _resolve(name: str, citing: Path) -> Path | None:
    for candidate in (ROOT / name, citing.parent / name, ROOT / "docs" / name):
        if candidate.is_file():
            return candidate
    return None


def dangling(text: str, citing: Path) -> list[str]:
    """Citations in ``text`` (from the file ``citing``) that name no document,
    a document that does not exist, or a section the document lacks."""
    problems: list[str] = []
    covered: set[int] = set()
    for match in CITATION.finditer(text):
        start, end = match.span("numbers")
        covered.update(i for i in range(start, end) if text[i] == "§")
        doc = _resolve(match["doc"], citing)
        if doc is None:
            problems.append(f"{match[0]!r}: no document {match['doc']}")
            continue
        known = sections(doc)
        for number in re.findall(r"§(\d+(?:\.\d+)*)", match["numbers"]):
            if number not in known:
                problems.append(f"{match[0]!r}: {match['doc']} has no section {number}")
    for i, char in enumerate(text):
        if char == "§" and i not in covered and not text.startswith(PLACEHOLDER, i):
            line = text.count("\n", 0, i) + 1
            snippet = text[max(0, i - 30) : i + 10].replace("\n", " ")
            problems.append(f"line {line}: {snippet!r} names no document")
    return problems


def _citing_files() -> Iterator[Path]:
    seen: set[Path] = set()
    for pattern in CITING:
        for path in sorted(ROOT.glob(pattern)):
            # This file holds sample citations, good and bad, on purpose.
            if path not in seen and ".venv" not in path.parts and path != Path(__file__):
                seen.add(path)
                yield path


def test_the_contract_documents_have_numbered_sections() -> None:
    assert {str(n) for n in range(1, 13)} <= sections(ROOT / "docs" / "methodology.md")
    assert {str(n) for n in range(1, 6)} <= sections(ROOT / "docs" / "scenarios.md")


def test_no_dangling_section_reference() -> None:
    problems = [
        f"{path.relative_to(ROOT)}: {problem}"
        for path in _citing_files()
        for problem in dangling(path.read_text(encoding="utf-8"), path)
    ]
    assert not problems, "dangling § citations:\n" + "\n".join(problems)


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("equations (docs/methodology.md §7)", []),
        ("docs/methodology.md §2 to §5 and docs/scenarios.md §2, §4", []),
        ("[methodology.md §6](methodology.md#6-results-of-one-draw)", []),
        ("cite as `docs/scenarios.md §N`", []),
        ("programme totals (spec §5)", ["names no document"]),
        ("(docs/methodology.md §6), and totals (§7)", ["names no document"]),
        ("docs/methodology.md §42", ["has no section 42"]),
        ("docs/scenarios.md §2 to §9", ["has no section 9"]),
        ("docs/contract.md §1", ["no document docs/contract.md"]),
    ],
)
def test_dangling_citations_are_found(text: str, found: list[str]) -> None:
    problems = dangling(text, ROOT / "sroi" / "example.py")
    assert len(problems) == len(found), problems
    for problem, expected in zip(problems, found, strict=True):
        assert expected in problem
