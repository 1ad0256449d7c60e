"""The public charts (``sroi.plots``): drawn from a Results alone, into the
caller's axes when given one, every title inside its image, the programme
bar, the evidence hatching and title, and readable input names."""

from __future__ import annotations

import dataclasses
import inspect
import re
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.text import Text

import sroi
from sroi import plots
from sroi.analysis.oneway import oneway
from sroi.engine.runner import PROGRAMME
from sroi.limits import MAX_LINE_CHARS
from sroi.reports import page_charts, style
from sroi.reports.evidence import results_profile
from sroi.reports.plots.distribution import _distribution_title
from sroi.reports.report import build
from sroi.results.results import Results
from sroi.scenario.discover import scenario_files
from sroi.vocabulary import PERSPECTIVES

ROOT = Path(__file__).resolve().parents[1]
SITES = ROOT / "scenarios" / "family_action_pss"
OXFORD = SITES / "oxford.yaml"

#: A dotted path as code writes it, e.g. effect.relative_risk or a_b: c.
DOTTED = re.compile(r"\b[a-z]+(_[a-z]+)*\.[a-z_]+\b|\b[a-z]+_[a-z_]+:")


@pytest.fixture(scope="module")
def results() -> Results:
    return sroi.run(str(SITES), draws=300, seed=3)


@pytest.fixture(scope="module")
def one_site() -> Results:
    return sroi.run(str(OXFORD), draws=200, seed=3)


@pytest.fixture(scope="module")
def sensitivity() -> object:
    return oneway(str(OXFORD))


def _charts(results: Results) -> dict[str, Callable[..., Figure]]:
    """Every public chart of ``results``, as a function of ``ax`` alone."""
    return {name: _chart_of(name, results) for name in plots.__all__}


def _chart_of(name: str, results: Results) -> Callable[..., Figure]:
    """The public chart ``name`` drawn from ``results`` and nothing else."""
    chart = getattr(plots, name)
    return lambda ax=None: chart(results, ax=ax)


def _inside(fig: Figure, text: Text) -> bool:
    """True when ``text`` as drawn lies within ``fig``'s image (1 px slack)."""
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    box, whole = text.get_window_extent(renderer), fig.bbox
    return bool(
        box.x0 >= whole.x0 - 1
        and box.y0 >= whole.y0 - 1
        and box.x1 <= whole.x1 + 1
        and box.y1 <= whole.y1 + 1
    )


def _draw(fig: Figure) -> Figure:
    FigureCanvasAgg(fig)
    fig.canvas.draw()
    return fig


def test_plots_is_public_and_lists_every_chart() -> None:
    from sroi.reports import plots as inner

    assert sorted(plots.__all__) == sorted(inner.__all__)
    for name in plots.__all__:
        function = getattr(plots, name)
        assert "ax" in inspect.signature(function).parameters, name
        assert function.__doc__, name


@pytest.mark.parametrize("name", sorted(plots.__all__))
@pytest.mark.parametrize("which", ["sites", "one site"])
def test_every_chart_from_a_results_alone(
    name: str, which: str, results: Results, one_site: Results
) -> None:
    r = results if which == "sites" else one_site
    fig = _draw(getattr(plots, name)(r))
    assert isinstance(fig, Figure)
    assert fig.get_suptitle().strip()
    assert fig.axes and any(ax.has_data() for ax in fig.axes), f"{name}: nothing drawn"


@pytest.mark.parametrize(
    "name",
    [
        "cumulative_net",
        "evidence_profile",
        "probability_curve",
        "site_comparison",
        "sroi_distribution",
        "tornado",
        "value_by_payer",
        "value_profiles",
    ],
)
def test_every_chart_draws_into_the_callers_axes(name: str, results: Results) -> None:
    fig = Figure(figsize=(10, 6), layout="constrained")
    ax = fig.subplots()
    got = _charts(results)[name](ax)
    assert got is fig
    assert fig.axes == [ax]  # no axes of its own
    assert ax.has_data()
    assert ax.get_title(loc="left").strip()  # the conclusion is the axes' title
    assert not fig.get_suptitle()  # the caller's figure title stays the caller's
    _draw(fig)
    assert _inside(fig, ax.title if ax.get_title() else ax._left_title)


def test_two_charts_in_one_caller_figure(results: Results) -> None:
    fig = Figure(figsize=(14, 5), layout="constrained")
    left, right = fig.subplots(1, 2)
    fig.suptitle("Two sites' stories")
    assert plots.value_by_payer(results, ax=left) is fig
    assert plots.probability_curve(results, ax=right) is fig
    assert fig.axes == [left, right]
    assert fig.get_suptitle() == "Two sites' stories"
    assert left.get_title(loc="left").startswith("Individuals receive")
    assert right.get_title(loc="left").startswith("Programme:")
    _draw(fig)
    for ax in (left, right):
        assert _inside(fig, ax._left_title)


@pytest.mark.parametrize("which", ["sites", "one site"])
def test_every_chart_title_lies_inside_its_image(
    which: str, results: Results, one_site: Results
) -> None:
    r = results if which == "sites" else one_site
    for name, chart in _charts(r).items():
        fig = _draw(chart())
        assert fig._suptitle is not None
        assert _inside(fig, fig._suptitle), f"{name}: title runs outside the image"


@pytest.mark.parametrize("which", ["sites", "one site"])
def test_every_chart_label_lies_inside_its_image(
    which: str, results: Results, one_site: Results
) -> None:
    """Axis labels and notes are not cut at the image's edge."""
    r = results if which == "sites" else one_site
    for name, chart in _charts(r).items():
        fig = _draw(chart())
        for ax in fig.axes:
            texts = [ax.xaxis.label, ax.yaxis.label, *ax.texts]
            for text in texts:
                if text.get_visible() and text.get_text().strip():
                    assert _inside(fig, text), f"{name}: {text.get_text()!r} is cut off"


def test_every_chart_title_on_the_report_page_lies_inside_its_image(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    files = scenario_files([str(SITES)])
    sites = [sroi.load_scenario(f) for f in files]
    report = build(sites, sroi.run(sites, draws=200, seed=5, keep_outcomes=True))
    drawn: list[tuple[str, bool]] = []
    encode = page_charts.png_data_uri

    def check(fig: Figure, dpi: int = page_charts.DPI) -> str:
        uri = encode(fig, dpi)
        _draw(fig)
        assert fig._suptitle is not None
        drawn.append((fig.get_suptitle(), _inside(fig, fig._suptitle)))
        return uri

    monkeypatch.setattr(page_charts, "png_data_uri", check)
    charts = page_charts.charts(report)
    assert len(drawn) == len([c for c in charts if c.image]) == 8
    assert all(ok for _, ok in drawn), [t for t, ok in drawn if not ok]
    # The titles are the page's key findings: inputs named in words there too.
    for chart in charts:
        assert not DOTTED.search(chart.title), chart.title


def test_title_fits_by_measurement_not_by_count() -> None:
    from sroi.reports.plots._chart import _fit

    text = "Programme pays back in year 0 in the base case; 95% of draws pay back within"
    assert _fit(text, 20.0, 12.5) == text  # wide enough: one line
    lines = _fit(text, 3.0, 12.5).split("\n")
    assert len(lines) > 1 and " ".join(lines) == text
    assert all(len(line) < len(text) for line in lines)


# --------------------------------------------------------------------------- who benefits


def test_who_benefits_has_a_programme_bar(results: Results) -> None:
    fig = plots.value_by_payer(results)
    ax = fig.axes[0]
    ticks = [t.get_text() for t in ax.get_yticklabels()]
    assert ticks[-1] == "Programme" and len(ticks) == len(results.scenarios) + 1
    programme_y = ax.get_yticks()[-1]
    widths = [p.get_width() for p in ax.patches if abs(p.get_y() + 0.31 - programme_y) < 1e-9]
    # The programme bar's segments add up to the programme's expected value
    # PV across the draws (the payers' means add up to the total's mean).
    assert sum(widths) == pytest.approx(results.expected("value_pv", PROGRAMME), rel=1e-9)
    assert sum(widths) != pytest.approx(results.base_value("value_pv", PROGRAMME), rel=1e-3)
    assert "expected across draws" in ax.get_xlabel()


def test_site_comparison_dots_are_the_expected_values_its_title_quotes(results: Results) -> None:
    fig = plots.site_comparison(results, metric="unit_cost")
    dots = [line for line in fig.axes[0].get_lines() if line.get_marker() == "o"]
    shown = sorted(float(line.get_xdata()[0]) for line in dots)
    want = sorted(results.expected("unit_cost", n) for n in results.names)
    assert shown == pytest.approx(want, rel=1e-12)
    cheapest = min(results.expected("unit_cost", s.id) for s in results.scenarios)
    assert style.money(cheapest, "GBP") in fig.get_suptitle().replace("\n", " ")


def test_who_benefits_of_one_site_has_no_programme_bar(one_site: Results) -> None:
    ticks = [t.get_text() for t in plots.value_by_payer(one_site).axes[0].get_yticklabels()]
    assert ticks == ["Oxford"]


# --------------------------------------------------------------------------- evidence


def _hatched(fig: Figure) -> int:
    return sum(1 for p in fig.axes[0].patches if "\\" in (p.get_hatch() or ""))


def test_evidence_from_results_matches_the_report(results: Results) -> None:
    files = scenario_files([str(SITES)])
    sites = [sroi.load_scenario(f) for f in files]
    kept = sroi.run(sites, draws=results.draws, seed=results.seed, keep_outcomes=True)
    report = build(sites, kept, with_sensitivity=False)
    alone = results_profile(results)
    assert alone.grades == report.evidence.grades
    for name in report.evidence.pv:
        for grade in alone.grades:
            assert alone.pv[name][grade] == pytest.approx(report.evidence.pv[name][grade])
            assert alone.pv_judged_probability[name][grade] == pytest.approx(
                report.evidence.pv_judged_probability[name][grade]
            )


def test_evidence_title_does_not_contradict_itself(results: Results) -> None:
    # Every outcome's share affected in the bundled sites is an assumption or
    # expert judgement, so nothing is hatched and the title says so once.
    fig = plots.evidence_profile(results)
    title = " ".join(fig.get_suptitle().split())
    assert "every outcome's share affected is an assumption" in title
    assert "none on judgement" not in title
    assert _hatched(fig) == 0


def test_evidence_hatches_only_the_assumed_part() -> None:
    s = sroi.load_scenario(OXFORD)
    measured = {
        oid: o.model_copy(
            update={"probability": o.probability.model_copy(update={"evidence": "rct"})}
        )
        for oid, o in s.outcomes.items()
        if oid.startswith("pd_")
    }
    mixed = s.model_copy(update={"outcomes": {**s.outcomes, **measured}})
    r = sroi.run(mixed, draws=0)
    fig = plots.evidence_profile(r)
    assert 0 < _hatched(fig) < len(fig.axes[0].patches)
    assert "(hatched)" in fig.get_suptitle().replace("\n", " ")


def test_evidence_needs_recorded_outcomes(results: Results) -> None:
    from dataclasses import replace

    bare = replace(results, outcome_info={})
    with pytest.raises(ValueError, match="do not record their outcomes"):
        plots.evidence_profile(bare)


# --------------------------------------------------------------------------- labels


# --------------------------------------------------------------------------- tornado


def _tornado_rows(fig: Figure) -> list[str]:
    return [t.get_text().split("\n")[0] for t in fig.axes[0].get_yticklabels()]


def _base_line(fig: Figure) -> float:
    """Where the tornado draws its base-case line [the return's unit]."""
    lines = [ln for ln in fig.axes[0].get_lines() if len(set(ln.get_xdata())) == 1]
    return float(lines[0].get_xdata()[0])


@pytest.mark.parametrize("perspective", ["society", "public_sector", "nhs"])
def test_tornado_from_results_runs_the_one_way_analysis_of_its_perspective(
    perspective: str,
) -> None:
    r = sroi.run(str(SITES), draws=0, perspective=perspective)
    view = PERSPECTIVES[perspective]
    fig = plots.tornado(r)
    # The same analysis, asked for by hand, draws the same rows.
    names = {s.id: s.name.split(" (")[0] for s in r.scenarios}
    by_hand = plots.tornado(oneway(str(SITES), perspective=perspective), names=names)
    assert _tornado_rows(fig) == _tornado_rows(by_hand)
    # Its line is the run's own base case of the perspective's return.
    assert _base_line(fig) == pytest.approx(r.headline().ratio.modal, rel=1e-12)
    title = " ".join(fig.get_suptitle().split())
    words = {"society": "social return", "public_sector": "public-sector return"}
    assert title.startswith(f"The {words.get(perspective, view.ratio_label)} of the programme")
    assert "is most sensitive to" in title
    # Sites by name, not id.
    ticks = " ".join(t.get_text().replace("\n", " ") for t in fig.axes[0].get_yticklabels())
    assert any(f"({name})" in ticks for name in names.values())
    assert not any(f"({sid})" in ticks for sid in names if sid != names[sid]), ticks


def test_tornado_from_results_at_another_price_year() -> None:
    # The scenarios kept are those run, at the run's prices: the same base case.
    r = sroi.run(str(OXFORD), draws=0, price_year=2024)
    assert r.loaded[0].price_year == 2024
    fig = plots.tornado(r)
    assert _base_line(fig) == pytest.approx(r.base_value("sroi_ratio"), rel=1e-12)
    assert fig.get_suptitle().startswith("The social return of Oxford")


def test_tornado_from_results_into_the_callers_axes(one_site: Results) -> None:
    fig = Figure(figsize=(10, 6), layout="constrained")
    ax = fig.subplots()
    assert plots.tornado(one_site, ax=ax) is fig
    assert ax.get_title(loc="left").startswith("The social return of Oxford")


def test_tornado_needs_the_scenarios_the_run_kept(one_site: Results) -> None:
    from dataclasses import replace

    bare = replace(one_site, loaded=())
    with pytest.raises(ValueError, match="do not hold the scenarios they ran"):
        plots.tornado(bare)


def test_results_keep_the_scenarios_they_ran(results: Results) -> None:
    assert [s.id for s in results.loaded] == [s.id for s in results.scenarios]
    assert all(isinstance(s, sroi.Scenario) for s in results.loaded)
    # The JSON document records the files, not the scenarios themselves.
    assert "loaded" not in results.to_json()


def test_tornado_names_inputs_in_words(sensitivity: object) -> None:
    fig = plots.tornado(sensitivity)  # type: ignore[arg-type]
    names = [t.get_text().split("\n")[0] for t in fig.axes[0].get_yticklabels()]
    assert "Relative risk of depression with befriending" in names
    assert "Share of lifetime quality-of-life cost avoided (child)" in names
    for text in [*names, fig.get_suptitle()]:
        assert not DOTTED.search(text), text


def test_site_comparison_one_metric(results: Results) -> None:
    fig = plots.site_comparison(results, metric="unit_cost")
    assert len(fig.axes) == 1 and "Unit cost" in fig.axes[0].get_xlabel()
    with pytest.raises(ValueError, match="metric must be one of"):
        plots.site_comparison(results, metric="npv")


def test_panels_in_one_axes_name_their_lines(results: Results) -> None:
    fig = Figure()
    ax = fig.subplots()
    plots.cumulative_net(results, ["oxford", "hackney"], ax=ax)
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "Oxford: median" in legend and "Hackney: modal inputs" in legend
    assert np.isfinite(ax.get_ylim()).all()


def test_probability_curve_reads_the_runs_perspective() -> None:
    r = sroi.run(str(SITES), draws=300, seed=3, perspective="public_sector")
    title = " ".join(plots.probability_curve(r).get_suptitle().split())
    ratio = r.metric("public_roi")
    at1 = float(np.mean(ratio[np.isfinite(ratio)] >= 1.0))
    social = r.metric("sroi_ratio")
    assert at1 != pytest.approx(float(np.mean(social >= 1.0)))  # the two differ here
    assert title.startswith(
        f"Programme: {style.share(at1)} chance of a public-sector return of at least £1 per £1"
    ), title
    nhs = sroi.run(str(OXFORD), draws=100, seed=3, perspective="nhs")
    assert "chance of an NHS return" in plots.probability_curve(nhs).get_suptitle()
    assert "returns to the NHS" in plots.sroi_distribution(nhs).get_suptitle()


def test_the_guides_charts_example_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The Python example of docs/reading-the-report.md draws every chart it
    names from a Results (fewer draws here, for time)."""
    text = (ROOT / "docs" / "reading-the-report.md").read_text(encoding="utf-8")
    section = text.split("## Charts in Python and notebooks", 1)[1]
    blocks = [b.split("```", 1)[0] for b in section.split("```python\n")[1:]]
    example = next(b for b in blocks if "plots.tornado(results" in b)
    code = example.replace('"scenarios/', f'"{ROOT}/scenarios/').replace("draws=2000", "draws=100")
    monkeypatch.chdir(tmp_path)
    exec(compile(code, "reading-the-report.md", "exec"), {})
    for name in ("sroi.png", "evidence.png", "tornado.png", "two-charts.png"):
        assert (tmp_path / name).stat().st_size > 10_000, name


# --------------------------------------------------------------------------- payback


def test_payback_chart_leads_with_the_draws_and_says_whose_view(one_site: Results) -> None:
    """The line is the draws' median position, the dotted mark the median
    payback year of society's view (which the chart counts, whatever the
    run's perspective), and the title gives both before the base case."""
    fig = plots.cumulative_net(one_site)
    h = one_site.headline("oxford", "society")
    title = fig.get_suptitle().replace("\n", " ")
    assert title.startswith("Counting value to everyone, Oxford pays back in ")
    assert f"{style.share(h.prob_payback)} of draws" in title
    assert f"half of all draws by year {h.payback_median:.0f}" in title
    assert title.endswith(f"(modal inputs: year {h.payback_modal:.0f})")
    ax = fig.axes[0]
    median = next(line for line in ax.get_lines() if line.get_label() == "median")
    years = len(median.get_ydata())
    expected = np.percentile(one_site.yearly["oxford"][:, :years], 50.0, axis=0)
    np.testing.assert_array_equal(median.get_ydata(), expected)
    marks = [t.get_text() for t in ax.texts]
    assert f" half pay back by year {h.payback_median:.0f}" in marks
    public = sroi.run(str(OXFORD), draws=200, seed=3, perspective="public_sector")
    assert plots.cumulative_net(public).get_suptitle() == fig.get_suptitle()


def test_the_programmes_payback_title_reads_as_a_sentence() -> None:
    from sroi.reports.plots.cashflow import _payback_title

    results = sroi.run(SITES, draws=0)
    assert _payback_title(results, "programme").startswith(
        "Counting value to everyone, the programme pays back in year "
    )


def test_payback_chart_without_draws_shows_the_base_case() -> None:
    base = sroi.run(str(OXFORD), draws=0)
    fig = plots.cumulative_net(base)
    payback = base.base_value("payback_year", "oxford")
    assert fig.get_suptitle().replace("\n", " ") == (
        f"Counting value to everyone, Oxford pays back in year {payback:.0f} with modal inputs"
    )
    labels = [line.get_label() for line in fig.axes[0].get_lines()]
    assert "modal inputs" in labels and "median" not in labels


def test_a_very_long_name_is_cut_in_every_chart(tmp_path: Path) -> None:
    """A scenario name of the most characters a name may have (200) is cut
    to a short name in charts, so titles stay a few lines and the layout
    does not collapse; the report keeps the whole name in its text."""
    words = " ".join(f"word{i}" for i in range(100, 125))
    assert len(words) <= MAX_LINE_CHARS and words.endswith("word124")
    text = OXFORD.read_text(encoding="utf-8")
    text = re.sub(r"^name:.*$", f'name: "{words}"', text, count=1, flags=re.M)
    text = text.replace("extends: _common.yaml", f"extends: {SITES / '_common.yaml'}")
    (tmp_path / "long.yaml").write_text(text, encoding="utf-8")
    r = sroi.run(str(tmp_path / "long.yaml"), draws=50, seed=1)
    assert r.scenarios[0].name == words
    for name in ("cumulative_net", "site_comparison", "value_by_payer", "sroi_distribution"):
        fig = getattr(plots, name)(r)
        title = fig.get_suptitle()
        assert "word124" not in title, name
        assert title.count("\n") < 4, name
        labels = [t.get_text() for ax in fig.axes for t in ax.texts + ax.get_yticklabels()]
        assert not any("word124" in t for t in labels), name
    assert len(style.short_name(words)) <= style.SHORT_NAME_CHARS


class _Chances:
    """``results`` whose sites' chances of a return above 1 are ``chances``."""

    def __init__(self, results: Results, chances: dict[str, float]) -> None:
        self._results = results
        self._chances = chances

    def __getattr__(self, name: str) -> object:
        return getattr(self._results, name)

    def headline(self, scenario: str = PROGRAMME, perspective: str | None = None) -> object:
        h = self._results.headline(scenario, perspective)
        if scenario not in self._chances:
            return h
        return dataclasses.replace(h, prob_ratio_above_1=self._chances[scenario])


def test_distribution_title_names_every_site_that_falls_short(results: Results) -> None:
    """When several sites fall short of break-even, the title names them all:
    naming only the worst would say the others break even."""
    names = [*results.base]
    chances = {"hackney": 0.3, "oxford": 0.9, "swaffham": 0.6, "west_mansfield": 0.1}
    title = _distribution_title(_Chances(results, chances), names, "GBP")  # type: ignore[arg-type]
    assert title.endswith("; Hackney and West Mansfield fall short of break-even in most draws")
    one = {**chances, "hackney": 0.7}
    title = _distribution_title(_Chances(results, one), names, "GBP")  # type: ignore[arg-type]
    assert title.endswith("; West Mansfield falls short of break-even in most draws")


def test_distribution_title_when_no_site_breaks_even() -> None:
    r = sroi.run(str(SITES), draws=300, seed=3, perspective="public_sector")
    assert all(r.headline(s.id).prob_ratio_above_1 < 0.5 for s in r.scenarios)
    title = " ".join(plots.sroi_distribution(r).get_suptitle().split())
    assert title.startswith("The programme returns to the public sector £"), title
    assert title.endswith("; no site breaks even in most draws"), title
    assert "falls short" not in title


#: Every chart that takes the scenarios to show as ``names``.
NAMED_CHARTS = (
    plots.cumulative_net,
    plots.site_comparison,
    plots.sroi_distribution,
    plots.value_by_payer,
    plots.probability_curve,
)


@pytest.mark.parametrize("chart", NAMED_CHARTS, ids=lambda c: c.__name__)
def test_one_id_alone_is_one_name_and_a_misspelt_one_is_named(
    results: Results, chart: Callable[..., Figure]
) -> None:
    # "oxford" is Oxford, not the scenarios "o", "x", ...; a misspelt id
    # says which ids the results hold instead of a bare KeyError.
    alone, listed = chart(results, "oxford"), chart(results, ["oxford"])
    assert [t.get_text() for t in alone.findobj(Text)] == [
        t.get_text() for t in listed.findobj(Text)
    ]
    with pytest.raises(KeyError, match=r"no scenario 'oxfrod' in these results; expected one of"):
        chart(results, ["oxfrod"])
