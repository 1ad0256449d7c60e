"""Make docs/img/app-form.png and docs/img/app-results.png: the web page of
``sroi app`` as a commissioner sees it.

Usage (needs the app extra, Debian's chromium and chromium-driver, and selenium)::

    python docs/img/make_app_png.py docs/img

Starts ``sroi app --port 0 --no-browser``, opens it in headless Chromium
1100 pixels wide, enters the recorded counts of the worked example in
docs/replicate.md with one mistake (a share accepted of 140%), and
screenshots the field marked with its error; then corrects it, runs 10,000
draws and screenshots the results.  The server is stopped at the end.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
from pathlib import Path

from PIL import Image
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import Select, WebDriverWait

from sroi.app.example import TYPED

WIDTH = 1100
# A share of 140% shows how a bad entry is marked beside its field.
ANSWERS = {**TYPED, "share_accepted": "140%"}


def fill(driver: webdriver.Chrome, answers: dict[str, str]) -> None:
    for key, value in answers.items():
        element = driver.find_element(By.NAME, key)
        if element.tag_name == "select":
            Select(element).select_by_value(value)
        else:
            element.clear()
            element.send_keys(value)


def submit(driver: webdriver.Chrome) -> None:
    old = driver.find_element(By.TAG_NAME, "html")
    driver.find_element(By.ID, "run").click()
    WebDriverWait(driver, 300).until(ec.staleness_of(old))


def shoot(driver: webdriver.Chrome, png: Path, top: float, bottom: float) -> None:
    """Screenshot the page from ``top`` to ``bottom`` [CSS px]."""
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(WIDTH, height + 200)
    full = Path(tempfile.mkdtemp()) / "full.png"
    driver.save_screenshot(str(full))
    Image.open(full).crop((0, int(top), WIDTH, int(bottom))).save(png, optimize=True)


def main(folder: Path) -> None:
    server = subprocess.Popen(
        [sys.executable, "-m", "sroi", "app", "--port", "0", "--no-browser"],
        stdout=subprocess.PIPE,
        text=True,
    )
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--hide-scrollbars",
        f"--user-data-dir={tempfile.mkdtemp()}",
        f"--window-size={WIDTH},1000",
    ):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    try:
        assert server.stdout is not None
        found = re.search(r"http://127\.0\.0\.1:\d+/", server.stdout.readline())
        assert found, "sroi app did not print its address"
        driver.get(found[0])
        fill(driver, ANSWERS)
        submit(driver)
        row = driver.find_element(By.ID, "row-share_accepted")
        y = row.location["y"]
        shoot(driver, folder / "app-form.png", y - 330, y + row.size["height"] + 250)
        fill(driver, {"share_accepted": "85%"})
        submit(driver)
        results = driver.find_element(By.ID, "results")
        pilots = driver.find_element(By.ID, "pilots")
        bottom = pilots.location["y"] + pilots.size["height"] + 20
        shoot(driver, folder / "app-results.png", results.location["y"] - 10, bottom)
    finally:
        driver.quit()
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main(Path(sys.argv[1]))
