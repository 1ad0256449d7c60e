"""The web page in a real browser: ``sroi app --port 0 --no-browser`` started
as a program, and headless Chromium (Debian packages chromium and
chromium-driver) driven by selenium, as a commissioner would use it.

* a pilot site's results equal ``sroi run`` on the same seed, and a chosen
  perspective's headline equals ``sroi run --perspective``'s;
* a new area's recorded counts give results;
* text in a number field, a share of 140% and negative visits are each
  marked beside their field;
* the downloaded scenario file passes ``sroi validate`` and ``sroi run``
  gives the page's headline from it;
* no request leaves 127.0.0.1: every request Chromium sends (its DevTools
  performance log) goes to the app, and it runs with a proxy on a dead
  port, so anything else would fail.

Without Chromium, or without the app extra, these tests skip, or fail with
``SROI_REQUIRE_EXTERNAL=1`` (:mod:`external`).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import kirklees
import pytest
from external import module, program

import sroi
from sroi.app.example import TYPED

ROOT = Path(__file__).resolve().parents[1]
OXFORD = ROOT / "scenarios" / "family_action_pss" / "oxford.yaml"
DRAWS = 1000

# Starting the server and Chromium takes more than 5 s.
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def address() -> Iterator[str]:
    """Start ``sroi app`` on a free port; its address, as it prints it."""
    module("starlette", install="pip install -e '.[app]'")
    module("uvicorn", install="pip install -e '.[app]'")
    env = os.environ | {"PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "sroi", "app", "--port", "0", "--no-browser"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        found = re.search(r"serving on (http://127\.0\.0\.1:\d+/)", line)
        assert found, f"sroi app printed {line!r}, not its address"
        yield found[1]
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="module")
def downloads(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("downloads")


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory, downloads: Path) -> Iterator[Any]:
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
        "--proxy-server=http://127.0.0.1:9",  # a dead port: any request elsewhere fails
        f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}",
        "--window-size=1200,1000",
    ):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(service=Service(chromedriver), options=options)
    driver.set_page_load_timeout(120)
    driver.execute_cdp_cmd(
        "Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)}
    )
    try:
        yield driver
    finally:
        driver.quit()


def _requests(driver: Any) -> list[str]:
    """URLs of the requests Chromium sent since the last call."""
    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    return urls


def _fill(driver: Any, values: dict[str, str]) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    for key, value in values.items():
        element = driver.find_element(By.NAME, key)
        if element.tag_name == "select":
            Select(element).select_by_value(value)
        else:
            element.clear()
            element.send_keys(value)


def _run(driver: Any) -> None:
    """Press Run and wait for the page that comes back."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    old = driver.find_element(By.TAG_NAME, "html")
    driver.find_element(By.ID, "run").click()
    # While the Monte Carlo runs, the page says so.
    WebDriverWait(driver, 120).until(ec.staleness_of(old))
    WebDriverWait(driver, 120).until(
        lambda d: d.execute_script("return document.readyState") == "complete"
    )


def _exact(driver: Any, selector: str) -> float:
    from selenium.webdriver.common.by import By

    return float(driver.find_element(By.CSS_SELECTOR, selector).get_attribute("data-exact"))


#: The worked example's answers, typed into the new-area fields.
RECORDED = dict(TYPED)


def _open_settings(driver: Any, draws: int, seed: int) -> None:
    from selenium.webdriver.common.by import By

    driver.execute_script("document.querySelector('details.settings').open = true")
    for name, value in (("draws", str(draws)), ("seed", str(seed))):
        field = driver.find_element(By.NAME, name)
        field.clear()
        field.send_keys(value)


def test_pilot_site_matches_sroi_run(browser: Any, address: str) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    browser.get(address)
    # A pilot site needs no questions: they are hidden.
    Select(browser.find_element(By.NAME, "site")).select_by_value("oxford")
    assert not browser.find_element(By.ID, "new-area").is_displayed()
    _open_settings(browser, DRAWS, 5)
    _run(browser)
    results = sroi.run(OXFORD, draws=DRAWS, seed=5)
    # The three returns lead with the expected value (mean value / mean cost),
    # as sroi run prints it, then the median, the interval and modal inputs.
    for h in results.returns("oxford"):
        row = f"#return-{h.perspective.ratio_metric}"
        assert _exact(browser, f"{row} .expected") == h.ratio.expected, row
        assert _exact(browser, f"{row} .median") == h.ratio.median, row
        assert _exact(browser, f"{row} .p5") == h.ratio.p5, row
        assert _exact(browser, f"{row} .p95") == h.ratio.p95, row
        assert _exact(browser, f"{row} .modal") == h.ratio.modal, row
        assert _exact(browser, f"{row} .prob") == h.prob_ratio_above_1, row
    society = results.headline("oxford")
    shown = browser.find_element(By.CSS_SELECTOR, "#headline-return .expected").text
    assert shown == f"{society.ratio.expected:.2f}"
    images = browser.find_elements(By.CSS_SELECTOR, "figure.chart img")
    assert len(images) == 3
    assert all(browser.execute_script("return arguments[0].naturalWidth", i) > 0 for i in images)


def test_perspective_choice_leads_the_headline(browser: Any, address: str) -> None:
    """Choosing the NHS perspective: the headline return, NPV and payback are
    those of ``sroi run --perspective nhs``, the pilots are ranked on the NHS
    return, and the three returns stay side by side."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    browser.get(address)
    Select(browser.find_element(By.NAME, "site")).select_by_value("oxford")
    Select(browser.find_element(By.NAME, "perspective")).select_by_value("nhs")
    _open_settings(browser, DRAWS, 5)
    _run(browser)
    results = sroi.run(OXFORD, draws=DRAWS, seed=5, perspective="nhs")
    h = results.headline("oxford")
    section = browser.find_element(By.ID, "results")
    assert section.get_attribute("data-perspective") == "nhs"
    assert "NHS return" in browser.find_element(By.ID, "headline-title").text
    assert _exact(browser, "#headline-return .expected") == h.ratio.expected
    assert _exact(browser, "#headline-return .p95") == h.ratio.p95
    assert _exact(browser, "#headline-net .expected") == h.net.expected
    assert _exact(browser, "#payback .prob") == h.prob_payback
    assert len(browser.find_elements(By.CSS_SELECTOR, "#returns tbody tr")) == 3
    assert "NHS return (expected)" in browser.find_element(By.ID, "pilots").text
    # The choice stays for a what-if rerun.
    assert (
        Select(browser.find_element(By.NAME, "perspective")).first_selected_option.get_attribute(
            "value"
        )
        == "nhs"
    )


def test_progress_shows_while_the_run_is_under_way(browser: Any, address: str) -> None:
    """Pressing Run shows the progress bar and the draws being run; the form
    is kept from leaving the page here, so the state can be read."""
    from selenium.webdriver.common.by import By

    browser.get(address)
    progress = browser.find_element(By.ID, "progress")
    assert not progress.is_displayed()
    _open_settings(browser, 2500, 0)
    browser.execute_script(
        "document.getElementById('answers').addEventListener('submit', e => e.preventDefault())"
    )
    button = browser.find_element(By.ID, "run")
    button.click()
    assert progress.is_displayed()
    assert "Running 2500 Monte Carlo draws" in progress.text
    assert not button.is_enabled() and button.text == "Running…"


def test_new_area_from_recorded_counts(browser: Any, address: str) -> None:
    from selenium.webdriver.common.by import By

    browser.get(address)
    assert browser.find_element(By.ID, "new-area").is_displayed()
    _fill(browser, RECORDED)
    _open_settings(browser, DRAWS, 0)
    _run(browser)
    section = browser.find_element(By.ID, "results")
    assert section.get_attribute("data-scenario") == "riverside"
    assert "Riverside" in browser.find_element(By.CSS_SELECTOR, "#results h2").text
    chosen = browser.find_element(By.CSS_SELECTOR, "#pilots tr.chosen th").text
    assert chosen.startswith("Riverside")
    assert len(browser.find_elements(By.CSS_SELECTOR, "#pilots tbody tr")) == 5
    # The answers stay in the form for a what-if rerun.
    assert browser.find_element(By.NAME, "paired").get_attribute("value") == "60"


def test_bad_values_are_marked_beside_their_fields(browser: Any, address: str) -> None:
    from selenium.webdriver.common.by import By

    browser.get(address)
    bad = RECORDED | {"paired": "sixty", "share_accepted": "140%", "visits_per_woman": "-8"}
    _fill(browser, bad)
    _run(browser)
    assert not browser.find_elements(By.ID, "results")
    for key, says in (
        ("paired", "expected a number; found 'sixty'"),
        ("share_accepted", "expected a share between 0 and 1"),
        ("visits_per_woman", "above 0; found '-8'"),
    ):
        error = browser.find_element(By.ID, f"error-{key}")
        assert says in error.text, key
        assert error.is_displayed()
        # Beside its field: inside the field's own row, right under its input.
        row = browser.find_element(By.ID, f"row-{key}")
        assert error in row.find_elements(By.CLASS_NAME, "error")
        field = browser.find_element(By.NAME, key)
        assert field.get_attribute("aria-invalid") == "true"
        assert f"error-{key}" in (field.get_attribute("aria-describedby") or "")
        assert 0 <= error.location["y"] - field.location["y"] < 120
    assert len(browser.find_elements(By.CSS_SELECTOR, "p.error")) == 3


def test_after_a_failed_run_the_error_summary_has_the_focus(browser: Any, address: str) -> None:
    """The page came back at its top, the problems far below out of sight:
    now the summary of problems takes the focus, in view, and each of its
    links moves the focus to its field."""
    from selenium.webdriver.common.by import By

    browser.set_window_size(390, 900)
    try:
        browser.get(address)
        _fill(browser, RECORDED | {"volunteers_trained": "0"})
        _run(browser)
        summary = browser.find_element(By.ID, "error-summary")
        assert browser.switch_to.active_element == summary
        top = browser.execute_script("return arguments[0].getBoundingClientRect().top", summary)
        assert -1 < top < 100
        assert "Volunteers trained: expected at least 1 volunteer" in summary.text
        summary.find_element(By.CSS_SELECTOR, "a[data-field='field-volunteers_trained']").click()
        field = browser.find_element(By.ID, "field-volunteers_trained")
        assert browser.switch_to.active_element == field
        assert field.get_attribute("aria-invalid") == "true"
        box = browser.execute_script("return arguments[0].getBoundingClientRect()", field)
        assert 0 <= box["top"] < 900
        # Wider than the phone's screen, nothing: the page does not scroll sideways.
        width = browser.execute_script("return document.documentElement.scrollWidth")
        assert width <= 390
    finally:
        browser.set_window_size(1200, 1000)


#: A new area with answers far from the pilots, as typed into the form.
KIRKLEES = kirklees.KIRKLEES


@pytest.mark.parametrize("size", [(1280, 800), (390, 844)], ids=["laptop", "phone"])
def test_after_a_run_the_page_opens_at_the_results(
    browser: Any, address: str, size: tuple[int, int]
) -> None:
    """The page came back at the top of the form, the results some 3,400 px
    (a laptop) or 5,700 px (a phone) below, so it looked as if nothing had
    happened: now it opens at the results, the answers to check first, and
    each of those links to its field."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    width, height = size
    browser.set_window_size(width, height)
    try:
        browser.get(address)
        _fill(browser, KIRKLEES)
        _open_settings(browser, DRAWS, 0)
        _run(browser)
        WebDriverWait(browser, 10).until(lambda d: d.execute_script("return window.scrollY") > 0)
        inner = browser.execute_script("return window.innerHeight")
        heading = browser.find_element(By.ID, "results-title")
        top = browser.execute_script("return arguments[0].getBoundingClientRect().top", heading)
        assert 0 <= top < inner / 2
        assert "Kirklees" in heading.text
        box = browser.find_element(By.ID, "cautions")
        rect = browser.execute_script("return arguments[0].getBoundingClientRect()", box)
        assert top < rect["top"] < inner  # under the heading, in view
        assert "Check these answers" in box.text
        assert "Share referred: 50% of births referred" in box.text
        assert browser.execute_script("return document.documentElement.scrollWidth") <= width
        box.find_element(By.CSS_SELECTOR, "a[data-field='field-coordinator_salary']").click()
        field = browser.find_element(By.ID, "field-coordinator_salary")
        assert browser.switch_to.active_element == field
        assert field.get_attribute("value") == "3200"
        place = browser.execute_script("return arguments[0].getBoundingClientRect().top", field)
        assert 0 <= place < inner
    finally:
        browser.set_window_size(1200, 1000)


def test_answers_that_cannot_be_used_still_open_at_the_summary(browser: Any, address: str) -> None:
    """The form's address names the results; with none, the page opens at
    the summary of problems as before."""
    from selenium.webdriver.common.by import By

    browser.get(address)
    _fill(browser, KIRKLEES | {"coordinator_fte": "lots"})
    _run(browser)
    summary = browser.find_element(By.ID, "error-summary")
    assert browser.switch_to.active_element == summary
    top = browser.execute_script("return arguments[0].getBoundingClientRect().top", summary)
    assert -1 < top < 100


@pytest.mark.parametrize("area", ["", "Bournemouth, Christchurch and Poole", "A" * 80])
def test_results_fit_a_phone(browser: Any, address: str, area: str) -> None:
    """At 390 px the tables scrolled sideways, the charts' text was too small
    to read and the perspective choice was cut off; an area name of 80
    letters made the page scroll sideways."""
    from selenium.webdriver.common.by import By

    browser.set_window_size(390, 900)
    try:
        browser.get(address)
        _fill(browser, RECORDED | ({"area": area} if area else {}))
        _open_settings(browser, DRAWS, 0)
        _run(browser)
        assert browser.find_element(By.ID, "results")
        width = browser.execute_script("return document.documentElement.clientWidth")
        assert browser.execute_script("return document.documentElement.scrollWidth") <= width
        for element in browser.find_elements(By.CSS_SELECTOR, "table.figures, select, figure img"):
            box = browser.execute_script("return arguments[0].getBoundingClientRect()", element)
            assert box["right"] <= width, element.get_attribute("id")
        # Each figure is labelled by its column's heading.
        cell = browser.find_element(By.CSS_SELECTOR, "#headline-return td.median")
        label = browser.execute_script(
            "return getComputedStyle(arguments[0], '::before').content", cell
        )
        assert label == '"Median"'
        # The charts are the narrow drawings, shown at about their own size.
        for image in browser.find_elements(By.CSS_SELECTOR, "figure.chart img"):
            src = image.get_attribute("currentSrc")
            source = image.find_element(By.XPATH, "../source").get_attribute("srcset")
            assert src.endswith(source) and source.startswith("/chart/")  # drawn when asked
            shown = browser.execute_script("return arguments[0].clientWidth", image)
            natural = browser.execute_script("return arguments[0].naturalWidth", image)
            assert natural / shown < 2.1
    finally:
        browser.set_window_size(1200, 1000)


def test_downloaded_yaml_validates_and_runs_to_the_same_headline(
    browser: Any, address: str, downloads: Path
) -> None:
    from selenium.webdriver.common.by import By

    browser.get(address)
    _fill(browser, RECORDED)
    _open_settings(browser, DRAWS, 2)
    _run(browser)
    expected = _exact(browser, "#headline-return .expected")
    browser.find_element(By.ID, "download-yaml").click()
    target = downloads / "riverside.yaml"
    deadline = time.monotonic() + 60
    while not target.exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert target.exists(), sorted(p.name for p in downloads.iterdir())
    checked = subprocess.run(
        [sys.executable, "-m", "sroi", "validate", str(target)],
        capture_output=True,
        text=True,
        cwd=downloads,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    ran = subprocess.run(
        [
            sys.executable,
            "-m",
            "sroi",
            "run",
            target.name,
            "--draws",
            str(DRAWS),
            "--seed",
            "2",
            "--json",
        ],
        capture_output=True,
        text=True,
        cwd=downloads,
    )
    assert ran.returncode == 0, ran.stderr
    (scenario,) = json.loads(ran.stdout)["scenarios"]
    assert scenario["id"] == "riverside"
    assert scenario["headline"]["ratio"]["expected"] == expected


def test_no_request_left_127_0_0_1(browser: Any, address: str) -> None:
    """Every request of a session (form, run, charts, download) went to the app."""
    from selenium.webdriver.common.by import By

    _requests(browser)  # start afresh
    browser.get_log("browser")
    browser.get(address)
    _fill(browser, RECORDED)
    _open_settings(browser, 200, 0)
    _run(browser)
    browser.find_element(By.ID, "download-yaml").click()
    time.sleep(1)
    urls = _requests(browser)
    assert any(u.startswith(address) for u in urls)
    assert any(u.startswith(address + "static/") for u in urls)
    elsewhere = [u for u in urls if not (u.startswith(address) or u.startswith("data:"))]
    assert elsewhere == []
    errors = [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]
    assert errors == []
    # Positive control: a request elsewhere does show in the log (it goes to
    # the dead proxy, and a .invalid name never resolves anyway).
    from selenium.common.exceptions import WebDriverException

    with contextlib.suppress(WebDriverException):  # the page cannot load: that is the point
        browser.get("http://sroi-control.invalid/")
    assert "http://sroi-control.invalid/" in _requests(browser)
