"""Hostile inputs and outputs: what the tool never executes, never overwrites
and never reads (docs/security.md), each promise tested the way it was once
broken.

* output paths are checked before any work: folders, devices, links, inputs,
  two outputs at one path, unwritable places;
* outputs are written together or not at all, and SIGTERM leaves no temp file;
* text from a scenario or the command line is text in the workbook, never a
  formula, and plain text in charts, never maths;
* every scenario that validates can be reported (no cost, no outcomes, no
  users, one draw, the largest values allowed);
* ``extends`` refuses every kind of bad target with a located error and never
  shows what a target holds;
* standard output that cannot take the text degrades or fails in one line.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import textwrap
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest
from external import module

import sroi
from sroi import files as outputs
from sroi.cli.main import main
from sroi.files import OutputError, Terminated, check_outputs, text_writer, write_files
from sroi.limits import MAX_DRAWS, MAX_REPORT_SCENARIOS
from sroi.reports.report import build
from sroi.scenario import check_file
from sroi.scenario.loader import MAX_EXTENDS_DEPTH

ROOT = Path(__file__).resolve().parents[1]
#: How to install openpyxl, for the tests that read or write a workbook.
OPENPYXL = "pip install -e '.[report]'"

#: A valid scenario with a placeholder for each text field, and room for edits.
SCENARIO = """\
schema_version: 1
id: hostile
name: "{name}"
site: {{local_authority: "{local_authority}", region: "{region}", notes: "{notes}"}}
currency: GBP
price_year: 2011
sources:
  src: {{citation: "{citation}", url: "https://example.org/{url}"}}
delivery: {{years: 2, referrals_per_year: {referrals}, uptake: 0.5}}
volunteers:
  pool: {pool}
  turnover: 0.3
  hours_per_user: 10
  training_hours: 5
  supervision_hours_per_year: 5
  expenses_per_hour: {expenses}
  value_per_hour: {value_per_hour}
costs:
  coordinator: {{fte: {fte}, salary: {salary}, on_costs: 0.2}}
  lines:
    room: {{label: "{line_label}", amount: {room}, per: year}}
effect: {{risk_without: {{uniform: [0.2, 0.4]}}, relative_risk: 0.5}}
outcomes:
{outcomes}
"""

OUTCOME = """\
  benefit:
    label: "{label}"
    stakeholder: "{stakeholder}"
    indicator: "{indicator}"
    payer: nhs
    value_type: fiscal
    per: case_averted
    proxy: {{value: {proxy}, source: src, note: "{note}"}}
    duration: {duration}
"""

TEXT_FIELDS = (
    "name",
    "local_authority",
    "region",
    "notes",
    "citation",
    "url",
    "line_label",
    "label",
    "stakeholder",
    "indicator",
    "note",
)
NUMBERS = {
    "referrals": 30,
    "pool": 5,
    "expenses": 2,
    "value_per_hour": 9,
    "fte": 0.5,
    "salary": 20000,
    "room": 800,
    "proxy": 1500,
    "duration": 2,
}


def scenario_text(
    text: dict[str, str] | None = None, outcomes: bool = True, **numbers: object
) -> str:
    """The scenario above, with ``text`` fields and ``numbers`` replaced."""
    fields: dict[str, object] = {f: f"Plain {f}" for f in TEXT_FIELDS}
    fields.update(text or {})
    fields.update(NUMBERS)
    fields.update(numbers)
    fields["outcomes"] = OUTCOME.format(**fields) if outcomes else ""
    body = SCENARIO.format(**fields)
    return body if outcomes else body.replace("outcomes:\n", "outcomes: {}\n")


def write_scenario(folder: Path, name: str = "s.yaml", **kwargs: object) -> Path:
    path = folder / name
    path.write_text(scenario_text(**kwargs), encoding="utf-8")  # type: ignore[arg-type]
    return path


@pytest.fixture
def toy(tmp_path: Path) -> Path:
    return write_scenario(tmp_path)


def report_args(scenario: Path, *more: str) -> list[str]:
    return ["report", str(scenario), "--draws", "1000", "--no-sensitivity", *more]


# --------------------------------------------------------------------------- output paths


def test_an_output_that_is_a_folder_is_refused_before_the_run(
    toy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    ran: list[object] = []
    monkeypatch.setattr("sroi.api.run", lambda *a, **k: ran.append(a))
    monkeypatch.chdir(tmp_path)
    for target in (str(tmp_path), ".", "", "sub/", ".."):
        assert main(report_args(toy, "-o", target)) == 2, target
        err = capsys.readouterr().err
        assert err.startswith("sroi: error: cannot write -o"), err
        assert "internal error" not in err
    assert ran == []


def test_xlsx_at_a_folder_is_refused_before_the_html_is_written(
    toy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    html = tmp_path / "r.html"
    assert main(report_args(toy, "-o", str(html), "--xlsx", str(tmp_path))) == 2
    assert "cannot write --xlsx" in capsys.readouterr().err
    assert not html.exists()


@pytest.mark.parametrize("device", ["/dev/null", "/dev/zero"])
def test_a_device_is_never_replaced(
    device: str, toy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = os.stat(device)
    assert main(report_args(toy, "-o", device)) == 2
    assert "it is a device" in capsys.readouterr().err
    after = os.stat(device)
    assert (after.st_ino, after.st_rdev) == (before.st_ino, before.st_rdev)


def test_a_fifo_and_a_socket_are_refused(tmp_path: Path, toy: Path) -> None:
    import socket

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(OutputError, match="FIFO"):
        check_outputs([("-o", str(fifo))])
    sock_path = tmp_path / "s.sock"
    sock = socket.socket(socket.AF_UNIX)
    try:
        sock.bind(str(sock_path))
        with pytest.raises(OutputError, match="socket"):
            check_outputs([("-o", str(sock_path))])
    finally:
        sock.close()


def test_a_symlink_is_refused_unless_followed_and_then_written_through(
    toy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "real.html"
    target.write_text("old", encoding="utf-8")
    link = tmp_path / "link.html"
    link.symlink_to(target)
    assert main(report_args(toy, "-o", str(link))) == 2
    assert "--follow-symlinks" in capsys.readouterr().err
    assert target.read_text(encoding="utf-8") == "old"
    assert main(report_args(toy, "-o", str(link), "--follow-symlinks")) == 0
    assert link.is_symlink(), "the link itself must stay"
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_a_sweep_refuses_a_symlink_without_offering_an_option_it_lacks(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "real.csv"
    target.write_text("old", encoding="utf-8")
    link = tmp_path / "link.csv"
    link.symlink_to(target)
    oxford = Path(__file__).resolve().parents[1] / "scenarios" / "family_action_pss" / "oxford.yaml"
    grid = tmp_path / "g.csv"
    grid.write_text("area,delivery.referrals_per_year\na,40\n", encoding="utf-8")
    assert main(["sweep", str(oxford), "--grid", str(grid), "--out", str(link)]) == 2
    err = capsys.readouterr().err
    assert "it is a symbolic link; remove it or choose another name" in err
    assert "--follow-symlinks" not in err  # sweep has no such option
    assert target.read_text(encoding="utf-8") == "old"


def test_an_output_may_not_be_an_input_or_a_parent_it_extends(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base = write_scenario(tmp_path, "_base.yaml")
    child = tmp_path / "child.yaml"
    child.write_text("extends: _base.yaml\nid: child\n", encoding="utf-8")
    before = base.read_text(encoding="utf-8")
    for target in (child, base, tmp_path / "." / "child.yaml"):
        assert main(report_args(child, "-o", str(target))) == 2
        assert "it is the input scenario" in capsys.readouterr().err
    assert base.read_text(encoding="utf-8") == before
    assert child.read_text(encoding="utf-8").startswith("extends")


def test_two_outputs_at_one_path_are_refused(
    toy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "x.html"
    assert main(report_args(toy, "-o", str(out), "--xlsx", str(tmp_path / "." / "x.html"))) == 2
    assert "name the same file" in capsys.readouterr().err
    assert not out.exists()


def test_an_unwritable_folder_is_refused(
    toy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    real_access = os.access
    # As root every folder is writable, so say what a normal user would see.
    monkeypatch.setattr(
        outputs.os, "access", lambda p, mode: False if Path(p) == folder else real_access(p, mode)
    )
    assert main(report_args(toy, "-o", str(folder / "r.html"))) == 2
    assert "is not writable" in capsys.readouterr().err


# --------------------------------------------------------------------------- written together


def test_several_outputs_are_all_written_or_none_replaced(tmp_path: Path) -> None:
    first, second = tmp_path / "a.html", tmp_path / "b.xlsx"
    first.write_text("old a", encoding="utf-8")
    second.write_text("old b", encoding="utf-8")

    def fails(tmp: Path) -> None:
        tmp.write_text("half", encoding="utf-8")
        raise OSError(28, "No space left on device")

    with pytest.raises(OutputError, match="No space left"):
        write_files([(first, text_writer("new a")), (second, fails)])
    assert first.read_text(encoding="utf-8") == "old a"
    assert second.read_text(encoding="utf-8") == "old b"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.html", "b.xlsx"]
    write_files([(first, text_writer("new a")), (second, text_writer("new b"))])
    assert [first.read_text(encoding="utf-8"), second.read_text(encoding="utf-8")] == [
        "new a",
        "new b",
    ]


def test_sigterm_while_writing_leaves_no_temp_file_and_no_new_output(tmp_path: Path) -> None:
    if signal.getsignal(signal.SIGTERM) is not signal.SIG_DFL:
        pytest.skip("SIGTERM is handled by the test runner")
    target = tmp_path / "value_map.xlsx"
    target.write_bytes(b"old workbook")

    def terminated(tmp: Path) -> None:
        tmp.write_bytes(b"PK half a zip")
        os.kill(os.getpid(), signal.SIGTERM)

    with pytest.raises(Terminated):
        write_files([(tmp_path / "r.html", text_writer("new")), (target, terminated)])
    assert target.read_bytes() == b"old workbook"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["value_map.xlsx"]
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL


@pytest.mark.slow
def test_sigterm_during_a_report_exits_143_without_temp_files(tmp_path: Path) -> None:
    scenario = write_scenario(tmp_path)
    script = textwrap.dedent(
        f"""
        import os, signal, sys
        from sroi import files as outputs
        real = outputs.write_files
        def slow(writers):
            def wrap(write):
                def inner(tmp):
                    write(tmp)
                    os.kill(os.getpid(), signal.SIGTERM)
                return inner
            return real([(t, wrap(w)) for t, w in writers])
        outputs.write_files = slow
        from sroi.cli.main import main
        sys.exit(main({report_args(scenario, "-o", str(tmp_path / "r.html"))!r}))
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, cwd=ROOT
    )
    assert done.returncode == 143, done.stderr
    assert done.stderr.strip().endswith("sroi: terminated")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.yaml"]


# --------------------------------------------------------------------------- text stays text

#: Text that a spreadsheet would run if it were written as it is (OWASP list).
PAYLOADS = (
    "=cmd|' /C calc'!A0",
    '=HYPERLINK("http://evil.example","t")',
    "+1+1",
    "-2+3",
    "@SUM(1,1)",
    "\t=1+1",
    "\r=1+1",
    "=1+1\u0001 with a control character",
)


#: Text fields that hold free text: a tab or a line break is allowed there;
#: every other text field is one line, and no text holds any other control
#: character (test_control_characters_are_refused_in_every_text_field).
FREE_TEXT_FIELDS = {"notes", "citation", "note"}


def _tagged(payload: str) -> dict[str, str]:
    """Each text field: the payload, less the control characters the field
    refuses, and the field's name, written as YAML escapes."""
    tagged = {}
    for f in TEXT_FIELDS:
        allowed = "\t\n" if f in FREE_TEXT_FIELDS else ""
        kept = "".join(c for c in payload if c in allowed or unicodedata.category(c) != "Cc")
        escaped = kept.encode("unicode_escape").decode("ascii").replace('"', '\\"')
        tagged[f] = f"{escaped} [{f}]"
    return tagged | {"url": "=x"}


#: Text fields the workbook shows (the site and cost line labels appear in the HTML only).
WORKBOOK_FIELDS = {"name", "citation", "label", "stakeholder", "indicator", "note"}


@pytest.mark.parametrize("payload", PAYLOADS, ids=range(len(PAYLOADS)))
def test_no_text_becomes_a_formula_in_the_workbook(payload: str, tmp_path: Path) -> None:
    module("openpyxl", install=OPENPYXL)
    from sroi.reports import xlsx

    scenario = write_scenario(tmp_path, text=_tagged(payload))
    loaded = sroi.load_scenario(scenario)
    results = sroi.run(
        [loaded], draws=5, seed=1, keep_outcomes=True, files={loaded.id: str(scenario)}
    )
    import io

    import openpyxl

    report = build([loaded], results, title=payload, command=f"sroi {payload}")
    wb = openpyxl.load_workbook(io.BytesIO(xlsx.workbook_bytes(report)))
    seen: set[str] = set()
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                value = cell.value
                if not isinstance(value, str):
                    continue
                if cell.data_type == "f":
                    # A site's sheet is titled from its name, and formulas name
                    # it quoted ('...'!A1): a reference, never code.  What is
                    # left must hold nothing of the payload.
                    value = re.sub(r"'(?:[^']|'')*'!", "", value)
                    assert "[" not in value and "cmd" not in value and "SUM(1" not in value, (
                        f"{ws.title}!{cell.coordinate} became a formula: {value!r}"
                    )
                    continue
                assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), (
                    f"{ws.title}!{cell.coordinate} could be read as a formula: {value!r}"
                )
                seen.update(f for f in TEXT_FIELDS if f"[{f}]" in value)
        for cell in ws._cells.values():
            if cell.comment is not None:
                assert "\u0001" not in cell.comment.text
    # The text fields the workbook shows were all among the cells checked.
    assert seen >= WORKBOOK_FIELDS, WORKBOOK_FIELDS - seen


def test_the_workbook_saves_and_reopens_with_text_cells(tmp_path: Path) -> None:
    openpyxl = module("openpyxl", install=OPENPYXL)
    scenario = write_scenario(tmp_path, text=_tagged(PAYLOADS[1]))
    target = tmp_path / "v.xlsx"
    title = '=HYPERLINK("http://evil.example","t")'
    assert (
        main(
            [
                *report_args(scenario, "-o", str(tmp_path / "r.html")),
                "--xlsx",
                str(target),
                "--title",
                title,
            ]
        )
        == 0
    )
    wb = openpyxl.load_workbook(target)
    assert wb["Summary"]["A1"].value == "'" + title
    assert wb["Summary"]["A1"].data_type == "s"


# --------------------------------------------------------------------------- charts


def test_names_are_plain_text_in_charts(tmp_path: Path) -> None:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.text import Text

    from sroi.reports import html, plots

    names = {
        "name": "Costs $5 and $6",
        "label": "$\\\\undefinedcmd$ {braces} \\\\alpha",
        "stakeholder": "Mothers $x^2$",
    }
    scenario = write_scenario(tmp_path, text=names)
    loaded = sroi.load_scenario(scenario)
    assert loaded.name == "Costs $5 and $6"
    results = sroi.run([loaded], draws=20, seed=1, keep_outcomes=True)
    report = build([loaded], results, title="$\\undefinedcmd$ report")
    html.render(report)  # draws every chart: no maths parser error
    fig = plots.sroi_distribution(results)
    FigureCanvasAgg(fig).draw()
    texts = [t for t in fig.findobj(Text) if t.get_text()]
    assert any("Costs $5 and $6" in t.get_text() for t in texts)
    assert all(not t.get_parse_math() for t in texts)


def test_names_are_plain_text_in_charts_drawn_into_a_callers_axes(tmp_path: Path) -> None:
    """A caller's own figure parses maths by default; every chart still shows
    the scenario's names as written, tick labels and legends included."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.text import Text

    from sroi import plots
    from sroi.analysis.oneway import oneway

    names = {
        "name": "Costs $5 and $6",
        "label": "$\\\\undefinedcmd$ {braces} \\\\alpha",
        "stakeholder": "Mothers $x^2$",
    }
    scenario = write_scenario(tmp_path, text=names)
    loaded = sroi.load_scenario(scenario)
    results = sroi.run([loaded], draws=20, seed=1, keep_outcomes=True)
    sensitivity = oneway(str(scenario))
    charts = {
        "cumulative_net": lambda ax: plots.cumulative_net(results, ax=ax),
        "evidence_profile": lambda ax: plots.evidence_profile(results, ax=ax),
        "probability_curve": lambda ax: plots.probability_curve(results, ax=ax),
        "site_comparison": lambda ax: plots.site_comparison(results, ax=ax),
        "sroi_distribution": lambda ax: plots.sroi_distribution(results, ax=ax),
        "tornado": lambda ax: plots.tornado(sensitivity, ax=ax),
        "value_by_payer": lambda ax: plots.value_by_payer(results, ax=ax),
        "value_profiles": lambda ax: plots.value_profiles(results, ax=ax),
    }
    assert sorted(charts) == sorted(plots.__all__)
    shown: set[str] = set()
    for name, chart in charts.items():
        fig = Figure(figsize=(10, 6), layout="constrained")
        ax = fig.subplots()
        assert chart(ax) is fig, name
        FigureCanvasAgg(fig).draw()  # a maths parser error would raise here
        texts = [t for t in ax.findobj(Text) if t.get_text()]
        assert all(not t.get_parse_math() for t in texts if "$" in t.get_text()), name
        shown |= {t.get_text() for t in texts}
    assert "Costs $5 and $6" in shown  # the site's name as a tick label, as written
    assert any("$\\undefinedcmd$ {braces}" in t for t in shown)  # the input's label


# --------------------------------------------------------------------------- every valid scenario


EDGE_CASES = {
    "no cost": {"fte": 0, "salary": 0, "pool": 0, "expenses": 0, "value_per_hour": 0, "room": 0},
    "no outcomes": {"outcomes": False},
    "no users": {"referrals": 0},
    "largest values": {"proxy": 1e12, "referrals": 1e12, "salary": 1e12},
    "tiny values": {"proxy": 1e-12, "salary": 1e-12, "referrals": 1e-12},
    "longest horizon": {"duration": 200},
}


@pytest.mark.slow
@pytest.mark.parametrize("case", list(EDGE_CASES))
@pytest.mark.parametrize("draws", ["0", "1", "40"])
def test_every_valid_scenario_can_be_reported(
    case: str, draws: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    module("openpyxl", install=OPENPYXL)
    kwargs = dict(EDGE_CASES[case])
    with_outcomes = bool(kwargs.pop("outcomes", True))
    scenario = tmp_path / "s.yaml"
    scenario.write_text(scenario_text(outcomes=with_outcomes, **kwargs), encoding="utf-8")
    assert check_file(scenario)[1] == []
    out = tmp_path / "r.html"
    args = ["report", str(scenario), "-o", str(out), "--xlsx", str(tmp_path / "v.xlsx")]
    with _no_warnings():
        status = main([*args, "--draws", draws])
    err = capsys.readouterr().err
    assert status == 0, err
    assert "Warning" not in err
    page = out.read_text(encoding="utf-8")
    if case == "no cost" and draws != "0":
        assert "undefined in every draw" in page


class _no_warnings:
    """Fail on any warning (a numpy RuntimeWarning printed to stderr)."""

    def __enter__(self) -> None:
        import warnings

        self._catch = warnings.catch_warnings()
        self._catch.__enter__()
        warnings.simplefilter("error")

    def __exit__(self, *exc: object) -> None:
        self._catch.__exit__(*exc)


def test_a_report_refuses_a_file_name_of_the_other_kind(
    toy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """``-o r.xlsx`` would write a web page that opens as a broken workbook,
    and ``--xlsx r.html`` the reverse: both are refused before the run,
    saying which option writes what; nothing is written."""
    ran: list[object] = []
    monkeypatch.setattr("sroi.api.run", lambda *a, **k: ran.append(a))
    cases = (
        (["-o", str(tmp_path / "r.XLSX")], "use --xlsx"),
        (["-o", str(tmp_path / "r.json")], "use a name ending .html"),
        (["-o", str(tmp_path / "r.html"), "--xlsx", str(tmp_path / "v.htm")], "ending .xlsx"),
    )
    for args, fix in cases:
        assert main(report_args(toy, *args)) == 2, args
        err = capsys.readouterr().err
        assert err.startswith("sroi: error: ") and fix in err, err
    assert ran == [] and sorted(p.name for p in tmp_path.iterdir()) == [toy.name]


def test_a_report_refuses_too_many_scenarios_before_running(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    ran: list[object] = []
    monkeypatch.setattr("sroi.api.run", lambda *a, **k: ran.append(a))
    for i in range(MAX_REPORT_SCENARIOS + 1):
        text = scenario_text().replace("id: hostile", f"id: site_{i}")
        (tmp_path / f"s{i}.yaml").write_text(text, encoding="utf-8")
    assert main(["report", str(tmp_path), "-o", str(tmp_path / "r.html"), "--draws", "5"]) == 2
    assert f"at most {MAX_REPORT_SCENARIOS} scenarios" in capsys.readouterr().err
    assert ran == []


@pytest.mark.parametrize("command", ["run", "report", "compare"])
def test_draws_past_the_limit_are_refused_by_the_parser(
    command: str, toy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_:
        main([command, str(toy), "--draws", "1000000000000"])
    assert exit_.value.code == 2
    assert f"<= {MAX_DRAWS:,}" in capsys.readouterr().err


def test_the_api_refuses_draws_past_the_limit(toy: Path) -> None:
    with pytest.raises(ValueError, match="at most"):
        sroi.run(toy, draws=MAX_DRAWS + 1)


@pytest.mark.slow
def test_memory_stays_bounded_at_the_longest_horizon(tmp_path: Path) -> None:
    """The longest horizon that validates runs in a child limited to 1.5 GB of
    address space (a horizon of 100,000 years once took 23 GB)."""
    scenario = write_scenario(tmp_path, duration=200)
    text = scenario.read_text(encoding="utf-8").replace("years: 2,", "years: 50,")
    scenario.write_text(text.replace("    duration: 200\n", "    duration: 200\n    lag: 50\n"))
    assert check_file(scenario)[1] == []
    code = (
        "import resource, sys;"
        "resource.setrlimit(resource.RLIMIT_AS, (3 << 29, 3 << 29));"
        "from sroi.cli.main import main;"
        f"sys.exit(main(['run', {str(scenario)!r}, '--draws', '40000']))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=300, cwd=ROOT
    )
    assert done.returncode == 0, done.stderr[-2000:]


# --------------------------------------------------------------------------- extends


def _child(folder: Path, ref: str) -> Path:
    child = folder / "child.yaml"
    child.write_text(f'extends: "{ref}"\nid: child\n', encoding="utf-8")
    return child


def _only_problem(path: Path, **kwargs: object) -> str:
    scenario, problems = check_file(path, **kwargs)  # type: ignore[arg-type]
    assert scenario is None
    assert len(problems) == 1, problems
    assert (problems[0].mark.line, problems[0].path) == (1, "extends")
    return problems[0].message


def test_extends_with_a_nul_in_the_name(tmp_path: Path) -> None:
    assert "NUL" in _only_problem(_child(tmp_path, "base\\0.yaml"))


def test_extends_with_an_overlong_name(tmp_path: Path) -> None:
    assert "too long" in _only_problem(_child(tmp_path, "b" * 300 + ".yaml"))


def test_extends_a_symlink_loop(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").symlink_to(tmp_path / "b.yaml")
    (tmp_path / "b.yaml").symlink_to(tmp_path / "a.yaml")
    assert "loop of symbolic links" in _only_problem(_child(tmp_path, "a.yaml"))


def test_extends_a_folder(tmp_path: Path) -> None:
    (tmp_path / "base.yaml").mkdir()
    assert "is a folder" in _only_problem(_child(tmp_path, "base.yaml"))


def test_extends_a_fifo_does_not_hang(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "base.yaml")
    assert "FIFO" in _only_problem(_child(tmp_path, "base.yaml"))


def test_extends_a_device(tmp_path: Path) -> None:
    (tmp_path / "base.yaml").symlink_to("/dev/zero")
    message = _only_problem(_child(tmp_path, "base.yaml"), allow_extends=["/dev"])
    assert "device" in message


def test_extends_an_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_scenario(tmp_path, "base.yaml")
    import sroi.scenario.loader as loader

    real = os.access
    monkeypatch.setattr(
        loader.os, "access", lambda p, m: False if Path(p).name == "base.yaml" else real(p, m)
    )
    assert "permission denied" in _only_problem(_child(tmp_path, "base.yaml"))


def test_extends_too_deep(tmp_path: Path) -> None:
    write_scenario(tmp_path, "f0.yaml")
    for i in range(1, MAX_EXTENDS_DEPTH + 5):
        (tmp_path / f"f{i}.yaml").write_text(f"extends: f{i - 1}.yaml\n", encoding="utf-8")
    top = tmp_path / f"f{MAX_EXTENDS_DEPTH + 4}.yaml"
    _, problems = check_file(top)
    assert any(f"more than {MAX_EXTENDS_DEPTH} files deep" in p.message for p in problems)
    ok = tmp_path / f"f{MAX_EXTENDS_DEPTH - 1}.yaml"
    assert check_file(ok)[1] == []


def test_extends_never_reads_outside_the_allowed_folders(tmp_path: Path) -> None:
    deep = tmp_path / "a" / "b"
    deep.mkdir(parents=True)
    outside = tmp_path / "secret.yaml"
    outside.write_text("id: top_secret_value\n", encoding="utf-8")
    message = _only_problem(_child(deep, "../../secret.yaml"))
    assert "outside the folders" in message and "--allow-extends" in message
    _, problems = check_file(_child(deep, "../../secret.yaml"), allow_extends=[str(tmp_path)])
    assert problems and not any("outside" in p.message for p in problems)


@pytest.mark.parametrize("folder", ["missing", "file.yaml"])
def test_allow_extends_names_an_existing_folder(
    folder: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A mistyped --allow-extends is refused, not silently allowed to match nothing."""
    child = write_scenario(tmp_path, "file.yaml")
    with pytest.raises(SystemExit) as stop:
        main(["validate", str(child), "--allow-extends", str(tmp_path / folder)])
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert "--allow-extends: expected a folder" in err
    assert ("does not exist" if folder == "missing" else "is a file") in err


@pytest.mark.parametrize("ref", ["/etc/passwd", "../../../../../../etc/passwd", "/etc/hostname"])
def test_extends_never_echoes_a_target(
    ref: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    child = _child(tmp_path, ref)
    assert main(["validate", str(child)]) == 2
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1
    assert "root:" not in err
    assert "expected a scenario file ending in .yaml" in err


# --------------------------------------------------------------------------- standard output


def _sroi(*args: str, **kwargs: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # type: ignore[call-overload,no-any-return]
        [sys.executable, "-m", "sroi", *args],
        capture_output=kwargs.pop("capture", True),
        text=True,
        timeout=120,
        cwd=ROOT,
        **kwargs,
    )


def test_non_ascii_names_on_an_ascii_terminal(tmp_path: Path) -> None:
    scenario = write_scenario(tmp_path, text={"name": "Café Zoë – 東京"})
    env = {**os.environ, "PYTHONIOENCODING": "ascii"}
    done = _sroi("validate", str(scenario), env=env)
    assert done.returncode == 0, done.stderr
    assert "Caf\\xe9 Zo\\xeb \\u2013 \\u6771\\u4eac" in done.stdout


@pytest.mark.parametrize(
    "command",
    [
        ["validate"],
        ["run", "--draws", "1000"],
        ["run", "--json", "--draws", "0"],
        ["compare", "--draws", "1000"],
        ["sensitivity", "--method", "oneway"],
    ],
)
def test_closed_stdout_is_one_line_and_exit_1(toy: Path, command: list[str]) -> None:
    """Started with standard output closed, every command says so in one line
    and exits 1; those that write with ``sys.stdout.write`` stopped with an
    internal error (AttributeError)."""
    name, *options = command
    done = subprocess.run(
        f"{sys.executable} -m sroi {name} {toy} {' '.join(options)} >&-",
        shell=True,
        capture_output=False,
        stderr=subprocess.PIPE,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [
        "sroi: error: cannot write to standard output: standard output is closed"
    ]


def test_full_stdout_is_one_line_and_exit_1(toy: Path) -> None:
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full")
    with open("/dev/full", "w") as full:
        done = _sroi("validate", str(toy), capture=False, stdout=full, stderr=subprocess.PIPE)
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [
        "sroi: error: cannot write to standard output: No space left on device"
    ]


def test_a_pipe_closed_early_is_one_line_and_exit_1(toy: Path) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "sroi", "schema"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=ROOT,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.read(10)
    proc.stdout.close()
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=120) in (0, 1)
    assert "internal error" not in err and "Traceback" not in err


@pytest.fixture(autouse=True)
def _restore_sigterm() -> Iterator[None]:
    before = signal.getsignal(signal.SIGTERM)
    yield
    signal.signal(signal.SIGTERM, before)


# --------------------------------------------------------------------------- YAML 1.2 numbers


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ("010", 10),  # YAML 1.1 read 8
        ("1e3", 1000.0),  # YAML 1.1 read the text '1e3'
        ("-1.5E-2", -0.015),
        ("0x1F", 31),
        ("0o17", 15),
        ("+5", 5),
        (".5", 0.5),
        ("1.", 1.0),
        ("0b101", "0b101"),  # YAML 1.1 read 5
        ("1:30", "1:30"),  # YAML 1.1 read 90
        ("1_000", "1_000"),  # YAML 1.1 read 1000
        ("yes", "yes"),  # YAML 1.1 read true
        ("True", True),
        ("~", None),
        ("2012-09-17", "2012-09-17"),
        ('"010"', "010"),
        ("!!float 7", 7.0),
        ("!!int 010", 10),
    ],
)
def test_plain_scalars_follow_yaml_1_2(written: str, read: object) -> None:
    from sroi.scenario.yamlio import parse_yaml

    doc = parse_yaml(f"x: {written}\n", "t.yaml")
    assert doc.problems == []
    value = doc.data["x"]
    assert value == read and type(value) is type(read), (written, value)


@pytest.mark.parametrize("written", ["!!int abc", "!!bool yes", "!!float 0b1"])
def test_a_tag_that_does_not_fit_its_text_is_located(written: str) -> None:
    from sroi.scenario.yamlio import parse_yaml

    doc = parse_yaml(f"x: {written}\n", "t.yaml")
    assert [(p.mark.line, p.mark.column, p.path) for p in doc.problems] == [(1, 4, "x")]


def test_an_empty_chart_says_why_in_the_callers_axes(tmp_path: Path) -> None:
    from matplotlib.figure import Figure

    from sroi import plots

    no_cost = EDGE_CASES["no cost"]
    scenario = tmp_path / "s.yaml"
    scenario.write_text(scenario_text(**no_cost), encoding="utf-8")
    results = sroi.run(scenario, draws=20, seed=1)
    for chart in (plots.sroi_distribution, plots.probability_curve):
        fig = Figure()
        ax = fig.subplots()
        assert chart(results, ax=ax) is fig
        words = " ".join(" ".join(t.get_text().split()) for t in ax.texts)
        assert "undefined in every draw" in words, (chart, words)


def test_the_limits_table_states_the_limits_the_code_enforces() -> None:
    """Each row of docs/security.md's limits table names a constant; its
    stated limit is that constant's value (a spread limit of 100 in the docs
    once stood beside 150 in the code)."""
    import importlib

    text = (Path(__file__).resolve().parents[1] / "docs" / "security.md").read_text()
    rows = re.findall(r"^\| [^|]+ \| ([^|]+) \| `([\w.]+)` \|$", text, flags=re.M)
    assert len(rows) >= 12
    for stated, name in rows:
        where, _, constant = name.rpartition(".")
        module = where if where.startswith("sroi") else f"sroi.scenario.{where}"
        value = getattr(importlib.import_module(module), constant)
        if constant == "MAX_MAGNITUDE":
            assert stated.strip() in ("between −10¹² and 10¹²", "10¹² women a year")
            assert value == 1e12
            continue
        if constant == "MIN_MAGNITUDE":
            assert stated.strip() == "10⁻¹² in size or more" and value == 1e-12
            continue
        number = re.match(r"[\d,]+", stated.strip())
        assert number and int(number[0].replace(",", "")) == value, (name, stated)


def test_the_design_decisions_state_the_same_file_limits() -> None:
    """docs/decisions.md repeats three of the limits in prose."""
    from sroi.scenario import yamlio

    root = Path(__file__).resolve().parents[1]
    text = " ".join((root / "docs" / "decisions.md").read_text(encoding="utf-8").split())
    found = re.search(
        r"at most ([\d,]+) bytes, expand to at most ([\d,]+) nodes once aliases are "
        r"followed, and nest at most (\d+) levels deep",
        text,
    )
    assert found, "docs/decisions.md lost its paragraph on file limits"
    stated = [int(n.replace(",", "")) for n in found.groups()]
    assert stated == [yamlio.MAX_FILE_BYTES, yamlio.MAX_NODES, yamlio.MAX_DEPTH]
