"""The HTML report in a real browser: headless Chromium (Debian packages
chromium and chromium-driver, installed by ``.ci/run``) driven by selenium.

At a desktop width (1400 px) and a phone width (390 px): nothing sticks out
of the viewport except inside a table's own scroll box, and every chart has
loaded and can be seen.  The page makes no network request: Chromium runs
with a proxy pointing at a dead port (so any request would fail), the
Resource Timing list must stay empty, the console must hold no error, and a
positive control shows that the page's Content-Security-Policy really
refuses a network image.  Printed to PDF (Chromium's own print-to-PDF), the
pages are A4 landscape and every value map shows all its column headings
on the page.  Screenshots and the PDF are written under pytest's temporary
directory (``--basetemp`` to keep them somewhere).

Without Chromium (or pdftotext, for the printed page) these tests skip, or
fail with ``SROI_REQUIRE_EXTERNAL=1`` (:mod:`external`).
"""

from __future__ import annotations

import base64
import re
import subprocess
from collections.abc import Iterator
from html import unescape
from pathlib import Path
from typing import Any

import pytest
from external import module, program

import sroi
from sroi.reports import html
from sroi.reports.page_valuemap import COLUMNS
from sroi.reports.report import build
from sroi.scenario.discover import scenario_files

ROOT = Path(__file__).resolve().parents[1]
SITES = 4
#: Desktop and phone widths [CSS px].
WIDTHS = (1400, 390)
#: A4 landscape [PDF points]: 297 x 210 mm.
A4_LANDSCAPE = (841.89, 595.28)

# Starting Chromium and building the report take more than 5 s.
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def report_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    files = scenario_files([str(ROOT / "scenarios" / "family_action_pss")])
    scenarios = [sroi.load_scenario(f) for f in files]
    assert len(scenarios) == SITES
    results = sroi.run(
        scenarios,
        draws=500,
        seed=0,
        files={s.id: f for s, f in zip(scenarios, files, strict=True)},
        keep_outcomes=True,
    )
    path = tmp_path_factory.mktemp("report") / "report.html"
    html.write(build(scenarios, results), path)
    return path


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    chromium = program(
        "chromium", "chromium-browser", install="apt-get install chromium chromium-driver"
    )
    chromedriver = program("chromedriver", install="apt-get install chromium-driver")
    webdriver = module("selenium.webdriver", install="pip install -e '.[test]'")
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--hide-scrollbars",
        "--proxy-server=http://127.0.0.1:9",  # a dead port: any request fails
        f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}",
        "--window-size=1400,900",
    ):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(chromedriver), options=options)
    driver.set_page_load_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture(scope="module")
def loaded(browser: Any, report_file: Path) -> Any:
    browser.get(report_file.as_uri())
    assert browser.execute_script("return document.readyState") == "complete"
    return browser


def _viewport(driver: Any, width: int, height: int = 900) -> None:
    """Lay the page out in a viewport ``width`` x ``height`` CSS px."""
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
    )
    assert driver.execute_script("return document.documentElement.clientWidth") == width


def _fold(driver: Any, open_all: bool) -> None:
    """Open every value map, or fold the sites' back (the programme stays open)."""
    driver.execute_script(
        "document.querySelectorAll('details.site-map').forEach("
        "d => { d.open = arguments[0] || d.id === 'vm-programme'; });",
        open_all,
    )


#: Every element whose box reaches outside the viewport, unless a scroll box
#: (overflow-x auto or scroll) that itself fits holds it.
_OVERFLOWS = """
const width = document.documentElement.clientWidth;
const scrolls = el => ['auto', 'scroll'].includes(getComputedStyle(el).overflowX);
const out = [];
for (const el of document.body.querySelectorAll('*')) {
  const r = el.getBoundingClientRect();
  if (r.width === 0 || r.height === 0) continue;
  if (r.left >= -0.5 && r.right <= width + 0.5) continue;
  let box = el.parentElement, held = false;
  while (box && box !== document.body) {
    if (scrolls(box)) { held = true; break; }
    box = box.parentElement;
  }
  if (!held) out.push(`${el.tagName}.${el.className}#${el.id}: ${r.left}..${r.right}`);
}
return out;
"""


@pytest.mark.parametrize("width", WIDTHS)
def test_nothing_overflows_the_viewport(loaded: Any, width: int) -> None:
    _viewport(loaded, width)
    try:
        for open_all in (False, True):
            _fold(loaded, open_all)
            page_width = loaded.execute_script("return document.documentElement.scrollWidth")
            assert page_width <= width, f"the page scrolls sideways at {width} px"
            assert loaded.execute_script(_OVERFLOWS) == []
            boxes = loaded.execute_script(
                "return Array.from(document.querySelectorAll('.scroll')).map(s => {"
                "const r = s.getBoundingClientRect(); return [r.left, r.right, r.width]; })"
            )
            for left, right, box_width in boxes:
                assert left >= -0.5 and right <= width + 0.5
                assert box_width == 0 or box_width > 0.8 * min(width, 1200) - 60
    finally:
        _fold(loaded, False)


def test_wide_tables_scroll_in_their_own_box(loaded: Any) -> None:
    _viewport(loaded, 390)
    _fold(loaded, True)
    try:
        held = loaded.execute_script(
            "return Array.from(document.querySelectorAll('table.valuemap, table.evidence,"
            " table.headline')).map(t => [t.className, t.parentElement.className,"
            " t.parentElement.scrollWidth > t.parentElement.clientWidth]);"
        )
    finally:
        _fold(loaded, False)
    assert {cls for cls, _, _ in held} == {"valuemap", "evidence", "headline"}
    for cls, parent, scrolls in held:
        assert parent == "scroll", cls
        if cls in ("valuemap", "evidence"):
            assert scrolls, f"{cls} fits 390 px: the test no longer checks the scroll box"


#: Words of table headings that the layout breaks inside (a word on two lines).
_BROKEN_WORDS = """
const broken = [];
for (const th of document.querySelectorAll(arguments[0])) {
  if (!th.getClientRects().length) continue;
  const node = th.firstChild;
  if (!node || node.nodeType !== Node.TEXT_NODE) continue;
  for (const m of node.textContent.matchAll(/\\S+/g)) {
    const range = document.createRange();
    range.setStart(node, m.index);
    range.setEnd(node, m.index + m[0].length);
    const tops = new Set(Array.from(range.getClientRects()).map(r => Math.round(r.top)));
    if (tops.size > 1) broken.push(m[0]);
  }
}
return broken;
"""


@pytest.mark.parametrize("width", WIDTHS)
def test_table_headings_never_break_inside_a_word(loaded: Any, width: int) -> None:
    _viewport(loaded, width)
    _fold(loaded, True)
    try:
        selector = "table.valuemap thead th, table.headline thead th, table.evidence thead th"
        assert loaded.execute_script(_BROKEN_WORDS, selector) == []
    finally:
        _fold(loaded, False)
        _viewport(loaded, 1400)


def test_every_image_loads(loaded: Any) -> None:
    images = loaded.execute_script(
        "return Array.from(document.images).map(i => "
        "({alt: i.alt, complete: i.complete, width: i.naturalWidth, src: i.src.slice(0, 22)}))"
    )
    assert len(images) >= 7
    for image in images:
        assert image["complete"] and image["width"] > 0, image
        assert image["src"] == "data:image/png;base64,", image
        assert image["alt"], image


@pytest.mark.parametrize("width", WIDTHS)
def test_every_chart_is_visible(loaded: Any, width: int) -> None:
    _viewport(loaded, width)
    charts = loaded.execute_script(
        """return Array.from(document.querySelectorAll('figure.chart')).map(f => {
             const img = f.querySelector('img');
             img.scrollIntoView({block: 'center'});
             const r = img.getBoundingClientRect();
             const s = getComputedStyle(img);
             const top = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
             return {id: f.id, left: r.left, right: r.right, width: r.width, height: r.height,
                     loaded: img.complete && img.naturalWidth > 0, onTop: top === img,
                     shown: s.display !== 'none' && s.visibility === 'visible'
                            && Number(s.opacity) > 0};
           });"""
    )
    assert {c["id"] for c in charts} >= {
        "chart-distribution",
        "chart-payers",
        "chart-payback",
        "chart-profiles",
        "chart-tornado",
        "chart-probability",
        "chart-sites",
        "chart-evidence",
    }
    for chart in charts:
        assert chart["loaded"] and chart["shown"] and chart["onTop"], chart
        assert chart["left"] >= 0 and chart["right"] <= width, chart
        assert chart["width"] > min(300, width - 60) and chart["height"] > 100, chart


def test_page_makes_no_network_request(loaded: Any) -> None:
    assert loaded.execute_script("return performance.getEntriesByType('resource').length") == 0
    errors = [e for e in loaded.get_log("browser") if e["level"] == "SEVERE"]
    assert errors == []
    csp = loaded.execute_script(
        "return document.querySelector('meta[http-equiv=\"Content-Security-Policy\"]').content"
    )
    assert csp.startswith("default-src 'none'")


def test_value_maps_fold_with_the_programme_open(loaded: Any) -> None:
    maps = loaded.execute_script(
        "return Array.from(document.querySelectorAll('#value-map details.site-map'))"
        ".map(d => [d.id, d.open]);"
    )
    assert maps[0] == ["vm-programme", True]
    assert len(maps) == SITES + 1
    assert all(not is_open for _, is_open in maps[1:])


def _pdf_pages(pdf: Path) -> list[tuple[float, float, list[tuple[float, float, str]]]]:
    """Each page of ``pdf`` as (width, height, [(x min, x max, word)]) [points]."""
    pdftotext = program("pdftotext", install="apt-get install poppler-utils")
    layout = subprocess.run(
        [pdftotext, "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = []
    for page in re.finditer(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', layout, re.S):
        words = [
            (float(x0), float(x1), unescape(word))
            for x0, x1, word in re.findall(
                r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>',
                page.group(3),
            )
        ]
        pages.append((float(page.group(1)), float(page.group(2)), words))
    return pages


def test_printed_page_shows_every_value_map_column(loaded: Any, tmp_path: Path) -> None:
    _viewport(loaded, 1400)
    printed = loaded.execute_cdp_cmd(
        "Page.printToPDF", {"preferCSSPageSize": True, "printBackground": True}
    )
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(base64.b64decode(printed["data"]))
    pages = _pdf_pages(pdf)
    heading_words = {w for _, heading, _ in COLUMNS for w in heading.split()}
    pages_with_map, totals = 0, 0
    for width, height, words in pages:
        assert (round(width), round(height)) == tuple(round(x) for x in A4_LANDSCAPE)
        for x0, x1, word in words:
            assert x0 >= 0 and x1 <= width, f"{word!r} is off the page"
        text = [w for _, _, w in words]
        if "Stakeholder" in text:  # a value map's header row (repeated on each page)
            pages_with_map += 1
            assert heading_words <= set(text), heading_words - set(text)
        totals += " ".join(text).count("Total value, present value")
    # one total row per table: the programme's and every site's, folded or not
    assert totals == SITES + 1
    # The folded money inputs print too: their table's rows.
    every = [w for _, _, words in pages for _, _, w in words]
    assert "Factor" in every and "costs.coordinator.salary" in every
    # About 36 pages: the money inputs add four in small type.
    assert len(pages) < 45


@pytest.mark.parametrize("width", WIDTHS)
def test_screenshot(loaded: Any, width: int, tmp_path: Path) -> None:
    _viewport(loaded, width)
    height = loaded.execute_script("return document.documentElement.scrollHeight")
    _viewport(loaded, width, min(int(height), 30_000))
    target = tmp_path / f"report-{width}px.png"
    assert loaded.save_screenshot(str(target))
    assert target.stat().st_size > 50_000
    _viewport(loaded, 1400)


def test_policy_refuses_a_network_image(loaded: Any) -> None:
    """Positive control: the page's policy blocks a request we add on purpose.
    (Runs last: the blocked attempt leaves a console error and a Resource
    Timing entry of its own.)"""
    seen = loaded.execute_async_script(
        """const done = arguments[arguments.length - 1];
           const seen = [];
           document.addEventListener('securitypolicyviolation',
                                     e => seen.push(e.violatedDirective));
           const img = document.createElement('img');
           img.src = 'http://127.0.0.1:9/probe.png';
           document.body.appendChild(img);
           setTimeout(() => { img.remove(); done(seen); }, 500);"""
    )
    assert seen == ["img-src"]
