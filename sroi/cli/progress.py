"""A small progress bar on stderr, shown only for long runs on a terminal."""

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
