"""The Jinja2 environment that turns report contents into HTML.

Templates live in ``sroi/reports/templates/`` (shipped as package data).
Autoescape is on: every value a template prints is escaped unless a template
marks it safe, so no Python code writes or edits markup.  Undefined names
raise an error instead of printing nothing.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined


@cache
def environment() -> Environment:
    """The report's template environment (built once)."""
    return Environment(
        loader=PackageLoader("sroi.reports", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render(template: str, **context: Any) -> str:
    """Render the template named ``template`` (a file in ``templates/``) with
    ``context``."""
    return environment().get_template(template).render(**context)
