"""Sweeps on Dask: a local cluster gives the in-process table, and a worker
killed mid-sweep loses and duplicates no case.  Needs ``sroi[dask]``."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import external
import pytest

from sroi.sweep import sweep
from sroi.sweep.table import read_rows

distributed = external.module("distributed", install="pip install -e '.[dask]'")

ROOT = Path(__file__).resolve().parents[1]
OXFORD = ROOT / "scenarios" / "family_action_pss" / "oxford.yaml"
DESIGNS = ROOT / "scenarios" / "sweeps" / "designs.yaml"
DRAWS = 2000
SEED = 5


def grid(folder: Path, n: int) -> Path:
    lines = "".join(f"area_{i},{15 + 7 * i}\n" for i in range(n))
    path = folder / "grid.csv"
    path.write_text("area,delivery.referrals_per_year\n" + lines, encoding="utf-8")
    return path


def sorted_bytes(path: Path) -> bytes:
    lines = path.read_bytes().splitlines(keepends=True)
    return lines[0] + b"".join(sorted(lines[1:]))


@pytest.fixture(scope="module")
def cluster() -> object:
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as c:
        yield c


def test_a_two_worker_local_cluster_gives_the_in_process_table(tmp_path: Path) -> None:
    g = grid(tmp_path, 3)
    here, there = tmp_path / "here.csv", tmp_path / "there.csv"
    sweep(OXFORD, here, grid=g, designs=DESIGNS, draws=DRAWS, seed=SEED)
    report = sweep(
        OXFORD, there, grid=g, designs=DESIGNS, draws=DRAWS, seed=SEED, scheduler="local:2"
    )
    assert (report.ran, report.failures) == (9, [])
    assert sorted_bytes(there) == sorted_bytes(here)


def test_a_worker_killed_mid_sweep_loses_and_duplicates_no_case(
    tmp_path: Path, cluster: object
) -> None:
    g = grid(tmp_path, 4)
    here, there = tmp_path / "here.csv", tmp_path / "there.csv"
    sweep(OXFORD, here, grid=g, designs=DESIGNS, draws=DRAWS, seed=SEED)
    address = cluster.scheduler_address  # type: ignore[attr-defined]
    killed: list[tuple[int, int]] = []

    def kill_a_worker(done: int) -> None:
        # After the first case, kill the process of a worker that is running
        # another; the scheduler reruns its task elsewhere.
        if done == 1 and not killed:
            with distributed.Client(address) as client:
                busy = [w for w, tasks in client.processing().items() if tasks]
                pids = client.run(os.getpid, workers=busy[:1] or None)
            pid = next(iter(pids.values()))
            os.kill(pid, signal.SIGKILL)
            killed.append((pid, len(busy[:1])))

    report = sweep(
        OXFORD,
        there,
        grid=g,
        designs=DESIGNS,
        draws=DRAWS,
        seed=SEED,
        scheduler=address,
        progress=kill_a_worker,
    )
    assert killed and killed[0][1] == 1  # a worker with cases in flight was killed
    assert (report.ran, report.failures) == (12, [])
    cases = [r.case for r in read_rows(there) if (r.metric, r.statistic) == ("npv", "mean")]
    assert len(cases) == len(set(cases)) == 12
    assert sorted_bytes(there) == sorted_bytes(here)


def test_a_local_clusters_workers_ignore_ctrl_c() -> None:
    """The workers of ``local:K`` start with SIGINT ignored (a terminal's
    Ctrl-C reaches every process of the command; the sweep stops them), and
    this process gets its own handler back."""
    from sroi.sweep.cluster import open_pool

    before = signal.getsignal(signal.SIGINT)
    with open_pool("local:1") as pool:
        assert signal.getsignal(signal.SIGINT) is before
        handlers = pool.client.run(lambda: signal.getsignal(signal.SIGINT))
    assert list(handlers.values()) == [signal.SIG_IGN]
    assert signal.getsignal(signal.SIGINT) is before


def _spawned_children(pid: int) -> int:
    """How many processes started by ``multiprocessing`` have parent ``pid``."""
    count = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            cmdline = (stat.parent / "cmdline").read_bytes()
        except OSError:
            continue
        count += int(fields[1]) == pid and b"spawn_main" in cmdline
    return count


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads /proc")
def test_ctrl_c_while_workers_start_prints_no_traceback(tmp_path: Path) -> None:
    """Ctrl-C sent to the whole command (as a terminal sends it) while the
    local cluster's workers are still importing: before, each worker printed
    its KeyboardInterrupt traceback."""
    import subprocess
    import sys
    import time

    cmd = [sys.executable, "-m", "sroi", "sweep", str(OXFORD), "--grid", str(grid(tmp_path, 30))]
    cmd += ["--out", str(tmp_path / "s.csv"), "--scheduler", "local:2", "--draws", "20000"]
    proc = subprocess.Popen(
        cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True
    )
    deadline = time.monotonic() + 60
    while _spawned_children(proc.pid) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _spawned_children(proc.pid) == 2
    time.sleep(0.5)  # the workers are importing
    os.killpg(proc.pid, signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, err
    assert "Traceback" not in err and "KeyboardInterrupt" not in err, err
    assert err.strip().startswith("sroi: interrupted"), err
