"""The web page's handlers, through Starlette's test client (no browser):
the form, validation beside each field, results equal to ``sroi run``, the
comparison with the pilots, the downloads against ``sroi report``, and the
server's limits.  ``tests/test_app_browser.py`` drives the same page in
Chromium."""

from __future__ import annotations

import datetime
import io
import math
import re
from html import unescape
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import kirklees
import pytest
from external import module
from PIL import Image

module("starlette", install="pip install -e '.[app]'")
module("python_multipart", install="pip install -e '.[app]'")

from starlette.testclient import TestClient  # noqa: E402

import sroi  # noqa: E402
from sroi.analysis.compare import compare  # noqa: E402
from sroi.analysis.pilots import compare_with_pilots  # noqa: E402
from sroi.app import compute, form, server  # noqa: E402
from sroi.app.compute import PilotRuns  # noqa: E402
from sroi.app.example import WORKED_EXAMPLE  # noqa: E402
from sroi.app.proposal import pilot_sites, portable_text  # noqa: E402
from sroi.cli.main import main  # noqa: E402
from sroi.prices import GDP_DEFLATOR  # noqa: E402
from sroi.replication import pilots_path  # noqa: E402
from sroi.scenario import check_file  # noqa: E402
from sroi.vocabulary import PERSPECTIVES  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
OXFORD = ROOT / "scenarios" / "family_action_pss" / "oxford.yaml"
#: Few draws keep the tests quick; the page's default is 10,000.
DRAWS = "400"

#: The worked example of docs/replicate.md, as the page's form sends it.
RIVERSIDE = {**WORKED_EXAMPLE, "money_year": "2024", "draws": DRAWS, "seed": "3"}
FORM = {"content-type": "application/x-www-form-urlencoded"}


@pytest.fixture(scope="module")
def client() -> TestClient:
    return TestClient(server.create_app(PilotRuns()), base_url="http://127.0.0.1")


def exact(page: str, element_id: str) -> list[float]:
    """The exact numbers (``data-exact``) inside the element with ``element_id``."""
    start = page.index(f'id="{element_id}"')
    end = page.index("</table>", start)
    return [float(x) for x in re.findall(r'data-exact="([^"]+)"', page[start:end])]


def row_numbers(page: str, row_id: str) -> list[float]:
    """The exact numbers of one table row."""
    start = page.index(f'id="{row_id}"')
    end = page.index("</tr>", start)
    return [float(x) for x in re.findall(r'data-exact="([^"]+)"', page[start:end])]


def errors(page: str) -> dict[str, str]:
    """Field -> the message shown beside it."""
    found = re.findall(
        r'<p class="error" id="error-([a-z_]+)"><span class="visually-hidden">Error: </span>'
        r"([^<]*)</p>",
        page,
    )
    return {key: unescape(text) for key, text in found}


def same(a: float, b: float) -> bool:
    return (math.isnan(a) and math.isnan(b)) or a == b


# --------------------------------------------------------------------------- the form


def test_the_form_asks_every_question_with_unit_and_help(client: TestClient) -> None:
    page = client.get("/").text
    from sroi.replication.answers import QUESTIONS

    for q in QUESTIONS:
        assert f'name="{q.key}"' in page, q.key
        assert f'id="help-{q.key}"' in page, q.key
        assert unescape(q.prompt) in unescape(page), q.key
    assert "women a year" in page and "% of referrals" in page  # units beside fields
    assert 'Example: <span class="example">150</span>' in page
    # A placeholder reads as an example, not as a default already entered.
    assert 'placeholder="e.g. 150"' in page and 'placeholder="150"' not in page
    for site in pilot_sites():
        assert f'<option value="{site.id}"' in page
    # Assets come from the app itself; nothing from elsewhere.
    assert not re.search(r'(src|href)="(https?:)?//', page)
    assert client.get("/static/app.css").status_code == 200
    assert client.get("/static/app.js").status_code == 200


def test_forms_from_another_site_are_refused(client: TestClient) -> None:
    data = {"site": "oxford", "draws": DRAWS}
    evil = {"origin": "http://attacker.example"}
    assert client.post("/", data=data, headers=evil).status_code == 403
    assert client.post("/download/yaml", data=data, headers=evil).status_code == 403
    own = {"origin": "http://127.0.0.1"}
    assert client.post("/download/yaml", data=data, headers=own).status_code == 200


def test_security_headers_and_loopback_hosts(client: TestClient) -> None:
    response = client.get("/")
    csp = response.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "img-src 'self' data:" in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    other = TestClient(server.create_app(PilotRuns()), base_url="http://example.org")
    assert other.get("/").status_code == 400  # a DNS-rebinding page gets nothing


# --------------------------------------------------------------------------- results


def _estimate(e: Any) -> list[float]:
    """An estimate as the page's row shows it: expected, median, 90% interval, modal."""
    return [e.expected, e.median, e.p5, e.p95, e.modal]


def test_pilot_site_matches_sroi_run(client: TestClient) -> None:
    page = client.post("/", data={"site": "oxford", "draws": DRAWS, "seed": "7"}).text
    results = sroi.run(OXFORD, draws=int(DRAWS), seed=7)
    stats = results.summaries("oxford")

    def expected(metric: str) -> list[float]:
        s = stats[metric]
        lead = results.expected(metric, "oxford")
        return [lead, s["p50"], s["p5"], s["p95"], results.base_value(metric, "oxford")]

    # The three returns lead with the expected value (mean value / mean cost),
    # as sroi run's table does, then median, interval, modal inputs, P(> 1).
    for h in results.returns("oxford"):
        shown = row_numbers(page, f"return-{h.perspective.ratio_metric}")
        assert all(map(same, shown, [*_estimate(h.ratio), h.prob_ratio_above_1])), h.perspective
    society = results.headline("oxford", "society")
    assert society.ratio.expected == results.probabilities("oxford")["sroi_ratio_of_means"]
    assert society.ratio.expected != stats["sroi_ratio"]["mean"]  # not the mean of ratios
    assert row_numbers(page, "payer-nhs") == expected("value_pv_by_payer.nhs")
    people = exact(page, "people")
    assert people[:5] == expected("users") and people[5:10] == expected("unit_cost")
    # A unit cost leads, as a return does, with mean cost / mean women.
    assert (
        people[5]
        == stats["cost_total"]["mean"] / stats["users"]["mean"]
        != stats["unit_cost"]["mean"]
    )
    assert people[10:15] == expected("cost_per_case_averted")
    # The headline is society's by default: return, NPV and payback.
    assert 'data-perspective="society"' in page
    assert row_numbers(page, "headline-return") == [
        *_estimate(society.ratio),
        society.prob_ratio_above_1,
    ]
    assert row_numbers(page, "headline-net") == [*_estimate(society.net), society.prob_net_positive]
    payback = re.search(r'<span class="modal" data-exact="([^"]+)"', page)
    assert payback and float(payback[1]) == results.base_value("payback_year", "oxford")
    # The payback sentence leads with the draws; the base case is not in bold.
    median = re.search(r'<span class="median" data-exact="([^"]+)">half of all draws by year', page)
    assert median and float(median[1]) == society.payback_median
    # The chosen pilot heads the comparison, and the four pilots are there.
    ids = re.findall(r'<tr id="pilot-([a-z_]+)"', page)
    assert ids[0] == "oxford" and sorted(ids) == sorted(s.id for s in pilot_sites())
    assert page.count('src="data:image/png;base64,') == 3


@pytest.mark.parametrize("perspective", list(PERSPECTIVES))
def test_the_chosen_perspective_leads_as_sroi_run_does(
    client: TestClient, perspective: str
) -> None:
    """Each perspective's headline return, NPV and payback are those of
    ``sroi run --perspective``; the three returns stay side by side."""
    data = {"site": "oxford", "draws": DRAWS, "seed": "4", "perspective": perspective}
    page = client.post("/", data=data).text
    results = sroi.run(OXFORD, draws=int(DRAWS), seed=4, perspective=perspective)
    h = results.headline("oxford")
    view = PERSPECTIVES[perspective]
    assert f'data-perspective="{perspective}"' in page
    assert f"{view.ratio_label}: {view.label} perspective" in unescape(page)
    assert row_numbers(page, "headline-return") == [*_estimate(h.ratio), h.prob_ratio_above_1]
    assert row_numbers(page, "headline-net") == [*_estimate(h.net), h.prob_net_positive]
    found = re.search(
        r'id="payback">.*?data-exact="([^"]+)".*?data-exact="([^"]+)"'
        r'.*?data-exact="([^"]+)"',
        page,
        re.S,
    )
    assert found
    assert all(
        map(
            same,
            [float(x) for x in found.groups()],
            [h.prob_payback, h.payback_median, h.payback_modal],
        )
    )
    ids = re.findall(r'<tr id="return-([a-z_]+)"', page)
    assert ids == list(compute.RETURNS)
    chosen = re.findall(r'<tr id="return-([a-z_]+)" class=chosen', page)
    assert chosen == ([view.ratio_metric] if view.ratio_metric in compute.RETURNS else [])
    # The pilots' comparison ranks on this perspective's return, as sroi compare does.
    assert f"{view.ratio_label} (expected)" in unescape(page)
    assert "Refused" not in page


def test_the_pilots_note_names_the_perspective_as_written(client: TestClient) -> None:
    """The note under the pilots' table keeps an initialism's capitals."""
    data = {"site": "oxford", "draws": DRAWS, "seed": "4", "perspective": "nhs"}
    page = " ".join(unescape(client.post("/", data=data).text).split())
    assert "Returns are the NHS return (NHS perspective)." in page
    assert "has the highest NHS return of the 4 sites listed" in page
    assert "nhs return" not in page and "nhs perspective" not in page


def test_charts_for_a_phone_are_drawn_only_when_asked_for(client: TestClient) -> None:
    from sroi.app.charts import CHART_COUNT, DPI, NARROW_WIDTH

    page = client.post("/", data=RIVERSIDE).text
    narrow = re.findall(r'<source media="\(max-width: 40rem\)" srcset="([^"]+)">', page)
    assert len(narrow) == CHART_COUNT
    token = narrow[0].split("/")[2]
    assert narrow == [f"/chart/{token}/{i}.png" for i in range(CHART_COUNT)]
    for address in narrow:
        image = client.get(address)
        assert image.status_code == 200 and image.headers["content-type"] == "image/png"
        width, _ = Image.open(io.BytesIO(image.content)).size
        assert width == NARROW_WIDTH * 2 * DPI
    # A run no longer kept, or a chart that is not one, is not found.
    assert client.get(f"/chart/{token}/{CHART_COUNT}.png").status_code == 404
    assert client.get("/chart/nothing/0.png").status_code == 404


def test_new_area_from_recorded_counts(client: TestClient) -> None:
    response = client.post("/", data=RIVERSIDE)
    assert response.status_code == 200
    page = response.text
    assert 'data-scenario="riverside"' in page
    # Hand-checked in tests/test_replicate.py: 60 women paired of 150
    # referrals over two years gives 60 women supported in the base case.
    assert exact(page, "people")[4] == pytest.approx(60)  # modal inputs
    ids = re.findall(r'<tr id="pilot-([a-z_]+)"', page)
    assert ids == ["riverside", *(s.id for s in _pilots_in_run_order())]
    assert sum(row_numbers(page, f"pilot-{i}")[-1] for i in ids) == pytest.approx(1.0)


def test_new_area_shows_money_at_the_year_it_was_entered_in(client: TestClient) -> None:
    """A commissioner who enters a salary at 2024-25 prices reads the
    results at 2024-25 prices unless they choose another year."""
    data = RIVERSIDE | {"coordinator_salary": "34,000", "money_year": "2024"}
    chosen = form.read_form(data)
    assert chosen.settings is not None and chosen.settings.price_year == 2024
    page = client.post("/", data=data).text
    assert "at FY 2024-25 prices" in page
    pilots = client.post("/", data=data | {"price_year": "2011"}).text
    assert "at FY 2011-12 prices" in pilots
    # A factor of index(2024) / index(2011) between the two, on every amount.
    factor = GDP_DEFLATOR[2024] / GDP_DEFLATOR[2011]
    at_2011 = exact(pilots, "people")[5:10]
    assert exact(page, "people")[5:10] == pytest.approx([factor * x for x in at_2011], rel=1e-12)
    # Without money (the worked example) there is no year to read it at.
    no_money = form.read_form(RIVERSIDE)
    assert no_money.settings is not None and no_money.settings.price_year is None


def test_the_comparison_keeps_a_parenthesis_in_the_area_name(client: TestClient) -> None:
    """An area named "Birmingham (scaled FTE)" was shown as "Birmingham",
    so two options for one area looked the same."""
    page = client.post("/", data=RIVERSIDE | {"area": "Birmingham (scaled FTE)"}).text
    start = page.index('<tr id="pilot-birmingham_scaled_fte" class=chosen><th scope="row">')
    row = page[start : page.index("</th>", start)]
    assert row.endswith(">Birmingham (scaled FTE) (chosen)")
    assert '<tr id="pilot-oxford"><th scope="row">Oxford</th>' in page


def test_the_take_away_command_names_the_prices_the_page_shows(client: TestClient) -> None:
    """The page said the report is what `sroi report` writes "with the same
    draws and seed", but shown at the money year's prices it also needs
    --price-year, which the downloads carry."""
    data = RIVERSIDE | {"coordinator_salary": "34,000", "money_year": "2024"}
    page = client.post("/", data=data).text
    start = page.index('<code id="report-command">')
    command = unescape(page[start : page.index("</code>", start)].split(">", 1)[1])
    assert command == (
        "sroi report riverside.yaml -o riverside.html --xlsx riverside.xlsx --draws 400 "
        "--seed 3 --price-year 2024"
    )
    assert "with the same draws, seed and prices as above" in " ".join(page.split())


def _pilots_in_run_order() -> list[Any]:
    order = [s.id for s in sroi.run(pilots_path(), draws=0).scenarios]
    by_id = {s.id: s for s in pilot_sites()}
    return [by_id[i] for i in order]


@pytest.mark.parametrize("perspective", ["society", "nhs"])
def test_p_best_equals_one_joint_run_with_common_random_numbers(
    tmp_path: Path, perspective: str
) -> None:
    """The page runs the chosen scenario alone and the pilots once; P(best)
    and the returns from the two runs' draws equal ``sroi compare``'s from one
    joint run, for the chosen perspective."""
    data = RIVERSIDE | {"perspective": perspective}
    result = form.read_form(data)
    assert result.prepared is not None and result.settings is not None
    mine = compute.run_scenario(result.prepared, result.settings)
    rows = compute.pilot_rows(mine, PilotRuns().get(result.settings), perspective)
    file = tmp_path / result.prepared.file_name
    file.write_text(result.prepared.text, encoding="utf-8")
    joint = compare([file, pilots_path()], draws=int(DRAWS), seed=3, perspective=perspective).league
    assert sorted(r.id for r in rows) == sorted(joint.index)
    for r in rows:
        assert r.prob_best == pytest.approx(joint.loc[r.id, "prob_best"], abs=1e-12), r.id
        assert r.ratio.expected == pytest.approx(joint.loc[r.id, "ratio_expected"], rel=1e-12)
        assert r.ratio.p5 == pytest.approx(joint.loc[r.id, "ratio_p5"], rel=1e-12)
        assert r.unit_cost.p95 == pytest.approx(joint.loc[r.id, "unit_cost_p95"], rel=1e-12)
    if perspective == "society":
        pilots = compare_with_pilots(file, [pilots_path()], draws=int(DRAWS), seed=3)
        for r in rows:
            assert r.ratio.expected == pytest.approx(pilots.loc[r.id, "sroi_ratio_expected"])


def test_price_year_shows_money_at_that_years_prices(client: TestClient) -> None:
    base = client.post("/", data={"site": "oxford", "draws": DRAWS}).text
    later = client.post("/", data={"site": "oxford", "draws": DRAWS, "price_year": "2024"}).text
    assert "GBP at FY 2024-25 prices" in later
    # Unit cost scales by the deflator ratio 100 / 70.3261; the ratios do not move.
    assert exact(later, "people")[5] == pytest.approx(exact(base, "people")[5] * 100 / 70.3261)
    assert row_numbers(later, "return-sroi_ratio")[0] == pytest.approx(
        row_numbers(base, "return-sroi_ratio")[0]
    )


# --------------------------------------------------------------------------- validation


def test_bad_values_are_marked_beside_their_fields(client: TestClient) -> None:
    bad = RIVERSIDE | {"paired": "sixty", "share_accepted": "140%", "visits_per_woman": "-8"}
    response = client.post("/", data=bad)
    assert response.status_code == 422
    found = errors(response.text)
    assert found["paired"] == "expected a number; found 'sixty'"
    assert found["share_accepted"].startswith("expected a share between 0 and 1")
    assert found["visits_per_woman"] == "expected a number of visits per woman above 0; found '-8'"
    assert set(found) == {"paired", "share_accepted", "visits_per_woman"}
    # What was typed is kept, and nothing ran.
    assert 'value="sixty"' in response.text and 'id="results"' not in response.text
    assert "Traceback" not in response.text


def test_answers_that_contradict_each_other(client: TestClient) -> None:
    found = errors(client.post("/", data=RIVERSIDE | {"paired": "160"}).text)
    assert found == {"paired": "expected at most the 150 referrals; found 160 women paired"}
    found = errors(client.post("/", data=RIVERSIDE | {"years": ""}).text)
    assert found == {
        "years": 'needed because you gave "referrals in total", "women paired" and '
        '"volunteers trained": the delivery years they cover'
    }


#: A large new area with a plan of 20 befrienders, as the page's form sends it.
PLANNED = {
    "site": "new",
    "area": "Bigtown",
    "births": "5300",
    "share_referred": "1.8%",
    "volunteers_planned": "20",
    **{k: "yes" for k in ("childrens_centre", "management", "it_systems")},
    "referral_network": "yes",
    "public_transport": "no",
    "draws": DRAWS,
}


def test_befrienders_planned_set_the_pool_and_clash_with_volunteers_trained(
    client: TestClient,
) -> None:
    page = client.get("/").text
    assert 'name="volunteers_planned"' in page and 'placeholder="e.g. 20"' in page
    result = form.read_form(PLANNED)
    assert result.ok, (result.errors, result.general)
    assert result.prepared is not None
    pool = result.prepared.scenario.volunteers.pool
    assert (pool.central(), pool.evidence) == (20, "local_data")
    assert "the planned number of active befrienders" in " ".join((pool.note or "").split())
    found = errors(client.post("/", data=RIVERSIDE | {"volunteers_planned": "20"}).text)
    assert found == {
        "volunteers_planned": "give the befrienders planned or the volunteers trained "
        '("volunteers trained"), not both: each sets the volunteer pool'
    }


def test_missing_answers_are_asked_for(client: TestClient) -> None:
    found = errors(client.post("/", data={"site": "new", "area": "Newham"}).text)
    assert found["births"].startswith("required when no referrals are given")
    assert found["childrens_centre"] == "required: choose yes or no"
    found = errors(
        client.post("/", data=RIVERSIDE | {"coordinator_salary": "34,000", "money_year": ""}).text
    )
    assert found == {
        "money_year": "required with a salary or costs: the financial year of their prices"
    }


def test_a_cost_line_the_template_lacks(client: TestClient) -> None:
    found = errors(client.post("/", data=RIVERSIDE | {"local_costs": "premsies=100"}).text)
    assert "no cost line 'premsies'" in found["local_costs"]
    assert "did you mean 'premises'?" in found["local_costs"]


def test_run_settings_are_checked(client: TestClient) -> None:
    bad = {"site": "oxford", "draws": "ten", "seed": "-1", "price_year": "1990"}
    found = errors(client.post("/", data=bad).text)
    assert set(found) == {"draws", "seed", "price_year"}
    assert errors(client.post("/", data={"site": "nowhere"}).text)["site"].startswith(
        "expected a new area or one of"
    )


def test_the_page_reads_a_seed_as_sroi_run_does() -> None:
    """Any whole number the command line takes as a seed runs here too, read
    exactly (a 20-digit seed keeps every digit; through a float it would
    not), and 1e6 or 10,000 are whole numbers; 1.5 and 31 digits are not."""
    for text, seed in (("12345678901234567891", 12345678901234567891), ("1e6", 10**6)):
        result = form.FormResult(values={})
        settings = form.read_settings({"draws": "10,000", "seed": text}, result)
        assert result.errors == {} and settings is not None, result.errors
        assert (settings.seed, settings.draws) == (seed, 10_000)
    for text in ("1.5", "1" * 31, "nan", "-1"):
        result = form.FormResult(values={})
        form.read_settings({"seed": text}, result)
        assert result.errors["seed"].startswith("expected a whole number"), text


def test_every_string_is_escaped(client: TestClient) -> None:
    area = "<script>alert(1)</script> Town"
    page = client.post("/", data=RIVERSIDE | {"area": area}).text
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Town" in page
    page = client.post("/", data=RIVERSIDE | {"paired": '"><img src=x onerror=alert(1)>'}).text
    assert "<img src=x" not in page


# --------------------------------------------------------------------------- downloads


def _download(client: TestClient, kind: str, data: dict[str, str]) -> tuple[str, bytes]:
    response = client.post(f"/download/{kind}", data=data)
    assert response.status_code == 200, response.text[:500]
    name = re.fullmatch(r'attachment; filename="([\w.]+)"', response.headers["content-disposition"])
    assert name
    return name[1], response.content


def test_yaml_download_validates_and_runs_the_same_anywhere(
    client: TestClient, tmp_path: Path
) -> None:
    name, content = _download(client, "yaml", RIVERSIDE)
    assert name == "riverside.yaml"
    text = content.decode("utf-8")
    assert "source: local_answers" in text and "evidence: local_data" in text
    assert "Answers given by Riverside commissioner via sroi app" in text
    # Money is recorded in plain digits, as sroi replicate records it (never 3.2e+04).
    _, paid = _download(client, "yaml", RIVERSIDE | {"coordinator_salary": "32,000"})
    assert "#   What is the co-ordinator's annual gross salary? 32000\n" in paid.decode("utf-8")
    saved = tmp_path / "somewhere" / name
    saved.parent.mkdir()
    saved.write_bytes(content)
    assert check_file(saved)[1] == []
    page = client.post("/", data=RIVERSIDE).text
    run = sroi.run(saved, draws=int(DRAWS), seed=3)
    h = run.headline("riverside")
    assert row_numbers(page, "headline-return")[:5] == _estimate(h.ratio)


def test_pilot_site_yaml_is_portable(tmp_path: Path) -> None:
    text = portable_text(OXFORD)
    saved = tmp_path / "oxford.yaml"
    saved.write_text(text, encoding="utf-8")
    a = sroi.run(saved, draws=200, seed=1).summaries("oxford")["npv"]
    b = sroi.run(OXFORD, draws=200, seed=1).summaries("oxford")["npv"]
    assert a == b


_STAMP = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}(:\d{2})?")


def test_report_and_workbook_equal_what_sroi_report_writes(
    client: TestClient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    openpyxl = module("openpyxl", install="pip install -e '.[report]'")
    data = RIVERSIDE | {"price_year": "2024", "perspective": "public_sector"}
    name, text = _download(client, "yaml", data)
    html_name, page = _download(client, "html", data)
    xlsx_name, book = _download(client, "xlsx", data)
    assert (html_name, xlsx_name) == ("riverside.html", "riverside.xlsx")
    monkeypatch.chdir(tmp_path)
    Path(name).write_bytes(text)
    command = ["report", name, "-o", html_name, "--xlsx", xlsx_name]
    command += ["--draws", DRAWS, "--seed", "3", "--price-year", "2024"]
    command += ["--perspective", "public_sector"]
    assert main(command) == 0
    written = Path(html_name).read_text(encoding="utf-8")
    assert "sroi report riverside.yaml -o riverside.html --xlsx riverside.xlsx" in written
    assert "--perspective public_sector" in written
    assert _STAMP.sub("TIME", page.decode("utf-8")) == _STAMP.sub("TIME", written)
    (tmp_path / "app.xlsx").write_bytes(book)
    mine, theirs = openpyxl.load_workbook("app.xlsx"), openpyxl.load_workbook(xlsx_name)
    assert mine.sheetnames == theirs.sheetnames
    for sheet in mine.sheetnames:
        for a, b in zip(mine[sheet].iter_rows(), theirs[sheet].iter_rows(), strict=True):
            for x, y in zip(a, b, strict=True):
                if isinstance(x.value, datetime.datetime) or (
                    isinstance(x.value, str) and _STAMP.search(x.value)
                ):
                    continue
                assert x.value == y.value, (sheet, x.coordinate)


# --------------------------------------------------------------------------- limits


def test_large_requests_are_refused(client: TestClient) -> None:
    response = client.post("/", data={"site": "oxford", "area": "x" * (server.MAX_BODY_BYTES + 1)})
    assert response.status_code == 413
    assert client.get("/").status_code == 200
    long = errors(client.post("/", data=RIVERSIDE | {"area": "y" * 600}).text)
    assert long["area"] == f"expected at most {form.MAX_FIELD_LENGTH} characters"


def test_a_body_that_is_not_one_form_is_refused(client: TestClient) -> None:
    """A field given twice was read by its last value (site=new then
    site=oxford ran Oxford); a JSON body was read as an empty form and
    answered with "required" on every field."""
    twice = [*RIVERSIDE.items(), ("site", "oxford")]
    for path in ("/", "/download/yaml"):
        response = client.post(path, content=urlencode(twice), headers=FORM)
        assert response.status_code == 400
        assert response.text == "The field 'site' is given more than once; give it once."
        response = client.post(path, json=RIVERSIDE)
        assert response.status_code == 415
        assert response.text.startswith("Expected a form (application/x-www-form-urlencoded")
    broken = {"content-type": "multipart/form-data; boundary=XX"}
    response = client.post("/", content=b"--XX\r\ngarbage", headers=broken)
    assert response.status_code == 400
    assert response.text.startswith("The form's multipart body could not be read")
    # A whole form, sent as multipart, is read.
    parts = "".join(
        f'--XX\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'
        for k, v in RIVERSIDE.items()
    )
    whole = client.post("/", content=f"{parts}--XX--\r\n".encode(), headers=broken)
    assert whole.status_code == 200


def test_money_that_cannot_be_read_does_not_call_its_year_unused(client: TestClient) -> None:
    for field in ("coordinator_salary", "local_costs"):
        found = errors(client.post("/", data=RIVERSIDE | {field: "abc"}).text)
        assert set(found) == {field}, found


def test_a_failed_run_gives_a_message_and_the_server_keeps_serving(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise MemoryError("out of memory")

    monkeypatch.setattr(compute, "run_scenario", broken)
    response = client.post("/", data={"site": "oxford", "draws": DRAWS})
    assert response.status_code == 500
    assert (
        "The run did not finish" in response.text and "MemoryError: out of memory" in response.text
    )
    monkeypatch.undo()
    assert client.post("/", data={"site": "oxford", "draws": DRAWS}).status_code == 200


def test_unknown_download_and_page() -> None:
    c = TestClient(server.create_app(PilotRuns()), base_url="http://127.0.0.1")
    assert c.post("/download/pdf", data={"site": "oxford"}).status_code == 404
    assert c.get("/nowhere").status_code == 404


def test_app_command_help_and_port(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["app", "--help"])
    assert stop.value.code == 0
    out = capsys.readouterr().out
    assert "--no-browser" in out and "127.0.0.1" in out
    with pytest.raises(SystemExit):
        main(["app", "--port", "70000"])
    assert "expected a port from 1 to 65535, or 0 for any free port" in capsys.readouterr().err


def test_a_port_in_use_is_an_error_not_a_traceback(capsys: pytest.CaptureFixture[str]) -> None:
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main(["app", "--port", str(port), "--no-browser"]) == 2
    err = capsys.readouterr().err
    assert (
        f"sroi app: error: cannot listen on 127.0.0.1:{port}: port {port} is already in use" in err
    )
    assert "try --port 0 for any free port" in err
    assert "Errno" not in err


def test_each_return_is_explained_by_its_perspective() -> None:
    """The three returns read their names and meanings from the vocabulary's
    perspectives, and the perspective choice offers every one of them."""
    results = sroi.run(OXFORD, draws=50, seed=1)
    shown = [compute.as_return(h) for h in results.returns("oxford")]
    assert [r.meaning for r in shown] == [
        PERSPECTIVES[p].meaning for p in ("society", "public_sector", "cashable")
    ]
    assert [r.id for r in shown] == list(compute.RETURNS)
    page = TestClient(server.create_app(PilotRuns()), base_url="http://127.0.0.1").get("/").text
    offered = re.findall(r'<option value="([a-z_]+)"', page[page.index('name="perspective"') :])
    assert offered[: len(PERSPECTIVES)] == list(PERSPECTIVES)
    assert re.search(r'<option value="society" selected[ >]', page)


def test_p_best_counts_the_sites_listed(client: TestClient) -> None:
    """A pilot site is compared with the four pilots, a new area with five."""
    pilot = client.post("/", data={"site": "oxford", "draws": DRAWS, "seed": "7"}).text
    assert "of the 4 sites listed" in pilot
    assert "of the 5 sites listed" in client.post("/", data=RIVERSIDE).text


def test_an_error_summary_at_the_top_links_to_each_field(client: TestClient) -> None:
    """After answers that cannot be used, a summary before the form lists
    each problem in page order, each linking to its field's input."""
    bad = RIVERSIDE | {"volunteers_trained": "0", "years": "two", "seed": "-1"}
    page = client.post("/", data=bad).text
    start = page.index('id="error-summary"')
    assert start < page.index('id="answers"')  # before the form
    head = page[page.rindex("<div", 0, start) : start + 200]
    assert 'role="alert"' in head and 'tabindex="-1"' in head
    summary = page[start : page.index("</div>", start)]
    links = re.findall(r'<a href="#([a-z_-]+)" data-field="\1">([^<]*)</a>', summary)
    assert [(target, unescape(text).split(":")[0]) for target, text in links] == [
        ("field-years", "Delivery years"),
        ("field-volunteers_trained", "Volunteers trained"),
        ("field-seed", "Random seed"),
    ]
    assert "Correct these 3 answers" in summary
    for target, _ in links:
        assert f'id="{target}"' in page
        key = target.removeprefix("field-")
        field = page[page.index(f'id="{target}"') : page.index(">", page.index(f'id="{target}"'))]
        assert f"error-{key}" in field and "aria-invalid=true" in field
    # No summary when nothing is wrong.
    assert 'id="error-summary"' not in client.get("/").text


def test_the_perspective_choice_is_short_with_its_meaning_under_it(client: TestClient) -> None:
    """Long options were cut off on a phone: each option is the label, and
    the chosen one's meaning is written under the choice."""
    page = client.get("/").text
    select = page[
        page.index('id="field-perspective"') : page.index(
            "</select>", page.index('id="field-perspective"')
        )
    ]
    options = re.findall(r'<option value="([a-z_]+)"[^>]*>([^<]*)</option>', select)
    assert options == [(p.id, p.label) for p in PERSPECTIVES.values()]
    assert "Society: all value to everyone" in page[page.index('id="perspective-meaning"') :][:200]


def test_the_page_rounds_each_figure_as_sroi_run_prints_it(
    client: TestClient, capsys: pytest.CaptureFixture[str]
) -> None:
    """The page showed women supported as "105" where sroi run printed "104.8"."""
    page = client.post("/", data={"site": "oxford", "draws": DRAWS, "seed": "7"}).text
    assert main(["run", str(OXFORD), "--draws", DRAWS, "--seed", "7"]) == 0
    printed = capsys.readouterr().out

    def cli_row(label: str) -> list[str]:
        line = next(x for x in printed.splitlines() if x.strip().startswith(label))
        return re.findall(r"-?[\d,]+\.?\d*", line[len(label) + 2 :].replace(" to ", " "))

    def page_row(label: str) -> list[str]:
        start = page.index(f'<th scope="row">{label}')
        cells = re.findall(r'data-exact="[^"]+">([^<]*)<', page[start : page.index("</tr>", start)])
        return [unescape(c).replace("£", "") for c in cells]

    # The counts and costs are totals over Oxford's 3 delivery years, as sroi run says.
    assert (
        '<p class="meaning" id="delivery-years">3 delivery years: women supported, costs and '
        "value below are for all of them, not a year&#39;s.</p>"
    ) in page
    women = page_row("Women supported over the delivery years [women]")
    assert women == cli_row("Women supported over the delivery years [women]")
    assert any("." in w for w in women)  # counts keep their decimal, as sroi run's do
    assert page_row("Unit cost [£ per woman]") == cli_row("Unit cost [GBP per woman]")
    assert page_row("Social return [£ per £]")[:5] == cli_row("Social return (sroi_ratio)")[:5]


def test_few_draws_carry_the_caveat_of_sroi_run(client: TestClient) -> None:
    """500 draws ran with no caveat, while `sroi run --draws 500` warns."""
    from sroi.limits import FEW_DRAWS

    page = client.post("/", data=RIVERSIDE | {"draws": "500"}).text
    caveat = page.split('id="few-draws"')[1].split("</p>")[0]
    assert f"500 draws is fewer than {FEW_DRAWS:,}" in caveat
    assert "too rough to report" in caveat
    page = client.post("/", data=RIVERSIDE | {"draws": str(FEW_DRAWS)}).text
    assert 'id="few-draws"' not in page


def test_the_unit_cost_says_it_divides_the_undiscounted_cost(client: TestClient) -> None:
    page = client.post("/", data=RIVERSIDE | {"draws": "1000"}).text
    note = page.split('id="unit-cost-note"')[1].split("</p>")[0]
    assert "the undiscounted cost over the women supported or the cases averted" in note


# ----------------------------------------------------------------- answers to check, cost, layout

#: A new area whose answers are each valid but far from the pilots
#: (tests/kirklees.py), run as a new area.
KIRKLEES = {"site": "new", **kirklees.KIRKLEES, "draws": DRAWS}
#: The same area with a pilot's caseload (2,000 births x 1.8% = 36 a year),
#: a full-time post and a year's salary: nothing to query.
PILOT_LIKE = KIRKLEES | {
    "births": "2000",
    "share_referred": "1.8%",
    "coordinator_fte": "1",
    "coordinator_salary": "32000",
}


def _cautions_box(page: str) -> str:
    start = page.index('id="cautions"')
    return page[start : page.index("</div>", start)]


def test_answers_far_from_the_pilots_are_queried_above_the_results(client: TestClient) -> None:
    """sroi replicate queried these answers; the page ran them without a word."""
    from sroi.replication.answers import Answers
    from sroi.replication.cautions import cautions
    from sroi.replication.rules import caseload
    from sroi.replication.template import Template

    response = client.post("/", data=KIRKLEES)
    assert response.status_code == 200
    page = response.text
    # Under the area's name, above every figure.
    start = page.index('id="cautions"')
    assert page.index('id="results"') < start < page.index('id="headline"')
    box = _cautions_box(page)
    assert "Check these answers" in box and "far from what the pilots saw" in box
    assert "Each is valid" in box and "if one is a slip" in box
    # The same cautions sroi replicate prints, from the same rules.
    answers = Answers(
        area="Kirklees",
        births=5300,
        share_referred=0.5,
        coordinator_fte=0.8,
        coordinator_salary=3200.0,
        money_year=2025,
        childrens_centre=True,
        management=True,
        it_systems=True,
        referral_network=False,
        public_transport=True,
    )
    template = Template.load()
    expected = cautions(answers, template, caseload(answers, template))
    assert [c.key for c in expected] == [
        "share_referred",
        "births",
        "coordinator_fte",
        "coordinator_salary",
    ]
    items = re.findall(r'<li><a href="#([a-z_-]+)" data-field="\1">([^<]*)</a>: ([^<]*)</li>', box)
    assert [(t, unescape(label)) for t, label, _ in items] == [
        ("field-share_referred", "Share referred"),
        ("field-births", "Births a year"),
        ("field-coordinator_fte", "Co-ordinator FTE"),
        ("field-coordinator_salary", "Co-ordinator salary"),
    ]
    for (target, _, message), caution in zip(items, expected, strict=True):
        assert unescape(message).startswith(caution.message)
        assert f'id="{target}"' in page  # each links to its field
    assert "did you mean 0.5% (0.005)?</li>" in box  # a question is not closed with "."
    # The downloaded file's header keeps the same cautions.
    text = client.post("/download/yaml", data=KIRKLEES).text
    header = " ".join(x.lstrip("#").strip() for x in text.splitlines() if x.startswith("#"))
    assert "Check these answers" in header
    assert all(c.message in header for c in expected)


def test_a_planned_pool_that_caps_the_caseload_is_queried(client: TestClient) -> None:
    """20 befrienders planned for 5,300 births x 1.8%: the page showed 131
    women supported, and nothing of the 24 turned away."""
    data = PILOT_LIKE | {"births": "5300", "volunteers_planned": "20"}
    box = _cautions_box(client.post("/", data=data).text)
    items = re.findall(r'<li><a href="#([a-z_-]+)" data-field="\1">([^<]*)</a>: ([^<]*)</li>', box)
    capped = [unescape(m) for t, _, m in items if t == "field-volunteers_planned"]
    assert capped and capped[0].startswith(
        "Volunteer capacity caps the caseload (modal inputs): 131 of the 155 women"
    )


def test_answers_like_the_pilots_are_not_queried(client: TestClient) -> None:
    page = client.post("/", data=PILOT_LIKE).text
    assert 'id="results"' in page and 'id="cautions"' not in page
    # One answer to check is spoken of as one.
    one = _cautions_box(client.post("/", data=PILOT_LIKE | {"coordinator_salary": "3200"}).text)
    assert "It is valid" in one and "if it is a slip" in one and "Each is valid" not in one
    assert one.count("<li>") == 1
    pilot = client.post("/", data={"site": "oxford", "draws": DRAWS}).text
    assert 'id="results"' in pilot and 'id="cautions"' not in pilot
    # Answers that cannot be used run nothing, and query nothing.
    bad = client.post("/", data=KIRKLEES | {"coordinator_fte": "lots"})
    assert bad.status_code == 422 and 'id="cautions"' not in bad.text


def test_the_cash_part_of_the_cost_is_shown_as_the_report_and_sroi_run_show_it(
    client: TestClient, capsys: pytest.CaptureFixture[str]
) -> None:
    """The page showed the cost's present value, volunteer time included,
    but not the cash part the returns of public bodies divide by."""
    page = client.post("/", data={"site": "oxford", "draws": DRAWS, "seed": "7"}).text
    results = sroi.run(OXFORD, draws=int(DRAWS), seed=7)
    s = results.summaries("oxford")["cash_cost_pv"]
    assert row_numbers(page, "cash-cost") == [
        results.expected("cash_cost_pv", "oxford"),
        s["p50"],
        s["p5"],
        s["p95"],
        results.base_value("cash_cost_pv", "oxford"),
    ]
    # Under the cost, worded as the report's headline table words it.
    from sroi.reports.headline import lines

    label = next(x.label for x in lines("GBP") if x.metric == "cash_cost_pv")
    row = page[page.index('id="cash-cost"') : page.index("</tr>", page.index('id="cash-cost"'))]
    assert f'<th scope="row">{label}</th>' in unescape(row) and "class=part" in row
    assert page.index("Cost, present value [£]") < page.index('id="cash-cost"')
    # And rounded as sroi run prints it.
    assert main(["run", str(OXFORD), "--draws", DRAWS, "--seed", "7"]) == 0
    line = next(x for x in capsys.readouterr().out.splitlines() if "of which cash" in x)
    cells = re.findall(r'data-exact="[^"]+">([^<]*)<', row)
    assert [unescape(c).replace("£", "") for c in cells] == re.findall(
        r"-?[\d,]+\.?\d*", line.split("]", 1)[1].replace(" to ", " ")
    )


def test_the_form_opens_the_page_at_its_results(client: TestClient) -> None:
    """The page came back at the top of the form, the results thousands of
    pixels below: the form's address names the results, so the browser
    opens there, with or without the script."""
    page = client.get("/").text
    assert '<form method="post" action="/#results" id="answers"' in page
    assert 'id="results"' in client.post("/", data=PILOT_LIKE).text


def test_the_price_year_choice_says_its_rule(client: TestClient) -> None:
    """The default read "The scenario's own (FY 2011-12)", but a new area
    with money is shown at its money's year, and FY 2011-12 was listed twice."""
    from sroi.app.page import pilot_price_year
    from sroi.scenario.loader import load_scenario

    page = client.get("/").text
    start = page.index('id="field-price_year"')
    select = unescape(page[start : page.index("</select>", start)])
    options = re.findall(r'<option value="(\d*)"[^>]*>([^<]*)</option>', select)
    assert options[0] == ("", "Your money's year, else the pilots'")
    assert [text for _, text in options].count("FY 2011-12 (the pilots' prices)") == 1
    assert select.count("2011-12") == 1
    # The rule it names: the pilots' year is each pilot's own, and a new
    # area with money is shown at its money's year.
    assert all(load_scenario(s.path).price_year == pilot_price_year() for s in pilot_sites())
    assert pilot_price_year() == 2011
    assert "at FY 2025-26 prices" in client.post("/", data=PILOT_LIKE).text
    oxford = client.post("/", data={"site": "oxford", "draws": DRAWS}).text
    assert "at FY 2011-12 prices" in oxford


def test_money_with_a_currency_sign_or_a_k_gets_the_same_hint(client: TestClient) -> None:
    data = RIVERSIDE | {"coordinator_salary": "£32,000", "local_costs": "premises=1,200"}
    found = errors(client.post("/", data=data | {"money_year": "2024"}).text)
    assert found == {
        "coordinator_salary": "expected a number; found '£32,000'; write it without the £ "
        "sign, e.g. 32000"
    }
    found = errors(client.post("/", data=RIVERSIDE | {"paired": "60k"}).text)
    assert found["paired"] == "expected a number; found '60k' (did you mean 60000?)"


def test_a_field_needed_only_without_another_says_when(client: TestClient) -> None:
    """Births and the share referred said "(required)", and were then refused
    when referrals were given."""
    page = client.get("/", params={"site": "new"}).text
    assert page.count('<span class="required">(required without referrals)</span>') == 2
    assert '<span class="required">(required with a salary or costs)</span>' in page
    assert '<span class="required">(required)</span>' in page  # the area, the yes/no questions
