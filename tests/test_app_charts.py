"""The page's charts: legible at a phone's width, no note across the bars of
the histogram, and a payback chart whose years end where payback has settled."""

from __future__ import annotations

import base64
import io
import warnings

import numpy as np
import pytest
from matplotlib.figure import Figure
from matplotlib.text import Text
from PIL import Image

import sroi
from sroi.app import charts as app_charts
from sroi.reports.plots import _chart
from sroi.reports.plots.fitting import contain

OXFORD = "scenarios/family_action_pss/oxford.yaml"


@pytest.fixture(scope="module")
def results() -> sroi.Results:
    return sroi.run(OXFORD, draws=1000, seed=0)


def _size(uri: str) -> tuple[int, int]:
    return Image.open(io.BytesIO(base64.b64decode(uri.split(",", 1)[1]))).size


def test_each_chart_comes_wide_and_narrow_with_its_title_as_text(results: sroi.Results) -> None:
    drawn = app_charts.charts(results)
    assert [c.heading for c in drawn][1:] == [
        "Who gets the value",
        "When it pays back, counting all value against every input",
    ]
    for chart in drawn:
        wide, narrow = _size(chart.image), _size(chart.narrow)
        assert wide[0] == _chart._WIDTH * app_charts.DPI
        assert narrow[0] == app_charts.NARROW_WIDTH * 2 * app_charts.DPI
        assert "\n" not in chart.alt and chart.alt
    # The histogram's note, printed across its bars before, is page text now.
    assert drawn[0].note.startswith("Oxford: expected 2.")
    assert "median" in drawn[0].note and "modal inputs" in drawn[0].note


def test_the_histogram_draws_no_note_inside_its_axes(results: sroi.Results) -> None:
    fig = sroi.plots.sroi_distribution(results)
    assert any(t.get_bbox_patch() is not None for ax in fig.axes for t in ax.texts)
    bars = [bar for container in fig.axes[0].containers for bar in container]
    tallest = max(bar.get_height() for bar in bars)
    assert fig.axes[0].get_ylim()[1] > 1.4 * tallest  # room kept for the note
    note = app_charts._take_notes(fig)
    assert note.startswith("Oxford: expected")
    assert not any(t.get_bbox_patch() is not None for ax in fig.axes for t in ax.texts)
    # With the note gone, so is its room: the bars reach near the top.
    assert tallest < fig.axes[0].get_ylim()[1] <= 1.1 * tallest


def test_the_payback_axis_ends_where_payback_has_settled(results: sroi.Results) -> None:
    """The axis ran from 0 to 65 years, the payback years squeezed at its start."""
    net = results.yearly["oxford"]
    horizon = net.shape[1] - 1
    end = app_charts.settled_year(results, "oxford")
    assert end % 5 == 0 and 0 < end < horizon
    black = np.mean(net >= 0, axis=0)
    assert black[end] >= black[-1] - app_charts.SETTLED
    assert black[end - 7] < black[-1] - app_charts.SETTLED  # not later than it needs
    h = results.headline("oxford", "society")
    assert end > h.payback_median and end > h.payback_modal
    fig = sroi.plots.cumulative_net(results)
    assert app_charts._bound_years(fig, results) == end
    assert fig.axes[0].get_xlim() == (-0.5, end + 0.5)
    chart = app_charts.charts(results)[2]
    assert f"Years 0 to {end} are shown" in chart.note and f"year {horizon}" in chart.note


@pytest.fixture(scope="module")
def long_named(tmp_path_factory: pytest.TempPathFactory) -> dict[str, sroi.Results]:
    """Runs of a proposal for a realistic long area name, and one of 80
    letters in a single word (the longest name an area may have)."""
    from sroi.app.example import TYPED
    from sroi.app.form import read_form

    out = {}
    folder = tmp_path_factory.mktemp("long")
    for tag, area in (("bcp", "Bournemouth, Christchurch and Poole"), ("word", "A" * 80)):
        prepared = read_form(TYPED | {"area": area}).prepared
        assert prepared is not None
        path = folder / f"{tag}.yaml"
        path.write_text(prepared.text, encoding="utf-8")
        out[tag] = sroi.run(str(path), draws=200, seed=0)
    return out


def _outside(fig: Figure) -> list[str]:
    """The text of every label, title, tick label and key that reaches out of
    the image."""
    fig.draw_without_rendering()
    width, height = fig.bbox.width, fig.bbox.height
    texts = [*fig.legends]
    for ax in fig.axes:
        texts += [ax.xaxis.get_label(), ax.yaxis.get_label()]
        texts += [ax.title, ax._left_title, ax._right_title]
        low, high = sorted(ax.get_xlim())
        texts += [t for t in ax.get_xticklabels() if low <= t.get_position()[0] <= high]
        low, high = sorted(ax.get_ylim())
        texts += [t for t in ax.get_yticklabels() if low <= t.get_position()[1] <= high]
        if ax.get_legend() is not None:
            texts.append(ax.get_legend())
    out = []
    for t in texts:
        if isinstance(t, Text) and not t.get_text():
            continue
        box = t.get_window_extent()
        if box.x0 < -1 or box.x1 > width + 1 or box.y0 < -1 or box.y1 > height + 1:
            out.append(t.get_text() if isinstance(t, Text) else "a key")
    return out


@pytest.mark.parametrize("tag", ["bcp", "word"])
def test_a_long_area_name_keeps_every_chart_inside_its_image(
    long_named: dict[str, sroi.Results], tag: str
) -> None:
    """On a phone the area's name took most of the width, captions and keys
    were cut off ("Wider soc"), and an 80-letter name collapsed the axes."""
    results = long_named[tag]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "constrained_layout not applied ..."
        for _, draw in app_charts._headings(results):
            fig = draw(results)
            fig.suptitle("")  # as charts() draws it: title and note written on the page
            app_charts._take_notes(fig)
            app_charts._wide(fig)
            contain(fig)
            assert _outside(fig) == []
            app_charts._narrow(fig)
            contain(fig)
            assert _outside(fig) == []
            for ax in fig.axes:
                names = [t.get_text() for t in ax.get_yticklabels()]
                if ax.yaxis.get_label().get_rotation() == 0:  # a name written across
                    names.append(ax.yaxis.get_label().get_text())
                for line in "\n".join(names).split("\n"):
                    assert len(line) <= app_charts.NARROW_NAME_CHARS
                # The plot keeps most of a phone's width.
                if ax.get_xticklabels():
                    assert ax.get_position().width > 0.5


def test_short_labels_break_long_words_and_end_with_an_ellipsis() -> None:
    assert app_charts.short_label("A" * 80, 12, 3) == "\n".join(["A" * 12] * 2 + ["A" * 11 + "…"])
    assert app_charts.short_label("Newham", 12, 3) == "Newham"
