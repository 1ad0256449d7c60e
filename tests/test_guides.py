"""The guides in ``docs/`` show scenarios and output that the tool really
accepts and prints.

Marked blocks in a guide (an HTML comment just before a fenced block):

``<!-- example: PATH -->``
    a scenario file, to be saved at PATH (relative to the repository root);
    it must validate, in a copy of ``scenarios/`` and the editor schema.
``<!-- output: sroi validate PATH -->``
    what ``sroi validate PATH`` prints for the example as it is.
``<!-- broken: PATH -->``
    the lines of the example changed by :data:`BREAKAGES` (shown to readers);
``<!-- errors: PATH -->``
    what ``sroi validate PATH`` prints for that broken copy.

When a guide's example changes, regenerate its ``errors`` block by running
the test: a failure prints the lines the tool prints now.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from sroi import load_scenario
from sroi.cli.main import main
from sroi.scenario.schema import SCHEMA_PATH
from sroi.scenario.yamlio import read_yaml

ROOT = Path(__file__).resolve().parents[1]
GUIDES = sorted((ROOT / "docs").glob("*.md"))
BLOCK = re.compile(
    r"^<!-- (?P<kind>example|output|broken|errors): (?P<arg>.+?) -->\n"
    r"```(?P<lang>\w+)\n(?P<body>.*?)^```$",
    flags=re.M | re.S,
)
SCHEMA_LINE = re.compile(r"^# yaml-language-server: \$schema=(?P<path>\S+)$")

#: Slips made in an example to show the error messages: (line as written,
#: line as broken).  Each original line occurs once in the example.
BREAKAGES = {
    "my_sites/riverside.yaml": [
        ("  referrals_per_year:", "  referals_per_year:"),
        ("    beta: {successes: 26, trials: 40}", "    normal: {mean: 0.65, sd: 0.1}"),
        ("      value: 0.8", '      value: "0.8"'),
    ],
}


def _blocks(kind: str) -> list[tuple[Path, str, str]]:
    """``(guide, argument, body)`` of every block of ``kind`` in the guides."""
    return [
        (guide, m["arg"], m["body"])
        for guide in GUIDES
        for m in BLOCK.finditer(guide.read_text(encoding="utf-8"))
        if m["kind"] == kind
    ]


def _example(path: str) -> str:
    bodies = [body for _, arg, body in _blocks("example") if arg == path]
    assert len(bodies) == 1, f"expected one example block for {path}; found {len(bodies)}"
    return bodies[0]


def _tree(tmp_path: Path, files: dict[str, str]) -> Path:
    """A copy of the bundled scenarios and the schema beside them, with ``files`` written in."""
    shutil.copytree(ROOT / "scenarios", tmp_path / "scenarios")
    assert (tmp_path / SCHEMA_PATH).is_file()
    for rel, text in files.items():
        target = tmp_path / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return tmp_path


def _validate(args: list[str], capsys: Any) -> tuple[int, list[str]]:
    status = main(["validate", *args])
    out = capsys.readouterr()
    return status, (out.out + out.err).splitlines()


def _ids(blocks: list[tuple[Path, str, str]]) -> list[str]:
    return [f"{guide.name}:{arg}" for guide, arg, _ in blocks]


EXAMPLES = _blocks("example")


def test_guides_have_examples() -> None:
    assert EXAMPLES, "no marked examples found in docs/*.md"


@pytest.mark.parametrize(("guide", "path", "text"), EXAMPLES, ids=_ids(EXAMPLES))
def test_example_validates(
    tmp_path: Path, monkeypatch: Any, guide: Path, path: str, text: str
) -> None:
    tree = _tree(tmp_path, {path: text})
    monkeypatch.chdir(tree)
    scenario = load_scenario(path)
    assert scenario.id
    first = text.splitlines()[0]
    match = SCHEMA_LINE.match(first)
    assert match, f"{guide.name}: the example should start with the editor schema line"
    assert (tree / path).parent.joinpath(match["path"]).resolve() == (tree / SCHEMA_PATH).resolve()


@pytest.mark.parametrize(("guide", "path", "text"), EXAMPLES, ids=_ids(EXAMPLES))
def test_example_matches_editor_schema(guide: Path, path: str, text: str, tmp_path: Path) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    from sroi.scenario.schema import scenario_schema

    file = tmp_path / "example.yaml"
    file.write_text(text, encoding="utf-8")
    errors = list(jsonschema.Draft7Validator(scenario_schema()).iter_errors(read_yaml(file).data))
    assert errors == [], f"{guide.name}: {path} does not match the editor schema"


OUTPUTS = _blocks("output")


@pytest.mark.parametrize(("guide", "command", "expected"), OUTPUTS, ids=_ids(OUTPUTS))
def test_output_shown_is_real(
    tmp_path: Path, monkeypatch: Any, capsys: Any, guide: Path, command: str, expected: str
) -> None:
    words = command.split()
    assert words[:2] == ["sroi", "validate"], f"{guide.name}: only `sroi validate` is checked"
    files = {p: _example(p) for p in words[2:]}
    monkeypatch.chdir(_tree(tmp_path, files))
    status, lines = _validate(words[2:], capsys)
    assert status == 0
    assert lines == expected.splitlines(), (
        f"{guide.name}: the output shown for `{command}` is not what the tool prints now:\n"
        + "\n".join(lines)
    )


ERRORS = _blocks("errors")


@pytest.mark.parametrize(("guide", "path", "expected"), ERRORS, ids=_ids(ERRORS))
def test_errors_shown_are_real(
    tmp_path: Path, monkeypatch: Any, capsys: Any, guide: Path, path: str, expected: str
) -> None:
    text = _example(path)
    shown = [body for g, arg, body in _blocks("broken") if g == guide and arg == path]
    assert shown == ["\n".join(bad for _, bad in BREAKAGES[path]) + "\n"], (
        f"{guide.name}: the broken lines shown for {path} differ from BREAKAGES in this test"
    )
    for good, bad in BREAKAGES[path]:
        assert text.splitlines().count(good) == 1, f"{good!r} is not once in the example"
        text = text.replace(f"\n{good}\n", f"\n{bad}\n")
    monkeypatch.chdir(_tree(tmp_path, {path: text}))
    status, lines = _validate([path], capsys)
    assert status == 2
    assert lines == expected.splitlines(), (
        f"{guide.name}: the errors shown for the broken {path} are not what the tool "
        "prints now; replace the errors block with:\n" + "\n".join(lines)
    )
