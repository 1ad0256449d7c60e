"""The benchmark's 64-scenario set is valid, and engine rows say when they are not measured.

``benchmarks/bench.py --quick`` takes over a minute, so the test suite checks its
helpers instead of running it.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

import bench  # noqa: E402

from sroi.cli.common import load_all  # noqa: E402


def test_many_scenarios_are_valid_and_distinct(tmp_path: Path) -> None:
    bench.many_scenarios(tmp_path, 2)
    scenarios, ok = load_all([str(tmp_path)])
    assert ok
    ids = [s.id for _, s in scenarios]
    assert len(ids) == 8 == len(set(ids))
    assert "oxford_copy1" in ids


def test_engine_rows_without_engine_parts(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(bench, "ROOT", tmp_path)
    rows = bench.engine_rows(quick=True)
    assert [r[2] for r in rows] == ["<= 1.3x", "<= 3x", "<= 3x"]
    assert all("engine_parts.py missing" in r[3] for r in rows)
