"""The page's downloads, made in memory: the scenario file, the HTML report
and the Excel workbook.

Each is what the command line writes from the downloaded scenario file
``ID.yaml``: the report and workbook are those of::

    sroi report ID.yaml -o ID.html --xlsx ID.xlsx --draws N --seed S [--price-year Y]
        [--perspective P]

run in the folder the file is saved in (the same run, the same command in
the manifest, the same file name and SHA-256), apart from the time the report
says it was generated.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from sroi.app.compute import run_scenario
from sroi.app.form import RunSettings
from sroi.app.proposal import Prepared
from sroi.scenario import Scenario

#: What can be downloaded.
Kind = Literal["yaml", "html", "xlsx"]
#: The media type of each download.
MEDIA_TYPES: dict[str, str] = {
    "yaml": "application/yaml; charset=utf-8",
    "html": "text/html; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@dataclass(frozen=True)
class Download:
    """A file to send: its name, media type and bytes."""

    file_name: str
    media_type: str
    content: bytes


def report_command(prepared: Prepared, settings: RunSettings) -> str:
    """The ``sroi report`` command that makes the same report from the
    downloaded file, as its manifest records it."""
    import argparse

    from sroi.cli import report_cmd

    parser = argparse.ArgumentParser(prog="sroi")
    report_cmd.add_parser(parser.add_subparsers())
    stem = prepared.stem
    words = ["report", prepared.file_name, "-o", f"{stem}.html", "--xlsx", f"{stem}.xlsx"]
    words += ["--draws", str(settings.draws), "--seed", str(settings.seed)]
    if settings.price_year is not None:
        words += ["--price-year", str(settings.price_year)]
    words += ["--perspective", settings.perspective]
    return report_cmd.command_line(parser.parse_args(words))


def make(kind: Kind, prepared: Prepared, settings: RunSettings) -> Download:
    """The download of ``kind`` for a prepared scenario, in memory.

    Raises
    ------
    ImportError
        For the workbook when xlsxwriter is not installed.
    """
    stem = prepared.stem
    if kind == "yaml":
        return Download(prepared.file_name, MEDIA_TYPES[kind], prepared.text.encode("utf-8"))
    from sroi.reports import html
    from sroi.reports.report import build

    results = run_scenario(prepared, settings, keep_outcomes=True)
    report = build(
        [results_scenario(prepared, settings)], results, command=report_command(prepared, settings)
    )
    if kind == "html":
        return Download(f"{stem}.html", MEDIA_TYPES[kind], html.render(report).encode("utf-8"))
    from sroi.reports import xlsx

    return Download(f"{stem}.xlsx", MEDIA_TYPES[kind], xlsx.workbook_bytes(report))


def results_scenario(prepared: Prepared, settings: RunSettings) -> Scenario:
    """The scenario as the report shows it: at the chosen price year's prices."""
    if settings.price_year is None:
        return prepared.scenario
    from sroi.scenario.money import with_price_year

    return with_price_year(prepared.scenario, settings.price_year)


__all__ = ["MEDIA_TYPES", "Download", "Kind", "make", "report_command"]
