"""The bad-input corpus: every file in ``tests/corpus`` is an invalid scenario
that ``sroi validate`` must refuse with exit status 2, reporting each problem
as ``FILE:LINE:COL: dotted.path: message`` at the exact place it is written,
and never with a traceback.

Each corpus file declares what it expects in its leading comments (see
``tests/corpus/README.md``)::

    # expect: 7:15: outcomes.x.payer: did you mean 'nhs'
    # expect: parents/bad.yaml:5:9: volunteers.pool: found -4

A file that cannot hold a comment (the empty file) is described in
``tests/corpus/_expectations.yaml``.  Files are run in-process, except those
marked ``# run: subprocess`` (hostile YAML: Python tags, an alias bomb), which
run in a child process with a memory limit and a timeout.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from sroi.cli.main import main
from sroi.scenario.yamlio import MAX_FILE_BYTES

CORPUS = Path(__file__).parent / "corpus"
CASES = sorted(p.name for p in CORPUS.glob("*.yaml") if not p.name.startswith("_"))
SIDECAR = CORPUS / "_expectations.yaml"

#: ``# expect: [FILE:]LINE:COL: dotted.path: message fragment``
EXPECT = re.compile(
    r"^(?:(?P<file>[^\s:]+\.yaml):)?(?P<line>\d+):(?P<col>\d+): (?P<path>.+?): (?P<fragment>.+)$"
)
#: One problem as printed by the command line.
PROBLEM = re.compile(r"^(?P<file>.+?):(?P<line>\d+):(?P<col>\d+): (?P<path>.+?): (?P<message>.+)$")

#: Memory a hostile file may make the validator use: generous for Python with
#: numpy and scipy loaded, far below what an expanded alias bomb needs.
MEMORY_LIMIT = 1 << 30
#: Seconds a hostile file may take to refuse, start-up of the interpreter included.
TIME_LIMIT = 5.0


@dataclass(frozen=True)
class Expect:
    file: str
    line: int
    col: int
    path: str
    fragment: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}: {self.path}: ...{self.fragment}..."


@dataclass(frozen=True)
class Case:
    name: str
    expects: tuple[Expect, ...]
    isolated: bool


def _expect(spec: str, name: str) -> Expect:
    m = EXPECT.match(spec.strip())
    assert m, f"{name}: malformed expectation {spec!r}"
    file = os.path.normpath(m["file"]) if m["file"] else name
    return Expect(file, int(m["line"]), int(m["col"]), m["path"], m["fragment"])


def load_case(name: str) -> Case:
    """The expectations of one corpus file, from its header or the sidecar."""
    sidecar = yaml.safe_load(SIDECAR.read_text(encoding="utf-8")) or {}
    specs: list[str] = list(sidecar.get(name, []))
    isolated = False
    text = (CORPUS / name).read_bytes().decode("utf-8", errors="replace")
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        if line.startswith("# expect:"):
            specs.append(line.removeprefix("# expect:"))
        elif line.strip() == "# run: subprocess":
            isolated = True
    assert specs, f"{name}: no '# expect:' line and no entry in {SIDECAR.name}"
    return Case(name, tuple(_expect(s, name) for s in specs), isolated)


def problems(stderr: str) -> list[re.Match[str]]:
    """Every problem line of ``stderr``; fails on any line of another form."""
    out = []
    for line in stderr.splitlines():
        m = PROBLEM.match(line)
        assert m, f"stderr line is not FILE:LINE:COL: path: message: {line!r}"
        out.append(m)
    return out


def check_output(case: Case, status: int, stdout: str, stderr: str) -> None:
    """The assertions every corpus file must pass."""
    assert "Traceback" not in stdout + stderr
    assert "internal error" not in stderr
    assert status == 2, f"exit status {status}; stderr:\n{stderr}"
    assert stdout == ""
    found = problems(stderr)
    for e in case.expects:
        hits = [
            m
            for m in found
            if (os.path.normpath(m["file"]), int(m["line"]), int(m["col"]), m["path"])
            == (e.file, e.line, e.col, e.path)
            and e.fragment in m["message"]
        ]
        assert hits, f"expected a problem like\n  {e}\ngot:\n{stderr}"
    # Each file tests one thing: nothing is reported beyond what it expects.
    assert len(found) == len(case.expects), f"unexpected extra problems:\n{stderr}"


def run_in_process(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    status = main(args)
    out, err = capsys.readouterr()
    return status, out, err


def _limit_memory() -> None:  # pragma: no cover - runs in the child process
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def run_apart(args: list[str], cwd: Path) -> tuple[int, str, str, float]:
    """Run ``python -m sroi ARGS`` in a child process with limited memory."""
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"}
    env.pop("SROI_DEBUG", None)
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "sroi", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        preexec_fn=_limit_memory if sys.platform != "win32" else None,
    )
    return done.returncode, done.stdout, done.stderr, time.perf_counter() - start


# --------------------------------------------------------------------------- the corpus


def test_corpus_is_large_enough() -> None:
    assert len(CASES) >= 40


def test_sidecar_names_real_files() -> None:
    sidecar = yaml.safe_load(SIDECAR.read_text(encoding="utf-8")) or {}
    assert set(sidecar) <= set(CASES)


def test_base_is_valid(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """The base the extends cases build on must itself be valid, so each of them
    fails only for its own reason."""
    monkeypatch.chdir(CORPUS)
    status, out, err = run_in_process(["validate", "_base.yaml"], capsys)
    assert (status, err) == (0, "")
    assert out.startswith("ok  _base.yaml")


@pytest.mark.parametrize("name", CASES)
def test_corpus_file(
    name: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    case = load_case(name)
    if case.isolated:
        status, out, err, _ = run_apart(["validate", name], CORPUS)
    else:
        monkeypatch.chdir(CORPUS)
        status, out, err = run_in_process(["validate", name], capsys)
    check_output(case, status, out, err)


def test_whole_corpus_in_one_run(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Many bad files in one run: each still reports exactly its own problems."""
    monkeypatch.chdir(CORPUS)
    cases = [load_case(n) for n in CASES]
    cases = [c for c in cases if not c.isolated]
    status, out, err = run_in_process(["validate", *(c.name for c in cases)], capsys)
    combined = Case("*", tuple(e for c in cases for e in c.expects), False)
    check_output(combined, status, out, err)


# --------------------------------------------------------------------------- hostile files


def test_alias_bomb_is_refused_quickly_and_cheaply() -> None:
    """A 'billion laughs' document (9^9 lists once expanded) is refused by
    counting the node graph, well within the time and memory limits."""
    status, _, err, seconds = run_apart(["validate", "alias_bomb.yaml"], CORPUS)
    assert status == 2, err
    assert "MemoryError" not in err
    assert "aliases expand the document past" in err
    assert seconds < TIME_LIMIT


def test_overriding_a_large_parent_costs_the_size_of_the_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file that sets thousands of its parent's entries to null (or to a
    scalar) is merged in work proportional to the two files, not to their
    product: positions are found by walking down from each overridden path
    (sroi/scenario/subtrees.py).  Scanning the tables once per entry, as an
    earlier merge did, visits about entries x table size = 4,000 x 16,000
    paths here; the walk visits each path a few times."""
    from sroi.scenario import subtrees
    from sroi.scenario.loader import load_document

    outcomes, keys = 200, 20
    parent = ["outcomes:"]
    child = ["extends: parent.yaml", "outcomes:"]
    for i in range(outcomes):
        parent.append(f"  o{i}:")
        child.append(f"  o{i}:")
        for j in range(keys):
            parent.append(f"    k{j}: {j}")
            child.append(f"    k{j}: {'null' if j % 2 else 'x'}")
    (tmp_path / "parent.yaml").write_text("\n".join(parent) + "\n", encoding="utf-8")
    (tmp_path / "child.yaml").write_text("\n".join(child) + "\n", encoding="utf-8")
    visited = 0
    below = subtrees.Subtrees.below

    def counted(self: subtrees.Subtrees, path: tuple[str | int, ...]) -> list[Any]:
        nonlocal visited
        found = below(self, path)
        visited += len(found)
        return found

    monkeypatch.setattr(subtrees.Subtrees, "below", counted)
    doc = load_document(tmp_path / "child.yaml", "child.yaml", roots=(tmp_path,))
    entries = outcomes * keys
    assert doc.data["outcomes"]["o0"] == {f"k{j}": "x" for j in range(0, keys, 2)}
    assert doc.values[("outcomes", "o0", "k0")].file == "child.yaml"
    # The parent's position of a key set to null is dropped; the null's is kept.
    assert doc.values[("outcomes", "o0", "k1")].line == 5
    assert 0 < visited <= 4 * entries


def test_python_tags_are_never_executed(tmp_path: Path) -> None:
    """Python object tags are refused without being constructed: the shell
    command they name never runs (it would create a file in ``tmp_path``)."""
    marker = tmp_path / "pwned"
    hostile = tmp_path / "hostile.yaml"
    hostile.write_text(
        "schema_version: 1\n"
        f"id: !!python/object/apply:os.system ['touch {marker}']\n"
        f"name: !!python/object/apply:os.system {{args: ['touch {marker}']}}\n"
        f"currency: !!python/object/new:os.system ['touch {marker}']\n"
        "price_year: !!python/name:os.system\n"
        f"sources: !!python/object:os.system {{x: 'touch {marker}'}}\n",
        encoding="utf-8",
    )
    status, _, err, _ = run_apart(["validate", "python_object_apply.yaml"], CORPUS)
    assert status == 2 and "unsupported YAML tag" in err
    status, _, err, _ = run_apart(["validate", str(hostile)], tmp_path)
    assert status == 2
    assert not marker.exists()
    found = problems(err)
    assert [int(m["line"]) for m in found] == [2, 3, 4, 5, 6]
    assert all("unsupported YAML tag" in m["message"] for m in found)


def test_file_over_the_size_limit(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file over MAX_FILE_BYTES is refused before it is parsed."""
    big = tmp_path / "big.yaml"
    base = (CORPUS / "_base.yaml").read_text(encoding="utf-8")
    padding = "# " + "x" * 98 + "\n"
    big.write_text(base + padding * (MAX_FILE_BYTES // len(padding) + 1), encoding="utf-8")
    assert big.stat().st_size > MAX_FILE_BYTES
    monkeypatch.chdir(tmp_path)
    status, out, err = run_in_process(["validate", "big.yaml"], capsys)
    case = Case(
        "big.yaml",
        (Expect("big.yaml", 1, 1, "(document)", f"expected a file of at most {MAX_FILE_BYTES:,}"),),
        False,
    )
    check_output(case, status, out, err)


def test_file_at_the_size_limit_is_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    base = (CORPUS / "_base.yaml").read_bytes()
    exact = tmp_path / "exact.yaml"
    exact.write_bytes(base + b"#" * (MAX_FILE_BYTES - len(base) - 1) + b"\n")
    assert exact.stat().st_size == MAX_FILE_BYTES
    monkeypatch.chdir(tmp_path)
    status, _, err = run_in_process(["validate", "exact.yaml"], capsys)
    assert (status, err) == (0, "")
