"""The run manifest: what produced a report, so anyone can reproduce it."""

from __future__ import annotations

import platform
import sys
from dataclasses import dataclass
from datetime import datetime, timezone

from sroi.engine.precision import Precision
from sroi.results.results import Results
from sroi.results.run_info import RunInfo, ScenarioInfo
from sroi.vocabulary import PERSPECTIVES


@dataclass(frozen=True)
class Manifest:
    """Everything needed to rerun a report and check it is the same.

    generated : datetime
        When the report was made (UTC).
    command : str or None
        The command line, when made by ``sroi report``.
    """

    version: str
    seed: int | None
    draws: int
    generated: datetime
    python: str
    command: str | None
    scenarios: tuple[ScenarioInfo, ...]
    #: Whose value and which cost the headline counts (a perspective id).
    perspective: str = "society"
    #: How the draws were made: random, sobol or lhs.
    sampler: str = "random"

    def items(self) -> list[tuple[str, str]]:
        """The run-level entries as ``(label, text)`` pairs."""
        out = [
            ("sroi version", self.version),
            ("Seed", str(self.seed)),
            ("Monte Carlo draws", f"{self.draws:,}" if self.draws else "0 (base case only)"),
            ("Perspective", f"{PERSPECTIVES[self.perspective].label} ({self.perspective})"),
            ("Sampler", self.sampler),
            ("Generated (UTC)", self.generated.strftime("%Y-%m-%d %H:%M:%S")),
            ("Python", self.python),
        ]
        if self.command:
            out.append(("Command", self.command))
        prices = sorted({f"{s.currency} at {s.price_year} prices" for s in self.scenarios})
        out.append(("Money", "; ".join(prices)))
        return out


def run_line(run: RunInfo) -> str:
    """The run in one line, as text headers start: version, seed, draws and
    how they were drawn.

    >>> run_line(RunInfo(seed=3, draws=2500, scenarios=(), version="1.0"))
    'sroi 1.0 | seed 3 | 2,500 draws (random) | perspective: society'
    """
    line = (
        f"sroi {run.version} | seed {run.seed} | {run.draws:,} draws ({run.sampler})"
        f" | perspective: {run.perspective}"
    )
    if run.precision is not None:
        line += f" | {precision_phrase(run.precision)}"
    return line


def precision_phrase(precision: Precision) -> str:
    """What a stopping rule achieved, in a few words.

    >>> p = Precision(0.01, 10**6, True, {"programme:mean.sroi_ratio": 0.004})
    >>> precision_phrase(p)
    '95% half-widths within 1% (worst 0.40%: programme mean sroi_ratio)'
    """
    key, worst = precision.worst
    name, result = key.split(":", 1)
    kind, metric = result.split(".", 1)
    what = f"{name} {kind} {metric}"
    shown = f"{100 * worst:.2f}%" if kind == "mean" else f"±{worst:.3f}"
    if precision.met:
        return f"95% half-widths within {100 * precision.target:g}% (worst {shown}: {what})"
    return (
        f"95% half-widths NOT within {100 * precision.target:g}% after the maximum of "
        f"{precision.max_draws:,} draws (worst {shown}: {what})"
    )


def manifest(
    results: Results, generated: datetime | None = None, command: str | None = None
) -> Manifest:
    """The manifest of ``results``; ``generated`` defaults to now."""
    when = generated or datetime.now(timezone.utc)
    py = f"{platform.python_implementation()} {sys.version.split()[0]}"
    run = results.run
    return Manifest(
        run.version,
        run.seed,
        run.draws,
        when,
        py,
        command,
        run.scenarios,
        perspective=run.perspective,
        sampler=run.sampler,
    )
