"""Charts of a run, each a :class:`matplotlib.figure.Figure`.

Every function builds its own ``Figure`` (no pyplot, no global state), so
charts can be made in threads, saved with ``fig.savefig(...)`` or shown in a
notebook.  All share one style: the Okabe-Ito colour-blind-safe palette, axes
labelled with units, and a title that says what to conclude, computed from
the numbers (e.g. "Oxford returns £2.29 per £1 expected").

Examples
--------
>>> import sroi
>>> results = sroi.run("scenarios/family_action_pss/oxford.yaml", draws=300, seed=1)
>>> fig = sroi_distribution(results)
>>> fig.get_suptitle()[:45]
'Oxford returns £2.29 per £1 expected (median '
"""

from __future__ import annotations

from sroi.reports.plots.cashflow import cumulative_net
from sroi.reports.plots.comparison import site_comparison
from sroi.reports.plots.distribution import sroi_distribution
from sroi.reports.plots.evidence import evidence_profile
from sroi.reports.plots.payers import value_by_payer
from sroi.reports.plots.probability import probability_curve
from sroi.reports.plots.profiles import value_profiles
from sroi.reports.plots.sensitivity import tornado

__all__ = [
    "cumulative_net",
    "evidence_profile",
    "probability_curve",
    "site_comparison",
    "sroi_distribution",
    "tornado",
    "value_by_payer",
    "value_profiles",
]
