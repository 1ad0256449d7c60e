"""The report's charts keep every word inside the image and apart: a long
site name (a sentence of 40 characters or more, or one long word) cut off a
key ("Cost P"), a caption ("dashed: break"), and ran the two captions of
"Sites compared" into each other."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.text import Text

import sroi
from sroi import plots
from sroi.reports import page_charts
from sroi.reports.plots.fitting import key_columns, short_label, text_width
from sroi.reports.report import build

ROOT = Path(__file__).resolve().parents[1]
SITES = ROOT / "scenarios" / "family_action_pss"

NAMES = {
    "two words": ("Wrexham perinatal befriending", "Stoke-on-Trent (proposed 2025)"),
    "sentence": (
        "Wrexham and Flintshire perinatal befriending service",
        "Stoke-on-Trent and Newcastle-under-Lyme family hubs",
    ),
    "word": ("W" * 60, "Perinatalbefriendingservicefamilyhubsnorthwest"),
}


def _renamed(folder: Path, site: str, name: str) -> Path:
    """A copy of a bundled site whose display name is ``name``."""
    text = (SITES / f"{site}.yaml").read_text(encoding="utf-8")
    text = re.sub(r"^name:.*$", f'name: "{name}"', text, count=1, flags=re.M)
    text = text.replace("extends: _common.yaml", f"extends: {SITES / '_common.yaml'}")
    path = folder / f"{site}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _drawn_ticks(fig: Figure) -> set[int]:
    """Ids of the tick labels matplotlib leaves out: those of ticks outside
    the axes' view."""
    hidden = set()
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            low, high = sorted(axis.get_view_interval())
            span = high - low
            for tick in axis.get_major_ticks() + axis.get_minor_ticks():
                if not low - 1e-9 * span <= tick.get_loc() <= high + 1e-9 * span:
                    hidden.update(id(t) for t in (tick.label1, tick.label2))
    return hidden


def _words(fig: Figure) -> list[Text]:
    """Every text the image shows: titles, labels, ticks, notes, keys."""
    hidden = _drawn_ticks(fig)
    out = []
    for text in fig.findobj(Text):
        assert isinstance(text, Text)
        if not text.get_visible() or not text.get_text().strip() or id(text) in hidden:
            continue
        if text.axes is not None and not text.axes.get_visible():
            continue
        out.append(text)
    return out


def _outside(fig: Figure) -> list[str]:
    whole = fig.bbox
    out = []
    for text in _words(fig):
        box = text.get_window_extent()
        if (
            box.x0 < whole.x0 - 1
            or box.y0 < whole.y0 - 1
            or box.x1 > whole.x1 + 1
            or box.y1 > whole.y1 + 1
        ):
            out.append(text.get_text())
    return out


#: Least gap between two texts [px at 100 dpi]: about a space at 10 pt, so
#: that "... prices]" and "Social return ..." do not read as one.
GAP = 3


def _crossing(texts: list[Text]) -> list[tuple[str, str]]:
    """Pairs of ``texts`` whose boxes cross or come within :data:`GAP`."""
    out = []
    for a, b in itertools.combinations(texts, 2):
        p, q = a.get_window_extent(), b.get_window_extent()
        if p.x0 < q.x1 + GAP and q.x0 < p.x1 + GAP and p.y0 < q.y1 + GAP and q.y0 < p.y1 + GAP:
            out.append((a.get_text(), b.get_text()))
    return out


def _overlapping(fig: Figure) -> list[tuple[str, str]]:
    """Axis labels and panel titles that cross one another, and tick labels
    (names beside the axes) that cross another of the same axis."""
    hidden = _drawn_ticks(fig)
    labels = []
    out = []
    for ax in fig.axes:
        if not ax.get_visible():
            continue
        for text in (ax.xaxis.label, ax.yaxis.label, ax.title, ax._left_title, ax._right_title):
            if text.get_visible() and text.get_text().strip():
                labels.append(text)
        for axis in (ax.xaxis, ax.yaxis):
            ticks = [
                t
                for t in axis.get_ticklabels()
                if t.get_visible() and t.get_text().strip() and id(t) not in hidden
            ]
            out += _crossing(ticks)
    return _crossing(labels) + out


def _sites(folder: Path, kind: str) -> list[sroi.Scenario]:
    paths = [
        _renamed(folder, site, name)
        for site, name in zip(("hackney", "oxford"), NAMES[kind], strict=True)
    ]
    return [sroi.load_scenario(p) for p in paths]


@pytest.mark.parametrize("kind", sorted(NAMES))
def test_long_site_names_keep_every_chart_inside_its_own_figure(kind: str, tmp_path: Path) -> None:
    """The public charts, each in the figure it makes for itself (the tornado,
    which runs its own analysis, is checked on the report page below)."""
    results = sroi.run(_sites(tmp_path, kind), draws=200, seed=2)
    for name in plots.__all__:
        if name == "tornado":
            continue
        fig = getattr(plots, name)(results)
        FigureCanvasAgg(fig)
        fig.canvas.draw()
        assert _outside(fig) == [], name
        assert _overlapping(fig) == [], name


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["sentence", "word"])
def test_long_site_names_keep_every_report_chart_inside_its_image(
    kind: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sites = _sites(tmp_path, kind)
    assert all(len(s.name) >= 40 for s in sites)
    report = build(sites, sroi.run(sites, draws=200, seed=2, keep_outcomes=True))
    encode = page_charts.png_data_uri
    problems: dict[str, list[object]] = {}
    seen: list[str] = []

    def check(fig: Figure, dpi: int = page_charts.DPI) -> str:
        uri = encode(fig, dpi)  # laid out as the page's image is
        if not isinstance(fig.canvas, FigureCanvasAgg):
            FigureCanvasAgg(fig)
        fig.canvas.draw()
        title = fig.get_suptitle().replace("\n", " ")
        seen.append(title)
        for what, found in (("outside", _outside(fig)), ("overlap", _overlapping(fig))):
            if found:
                problems[f"{title[:40]}: {what}"] = list(found)
        return uri

    monkeypatch.setattr(page_charts, "png_data_uri", check)
    charts = page_charts.charts(report)
    assert len(seen) == len([c for c in charts if c.image]) == 8
    assert problems == {}


def test_names_beside_a_chart_are_wrapped_and_shortened() -> None:
    assert short_label("Wrexham perinatal befriending") == "Wrexham perinatal\nbefriending"
    long = short_label("W" * 80)
    assert long.split("\n") == ["W" * 24, "W" * 24, "W" * 23 + "…"]


def test_a_key_takes_as_many_columns_as_fit_its_width() -> None:
    labels = ["NHS", "Local authority", "Central government", "Individuals", "Cost PV"]
    # Measured with the font: all five across a wide figure, fewer across a
    # narrow one, and the columns chosen do fit.
    assert key_columns(labels, 9.0, 9) == 5
    narrow = key_columns(labels, 4.0, 9)
    assert 1 <= narrow < 5
    widest = max(text_width(t, 9) for t in labels)
    assert narrow * widest <= 4.0
    assert key_columns(["x" * 200], 4.0, 9) == 1
