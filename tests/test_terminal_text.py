"""Text from scenario files and command lines never controls the terminal.

A YAML escape (``"\\e[31m"``, ``"\\a"``) puts any control character into a
scenario, where a literal one would be refused; a file name or an argument
can hold one too.  Names, labels and other scenario text with control
characters are refused with a located problem; keys, paths, file names and
arguments are shown escaped (``\\x1b``) wherever they are printed: in every
problem (:class:`~sroi.scenario.problems.Problem`), and in everything the
command line writes (:mod:`sroi.cli.terminal`).
"""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path
from typing import Literal, get_args, get_origin

import pytest

import sroi
from sroi.cli.main import main
from sroi.cli.progress import ProgressBar
from sroi.cli.terminal import escaped_output
from sroi.replication.answers import parse_area
from sroi.scenario.problems import Mark, Problem
from sroi.scenario.strict import Text, _one_line, printable_text
from sroi.scenario.values import _Closed
from sroi.text import printable, printable_lines

ROOT = Path(__file__).resolve().parents[1]
OXFORD = ROOT / "scenarios" / "family_action_pss" / "oxford.yaml"

#: What may not reach a terminal as it is: ESC, BEL, CR, backspace, DEL,
#: the C1 control sequence introducer, a right-to-left override.
RAW = ("\x1b", "\x07", "\r", "\x08", "\x7f", "\x9b", "\u202e")


def no_raw_controls(text: str) -> bool:
    """Whether ``text`` holds no control character but line feeds."""
    return not any(c in text for c in RAW)


# --------------------------------------------------------------------------- the helper


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("plain, café, 東京, ±2%", "plain, café, 東京, ±2%"),
        ("Corpus\x1b[31mred\x07", "Corpus\\x1b[31mred\\x07"),
        ("a\nb\rc\td", "a\\nb\\rc\\td"),
        ("\x00\x7f\x85\x9b", "\\x00\\x7f\\x85\\x9b"),
        ("evil\u202etxt.yaml\u2028", "evil\\u202etxt.yaml\\u2028"),
        ("\U000e0001", "\\U000e0001"),
    ],
)
def test_printable_escapes_what_does_not_print(text: str, shown: str) -> None:
    assert printable(text) == shown


def test_printable_lines_keeps_only_line_feeds() -> None:
    assert printable_lines("a\x1b\nb\rc\td\n") == "a\\x1b\nb\\rc\\td\n"


def test_a_problem_is_one_line_with_its_key_and_file_escaped() -> None:
    problem = Problem(Mark("a\x1b]0;t\x07.yaml", 4, 1), "\x1b[2J\nx", "unknown key '\\x1b'")
    assert str(problem) == "a\\x1b]0;t\\x07.yaml:4:1: \\x1b[2J\\nx: unknown key '\\x1b'"


# --------------------------------------------------------------------------- validation


#: A field of each kind, where the bundled Oxford scenario can take it.
FIELDS = {
    "name": 'name: "{}"',
    "site.region": 'site: {{region: "{}"}}',
    "costs.lines.travel.label": (
        'costs:\n  lines:\n    travel: {{label: "{}", amount: 1, per: year}}'
    ),
    "effect.relative_risk.label": 'effect:\n  relative_risk: {{value: 0.5, label: "{}"}}',
    "sources.s.citation": 'sources:\n  s: {{citation: "{}"}}',
    "effect.relative_risk.note": 'effect:\n  relative_risk: {{value: 0.5, note: "{}"}}',
    "site.notes": 'site: {{notes: "{}"}}',
    "sources.s.url": 'sources:\n  s: {{citation: c, url: "https://example.org/{}"}}',
}
#: Fields of free text, which may hold line breaks and tabs.
FREE_TEXT = {"sources.s.citation", "effect.relative_risk.note", "site.notes"}


def _with(tmp_path: Path, field: str, escaped: str) -> Path:
    file = tmp_path / "s.yaml"
    file.write_text(
        f"extends: {OXFORD}\nid: s\n" + FIELDS[field].format(escaped) + "\n", encoding="utf-8"
    )
    return file


@pytest.mark.parametrize("field", FIELDS)
@pytest.mark.parametrize(
    ("escaped", "named"),
    [
        ("Corpus\\e[31mred\\a", "U+001B (escape)"),
        ("x\\r", "U+000D"),
        ("x\\x9b2J", "U+009B"),
        # A right-to-left override makes "1.5" display as "5.1".
        ("Hackney \\u202e1.5", "U+202E (right-to-left override)"),
        ("x\\u2066y", "U+2066 (left-to-right isolate)"),
    ],
)
def test_control_characters_are_refused_with_a_located_problem(
    tmp_path: Path, field: str, escaped: str, named: str
) -> None:
    with pytest.raises(sroi.ScenarioError) as caught:
        sroi.load_scenario(_with(tmp_path, field, escaped))
    (problem,) = caught.value.problems
    assert problem.path == field
    assert problem.mark.line >= 3
    assert f"found the control character {named}" in problem.message


@pytest.mark.parametrize("field", FIELDS)
def test_names_are_one_line_and_free_text_may_break_lines(tmp_path: Path, field: str) -> None:
    file = _with(tmp_path, field, "two\\nlines\\tand a tab")
    if field in FREE_TEXT:
        sroi.load_scenario(file)
    else:
        with pytest.raises(sroi.ScenarioError, match="expected one line of printable text"):
            sroi.load_scenario(file)


@pytest.mark.parametrize("separator", ["\\L", "\\P"])
def test_names_refuse_unicodes_line_and_paragraph_separators(
    tmp_path: Path, separator: str
) -> None:
    """U+2028 and U+2029 break a line as a line feed does, though they are not
    control characters; names, said to be one line, took them."""
    file = _with(tmp_path, "name", f"a{separator}b")
    with pytest.raises(
        sroi.ScenarioError,
        match=r"expected one line of printable text; found the line break U\+202[89]",
    ):
        sroi.load_scenario(file)


def test_a_folded_name_is_told_how_to_drop_its_line_break(tmp_path: Path) -> None:
    file = tmp_path / "s.yaml"
    file.write_text(f"extends: {OXFORD}\nid: s\nname: >\n  A folded\n  name\n", encoding="utf-8")
    with pytest.raises(sroi.ScenarioError, match="keeps its final line break: write >- or"):
        sroi.load_scenario(file)
    file.write_text(f"extends: {OXFORD}\nid: s\nname: >-\n  A folded\n  name\n", encoding="utf-8")
    assert sroi.load_scenario(file).name == "A folded name"


def test_an_area_to_replicate_is_plain_text() -> None:
    with pytest.raises(ValueError, match=r"control character U\+001B \(escape\)"):
        parse_area("Newham\x1b[2J")
    assert parse_area("  Newham\t East ") == "Newham East"
    with pytest.raises(ValueError, match=r"control character U\+202E"):
        parse_area("Newham\u202e")
    assert parse_area("\u05d7\u05d9\u05e4\u05d4") == "\u05d7\u05d9\u05e4\u05d4"  # Haifa, in Hebrew


# --------------------------------------------------------------------------- the command line


def test_validate_shows_a_hostile_key_escaped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = tmp_path / "osc.yaml"
    file.write_text(f'extends: {OXFORD}\nid: osc\n"\\e]0;pwned\\a\\e[2J": 1\n', encoding="utf-8")
    assert main(["validate", str(file)]) == 2
    err = capsys.readouterr().err
    assert no_raw_controls(err)
    assert err.count("\n") == 1
    assert ":3:1: \\x1b]0;pwned\\x07\\x1b[2J: unknown key" in err


def test_file_names_and_arguments_are_shown_escaped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "sites"
    folder.mkdir()
    hostile = folder / "a\x1b[31m\nb.yaml"
    hostile.write_text(f"extends: {OXFORD}\nid: a\n", encoding="utf-8")
    assert main(["validate", str(folder)]) == 0
    out = capsys.readouterr().out
    assert out == f"ok  {folder}/a\\x1b[31m\\nb.yaml  (a: {sroi.load_scenario(OXFORD).name})\n"

    assert main(["run", str(tmp_path / "no\x1b[2Jsuch.yaml")]) == 2
    err = capsys.readouterr().err
    assert "no\\x1b[2Jsuch.yaml: no such file" in err and no_raw_controls(err)

    with pytest.raises(SystemExit):
        main(["validate", str(hostile), "--\x1b]0;pwned\x07"])
    err = capsys.readouterr().err
    assert "unrecognized arguments: --\\x1b]0;pwned\\x07" in err and no_raw_controls(err)


def test_output_names_are_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A line break in an output's name is shown as ``\\n``: it printed raw in
    "wrote NAME", where it could forge a line of the program's own."""
    out = tmp_path / "a\nwrote fake.html"
    args = ["report", str(OXFORD), "--draws", "0", "--no-sensitivity", "-o", str(out)]
    assert main(args) == 0
    assert capsys.readouterr().out == f"wrote {tmp_path}/a\\nwrote fake.html\n"


def test_streams_are_put_back_after_a_command(capsys: pytest.CaptureFixture[str]) -> None:
    before = sys.stdout, sys.stderr
    with pytest.raises(SystemExit):
        main(["--version"])
    assert (sys.stdout, sys.stderr) == before


def test_the_progress_bar_still_returns_to_the_start_of_its_line(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    with escaped_output():
        print("a \x1b[2J b", file=sys.stderr)
        bar = ProgressBar(10, delay=0.0)
        bar(5)
        bar.close()
    assert terminal.getvalue().startswith("a \\x1b[2J b\n\r[")


def test_a_real_terminal_session_gets_no_control_characters(tmp_path: Path) -> None:
    file = tmp_path / "osc.yaml"
    hostile = 'name: "\\e]0;x\\a"\n"\\e[2J": 1\n'
    file.write_text(f"extends: {OXFORD}\nid: osc\n{hostile}", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "sroi", "validate", str(file)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert done.returncode == 2
    assert no_raw_controls(done.stdout + done.stderr)
    assert "name: expected one line of printable text" in done.stderr
    assert "\\x1b[2J: unknown key" in done.stderr


def _checks_text(metadata: object) -> bool:
    """Whether type metadata checks a text's characters: a text check
    (:data:`~sroi.scenario.strict.Text`, ``Line``) or a pattern."""
    return any(
        getattr(m, "func", None) in (printable_text, _one_line) or getattr(m, "pattern", None)
        for m in metadata  # type: ignore[attr-defined]
    )


def _unchecked_text(annotation: object, checked: bool = False) -> bool:
    """Whether ``annotation`` holds ``str`` with no check of its characters."""
    if annotation is str:
        return not checked
    if get_origin(annotation) is Literal:
        return False
    metadata = getattr(annotation, "__metadata__", ())
    checked = checked or _checks_text(metadata)
    inner = (annotation.__origin__,) if metadata else get_args(annotation)  # type: ignore[attr-defined]
    return any(_unchecked_text(a, checked) for a in inner)


def _models(base: type[_Closed]) -> list[type[_Closed]]:
    return [base, *(m for sub in base.__subclasses__() for m in _models(sub))]


def test_every_text_field_of_a_scenario_refuses_control_characters() -> None:
    """A new free-text field typed plain ``str`` would let escapes through."""
    import sroi.scenario.model  # noqa: F401  (defines the models)

    unchecked = [
        f"{model.__name__}.{name}"
        for model in _models(_Closed)
        for name, field in model.model_fields.items()
        if _unchecked_text(field.annotation, _checks_text(field.metadata))
    ]
    assert unchecked == []
    assert not _unchecked_text(list[Text]) and _unchecked_text(dict[str, Text])
    assert _unchecked_text(str | None) and not _unchecked_text(Literal["a"])
