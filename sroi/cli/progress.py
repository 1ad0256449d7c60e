"""A small progress bar on stderr, shown only for long runs on a terminal."""

from __future__ import annotations

import sys
import time
from typing import TextIO


class ProgressBar:
    """Call with the number of items (draws, cases) done; draws the bar after
    ``delay`` seconds."""

    def __init__(
        self, total: int, stream: TextIO | None = None, delay: float = 0.5, unit: str = "draws"
    ) -> None:
        self.total = total
        self.unit = unit
        self.stream = stream or sys.stderr
        self.start = time.monotonic()
        self.delay = delay
        self.shown = False

    @staticmethod
    def wanted(stream: TextIO | None = None) -> bool:
        """Whether a bar makes sense: the stream is an interactive terminal."""
        s = stream or sys.stderr
        return bool(getattr(s, "isatty", lambda: False)())

    def __call__(self, done: int) -> None:
        elapsed = time.monotonic() - self.start
        if elapsed < self.delay and done < self.total:
            return
        if not self.shown and done >= self.total:
            return  # finished before the bar was worth showing
        self.shown = True
        width = 30
        filled = int(width * done / max(self.total, 1))
        rate = done / elapsed if elapsed > 0 else 0.0
        left = (self.total - done) / rate if rate > 0 else 0.0
        self.stream.write(
            f"\r[{'#' * filled}{'.' * (width - filled)}] {done:,}/{self.total:,} {self.unit}"
            f"  {elapsed:.1f}s elapsed, ~{left:.0f}s left "
        )
        self.stream.flush()

    def close(self) -> None:
        """End the bar's line, if one was drawn."""
        if self.shown:
            self.stream.write("\n")
            self.stream.flush()
