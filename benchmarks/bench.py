"""Benchmarks of sroi, each row printed beside its target, measured in one run.

Run from the repository root:

    python benchmarks/bench.py            # every row (tens of minutes on a busy machine)
    python benchmarks/bench.py --quick    # smoke run: small sizes, one repeat, about a minute

Rows: the engine against numpy floors and the arithmetic against a minimal
numpy site (from ``benchmarks/engine_parts.py`` when it exists: its
``rows(quick)`` returns ``(name, result, target, detail)`` tuples), draws to 1%
on the mean ratio for Sobol' points and random draws (``samplers.py``),
value of information, start-up, peak memory for 64 scenarios and the speed-up
of two worker processes (``parallel.py``).  Timings are medians of repeated
child processes; the 1-minute load average is printed beside them, since the
machine may be shared.
"""

from __future__ import annotations

import argparse
import compileall
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
SITES = ROOT / "scenarios" / "family_action_pss"
SROI = [sys.executable, "-m", "sroi"]
Row = tuple[str, str, str, str]


def load() -> str:
    """The 1-minute load average and the CPU count, for a row's detail."""
    return f"load {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs"


def timed(cmd: list[str], cwd: Path = ROOT) -> tuple[float, float]:
    """Wall time and CPU time (user + system, children included) of one run [s]."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu0, start = usage.ru_utime + usage.ru_stime, time.perf_counter()
    subprocess.run(cmd, check=True, cwd=cwd, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, usage.ru_utime + usage.ru_stime - cpu0


def engine_rows(quick: bool) -> list[Row]:
    """The two engine-floor rows and the arithmetic row."""
    names = [
        ("engine / same-distribution numpy floor", "<= 1.3x"),
        ("engine / standard-normal floor", "<= 3x"),
        ("arithmetic / minimal numpy site", "<= 3x"),
    ]
    if not (ROOT / "benchmarks" / "engine_parts.py").exists():
        missing = "not measured (benchmarks/engine_parts.py missing)"
        return [(name, "n/a", target, missing) for name, target in names]
    import engine_parts

    return list(engine_parts.rows(quick))


def sroi_command() -> list[str]:
    """The ``sroi`` command as users run it: the script installed beside this
    Python, else ``python -m sroi`` (which also pays for ``runpy``)."""
    script = Path(sys.executable).with_name("sroi")
    return [str(script)] if script.is_file() else SROI


#: The start-up floor of a validator built on PyYAML and pydantic: both
#: imported, and one closed model built (the first model also loads pydantic's
#: plugin machinery), with the interpreter's exit collections skipped as the
#: ``sroi`` script skips them.
FLOOR = (
    "import gc, yaml\n"
    "from pydantic import BaseModel, ConfigDict, Field\n"
    "class M(BaseModel):\n"
    "    model_config = ConfigDict(extra='forbid', frozen=True, strict=True)\n"
    "    x: float = Field(description='x')\n"
    "gc.freeze()\n"
)


def startup_rows(runs: int) -> list[Row]:
    """``sroi --help`` and ``sroi validate scenarios`` (the bundled scenarios,
    output discarded) over ``python -c pass``: medians of ``runs`` alternating
    runs, wall time as the result and CPU time beside it.

    sroi's bytecode is compiled first, as an installed package's is; an
    editable install under ``PYTHONDONTWRITEBYTECODE`` would otherwise compile
    every module on every start (about 0.2 s more).
    """
    compileall.compile_dir(ROOT / "sroi", quiet=1)
    sroi = sroi_command()
    cmds = {
        "bare": [sys.executable, "-c", "pass"],
        "floor": [sys.executable, "-c", FLOOR],
        "help": [*sroi, "--help"],
        "validate": [*sroi, "validate", "scenarios"],
    }
    walls: dict[str, list[float]] = {k: [] for k in cmds}
    cpus: dict[str, list[float]] = {k: [] for k in cmds}
    before = os.getloadavg()[0]
    for _ in range(runs):
        for key, cmd in cmds.items():
            wall, used = timed(cmd)
            walls[key].append(wall)
            cpus[key].append(used)
    after = os.getloadavg()[0]
    med = {k: statistics.median(v) for k, v in walls.items()}
    cpu = {k: statistics.median(v) for k, v in cpus.items()}
    rows = []
    for key, name, target in (
        ("help", "sroi --help", "<= +0.05 s"),
        ("validate", "sroi validate scenarios", "<= +0.25 s"),
    ):
        detail = (
            f"median of {runs}, wall; CPU +{cpu[key] - cpu['bare']:.3f} s;"
            f" python -c pass {med['bare']:.3f} s;"
            f" load {before:.2f} to {after:.2f} on {os.cpu_count()} CPUs"
        )
        rows.append((f"start-up: {name}", f"+{med[key] - med['bare']:.3f} s", target, detail))
    own = med["validate"] - med["floor"]
    rows.append(
        (
            "start-up floor: PyYAML + pydantic, one model",
            f"+{med['floor'] - med['bare']:.3f} s",
            "reported",
            f"the same runs; what any validator built on them pays; sroi's own share of"
            f" validate +{own:.3f} s (CPU +{cpu['validate'] - cpu['floor']:.3f} s)",
        )
    )
    return rows


def voi_row(quick: bool) -> Row:
    """``sroi sensitivity scenarios/family_action_pss --method voi``: wall and CPU."""
    cmd = [*SROI, "sensitivity", str(SITES), "--method", "voi"]
    if quick:
        cmd = [*SROI, "sensitivity", str(SITES / "oxford.yaml"), "--method", "voi"]
        cmd += ["--draws", "2000"]
    before = load()
    wall, cpu = timed(cmd)
    name = "voi: oxford, 2,000 draws (quick)" if quick else "voi: four sites"
    return (name, f"{wall:.1f} s", "<= 5 s", f"CPU {cpu:.1f} s; {before}")


def many_scenarios(folder: Path, copies: int) -> None:
    """Write ``copies`` renamed copies of each of the four sites into ``folder``."""
    shutil.copy(SITES / "_common.yaml", folder)
    for site in sorted(p for p in SITES.glob("*.yaml") if not p.name.startswith("_")):
        text = site.read_text()
        for k in range(copies):
            body = re.sub(r"^id: (\w+)$", rf"id: \1_copy{k}", text, count=1, flags=re.M)
            (folder / f"{site.stem}_copy{k}.yaml").write_text(body)


def memory_row(scenarios: int, draws: int) -> Row:
    """Peak resident memory of ``sroi run`` over ``scenarios`` scenarios [MiB]."""
    with tempfile.TemporaryDirectory() as tmp:
        many_scenarios(Path(tmp), scenarios // 4)
        before = load()
        out = subprocess.run(
            ["/usr/bin/time", "-f", "%M", *SROI, "run", tmp, "--draws", str(draws), "--json"],
            check=True,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
    peak = int(out.stderr.strip().splitlines()[-1]) / 1024
    return (
        f"peak memory: {scenarios} scenarios, {draws:,} draws",
        f"{peak:,.0f} MiB",
        "<= 600 MB" if (scenarios, draws) == (64, 100_000) else "",
        before,
    )


def sampler_row(seeds: int, max_power: int) -> Row:
    """First N = 2^k with the mean ratio's 95% half-width within 1%, per sampler."""
    import samplers

    from sroi.cli.common import load_all
    from sroi.engine.runner import RunPlan, run_draws

    scenarios = [s for _, s in load_all([str(SITES)])[0]]
    found = {}
    for sampler in ("random", "sobol"):
        found[sampler] = f">{2**max_power:,}"
        for power in range(10, max_power + 1):
            runs = []
            for seed in range(seeds):
                summary = run_draws(RunPlan.build(scenarios, seed, sampler), 2**power)
                runs.append(samplers.estimates(summary.stored["programme"]["sroi_ratio"]))
            if samplers.half_widths(runs)["mean"] <= 0.01:
                found[sampler] = f"{2**power:,}"
                break
    return (
        "draws to 1% on the mean ratio: sobol / random",
        f"{found['sobol']} / {found['random']}",
        "reported",
        f"{seeds} seeds, N = 2^10..2^{max_power}; {load()}",
    )


def parallel_row(draws: int, runs: int) -> Row:
    """Speed-up of two worker processes: medians of alternating runs."""
    import parallel

    m = parallel.summarise(parallel.measure(draws, runs, echo=False))
    return (
        f"speed-up: 2 workers, {draws:,} draws",
        f"{m['speedup']:.2f}x",
        "ceiling ~1.9x",
        f"median wall {m['wall1']:.1f} s / {m['wall2']:.1f} s, CPU {m['cpu1']:.1f} s"
        f" / {m['cpu2']:.1f} s ({100 * m['extra_cpu']:+.0f}%); median of {runs};"
        f" load {m['load_min']:.2f}-{m['load_max']:.2f}",
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="small sizes, one repeat: a smoke run")
    ap.add_argument("--runs", type=int, default=5, help="runs per side of the speed-up row")
    ap.add_argument("--seeds", type=int, default=10, help="seeds per N in the draws-to-1%% row")
    args = ap.parse_args(argv)
    q = args.quick
    print(
        f"sroi benchmarks | {platform.platform()} | {os.cpu_count()} CPUs"
        f" | Python {platform.python_version()} | numpy {np.__version__} | {load()}"
        + (" | --quick: sizes reduced, targets do not apply" if q else ""),
        flush=True,
    )
    steps = [
        lambda: engine_rows(q),
        lambda: [sampler_row(3 if q else args.seeds, 10 if q else 15)],
        lambda: [voi_row(q)],
        lambda: startup_rows(1 if q else 9),
        lambda: [memory_row(8, 2_000) if q else memory_row(64, 100_000)],
        lambda: [parallel_row(20_000, 1) if q else parallel_row(1_000_000, args.runs)],
    ]
    rows: list[Row] = []
    for step in steps:
        rows += step()
    width = max(len(r[0]) for r in rows)
    print(f"{'row':<{width}}  {'result':>18}  {'target':>14}  detail")
    for name, result, target, detail in rows:
        print(f"{name:<{width}}  {result:>18}  {target:>14}  {detail}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
