"""Start-up stays light: validating scenarios and ``sroi --help`` must not load
scipy, matplotlib or pandas (each costs a tenth of a second or more)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
HEAVY = ("scipy", "matplotlib", "pandas")


def _loaded_after(code: str) -> list[str]:
    """Heavy top-level packages in ``sys.modules`` after running ``code`` in a
    fresh interpreter."""
    listing = "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))"
    probe = f"{code}\nimport json, sys\n{listing}"
    out = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    modules = json.loads(out.strip().splitlines()[-1])
    return [m for m in HEAVY if m in modules]


@pytest.mark.parametrize(
    "code",
    [
        "import sroi.scenario",
        "import sroi",
        "import sroi.engine.runner, sroi.sampling.sampler",
        "import sroi.cli.main; sroi.cli.main.build_parser()",
        "from sroi.cli.common import load_all; load_all(['scenarios'])",
    ],
)
def test_light_imports(code: str) -> None:
    assert _loaded_after(code) == []


def test_probe_sees_heavy_imports() -> None:
    # The probe itself can fail: importing scipy.special is reported.
    assert _loaded_after("import scipy.special") == ["scipy"]


def test_help_does_not_load_the_scenario_models() -> None:
    probe = (
        "import contextlib, io, sys\n"
        "import sroi.cli.main\n"
        "with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):\n"
        "    sroi.cli.main.main(['--help'])\n"
        "print('sroi.scenario' in sys.modules, 'numpy' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    assert out.split() == ["False", "False"]
