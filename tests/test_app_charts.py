"""The page's charts: legible at a phone's width, no note across the bars of
the histogram, and a payback chart whose years end where payback has settled."""

from __future__ import annotations

import base64
import io

import numpy as np
import pytest
from PIL import Image

import sroi
from sroi.app import charts as app_charts
from sroi.reports.plots import _chart

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
    note = app_charts._take_notes(fig)
    assert note.startswith("Oxford: expected")
    assert not any(t.get_bbox_patch() is not None for ax in fig.axes for t in ax.texts)


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
