"""Progress on stderr: a small bar for long runs on a terminal, and for a
sweep without one (a log file, a batch job), a plain line now and then."""

from __future__ import annotations

import sys
import time
from typing import TextIO

from sroi.cli.terminal import unescaped


class ProgressBar:
    """Call with the number of items (draws, cases) done; draws the bar after
    ``delay`` seconds [s] from its creation."""

    def __init__(
        self, total: int, stream: TextIO | None = None, delay: float = 0.5, unit: str = "draws"
    ) -> None:
        self.total = total
        self.unit = unit
        # The bar's carriage return is its own: written beneath the escaping.
        self.stream = stream or unescaped(sys.stderr)
        self.start = time.monotonic()
        #: When the current pass began [monotonic s]: the rate and time left
        #: are the current pass's.
        self.since = self.start
        self.delay = delay
        self.shown = False
        #: Words before the bar ("" on the first pass).
        self.label = ""

    @staticmethod
    def wanted(stream: TextIO | None = None) -> bool:
        """Whether a bar makes sense: the stream is an interactive terminal."""
        s = stream or sys.stderr
        return bool(getattr(s, "isatty", lambda: False)())

    def __call__(self, done: int) -> None:
        now = time.monotonic()
        if now - self.start < self.delay and done < self.total:
            return
        if not self.shown and done >= self.total:
            return  # finished before the bar was worth showing
        self.shown = True
        width = 30
        filled = int(width * done / max(self.total, 1))
        elapsed = now - self.since
        rate = done / elapsed if elapsed > 0 else 0.0
        left = (self.total - done) / rate if rate > 0 else 0.0
        self.stream.write(
            f"\r{self.label}[{'#' * filled}{'.' * (width - filled)}] {done:,}/{self.total:,}"
            f" {self.unit}  {elapsed:.1f}s elapsed, ~{left:.0f}s left "
        )
        self.stream.flush()

    def restart(self, total: int, label: str) -> None:
        """Count a second pass of ``total`` items from 0, on a new line that
        starts with ``label`` (a run that stopped early running its draws
        again, :func:`sroi.engine.runner.run_draws`)."""
        self.close()
        self.total = total
        self.label = f"{label}: "
        self.since = time.monotonic()

    def close(self) -> None:
        """End the bar's line, if one was drawn."""
        if self.shown:
            self.stream.write("\n")
            self.stream.flush()
            self.shown = False


class ProgressLines:
    """Call with the number of items done; writes a plain line, such as
    ``sroi sweep: 12/120 cases, 61s elapsed, ~540s left``, once ``every``
    seconds [s] have passed since the last (or the start), and a last one
    when every item is done if any was written, for a stream that is not a
    terminal (a log keeps every line, where a bar would redraw one)."""

    def __init__(self, total: int, stream: TextIO, prefix: str, unit: str, every: float = 60.0):
        self.total = total
        self.stream = stream
        self.prefix = prefix
        self.unit = unit
        self.every = every
        self.start = time.monotonic()
        self.last = self.start
        self.shown = False

    def __call__(self, done: int) -> None:
        now = time.monotonic()
        due = now - self.last >= self.every
        if not (due or (self.shown and done >= self.total)):
            return  # a short sweep says nothing; its summary line follows
        self.last, self.shown = now, True
        elapsed = now - self.start
        rate = done / elapsed if elapsed > 0 else 0.0
        left = f", ~{(self.total - done) / rate:.0f}s left" if 0 < done < self.total else ""
        self.stream.write(
            f"{self.prefix}: {done:,}/{self.total:,} {self.unit}, {elapsed:.0f}s elapsed{left}\n"
        )
        self.stream.flush()

    def close(self) -> None:
        """Nothing to end: every line is whole."""
