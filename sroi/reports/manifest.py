"""The run manifest: what produced a report, so anyone can reproduce it."""

from __future__ import annotations

import math
import platform
import sys
import textwrap
from dataclasses import dataclass
from datetime import datetime, timezone

from sroi.engine.precision import BATCH, MIN_BATCHES, REPORTED_MIN_BATCHES, Precision, is_mean
from sroi.prices import financial_year
from sroi.results.results import Results
from sroi.results.run_info import RunInfo, ScenarioInfo
from sroi.text import draws_count
from sroi.vocabulary import PERSPECTIVES, return_of


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

    @property
    def extended(self) -> list[tuple[str, str, list[str]]]:
        """Each file the scenarios extend, once: ``(file, sha256, ids of the
        scenarios built on it)``, in the order first met."""
        seen: dict[str, tuple[str, list[str]]] = {}
        for s in self.scenarios:
            for file, digest in s.extends:
                seen.setdefault(file, (digest, []))[1].append(s.id)
        return [(file, digest, ids) for file, (digest, ids) in seen.items()]

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
        prices = sorted(
            {f"{s.currency} at FY {financial_year(s.price_year)} prices" for s in self.scenarios}
        )
        out.append(("Money", "; ".join(prices)))
        return out


def run_line(run: RunInfo) -> str:
    """The run in one line, as text headers start: version, seed, draws and
    how they were drawn.

    >>> run_line(RunInfo(seed=3, draws=2500, scenarios=(), version="1.0"))
    'sroi 1.0 | seed 3 | 2,500 draws (random) | perspective: society'
    """
    line = (
        f"sroi {run.version} | seed {run.seed} | {draws_count(run.draws)} ({run.sampler})"
        f" | perspective: {run.perspective}"
    )
    if run.precision is not None and run.precision.target is not None:
        line += f" | {precision_phrase(run.precision)}"
    return line


def precision_phrase(precision: Precision) -> str:
    """What a stopping rule achieved, in a few words (``precision.target``
    set; for a fixed run see :func:`fixed_precision_note`).

    >>> p = Precision(0.01, 10**6, True, {"programme:mean.sroi_ratio": 0.004})
    >>> precision_phrase(p)
    '95% half-widths within 1% (worst 0.40%: programme, mean social return)'
    >>> print(precision_phrase(Precision(0.01, 100, False, {"a:mean.sroi_ratio": math.inf})))
    95% half-widths NOT within 1% after the maximum of 100 draws
    (not estimated: that needs at least 16,384 draws)
    """
    key, worst = precision.worst
    what = _result(key)
    target = precision.target if precision.target is not None else NOTED_PRECISION
    # Means and expected values are relative; a probability's is in points.
    shown = f"{100 * worst:.2f}%" if is_mean(key) else f"±{worst:.3f}"
    if precision.met:
        return f"95% half-widths within {100 * target:g}% (worst {shown}: {what})"
    if math.isinf(worst) and precision.max_draws < MIN_BATCHES * BATCH:
        why = f"not estimated: that needs at least {MIN_BATCHES * BATCH:,} draws"
    elif math.isinf(worst):
        why = f"worst: {what}, a mean of 0, has no relative precision"
    else:
        why = f"worst {shown}: {what}"
    return (
        f"95% half-widths NOT within {100 * target:g}% after the maximum of "
        f"{precision.max_draws:,} draws ({why})"
    )


def _least(precision: Precision) -> str:
    """The fewest draws a fixed run's precision needs, in words."""
    if precision.method == "independent":
        return f"{precision.reported_min_draws:,} draws"
    return f"{REPORTED_MIN_BATCHES} batches of {BATCH:,} draws"


#: The precision a fixed run's note measures itself against: 1%, relative
#: for mean returns and absolute for P(SROI ratio > 1).
NOTED_PRECISION = 0.01


def fixed_precision_note(precision: Precision, width: int = 92) -> str:
    """How precise a run with a fixed number of draws is, and whether it is
    within :data:`NOTED_PRECISION` (1%); if not, how to get there; wrapped
    to ``width`` characters.

    >>> p = Precision(None, 10_000, None, {"oxford:expected.public_roi": 0.012,
    ...     "oxford:mean.sroi_ratio": 0.006, "oxford:prob.sroi_above_1": 0.004})
    >>> print(fixed_precision_note(p))
    precision: returns within ±1.20% (worst: oxford, expected public-sector return),
    P(social return > 1) within ±0.004 (95% half-widths from batch means). Not all within 1%:
    --precision 0.01 runs until they are.
    """
    widths = precision.half_widths
    least = precision.reported_min_draws
    if not widths or precision.max_draws < least:
        note = (
            f"precision: not estimated; that needs at least {least:,} "
            "draws. --precision 0.01 runs until every return is within 1%."
        )
        return _fill(note, width)
    unknown = [k for k, v in widths.items() if not math.isfinite(v)]
    if unknown:
        # Enough draws, yet some result has no half-width: a mean return of 0
        # whose batches differ, or one defined in too few batches.
        note = (
            f"precision: not estimated for {_result(unknown[0])}"
            + (f" and {len(unknown) - 1} other result(s)" if len(unknown) > 1 else "")
            + f": a mean of 0, or defined in fewer than {_least(precision)}. "
            "--precision 0.01 runs until every return is within 1%."
        )
        return _fill(note, width)
    mean, chance = precision.widest(means=True), precision.widest(means=False)
    if mean is None:
        return _fill("precision: no mean return to estimate.", width)
    key, worst = mean
    note = f"precision: returns within ±{100 * worst:.2f}% (worst: {_result(key)})"
    if chance is not None:
        note += f", P(social return > 1) within ±{chance[1]:.3f}"
    note += f" (95% half-widths {precision.basis})."
    if precision.within(NOTED_PRECISION):
        note += " All within 1%."
    else:
        note += " Not all within 1%: --precision 0.01 runs until they are."
    return _fill(note, width)


def _result(key: str) -> str:
    """A half-width's key (``"oxford:mean.public_roi"``) in words:
    ``"oxford, mean public-sector return"``."""
    name, metric = key.split(":", 1)
    kind, _, field = metric.partition(".")
    perspective = return_of(field) if kind in ("mean", "expected") else None
    label = f"{kind} {perspective.ratio_phrase}" if perspective is not None else metric
    if kind == "prob" and field == "sroi_above_1":
        label = "P(social return > 1)"
    return f"{name}, {label}"


#: Phrases a wrapped note keeps on one line.
_UNBROKEN = ("P(social return > 1)", "--precision 0.01", "(worst: ")


def _fill(text: str, width: int) -> str:
    """``text`` wrapped to ``width``, never inside one of :data:`_UNBROKEN`."""
    for phrase in _UNBROKEN:
        text = text.replace(phrase, phrase.replace(" ", "\xa0"))
    wrapped = textwrap.fill(text, width, break_on_hyphens=False)
    return wrapped.replace("\xa0", " ")


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
