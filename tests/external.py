"""Programs outside Python that some tests need, and what a missing one does.

Locally a missing program skips the tests that need it, and the summary
shows the reason (``-rs`` in ``pyproject.toml``).  With
``SROI_REQUIRE_EXTERNAL=1`` (``.ci/run`` sets it) a missing program fails
those tests instead, so CI cannot pass without the browser and workbook
checks.
"""

from __future__ import annotations

import importlib
import os
import shutil
from types import ModuleType
from typing import NoReturn

import pytest

#: The environment variable that turns a missing program into a failure.
REQUIRE = "SROI_REQUIRE_EXTERNAL"


def required() -> bool:
    """Whether a missing program fails the tests (``SROI_REQUIRE_EXTERNAL=1``)."""
    return os.environ.get(REQUIRE, "").strip() not in ("", "0")


def missing(reason: str) -> NoReturn:
    """Skip the current test, or module, for ``reason``; fail instead when
    :func:`required`."""
    if required():
        pytest.fail(f"{reason} ({REQUIRE}=1 makes this a failure)", pytrace=False)
    pytest.skip(reason, allow_module_level=True)


def program(*names: str, install: str) -> str:
    """The path of the first of ``names`` found on PATH, or :func:`missing`
    with how to ``install`` it."""
    for name in names:
        found = shutil.which(name)
        if found:
            return found
    missing(f"{' or '.join(names)} is not installed: {install}")


def module(name: str, install: str) -> ModuleType:
    """The Python module ``name``, or :func:`missing` with how to ``install`` it."""
    try:
        return importlib.import_module(name)
    except ImportError:
        missing(f"the Python module {name} is not installed: {install}")
