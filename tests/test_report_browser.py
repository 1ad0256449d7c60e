"""The HTML report in a real browser: headless Chromium (Debian packages
chromium and chromium-driver, installed by ``.ci/run``) driven by selenium.

Checks that every image loads and every chart is visible, and that the page
makes no network request: Chromium runs with a proxy pointing at a dead port
(so any request would fail), the Resource Timing list must stay empty, the
console must hold no error, and a positive control shows that the page's
Content-Security-Policy really refuses a network image.  A full-page
screenshot is saved as ``test-artifacts/report.png``.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import sroi
from sroi.reports import html
from sroi.reports.report import build
from sroi.scenario.discover import scenario_files

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")

pytestmark = pytest.mark.skipif(
    CHROMIUM is None or CHROMEDRIVER is None,
    reason="headless Chromium is not installed: "
    "`apt-get install chromium chromium-driver` to run the browser test",
)


@pytest.fixture(scope="module")
def report_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    files = scenario_files([str(ROOT / "scenarios" / "family_action_pss")])
    scenarios = [sroi.load_scenario(f) for f in files]
    results = sroi.run(
        scenarios, draws=500, seed=0, files={s.id: f for s, f in zip(scenarios, files, strict=True)}
    )
    path = tmp_path_factory.mktemp("report") / "report.html"
    html.write(build(scenarios, results), path)
    return path


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed")
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
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
        "--window-size=1280,900",
    ):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
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


def test_every_chart_is_visible(loaded: Any) -> None:
    charts = loaded.execute_script(
        """return Array.from(document.querySelectorAll('figure.chart')).map(f => {
             const img = f.querySelector('img');
             const r = img.getBoundingClientRect();
             const s = getComputedStyle(img);
             return {id: f.id, width: r.width, height: r.height,
                     shown: s.display !== 'none' && s.visibility === 'visible'
                            && Number(s.opacity) > 0};
           });"""
    )
    ids = {c["id"] for c in charts}
    assert {
        "chart-distribution",
        "chart-payers",
        "chart-payback",
        "chart-tornado",
        "chart-probability",
        "chart-sites",
        "chart-evidence",
    } <= ids
    for chart in charts:
        assert chart["shown"] and chart["width"] > 300 and chart["height"] > 100, chart


def test_page_makes_no_network_request(loaded: Any) -> None:
    assert loaded.execute_script("return performance.getEntriesByType('resource').length") == 0
    errors = [e for e in loaded.get_log("browser") if e["level"] == "SEVERE"]
    assert errors == []
    csp = loaded.execute_script(
        "return document.querySelector('meta[http-equiv=\"Content-Security-Policy\"]').content"
    )
    assert csp.startswith("default-src 'none'")


def test_policy_refuses_a_network_image(loaded: Any) -> None:
    """Positive control: the page's policy blocks a request we add on purpose.
    (Runs after the checks above: the blocked attempt leaves a console error
    and a Resource Timing entry of its own.)"""
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


def test_screenshot(loaded: Any) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    height = loaded.execute_script("return document.documentElement.scrollHeight")
    loaded.set_window_size(1280, min(int(height), 30_000))
    target = ARTIFACTS / "report.png"
    assert loaded.save_screenshot(str(target))
    assert target.stat().st_size > 50_000
