"""How long the web page (``sroi app``) takes to show results, at the default
10,000 draws.

Run from the repository root (needs ``pip install -e '.[app,test]'``):

    python benchmarks/app_bench.py            # 7 what-if reruns
    python benchmarks/app_bench.py --repeat 15

Each timing is one whole request through the app (Starlette's test client,
no network): read and check the form, build and validate the scenario, run
it, compare with the pilots, draw the three charts and render the page.

* **first run**: a fresh app, so the pilots' run (made once per seed, draws
  and price year) is part of it;
* **what-if rerun**: the same app after one answer changed (the visits per
  woman go 6, 7, 8, ... between reruns), the case the page is built for.

Reruns are reported as the median and the range of wall time, with the load
average before and after, since the machine's other work slows every figure
alike; and as the median CPU time the process used, which is what the wall
time comes to when nothing else runs (the run is one thread at a time).
The stages of one rerun are timed too, to show where the time goes.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time
from collections.abc import Callable

from starlette.testclient import TestClient

from sroi.app import server
from sroi.app.charts import charts, narrow_png
from sroi.app.compute import PilotRuns, outcome, run_scenario
from sroi.app.example import WORKED_EXAMPLE
from sroi.app.form import read_form

#: The worked example of docs/replicate.md, as the page's form sends it.
FORM = dict(WORKED_EXAMPLE)


def timed(fn: Callable[[], object]) -> float:
    """Wall time of one call [s]."""
    return clocked(fn)[0]


def clocked(fn: Callable[[], object]) -> tuple[float, float]:
    """Wall time and CPU time (this process, every thread) of one call [s]."""
    wall, cpu = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - wall, time.process_time() - cpu


def post(client: TestClient, form: dict[str, str]) -> None:
    response = client.post("/", data=form)
    if response.status_code != 200:
        raise SystemExit(f"the page answered {response.status_code}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=7, help="what-if reruns (default 7)")
    args = parser.parse_args()
    load_before = os.getloadavg()
    client = TestClient(server.create_app(PilotRuns()), base_url="http://127.0.0.1")
    client.get("/")
    first = timed(lambda: post(client, FORM))
    reruns, cpu = [], []
    for i in range(args.repeat):
        what_if = FORM | {"visits_per_woman": str(6 + i)}
        wall, used = clocked(lambda f=what_if: post(client, f))  # type: ignore[misc]
        reruns.append(wall)
        cpu.append(used)
    load_after = os.getloadavg()

    stages: dict[str, float] = {}
    pilots = PilotRuns()
    result = read_form(FORM)
    assert result.prepared is not None and result.settings is not None
    pilots.get(result.settings)
    stages["read the form, build and check the scenario"] = timed(lambda: read_form(FORM))
    start = time.perf_counter()
    results = run_scenario(result.prepared, result.settings)
    stages["run 10,000 draws"] = time.perf_counter() - start
    stages["figures and the comparison with the pilots"] = timed(
        lambda: outcome(results, pilots.get(result.settings))
    )
    # As the page draws them: wide only (a phone asks for the narrow ones).
    stages["three charts"] = timed(lambda: charts(results, narrow=lambda i: ""))
    stages["one chart drawn narrow, when a phone asks"] = timed(lambda: narrow_png(results, 0))

    print(
        f"sroi app, 10,000 draws | {platform.processor() or platform.machine()}, "
        f"{os.cpu_count()} CPUs, Python {platform.python_version()}"
    )
    print(
        f"load average (1, 5, 15 min): before {load_before[0]:.1f}, {load_before[1]:.1f}, "
        f"{load_before[2]:.1f}; after {load_after[0]:.1f}, {load_after[1]:.1f}, {load_after[2]:.1f}"
    )
    print(f"first run (includes the pilots' run):  {first:6.2f} s")
    print(
        f"what-if rerun, median of {args.repeat}:        {statistics.median(reruns):6.2f} s "
        f"(range {min(reruns):.2f} to {max(reruns):.2f})"
    )
    print(
        f"CPU time of a rerun, median:           {statistics.median(cpu):6.2f} s "
        "(the wall time on an otherwise idle machine)"
    )
    print("one rerun, by stage:")
    for name, seconds in stages.items():
        print(f"  {name:<46}{seconds:6.2f} s")


if __name__ == "__main__":
    main()
