"""A stopping rule: run until the headline results are as precise as asked.

The headline results of each scenario and of the programme are

* the SROI ratio and each perspective's return that the engine computes
  (``public_roi``, ``cashable_roi``), both as the mean of the per-draw
  ratios (``mean.<metric>``) and as the expected value that tables lead
  with, mean numerator over mean denominator (``expected.<metric>``),
  within a 95% half-width of ``target`` *relative* to their value
  (``0.01``: 1%);
* P(SROI ratio > 1), within ``target`` *absolute* (``0.01``: ±1 point).

Draws are cut into batches of :data:`BATCH` consecutive draws (aligned on
multiples of ``BATCH``); each chunk hands back, per batch, the sum, the
count and the sum of squares of each headline result's defined draws, and
the error is taken over the complete batches.

**Pseudo-random draws are independent**, so the error is the usual
standard error over every draw: ``t(0.975, n - 1) * sd / sqrt(n)`` for a
mean over ``n`` draws, and for an expected value ``R = sum(num) /
sum(den)`` the delta method, ``t * sd(num - R * den) / (sqrt(n) *
mean(den))``.  Its estimate rests on every draw, so it is itself precise
(at 10,000 draws, to about 1%), and a run with a fixed number of draws
reports it from :data:`REPORTED_MIN_DRAWS` draws, with no complete batch
needed.

**Under Sobol' points and Latin hypercubes the draws are not independent**:
an i.i.d. formula would ignore the stratification, so the error comes from
batch means instead, ``t(0.975, K - 1) * sd(batch means) / sqrt(K)`` over
``K`` complete batches.  Each Latin hypercube batch is drawn independently
of the others, so this is the standard error of their mean.  Each Sobol'
batch is a scrambled net of ``2^10`` points, and the batches are not
independent; the mean over all of them is typically more precise than the
batch means say, so the half-width is conservative (it stops late, never
early).  An expected value's batches are each batch's own ratio, its sum
of numerators over its sum of denominators; the spread of those ratios
gives the half-width of the ratio over all batches, as for a mean (the
ratio's own bias, of order 1/draws, is far below its error).  Resting on
``K`` values, such a half-width is itself uncertain by about
``1 / sqrt(2 (K - 1))`` of its value: a quarter at 9 batches.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from sroi.engine.metrics import Metrics
from sroi.limits import FEW_DRAWS
from sroi.vocabulary import METRICS, PERSPECTIVES

#: Draws per batch for the batch-means error [draws]: a power of two, so a
#: Sobol' batch is a net.
BATCH = 1024
#: Fewest complete batches before the rule may stop.
MIN_BATCHES = 16
#: Fewest complete batches for the precision a run with a fixed number of
#: draws reports (8,192 draws; the default 10,000 gives 9).
REPORTED_MIN_BATCHES = 8
#: Fewest draws for the precision a run of independent (random) draws
#: reports, whose half-width rests on every draw rather than on batches:
#: below it a run is warned that it has too few draws to report.
REPORTED_MIN_DRAWS = FEW_DRAWS
#: Per-perspective returns that count as headline results when the engine
#: computes them (metric keys).
PERSPECTIVE_RETURNS = ("public_roi", "cashable_roi")


def check_precision(precision: object) -> None:
    """``ValueError`` unless ``precision`` is a number strictly between 0 and 1
    (a target 95% half-width, e.g. 0.01)."""
    if (
        isinstance(precision, bool)
        or not isinstance(precision, (int, float))
        or not 0 < precision < 1
    ):
        raise ValueError(f"precision must be a number between 0 and 1; found {precision!r}")


def warn_too_few_draws(precision: float | None, draws: int) -> None:
    """Warn (``UserWarning``) when a stopping rule is asked for with at most
    ``draws`` draws, fewer than the :data:`MIN_BATCHES` batches it takes to
    estimate a half-width: the run would end with none estimated (reported
    as infinite) and say only that the target was not met."""
    least = MIN_BATCHES * BATCH
    if precision is not None and 0 < draws < least:
        warnings.warn(
            f"precision {precision:g} with at most {draws:,} draws: a 95% half-width needs "
            f"at least {least:,} draws to be estimated, so none will be; give at least "
            f"{least:,} draws",
            stacklevel=3,
        )


def is_mean(key: str) -> bool:
    """Whether a headline result's key (``"<name>:mean.<metric>"`` or
    ``"<name>:prob.<condition>"``, or without the name) is a mean, whose
    half-width is relative, rather than a probability, whose is absolute.

    Expected values (``expected.<metric>``) count as means.

    >>> is_mean("oxford:mean.sroi_ratio"), is_mean("prob.sroi_above_1")
    (True, False)
    """
    return key.rpartition(":")[2].startswith(("mean.", "expected."))


def headline_draws(metrics: Metrics, perspectives: Sequence[str] = ()) -> dict[str, np.ndarray]:
    """Per-draw values whose means are the headline results of one scenario
    (or the programme): ``mean.<metric>`` and ``prob.sroi_above_1``; and for
    each return's expected value, its numerator and denominator per draw
    (``num.<metric>``, ``den.<metric>``), whose batch sums
    :meth:`BatchMeans.half_widths` divides, and their product
    (``cross.<metric>``) for the standard error of independent draws.

    A return is NaN where it is undefined (no cost), so its mean is over the
    draws where it is defined, as in its summary.  P(SROI ratio > 1) is over
    every draw, a draw with an undefined ratio counting as not above 1, as
    the reported probability counts it (docs/methodology.md section 8).
    ``perspectives``: also the returns of these perspectives (a run's own,
    such as ``"nhs"``), where the engine does not compute them.

    >>> d = headline_draws({"sroi_ratio": np.array([2.0, np.nan, 0.5])})
    >>> d["prob.sroi_above_1"].tolist()
    [1.0, 0.0, 0.0]
    """
    ratio = np.asarray(metrics["sroi_ratio"], dtype=np.float64)
    out = {}
    for key in ("sroi_ratio", *PERSPECTIVE_RETURNS):
        if key not in metrics:
            continue
        out[f"mean.{key}"] = np.asarray(metrics[key], dtype=np.float64)
        parts = METRICS[key].ratio_of
        if parts is not None and all(part in metrics for part in parts):
            num = np.asarray(metrics[parts[0]], dtype=np.float64)
            den = np.asarray(metrics[parts[1]], dtype=np.float64)
            out[f"num.{key}"], out[f"den.{key}"], out[f"cross.{key}"] = num, den, num * den
    for pid in perspectives:
        # A payer's return (the NHS's, ...): its value over the cash cost.
        view = PERSPECTIVES[pid]
        key = view.ratio_metric
        if key in out or view.value_metric not in metrics or view.cost not in metrics:
            continue
        num = np.asarray(metrics[view.value_metric], dtype=np.float64)
        den = np.asarray(metrics[view.cost], dtype=np.float64)
        with np.errstate(divide="ignore", invalid="ignore"):
            out[f"mean.{key}"] = np.where(den > 0, num / den, np.nan)
        out[f"num.{key}"], out[f"den.{key}"], out[f"cross.{key}"] = num, den, num * den
    out["prob.sroi_above_1"] = (ratio > 1).astype(np.float64)
    return out


@dataclass(frozen=True)
class BatchSums:
    """Sums, counts and sums of squares of defined draws per batch, for
    batches ``first .. first + len(sums) - 1``."""

    first: int
    sums: np.ndarray
    counts: np.ndarray
    squares: np.ndarray

    @classmethod
    def of(cls, values: np.ndarray, start: int) -> BatchSums:
        """Batch sums of draws ``start .. start + len(values) - 1`` (NaN left out).

        A chunk that starts on a batch (as every chunk of a run does: chunks
        are whole batches) sums each batch as one row, ``numpy.sum`` of its
        1,024 draws, and the part batch at its end likewise; a batch is then
        always summed whole, in one order, whatever the chunk size.  Other
        starts sum draw by draw.
        """
        first = start // BATCH
        if start % BATCH == 0 and values.size:
            undefined = np.isnan(values)
            gaps = bool(undefined.any())
            counted = np.where(undefined, 0.0, values) if gaps else values
            squared = counted * counted
            whole = values.size // BATCH * BATCH
            rows = counted[:whole].reshape(-1, BATCH)
            sums, counts = rows.sum(axis=1), np.full(rows.shape[0], BATCH, dtype=np.intp)
            squares = squared[:whole].reshape(-1, BATCH).sum(axis=1)
            if gaps:
                counts = BATCH - undefined[:whole].reshape(-1, BATCH).sum(axis=1)
            if whole < values.size:
                sums = np.append(sums, counted[whole:].sum())
                counts = np.append(counts, np.count_nonzero(~undefined[whole:]))
                squares = np.append(squares, squared[whole:].sum())
            return cls(first, sums, counts, squares)
        index = np.arange(start, start + values.size) // BATCH - first
        width = int(index[-1]) + 1 if values.size else 0
        undefined = np.isnan(values)
        if undefined.any():
            index, values = index[~undefined], values[~undefined]
        sums = np.bincount(index, values, minlength=width)
        counts = np.bincount(index, minlength=width)
        squares = np.bincount(index, values * values, minlength=width)
        return cls(first, sums, counts, squares)


@dataclass
class BatchMeans:
    """Batch sums of the headline results of a run, merged as chunks arrive."""

    sums: dict[str, np.ndarray] = field(default_factory=dict)
    counts: dict[str, np.ndarray] = field(default_factory=dict)
    squares: dict[str, np.ndarray] = field(default_factory=dict)

    def add(self, key: str, part: BatchSums) -> None:
        """Merge one chunk's batch sums (a batch may span two chunks)."""
        end = part.first + part.sums.size
        for store, new in (
            (self.sums, part.sums),
            (self.counts, part.counts),
            (self.squares, part.squares),
        ):
            have = store.setdefault(key, np.zeros(0))
            if have.size < end:
                have = np.concatenate([have, np.zeros(end - have.size)])
            have[part.first : end] += new
            store[key] = have

    def half_widths(
        self,
        draws: int,
        min_batches: int = MIN_BATCHES,
        *,
        independent: bool = False,
        min_draws: int | None = None,
    ) -> dict[str, float]:
        """95% half-width of each headline result over the complete batches
        of draws ``0 .. draws-1``: relative to the mean for ``mean.*``,
        absolute for ``prob.*``; ``inf`` before ``min_batches`` batches or
        where the mean is 0 but its draws differ.  ``independent``: the draws
        are independent (pseudo-random), so the error is the standard error
        over every draw; otherwise it comes from batch means (see the module
        docstring); they need ``min_draws`` draws where the result is
        defined (default ``min_batches`` batches' worth) rather than
        ``min_batches`` complete batches.

        A result the same in every draw (a return of 0 where nothing is
        cashable) is exact: 0.  A return undefined in every draw of the
        complete batches (no cash cost, so no public-sector or cashable
        return) has no mean to make precise, and is left out.  An expected
        value (``"<name>:expected.<metric>"``, from the sums of its numerator
        and denominator) is left out where its denominator's sum is not
        above 0, as the value itself is undefined there."""
        k = draws // BATCH
        # Independent draws count every draw, the part batch at the end too.
        upto = -(-draws // BATCH) if independent else k
        need = min_batches * BATCH if min_draws is None else min_draws
        out = {}
        for key, sums in self.sums.items():
            result = key.rpartition(":")[2]
            name = key[: len(key) - len(result)]  # "<name>:" or ""
            if result.startswith(("den.", "cross.")):
                continue
            if result.startswith("num."):
                metric = result[4:]
                den = f"{name}den.{metric}"
                if independent:
                    width = _ratio_half_width_independent(
                        float(sums[:upto].sum()),
                        float(self.sums[den][:upto].sum()),
                        float(self.squares[key][:upto].sum()),
                        float(self.squares[den][:upto].sum()),
                        float(self.sums[f"{name}cross.{metric}"][:upto].sum()),
                        int(self.counts[den][:upto].sum()),
                        need,
                    )
                else:
                    width = _ratio_half_width(sums[:k], self.sums[den][:k], min_batches)
                if width is not None:
                    out[f"{name}expected.{metric}"] = width
                continue
            counts = self.counts[key][:upto]
            if counts.size and not counts.any():
                continue
            used = counts > 0
            if independent:
                n = int(counts.sum())
                if n < need:
                    out[key] = math.inf
                    continue
                total, squares = float(sums[:upto].sum()), float(self.squares[key][:upto].sum())
                spread = _sd(squares - total * total / n, squares, n)
                hw = t_quantile(n - 1) * spread / math.sqrt(n)
            else:
                if np.count_nonzero(used) < min_batches:
                    out[key] = math.inf
                    continue
                n = int(counts.sum())
                means = sums[:k][used] / counts[used]
                hw = t_quantile(means.size - 1) * float(means.std(ddof=1)) / math.sqrt(means.size)
            if is_mean(key) and hw > 0:
                centre = abs(float(sums[:upto].sum() / n))
                hw = hw / centre if centre > 0 else math.inf
            out[key] = hw
        return out


def _sd(deviations: float, squares: float, n: int) -> float:
    """Standard deviation of ``n`` draws from the sum of their squared
    deviations from the mean, got as a difference of sums (so rounding may
    leave a residue of order 1e-16 of ``squares``, or make it negative):
    a residue under 1e-12 of ``squares`` counts as no spread at all."""
    if deviations <= 1e-12 * squares:
        return 0.0
    return math.sqrt(deviations / (n - 1))


def _ratio_half_width_independent(
    num: float, den: float, num2: float, den2: float, cross: float, n: int, need: int
) -> float | None:
    """Relative 95% half-width of ``R = num / den`` over ``n`` independent
    draws, from the sums of numerators and denominators, of their squares
    and of their products, by the delta method: ``t * sd(num_i - R den_i) /
    (sqrt(n) * den / n)``.  None when ``den`` is not above 0 (no ratio);
    ``inf`` when ``n`` is below ``need`` draws."""
    if not den > 0:
        return None
    if n < need:
        return math.inf
    ratio = num / den
    # sum((num_i - R den_i)^2); the mean of num_i - R den_i is 0 by R's choice.
    deviations = num2 - 2 * ratio * cross + ratio * ratio * den2
    hw = t_quantile(n - 1) * _sd(deviations, num2 + ratio * ratio * den2, n) / math.sqrt(n)
    if hw == 0:
        return 0.0
    return hw / (den / n) / abs(ratio) if ratio != 0 else math.inf


def _ratio_half_width(num: np.ndarray, den: np.ndarray, min_batches: int) -> float | None:
    """Relative 95% half-width of ``sum(num) / sum(den)`` from batch sums:
    over the batches whose denominator is above 0, the spread of their own
    ratios; None when the denominators' sum is not above 0 (no ratio)."""
    if not den.size or not den.sum() > 0:
        return None
    used = den > 0
    if np.count_nonzero(used) < min_batches:
        return math.inf
    ratios = num[used] / den[used]
    hw = t_quantile(ratios.size - 1) * float(ratios.std(ddof=1)) / math.sqrt(ratios.size)
    centre = abs(float(num.sum() / den.sum()))
    if hw == 0:
        return 0.0
    return hw / centre if centre > 0 else math.inf


@dataclass(frozen=True)
class Precision:
    """How precise a run's headline results are: what the stopping rule
    achieved, or for a run with a fixed number of draws, what those draws
    give (``target`` and ``met`` None).

    target : float or None
        The precision asked for: a relative 95% half-width for means, an
        absolute one for probabilities (None: no stopping rule).
    max_draws : int
        The most draws the run could take (a fixed run: its draws).
    met : bool or None
        True when every headline result reached the target (None: no
        stopping rule).
    half_widths : dict
        ``"<scenario or programme>:<mean.metric or prob.condition>"`` -> the
        achieved 95% half-width (relative for means, absolute for
        probabilities).
    method : str
        How the half-widths were estimated: ``"independent"``, the standard
        error over every draw (pseudo-random draws), or ``"batch_means"``
        (Sobol' points and Latin hypercubes); see the module docstring.
    """

    target: float | None
    max_draws: int
    met: bool | None
    half_widths: dict[str, float]
    method: str = "batch_means"

    @property
    def basis(self) -> str:
        """What the half-widths come from, in words.

        >>> Precision(None, 10_000, None, {}, "independent").basis
        'from the spread of the draws'
        """
        if self.method == "independent":
            return "from the spread of the draws"
        return "from batch means"

    @property
    def reported_min_draws(self) -> int:
        """Fewest draws for which a run with a fixed number of draws reports
        its precision [draws]: :data:`REPORTED_MIN_DRAWS` when the half-widths
        rest on every draw, else :data:`REPORTED_MIN_BATCHES` batches.

        >>> Precision(None, 10_000, None, {}, "independent").reported_min_draws
        1000
        """
        if self.method == "independent":
            return REPORTED_MIN_DRAWS
        return REPORTED_MIN_BATCHES * BATCH

    @property
    def worst(self) -> tuple[str, float]:
        """The headline result furthest from the target, and its half-width."""
        key = max(self.half_widths, key=lambda k: self.half_widths[k])
        return key, self.half_widths[key]

    def widest(self, means: bool) -> tuple[str, float] | None:
        """The widest half-width among the means (``means``) or among the
        probabilities, with its key; None when there is none."""
        kept = {k: v for k, v in self.half_widths.items() if is_mean(k) == means}
        if not kept:
            return None
        key = max(kept, key=lambda k: kept[k])
        return key, kept[key]

    def within(self, target: float) -> bool:
        """Whether every headline result is within ``target`` (relative for
        means, absolute for probabilities); False when one could not be
        estimated."""
        return all(v <= target for v in self.half_widths.values())

    def to_dict(self) -> dict[str, object]:
        """JSON-ready: target, max draws, whether met, the method, and each
        half-width (``None`` when it could not be estimated)."""
        return {
            "target": self.target,
            "max_draws": self.max_draws,
            "met": self.met,
            "method": self.method,
            "half_widths": {
                k: (v if math.isfinite(v) else None) for k, v in sorted(self.half_widths.items())
            },
        }


def t_quantile(df: int) -> float:
    """The 97.5th percentile of Student's t with ``df`` degrees of freedom
    (Cornish-Fisher expansion about 1.959964; within 1e-3 for ``df >= 8``).

    >>> round(t_quantile(15), 2), round(t_quantile(10**6), 3)
    (2.13, 1.96)
    """
    z = 1.959963984540054
    return (
        z
        + (z**3 + z) / (4 * df)
        + (5 * z**5 + 16 * z**3 + 3 * z) / (96 * df**2)
        + (3 * z**7 + 19 * z**5 + 17 * z**3 - 15 * z) / (384 * df**3)
    )
