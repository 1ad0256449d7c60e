"""The progress bar shows on a terminal for long runs, and never otherwise."""

from __future__ import annotations

import io

from sroi.cli.progress import ProgressBar


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_bar_is_wanted_only_on_a_terminal() -> None:
    assert ProgressBar.wanted(_Terminal())
    assert not ProgressBar.wanted(io.StringIO())


def test_short_runs_draw_nothing() -> None:
    out = _Terminal()
    bar = ProgressBar(100, out, delay=60.0)
    bar(50)
    bar(100)
    bar.close()
    assert out.getvalue() == ""


def test_long_runs_draw_progress_and_end_the_line() -> None:
    out = _Terminal()
    bar = ProgressBar(1000, out, delay=0.0)
    bar(250)
    bar(1000)
    bar.close()
    text = out.getvalue()
    assert "250/1,000 draws" in text
    assert "1,000/1,000 draws" in text
    assert text.endswith("\n")


def test_a_second_pass_starts_a_new_labelled_line() -> None:
    out = _Terminal()
    bar = ProgressBar(1000, out, delay=0.0)
    bar(250)
    bar.restart(250, "again")
    bar(100)
    bar(250)
    bar.close()
    first, second = out.getvalue().split("\n")[:2]
    assert "250/1,000 draws" in first and "again" not in first
    assert second.startswith("\ragain: [") and "250/250 draws" in second
    assert out.getvalue().endswith("\n")


def test_a_restart_before_the_bar_shows_draws_no_empty_line() -> None:
    out = _Terminal()
    bar = ProgressBar(1000, out, delay=60.0)
    bar(250)
    bar.restart(250, "again")
    bar(250)
    bar.close()
    assert out.getvalue() == ""


def test_progress_lines_for_a_log_say_nothing_for_a_short_run() -> None:
    from sroi.cli.progress import ProgressLines

    out = io.StringIO()
    lines = ProgressLines(120, out, "sroi sweep", "cases", every=3600.0)
    lines(60)
    lines(120)
    assert out.getvalue() == ""


def test_progress_lines_for_a_log_are_whole_lines_with_the_time_left() -> None:
    from sroi.cli.progress import ProgressLines

    out = io.StringIO()
    lines = ProgressLines(120, out, "sroi sweep", "cases", every=0.0)
    lines(12)
    lines(120)
    first, last = out.getvalue().splitlines()
    assert first.startswith("sroi sweep: 12/120 cases, ") and first.endswith("s left")
    assert last.startswith("sroi sweep: 120/120 cases, ") and last.endswith("s elapsed")
    assert "\r" not in out.getvalue()
