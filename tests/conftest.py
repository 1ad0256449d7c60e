"""Shared test configuration: hypothesis profiles.

``HYPOTHESIS_PROFILE`` picks one (default ``dev``); ``.ci/run`` exports
``HYPOTHESIS_PROFILE=ci``.

``dev``
    fast: 25 examples a property, random each run (failures are saved in the
    local example database and replayed first next time).
``ci``
    thorough and reproducible: 200 examples a property, derandomized (the
    same examples on every run and machine), no deadline (shared CI runners
    are slow and uneven), and a reproduction blob printed with any failure.
"""

from __future__ import annotations

import os

from hypothesis import settings

settings.register_profile(
    "ci",
    max_examples=200,
    deadline=None,
    derandomize=True,
    database=None,
    print_blob=True,
)
settings.register_profile("dev", max_examples=25, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))
