"""Make docs/img/report.png: the top of an HTML report with numbered callouts.

Usage (needs Debian's chromium and chromium-driver, and selenium)::

    sroi report scenarios/family_action_pss -o report.html
    python docs/img/make_report_png.py report.html docs/img/report.png

Headless Chromium renders the report 1280 pixels wide; the script reads where
the sections sit on the page, draws a numbered marker beside each and a box
round it, and keeps the top of the page (the part a commissioner reads first).
The numbers are explained in docs/reading-the-report.md.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

#: (number, CSS selector, which match) of each callout, in reading order.
CALLOUTS = (
    (1, "p.run", 0),
    (2, "#glance .card", 0),
    (3, "#glance .card", 1),
    (4, "#glance .card", 2),
    (5, "#findings ul", 0),
    (6, "table.headline tr.key", 0),
    (7, "table.headline tr.key", 1),
    (8, "table.headline tr.key", 2),
)
WIDTH = 1280
COLOUR = (213, 94, 0)  # Okabe-Ito vermillion


def screenshot(page: Path, png: Path) -> dict[int, tuple[float, float, float, float]]:
    """A full-width screenshot of ``page``; returns each callout's box."""
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--hide-scrollbars",
        f"--user-data-dir={tempfile.mkdtemp()}",
        f"--window-size={WIDTH},1000",
    ):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    try:
        driver.get(page.resolve().as_uri())
        height = driver.execute_script("return document.documentElement.scrollHeight")
        driver.set_window_size(WIDTH, height)
        boxes = {}
        for number, selector, which in CALLOUTS:
            r = driver.execute_script(
                "const r = document.querySelectorAll(arguments[0])[arguments[1]]"
                ".getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom];",
                selector,
                which,
            )
            boxes[number] = tuple(r)
        driver.save_screenshot(str(png))
    finally:
        driver.quit()
    return boxes


def annotate(png: Path, boxes: dict[int, tuple[float, float, float, float]]) -> None:
    """Draw a box and a numbered disc for each callout, in place."""
    image = Image.open(png).convert("RGB")
    draw = ImageDraw.Draw(image)
    try:
        font = ImageFont.truetype("DejaVuSans-Bold.ttf", 22)
    except OSError:
        font = ImageFont.load_default()
    for number, (left, top, right, bottom) in boxes.items():
        draw.rectangle([left - 4, top - 3, right + 4, bottom + 3], outline=COLOUR, width=3)
        cx, cy, radius = max(left - 24, 18), top + 14, 16
        draw.ellipse([cx - radius, cy - radius, cx + radius, cy + radius], fill=COLOUR)
        draw.text((cx, cy), str(number), fill="white", font=font, anchor="mm")
    keep = min(image.height, int(max(b[3] for b in boxes.values())) + 24)
    image = image.crop((0, 0, image.width, keep))
    image = image.resize((image.width * 3 // 4, keep * 3 // 4), Image.LANCZOS)
    image.save(png, optimize=True)


def main(page: str, out: str) -> None:
    target = Path(out)
    annotate(target, screenshot(Path(page), target))


if __name__ == "__main__":
    main(*sys.argv[1:3])
