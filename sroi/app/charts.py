"""The page's charts: figures of the plots API (:mod:`sroi.plots`), as PNG data URIs."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from matplotlib.figure import Figure

from sroi import plots
from sroi.reports.page_charts import png_data_uri
from sroi.results import Results
from sroi.vocabulary import PERSPECTIVES

#: Resolution of the page's charts [dots per inch]: sharp on a laptop screen,
#: and quick enough to draw that a what-if rerun stays within two seconds.
DPI = 80


@dataclass(frozen=True)
class Chart:
    """One chart: what it shows, and the image (a ``data:image/png`` URI).

    alt : str
        The figure's own title, which says what to conclude; the image's
        text alternative.
    """

    heading: str
    image: str
    alt: str


def _headings(results: Results) -> tuple[tuple[str, Callable[[Results], Figure]], ...]:
    view = PERSPECTIVES[results.perspective]
    return (
        (f"How sure the {view.ratio_phrase} is", plots.sroi_distribution),
        ("Who gets the value", plots.value_by_payer),
        ("When it pays back, counting all value against every input", plots.cumulative_net),
    )


def charts(results: Results, dpi: int = DPI) -> tuple[Chart, ...]:
    """The distribution of the run's perspective's return, value by payer and
    the cumulative net position (all value, every input) of a run's first scenario."""
    out = []
    for heading, draw in _headings(results):
        fig = draw(results)
        alt = fig.get_suptitle() or heading
        out.append(Chart(heading, png_data_uri(fig, dpi=dpi), alt))
    return tuple(out)


__all__ = ["DPI", "Chart", "charts"]
