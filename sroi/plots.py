"""Charts of a run, for notebooks and scripts.

Every chart is drawn from a :class:`~sroi.results.Results` alone, takes
``ax=None`` and returns a :class:`matplotlib.figure.Figure` (the tornado runs
the one-way analysis of the run's perspective on the scenarios the run kept,
:attr:`~sroi.results.Results.loaded`; it also draws a one-way table of
:func:`sroi.analysis.oneway.oneway`):

* without ``ax`` the chart builds its own figure (no pyplot, no global
  state), titled with its conclusion;
* with ``ax`` it draws into that axes of the caller's figure, puts its
  conclusion in the axes' title, leaves the rest of the figure alone and
  returns the caller's figure.  Charts of several panels draw one panel
  there: :func:`cumulative_net` and :func:`sroi_distribution` put every name
  asked for in it (default the programme, or the only site),
  :func:`site_comparison` one metric (default the SROI ratio).

A chart of several scenarios takes the ones to show as ``names``: one id
(``"oxford"``) or a list of them, each one the results hold (a misspelt id
is a ``KeyError`` naming the ids there are); default every site and the
programme.

Money is in the run's currency at its price year; ratios are currency of
value per unit of cost.

Examples
--------
>>> import sroi
>>> from matplotlib.figure import Figure
>>> from sroi import plots
>>> results = sroi.run("scenarios/family_action_pss", draws=200, seed=1)
>>> fig = Figure(figsize=(12, 4), layout="constrained")
>>> left, right = fig.subplots(1, 2)
>>> plots.value_by_payer(results, ax=left) is fig
True
>>> plots.probability_curve(results, ax=right) is fig
True
>>> right.get_title(loc="left").startswith("Programme:")
True
"""

from __future__ import annotations

from sroi.reports.plots import (
    cumulative_net,
    evidence_profile,
    probability_curve,
    site_comparison,
    sroi_distribution,
    tornado,
    value_by_payer,
    value_profiles,
)

__all__ = [
    "cumulative_net",  # cumulative discounted net position by year, and payback
    "evidence_profile",  # how much of the social return rests on each evidence grade
    "probability_curve",  # chance of at least a given return
    "site_comparison",  # sites side by side: unit cost and social return
    "sroi_distribution",  # the return of the run's perspective across the draws
    "tornado",  # one-way sensitivity: the inputs that move the return most
    "value_by_payer",  # who receives the value, per site and for the programme
    "value_profiles",  # when each payer's value arrives, by year, with a 90% band
]
