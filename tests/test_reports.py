"""The report's contents: per-outcome values, value map, evidence profile,
bibliography, charts, the self-contained HTML page, the command and atomic
output.  The browser and the LibreOffice checks live in their own files."""

from __future__ import annotations

import base64
import fnmatch
import functools
import math
import re
from html import unescape
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure
from report_toys import TOY_A, write_toys

import sroi
from sroi import files as atomic
from sroi.analysis.oneway import oneway
from sroi.cli.main import main
from sroi.engine.runner import RunPlan, run_draws
from sroi.reports import html, page_valuemap, plots, style
from sroi.reports.inputs import input_rows
from sroi.reports.report import Report, build
from sroi.reports.valuemap import Cell, rows
from sroi.sampling.parameters import parameters
from sroi.scenario.discover import scenario_files
from sroi.scenario.model import scenario_values
from sroi.vocabulary import PROGRAMME

ROOT = Path(__file__).resolve().parents[1]
SITES = ROOT / "scenarios" / "family_action_pss"
DRAWS = 500


@pytest.fixture(scope="module")
def sites() -> list[sroi.Scenario]:
    return [sroi.load_scenario(f) for f in scenario_files([str(SITES)])]


@pytest.fixture(scope="module")
def report(sites: list[sroi.Scenario]) -> Report:
    files = {s.id: f for s, f in zip(sites, scenario_files([str(SITES)]), strict=True)}
    results = sroi.run(sites, draws=DRAWS, seed=7, files=files, keep_outcomes=True)
    return build(sites, results)


@pytest.fixture(scope="module")
def page(report: Report) -> str:
    return html.render(report)


# --------------------------------------------------------------------------- engine split


def test_outcome_values_add_up_to_the_run(report: Report) -> None:
    r = report.results
    for s in report.scenarios:
        split = report.outcomes[s.id]
        assert sum(split.base_pv.values()) == pytest.approx(r.base_value("value_pv", s.id))
        total = np.sum(list(split.pv.values()), axis=0)
        np.testing.assert_allclose(total, r.metric("value_pv", s.id), rtol=1e-12)


def test_outcome_values_keep_every_step_th_draw(sites: list[sroi.Scenario]) -> None:
    plan = RunPlan.build(sites[:1], 2)
    every = run_draws(plan, 3000, chunk_size=700, keep_outcomes=True)
    # A budget below 3000 stored draws forces thinning (step > 1) and streaming.
    thinned = run_draws(plan, 3000, chunk_size=700, keep_outcomes=True, budget=800_000)
    assert every.step == 1 and thinned.step > 1 and every.outcomes and thinned.outcomes
    sid = sites[0].id
    for oid, pv in every.outcomes[sid].pv.items():
        np.testing.assert_array_equal(thinned.outcomes[sid].pv[oid], pv[:: thinned.step])
        np.testing.assert_array_equal(
            thinned.outcomes[sid].quantity[oid], every.outcomes[sid].quantity[oid][:: thinned.step]
        )
    # The kept outcomes are those of the kept metrics, draw by draw.
    total = np.sum(list(thinned.outcomes[sid].pv.values()), axis=0)
    np.testing.assert_allclose(total, thinned.stored[sid]["value_pv"], rtol=1e-12)


def test_a_report_needs_the_outcomes_kept(sites: list[sroi.Scenario]) -> None:
    results = sroi.run(sites[:1], draws=20, seed=0)
    assert results.outcomes is None
    with pytest.raises(ValueError, match="keep_outcomes=True"):
        build(sites[:1], results, with_sensitivity=False)


# --------------------------------------------------------------------------- value map


def test_value_map_rows_follow_the_scenario(report: Report) -> None:
    s = report.scenarios[0]
    table = rows(s, report.outcomes[s.id])
    assert [r.outcome for r in table] == list(s.outcomes)
    gp = next(r for r in table if r.outcome == "gp_consultations")
    assert gp.attribution.inherited and gp.attribution.path == "adjustments.attribution"
    assert gp.proxy.source == "gmca_ucd" and gp.proxy.evidence == "published_unit_cost"
    assert gp.proxy.p5 < gp.proxy.central < gp.proxy.p95
    assert gp.pv.p5 <= gp.pv.p95
    wellbeing = next(r for r in table if r.outcome == "volunteer_wellbeing")
    assert not wellbeing.deadweight.inherited
    driver = report.outcomes[s.id].base_driver["gp_consultations"]
    assert gp.quantity.central == pytest.approx(driver.sum() * gp.probability.central)


def test_value_map_says_how_a_spread_is_paid_and_at_what_prices(report: Report) -> None:
    """A spread outcome's proxy is a one-off value per case, paid over its
    spread's years (its duration of 1 is not how long the value lasts), and
    a proxy written at another year's prices says so."""
    s = report.scenarios[0]
    _, site_table, *_ = page_valuemap.tables(report)
    by_label = {r.label: r for r in site_table.rows}
    for oid, o in s.outcomes.items():
        row = by_label[o.label]
        year = o.proxy.price_year or s.price_year
        assert ("as written at" in row.proxy_unit) == (year != report.price_year), oid
        if o.spread is None:
            assert row.proxy_unit.startswith("per ") and " a year" in row.proxy_unit
            assert not row.duration.base.startswith("paid over")
        else:
            assert " a year" not in row.proxy_unit
            assert row.duration.base.startswith(f"paid over {o.spread.years} years"), oid
    assert any(o.spread is not None for o in s.outcomes.values())
    assert any("as written at FY 2012-13 prices" in r.proxy_unit for r in site_table.rows)


def test_inputs_cover_every_parameter(sites: list[sroi.Scenario]) -> None:
    for s in sites:
        assert list(scenario_values(s)) == list(parameters(s))
        assert len(input_rows(s)) == len(parameters(s))


def test_programme_value_map_adds_up_the_sites(report: Report) -> None:
    programme, *site_tables = page_valuemap.tables(report)
    assert programme.open and programme.anchor == "vm-programme"
    assert [t.anchor for t in site_tables] == [f"vm-{s.id}" for s in report.scenarios]
    assert not any(t.open for t in site_tables)
    r = report.results
    money = functools.partial(style.money, currency=report.currency)
    # the total row is the programme's value PV, base case and 90% interval
    # (the report keeps every draw of a 500-draw run)
    assert r.stored_every == 1
    value = r.summaries(PROGRAMME)["value_pv"]
    assert programme.total.base == money(r.base_value("value_pv", PROGRAMME))
    assert programme.total.interval == f"90%: {money(value['p5'])} to {money(value['p95'])}"
    # each outcome's PV adds the sites' base cases
    for row, oid in zip(programme.rows, report.scenarios[0].outcomes, strict=True):
        expected = sum(report.outcomes[s.id].base_pv[oid] for s in report.scenarios)
        assert row.pv.base == money(expected), oid


def test_programme_value_map_shows_inputs_that_differ_by_site(tmp_path: Path) -> None:
    toy_a = sroi.load_scenario(write_toys(tmp_path)[0])
    assert toy_a.id == "toy_a"
    dearer = TOY_A.replace("id: toy_a", "id: toy_c").replace("name: Toy A", "name: Toy C")
    dearer = dearer.replace("proxy: {pert: [2000, 3000, 5000]", "proxy: {pert: [2000, 4000, 5000]")
    assert dearer.count("toy_c") == 1 and "4000" in dearer
    (tmp_path / "toy_c.yaml").write_text(dearer, encoding="utf-8")
    toys = [toy_a, sroi.load_scenario(tmp_path / "toy_c.yaml")]
    r = sroi.run(toys, draws=50, seed=3, keep_outcomes=True)
    programme, *_ = page_valuemap.tables(build(toys, r, with_sensitivity=False))
    assert len(programme.rows) == len(toy_a.outcomes)  # each outcome once
    by_label = {row.label: row for row in programme.rows}
    lasting = by_label[toy_a.outcomes["lasting_benefit"].label]
    assert lasting.proxy == page_valuemap.Shown(
        "£3,000 to £4,000", "by site", False, "Toy A: £3,000; Toy C: £4,000"
    )
    same = by_label[toy_a.outcomes["saving"].label]
    assert same.proxy.base == "£150" and same.proxy.interval == ""


def test_across_sites_agrees_or_gives_the_range() -> None:
    same = Cell(0.1, 0.05, 0.2, note="n")
    assert page_valuemap.across([same, same], style.share, ["A", "B"]) == page_valuemap.shown(
        same, style.share
    )
    low, high = Cell(0.1, 0.1, 0.1), Cell(0.3, 0.1, 0.5)
    shown = page_valuemap.across([high, low], style.share, ["A", "B"])
    assert shown == page_valuemap.Shown("10% to 30%", "by site", False, "A: 30%; B: 10%")


# --------------------------------------------------------------------------- evidence


def test_evidence_profile_splits_the_ratio(report: Report) -> None:
    ev, r = report.evidence, report.results
    for name in [*(s.id for s in report.scenarios), PROGRAMME]:
        assert sum(ev.pv[name].values()) == pytest.approx(r.base_value("value_pv", name))
        ratio = sum(ev.ratio(name, g) for g in ev.grades)
        assert ratio == pytest.approx(r.base_value("sroi_ratio", name))
    # In the bundled scenarios every proxy is graded, and every outcome's
    # probability is an assumption: the profile must say so.
    assert "not_graded" not in ev.grades
    assert sum(ev.pv_judged_probability[PROGRAMME].values()) == pytest.approx(
        sum(ev.pv[PROGRAMME].values())
    )


# --------------------------------------------------------------------------- sources


def test_bibliography_lists_every_cited_source(report: Report) -> None:
    keys = {r.key for r in report.references}
    for s in report.scenarios:
        cited = {v.source for v in scenario_values(s).values() if v.source}
        assert cited <= keys
    assert [r.number for r in report.references] == list(range(1, len(report.references) + 1))


def test_bibliography_lists_only_cited_sources(report: Report, page: str) -> None:
    notes = " ".join(v.note or "" for s in report.scenarios for v in scenario_values(s).values())
    for ref in report.references:
        assert ref.cited_by or ref.noted_by, ref.key
        for _, path in ref.noted_by:
            assert ref.key in notes and path
    defined = {k for s in report.scenarios for k in s.sources}
    uncited = defined - {r.key for r in report.references}
    # The bundled sites define sources that no value names (the deflator,
    # the Green Book, background reading): they stay out of the list.
    assert {"hmt_gdp_deflator", "newpin_1991", "mead_2010"} <= uncited
    for key in uncited:
        assert key not in notes
        assert f'id="src-{key}"' not in page
    # a source named only in a value's note is listed, with that value
    nmw = next(r for r in report.references if r.key == "nmw_2011")
    assert not nmw.cited_by and ("oxford", "volunteers.value_per_hour") in nmw.noted_by
    # Each citing value is named in words, its dotted path on hover.
    hour = '<span title="volunteers.value_per_hour">Value of an hour of volunteer time</span>'
    assert f"named in the note of {hour}" in page


def test_sources_and_evidence_table_name_values_and_sites_in_words(page: str) -> None:
    sources = page.split('id="sources"')[1].split('id="manifest"')[0]
    text = unescape(re.sub(r"<[^>]*>", " ", sources))
    assert "Cited by:" in text
    # No dotted path or site id is shown; paths stay in the hover titles.
    assert not re.search(r"\b[a-z_]+\.[a-z_]+\b", re.sub(r"https?://\S+", "", text)), text
    assert "(Hackney, Oxford, Swaffham)" in text and "(hackney" not in text
    assert "Lifetime NHS cost of a case, mother's part (net of first-year items)" in text
    evidence = page.split('id="chart-evidence"')[1].split('id="value-map"')[0]
    table = re.sub(r"<[^>]*>", " ", evidence.split("<table")[1])
    assert "Longer-term NHS costs of perinatal depression avoided (mother)" in table
    assert "pd_nhs_mother" not in table


# --------------------------------------------------------------------------- charts


def _check_figure(fig: Figure) -> None:
    assert isinstance(fig, Figure)
    assert fig.get_suptitle().strip()
    visible = [ax for ax in fig.axes if ax.get_visible()]
    assert visible
    assert any(ax.get_xlabel() or ax.get_ylabel() for ax in visible)


def test_every_chart_is_a_figure_with_a_title_and_units(report: Report) -> None:
    r = report.results
    for fig in (
        plots.sroi_distribution(r),
        plots.value_by_payer(r),
        plots.cumulative_net(r),
        plots.probability_curve(r),
        plots.site_comparison(r),
        plots.evidence_profile(r, profile=report.evidence),
    ):
        _check_figure(fig)
    assert "£" in plots.sroi_distribution(r).get_suptitle()


def test_tornado_from_a_oneway_table() -> None:
    frame = pd.DataFrame(
        {
            "path": ["effect.relative_risk", "outcomes.x.proxy", "costs.coordinator.salary"],
            "scenario": ["all", "site_a", "all"],
            "kind": ["uncertain", "uncertain", "fixed"],
            "input_low": [0.3, 100.0, 20000.0],
            "input_central": [0.5, 150.0, 25000.0],
            "input_high": [0.8, 200.0, 30000.0],
            "metric_low": [3.1, 2.2, 2.6],
            "metric_high": [1.3, 2.6, 2.3],
            "swing": [1.8, 0.4, 0.3],
            "base": [2.4, 2.4, 2.4],
        }
    )
    fig = plots.tornado(frame)
    _check_figure(fig)
    # Without a label column, each input is named from its path, in words.
    assert "relative risk of perinatal depression" in fig.get_suptitle().replace("\n", " ")
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert any("X: value per unit (site_a)" in t for t in labels)
    assert any(t.startswith("Co-ordinator salary *") for t in labels)
    assert not any("." in t.split("\n")[0] for t in labels)


def test_tornado_keeps_the_order_of_equal_swings() -> None:
    """Engagement moves the programme's return equally in Hackney, Oxford and
    Swaffham; the twelfth bar is the one `sroi sensitivity` lists twelfth
    (Hackney's), not whichever an unstable sort brought forward."""
    table = oneway(str(SITES))
    top = table.head(12)
    tied = table[table["swing"] == top["swing"].iloc[-1]]
    assert len(tied) > 1  # the cut falls inside a tie
    fig = plots.tornado(table, top=12)
    labels = [" ".join(t.get_text().split()) for t in fig.axes[0].get_yticklabels()][::-1]
    shown = [re.findall(r"\((hackney|oxford|swaffham|west_mansfield)\)", x) for x in labels]
    expected = [[sid] if sid != "all" else [] for sid in top["scenario"]]
    assert shown == expected, labels


def test_charts_of_a_site_that_falls_short(tmp_path: Path) -> None:
    toys = [sroi.load_scenario(p) for p in write_toys(tmp_path)]
    r = sroi.run(toys, draws=200, seed=1)
    for fig in (plots.sroi_distribution(r), plots.cumulative_net(r), plots.site_comparison(r)):
        _check_figure(fig)
    title = plots.cumulative_net(r, ["toy_a"]).get_suptitle().replace("\n", " ")
    # Fewer than half the draws pay back: no median year, and the base case never does.
    assert "half of all draws" not in title
    assert title.endswith("(modal inputs: not within the horizon)")


# --------------------------------------------------------------------------- page


def test_page_is_self_contained(page: str) -> None:
    assert '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; ' in page
    assert "<script" not in page.lower()
    assert "<link" not in page.lower()
    assert "@import" not in page and "url(" not in page
    sources = re.findall(r"""\ssrc=["']([^"']*)""", page)
    assert len(sources) >= 7
    for src in sources:
        assert src.startswith("data:image/png;base64,")
        assert base64.b64decode(src.split(",", 1)[1])[:8] == b"\x89PNG\r\n\x1a\n"


def test_page_links_resolve(page: str) -> None:
    ids = set(re.findall(r"""\sid=["']([^"']+)""", page))
    for target in re.findall(r"""href=["']#([^"']+)""", page):
        assert target in ids, target


def test_page_has_every_section(page: str, report: Report) -> None:
    for anchor in (
        "glance",
        "findings",
        "headline",
        "chart-distribution",
        "chart-payers",
        "chart-payback",
        "chart-profiles",
        "chart-tornado",
        "chart-probability",
        "chart-sites",
        "chart-evidence",
        "value-map",
        "sources",
        "manifest",
    ):
        assert f'id="{anchor}"' in page, anchor
    for info in report.results.scenarios:
        assert info.sha256 and info.sha256 in page
    assert f"{report.results.draws:,} draws" in page
    assert "Chance it exceeds £1 per £1" in page
    assert "sroi_ratio" not in re.sub(r"<[^>]*>", "", page.split('id="value-map"')[0])
    for heading in (
        "Stakeholder",
        "Indicator",
        "Deadweight",
        "Attribution",
        "Displacement",
        "Drop-off",
        "Duration",
        "Financial proxy and source",
        "Present value",
    ):
        assert f">{heading}</th>" in page, heading


def test_tornado_caption_says_its_ranges_are_as_written(page: str) -> None:
    """The tornado's ranges are the inputs as written (a money input at its own
    price year), so its caption says so beside a report at another year."""
    start = page.index('id="chart-tornado"')
    caption = " ".join(unescape(re.sub(r"<[^>]*>", " ", page[start : start + 400_000])).split())
    assert (
        "The range under each name is the input as written in the scenario file: money at "
        "the prices it was written at (see the money inputs), not converted." in caption
    )


def _findings(page: str) -> list[str]:
    """The key findings of a rendered page, as text."""
    section = re.search(r'<section id="findings">(.*?)</section>', page, re.S)
    assert section is not None
    return [
        unescape(re.sub(r"<[^>]+>", "", li)).strip()
        for li in re.findall(r"<li>(.*?)</li>", section.group(1), re.S)
    ]


@pytest.mark.parametrize("perspective", ["society", "public_sector", "nhs"])
def test_key_findings_name_all_three_returns_expected_first(
    perspective: str, sites: list[sroi.Scenario]
) -> None:
    r = sroi.run(sites, draws=DRAWS, seed=7, keep_outcomes=True, perspective=perspective)
    page = html.render(build(sites, r, with_sensitivity=False))
    first = _findings(page)[0]
    # The payback chart counts society's view; under another perspective its
    # caption says where that perspective's own payback is.
    pointer = "The payback of the run's perspective"
    assert (pointer in unescape(page)) == (perspective != "society")
    # The run line names the perspective as a reader does, not by its key.
    label = {"society": "Society", "public_sector": "Public sector", "nhs": "NHS"}[perspective]
    assert f"perspective: {label} ·" in unescape(page)
    # ... and a key finding, next to the chart's, gives that payback.
    found = _findings(page)
    own = [f for f in found if f.startswith("For the ")]
    if perspective == "society":
        assert own == []
    else:
        h = r.headline(PROGRAMME, perspective)
        assert len(own) == 1 and f"in {style.chance(h.prob_payback)} of draws" in own[0]
        assert (
            found.index(own[0])
            == 1
            + next(i for i, f in enumerate(found[1:]) if f.startswith("Counting value to everyone"))
            + 1
        )
    assert first.startswith("The programme: ")
    parts = first.removeprefix("The programme: ").split("; ")
    # The run's perspective leads, then the social, public-sector and cashable
    # returns it does not already name; each with its expected return and
    # the 90% interval of the draws, as in the headline table.
    order = [
        perspective,
        *(p for p in ("society", "public_sector", "cashable") if p != perspective),
    ]
    words = {
        "society": "social return",
        "public_sector": "public-sector return",
        "cashable": "cashable return",
        "nhs": "NHS return",
    }
    assert len(parts) == len(order)
    for i, (part, pid) in enumerate(zip(parts, order, strict=True)):
        h = r.headline(PROGRAMME, pid)
        # Hand check of the wording: "social return £2.13 per £1 expected (90%: 1.08 to 3.56)"
        lead = f"{words[pid]} £{style.ratio(h.ratio.expected)} per £1"
        interval = f"(90%: {style.ratio(h.ratio.p5)} to {style.ratio(h.ratio.p95)})"
        assert part == f"{lead}{' expected' if i == 0 else ''} {interval}", part
    # The expected return, not the base case (modal inputs), leads.
    h = r.headline(PROGRAMME)
    assert style.ratio(h.ratio.expected) != style.ratio(h.ratio.modal)


def test_key_findings_then_every_chart_title(page: str) -> None:
    found = _findings(page)
    titles = [unescape(t) for t in re.findall(r'<img[^>]*alt="([^"]*)"', page)]
    # The return histogram's title restates the first finding's return; its
    # finding keeps only the rest (how surely each site breaks even).
    head, rest = titles[0].split("; ", 1)
    assert head in titles[0] and head.split(" per ")[0].split()[-1] in found[0]
    assert found[1:] == [rest[0].upper() + rest[1:], *titles[1:]]
    # No finding repeats the programme's return with its interval.
    interval = re.search(r"\(90%: [^)]*\)", found[0])
    assert interval is not None
    assert sum(interval.group(0) in f for f in found) == 1


def test_one_sites_findings_do_not_cut_its_distribution_title(
    sites: list[sroi.Scenario],
) -> None:
    """One site's histogram title has a semicolon inside its brackets
    ("(median 2.52; 90% of draws: 1.23 to 4.73)"); its key finding was that
    title cut after it, "90% of draws: 1.23 to 4.73)".  With no programme
    there is no break-even clause to add: the first finding gives the return."""
    r = sroi.run(sites[:1], draws=DRAWS, seed=7, keep_outcomes=True)
    page = html.render(build(sites[:1], r, with_sensitivity=False))
    titles = [unescape(t) for t in re.findall(r'<img[^>]*alt="([^"]*)"', page)]
    assert "(median " in titles[0] and "; 90% of draws: " in titles[0]
    found = _findings(page)
    assert not any(f.startswith("90% of draws") or f.count(")") > f.count("(") for f in found)
    assert found[1:] == titles[1:]


def test_page_folds_the_sites_value_maps(page: str, report: Report) -> None:
    assert '<details class="site-map" id="vm-programme" open>' in page
    for s in report.scenarios:
        assert f'<details class="site-map" id="vm-{s.id}">' in page
    # an adjustment from the scenario-wide default carries its dagger
    # inside the base-case number
    assert '<span class="base">10%<span class="dagger"> †</span></span>' in page


def test_page_escapes_what_it_prints(sites: list[sroi.Scenario]) -> None:
    results = sroi.run(sites[:1], draws=0, seed=0, keep_outcomes=True)
    title = 'Return <b>"&" it\'s</b>'
    page = html.render(build(sites[:1], results, title=title, with_sensitivity=False))
    assert "<b>" not in page
    assert "<title>Return &lt;b&gt;&#34;&amp;&#34; it&#39;s&lt;/b&gt;</title>" in page
    # the one page of a single site: its value map open, charts linked
    assert f'<details class="site-map" id="vm-{sites[0].id}" open>' in page
    assert '<a href="#chart-payers">Charts</a>' in page


def test_repr_html_is_a_compact_headline_table(report: Report) -> None:
    text = report.results._repr_html_()
    assert text.count("<table") == 1
    assert "Social return" in text and "Programme (all sites)" in text and "90%:" in text
    assert "modal inputs" in text and "median" in text


def test_chart_captions_say_the_charts_lead_with_expected_values(page: str) -> None:
    """With draws, the payer bars and the sites' dots are expected values
    across the draws (as every headline is), and their captions say so."""
    text = " ".join(page.split())
    assert "expected across the draws (the mean), split by who gains it" in text
    assert "dot for the expected value across the draws" in text
    assert "Base-case present value" not in text and "dot for the base case" not in text


def test_report_without_draws(sites: list[sroi.Scenario]) -> None:
    results = sroi.run(sites[:1], draws=0, seed=0, keep_outcomes=True)
    page = html.render(build(sites[:1], results, with_sensitivity=False))
    assert 'id="chart-payers"' in page and 'id="chart-distribution"' not in page
    assert "Not requested." in page
    assert "Base-case present value of each site" in page  # no draws: the chart's base case
    assert math.isnan(results.probabilities(sites[0].id)["prob_sroi_above_1"])


# --------------------------------------------------------------------------- command


@pytest.mark.slow
def test_command_writes_report_and_workbook(tmp_path: Path) -> None:
    pytest.importorskip("xlsxwriter")
    out, book = tmp_path / "r.html", tmp_path / "v.xlsx"
    toys = write_toys(tmp_path / "toys")
    status = main(["report", str(toys[0]), "-o", str(out), "--xlsx", str(book), "--draws", "100"])
    assert status == 0
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert book.read_bytes()[:2] == b"PK"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.html", "toys", "v.xlsx"]


def test_command_refuses_bad_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("schema_version: 1\nid: Bad Id\n", encoding="utf-8")
    out = tmp_path / "r.html"
    assert main(["report", str(bad), "-o", str(out), "--draws", "10"]) == 2
    assert not out.exists()
    toys = write_toys(tmp_path / "toys")
    missing = tmp_path / "no" / "such" / "r.html"
    assert main(["report", str(toys[0]), "-o", str(missing), "--draws", "10"]) == 2
    assert "does not exist" in capsys.readouterr().err


# --------------------------------------------------------------------------- atomic output


class _FailingFile:
    """A file that takes half of what it is given, then fails (a full disk)."""

    def __init__(self, path: Path, mode: str, **kwargs: Any) -> None:
        self.inner = open(path, mode, **kwargs)  # noqa: SIM115

    def __enter__(self) -> _FailingFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self.inner.close()

    def write(self, text: str) -> int:
        self.inner.write(text[: len(text) // 2])
        self.inner.flush()
        raise OSError(28, "No space left on device")


def test_interrupted_html_write_keeps_the_old_file(
    report: Report, page: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(html, "render", lambda _: page)
    target = tmp_path / "report.html"
    target.write_text("old report", encoding="utf-8")
    monkeypatch.setattr(atomic, "open", _FailingFile, raising=False)
    with pytest.raises(OSError, match="No space"):
        html.write(report, target)
    assert target.read_text(encoding="utf-8") == "old report"
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]


def test_interrupted_html_write_leaves_no_file(
    report: Report, page: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(html, "render", lambda _: page)

    def interrupted(*_: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(atomic.os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        html.write(report, tmp_path / "report.html")
    assert list(tmp_path.iterdir()) == []


def test_interrupted_workbook_write_keeps_the_old_file(
    report: Report, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    xlsxwriter = pytest.importorskip("xlsxwriter")
    from sroi.reports import xlsx

    target = tmp_path / "value_map.xlsx"
    target.write_bytes(b"old workbook")

    def half_then_fail(self: Any) -> None:
        # The workbook is built in memory, then written: fail half way in.
        self.filename.write(b"PK\x03\x04 half a zip")
        self.fileclosed = True
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(xlsxwriter.Workbook, "close", half_then_fail)
    with pytest.raises(OSError, match="No space"):
        xlsx.write(report, target)
    assert target.read_bytes() == b"old workbook"
    assert [p.name for p in tmp_path.iterdir()] == ["value_map.xlsx"]


def test_written_file_has_ordinary_permissions(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    atomic.write_text(target, "x")
    assert target.stat().st_mode & 0o777 == 0o666 & ~atomic._umask()


def test_templates_ship_as_package_data() -> None:
    tomllib = pytest.importorskip("tomllib")
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["sroi.reports"]
    folder = ROOT / "sroi" / "reports"
    templates = sorted(p.relative_to(folder).as_posix() for p in (folder / "templates").iterdir())
    assert "templates/report.html" in templates
    for name in templates:
        assert any(fnmatch.fnmatch(name, pattern) for pattern in patterns), name


def test_method_section_gives_the_runs_precision(page: str) -> None:
    from types import SimpleNamespace

    from sroi.engine.precision import Precision
    from sroi.reports.page import draws_sentence

    # 500 draws are too few batches to estimate it: the section says nothing.
    assert "With another seed" not in page
    widths = {
        "a:mean.sroi_ratio": 0.0123,
        "a:mean.public_roi": 0.0049,
        "a:prob.sroi_above_1": 0.0071,
    }
    run = SimpleNamespace(precision=Precision(None, 9216, None, widths), sampler="random")
    report = SimpleNamespace(results=SimpleNamespace(draws=9216, seed=3, run=run))
    said = draws_sentence(report)  # type: ignore[arg-type]
    assert said.startswith("9,216 Monte Carlo draws (seed 3)")
    assert (
        "With another seed the returns, expected or mean, would move by up to ±1.2% and the "
        "chance of a "
        "social return above £1 per £1 by up to ±0.7 points" in said
    )


def test_page_explains_its_terms_and_prices_by_financial_year(page: str) -> None:
    """A commissioner meets deadweight, PV, horizon and the rest explained
    on the page, and one way of naming the price year throughout."""
    terms = page[page.index('<dl class="terms">') : page.index("</dl>")]
    for word in (
        "Deadweight",
        "Attribution",
        "Displacement",
        "Drop-off",
        "Present value (PV)",
        "Horizon",
        "Payback year",
        "PERT",
        "Base case (modal inputs)",
        "Precision",
    ):
        assert f"<dt>{word}" in terms, word
    assert "at FY 2011-12 prices" in page and "at 2011 prices" not in page


def test_a_report_without_draws_never_calls_the_base_case_expected(
    sites: list[sroi.Scenario],
) -> None:
    """With --draws 0 every number is the base case: the cards and the
    headline table's introduction say so once, and nothing is "expected"."""
    results = sroi.run(sites[:1], draws=0, seed=0, keep_outcomes=True)
    page = unescape(html.render(build(sites[:1], results, with_sensitivity=False)))
    glance = re.sub(r"<[^>]+>", " ", page[page.index('id="glance"') : page.index('id="findings"')])
    assert "Expected" not in glance and "expected" not in glance
    assert "Base-case value to everyone" in glance
    assert glance.count("no draws were run") == 2  # cost and return cards, once each
    intro = page[page.index('id="headline"') : page.index('class="scroll"')]
    assert "No Monte Carlo draws were run" in intro and "expected value across" not in intro


def test_the_card_payer_shares_add_up_to_100(report: Report) -> None:
    """Each share rounded alone could add to 101% (Oxford: 58 + 26 + 17)."""
    import re

    from sroi.reports.page import glance

    detail = " ".join(card.detail for card in glance(report))
    shares = [
        int(s)
        for s in re.findall(
            r"(?:Individuals|society|sector|NHS|authority|government) (\d+)%", detail
        )
    ]
    assert shares and sum(shares) == 100, detail


def test_the_card_and_the_payer_chart_round_the_public_sector_alike() -> None:
    """The four pilots and the new area, base case: NHS 8.50%, central
    government 4.65% and local authority 3.53% of the value, 16.68% together.
    Rounded alone the parts read 8 + 5 + 3 = 16 (largest remainder over the
    five payers) beside a public sector of 17; rounded within the public
    sector's 17 they read 8, 5 and 4 on the card, as the chart's title adds
    them."""
    import re

    from sroi.reports.page import glance
    from sroi.reports.plots.payers import _payer_title

    new_area = ROOT / "scenarios" / "replication" / "new_area.yaml"
    files = scenario_files([str(SITES), str(new_area)])
    scenarios = [sroi.load_scenario(f) for f in files]
    results = sroi.run(scenarios, draws=0, seed=0, keep_outcomes=True)
    report = build(scenarios, results, with_sensitivity=False)
    detail = " ".join(card.detail for card in glance(report))
    parts = {
        name: int(pct)
        for name, pct in re.findall(r"(NHS|Central government|Local authority) (\d+)%", detail)
    }
    assert parts == {"NHS": 8, "Central government": 5, "Local authority": 4}, detail
    title = _payer_title(results)
    assert title.endswith("the public sector 17%"), title
    assert "Individuals receive 57% of the value and wider society 26%" in title, title


def test_a_report_describes_the_scenarios_as_run() -> None:
    """A run at 2020 prices reported from the scenarios as loaded (at their
    own 2011 prices) listed the salary at factor 1.0000 under a heading of
    2020-21 prices; the report now describes the scenarios as run, whose
    money the run re-expressed (factor 1.2101)."""
    oxford = sroi.load_scenario(SITES / "oxford.yaml")
    results = sroi.run(oxford, draws=0, keep_outcomes=True, price_year=2020)
    given = build(oxford, results, with_sensitivity=False)  # one Scenario, as run() takes
    as_run = build(results.loaded, results, with_sensitivity=False)
    assert given.scenarios == as_run.scenarios == results.loaded
    assert given.scenarios[0].price_year == 2020
    with pytest.raises(TypeError, match="expected the Scenario objects that were run; found str"):
        build([str(SITES / "oxford.yaml")], results)


def test_metric_draws_are_read_only() -> None:
    """Clipping the array a notebook got from metric() changed the run's
    later summaries and its JSON."""
    results = sroi.run(SITES / "oxford.yaml", draws=200, seed=1)
    ratio = results.metric("sroi_ratio", "oxford")
    with pytest.raises(ValueError, match="read-only"):
        ratio[ratio > 3] = 3
    clipped = ratio.copy()
    clipped[clipped > 3] = 3
    assert float(results.metric("sroi_ratio", "oxford").max()) > 3
