"""The HTML report: one self-contained file a commissioner can read and an
auditor can check.

Everything is inline: CSS in a ``<style>`` element, charts as base64 PNG
``data:`` images.  A Content-Security-Policy meta tag (``default-src 'none';
img-src data:; style-src 'unsafe-inline'``) makes the browser refuse any
network request, so the page shows the same offline, in ten years, as today.

The page is ``templates/report.html`` (Jinja2, autoescaped) filled with
:func:`sroi.reports.page.context`; this module only renders and writes it.
"""

from __future__ import annotations

import os

from sroi.files import Output, write_text
from sroi.reports import page
from sroi.reports.report import Report
from sroi.reports.templating import render as render_template


def render(report: Report) -> str:
    """The report as one self-contained HTML document."""
    return render_template("report.html", **page.context(report))


def write(report: Report, path: Output | str | os.PathLike[str]) -> None:
    """Render ``report`` and write it to ``path``, whole or not at all."""
    write_text(path, render(report))
