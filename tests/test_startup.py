"""Start-up stays light.

Validating scenarios and ``sroi --help`` must not load scipy, matplotlib or
pandas (each costs a tenth of a second or more), and validation must not load
numpy either (another tenth): distributions import it where they draw, and the
correlation check factorises small matrices in pure Python.  ``sroi --help``
builds only the top-level parser, so it loads neither the scenario models nor
the vocabulary, the output-file helpers or the replication questions.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

import pytest

import sroi.cli.main
from sroi.scenario import load_scenario

ROOT = Path(__file__).resolve().parent.parent
HEAVY = ("scipy", "matplotlib", "pandas")
NUMERIC = (*HEAVY, "numpy")
SITES = ROOT / "scenarios" / "family_action_pss"


def _loaded_after(code: str, watched: tuple[str, ...] = HEAVY) -> list[str]:
    """Those of ``watched`` (module names) in ``sys.modules`` after running
    ``code`` in a fresh interpreter."""
    listing = "print(json.dumps(sorted(sys.modules)))"
    probe = f"{code}\nimport json, sys\n{listing}"
    out = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    modules = set(json.loads(out.strip().splitlines()[-1]))
    return [m for m in watched if m in modules]


@pytest.mark.parametrize(
    "code",
    [
        "import sroi",
        "import sroi.engine.runner, sroi.sampling.sampler",
        "import sroi.cli.main; sroi.cli.main.build_parser()",
    ],
)
def test_light_imports(code: str) -> None:
    assert _loaded_after(code) == []


@pytest.mark.parametrize(
    "code",
    [
        "import sroi.scenario",
        "import sroi.distributions as d; d.Pert(1, 2, 6).support(); d.Normal(0, 1, min=0)",
        "from sroi.cli.common import load_all; assert load_all(['scenarios'])[1]",
        "from sroi.cli.main import main; assert main(['validate', '-q', 'scenarios']) == 0",
    ],
)
def test_validation_loads_no_numeric_library(code: str) -> None:
    assert _loaded_after(code, NUMERIC) == []


def test_the_bundled_scenarios_exercise_the_correlation_check() -> None:
    # So the test above covers the positive-definiteness check without numpy.
    assert len(load_scenario(SITES / "oxford.yaml").correlations) >= 3


def test_probe_sees_heavy_imports() -> None:
    # The probe itself can fail: importing scipy.special is reported, and so is
    # numpy, which it imports, when numpy is watched.
    assert _loaded_after("import scipy.special") == ["scipy"]
    assert _loaded_after("import scipy.special", NUMERIC) == ["scipy", "numpy"]


def test_drawing_still_finds_numpy() -> None:
    # numpy is imported where a distribution draws, not lost.
    code = "import numpy as np; from sroi.distributions import Pert, FloatArray\n"
    code += "x = Pert(1, 2, 6).sample(np.random.default_rng(0), 3); assert x.shape == (3,)"
    assert _loaded_after(code, ("numpy",)) == ["numpy"]


def test_help_loads_little() -> None:
    probe = (
        "import contextlib, io\n"
        "import sroi.cli.main\n"
        "with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):\n"
        "    sroi.cli.main.main(['--help'])"
    )
    watched = (
        "sroi.scenario",
        "numpy",
        "pydantic",
        "yaml",
        "sroi.vocabulary",
        "sroi.files",
        "sroi.replication.answers",
    )
    assert _loaded_after(probe, watched) == []


def test_a_command_imports_its_own_module_alone() -> None:
    probe = "from sroi.cli.main import main; assert main(['validate', '-q', 'scenarios']) == 0"
    modules = tuple(f"sroi.cli.{name}_cmd" for name in sroi.cli.main.COMMANDS)
    assert _loaded_after(probe, modules) == ["sroi.cli.validate_cmd"]


def test_listed_subcommands_show_the_same_help_as_full_ones() -> None:
    # `sroi --help` lists each subcommand by its HELP line without building
    # its parser; the listing is the one the full parsers give.
    full = sroi.cli.main.build_parser().format_help()
    assert sroi.cli.main.build_parser("").format_help() == full
    for name in sroi.cli.main.COMMANDS:
        assert sroi.cli.main.build_parser(name).format_help() == full


@pytest.mark.parametrize("name", sroi.cli.main.COMMANDS)
def test_a_named_subcommand_gets_its_full_parser(name: str) -> None:
    def subcommand_help(parser: argparse.ArgumentParser) -> str:
        (action,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
        return str(action.choices[name].format_help())

    full = sroi.cli.main.build_parser()
    assert subcommand_help(sroi.cli.main.build_parser(name)) == subcommand_help(full)


def test_the_command_ends_with_the_status_of_main(monkeypatch: pytest.MonkeyPatch) -> None:
    # The script searches for cycles rarely while the command runs, freezes
    # what the command built (the interpreter's last collections would
    # search it all again) and exits with main's status.
    calls: list[object] = []
    monkeypatch.setattr(sroi.cli.main, "main", lambda: calls.append("main") or 2)
    monkeypatch.setattr(sroi.cli.main.gc, "freeze", lambda: calls.append("freeze"))
    monkeypatch.setattr(sroi.cli.main.gc, "set_threshold", lambda *t: calls.append(t))
    with pytest.raises(SystemExit) as exited:
        sroi.cli.main.console()
    assert exited.value.code == 2
    assert calls == [(200_000, 30, 30), "main", "freeze"]


@pytest.mark.parametrize(("name", "status"), [("oxford.yaml", 0), ("missing.yaml", 2)])
def test_the_command_still_prints_everything_and_exits_with_its_status(
    name: str, status: int
) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "sroi", "validate", str(SITES / name)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == status
    if status == 0:
        assert done.stdout.startswith("ok  ") and "oxford: Oxford" in done.stdout
    else:
        assert done.stdout == "" and "missing.yaml" in done.stderr
