"""Declared limits on what a scenario and a run may ask for.

Each limit is far beyond what a real appraisal needs, and keeps memory and
time in check: the engine holds arrays of (draws in a chunk) x (analysis
years), so a bounded horizon bounds memory by the chunk size.  The Green Book
appraises over 60 years by default and up to 125 years or more for very long
lived assets; a horizon of :data:`MAX_HORIZON_YEARS` leaves ample room.

Validation enforces them with located errors
(:func:`sroi.scenario.checks.check_limits`); the command line refuses a
``--draws`` or a number of scenarios beyond them.  This module imports
nothing, so every stage may read it.
"""

from __future__ import annotations

#: Most delivery years [years].  The workbook writes one formula term per
#: delivery year into each value cell; past about 75 terms the formula passes
#: the spreadsheet limit of 8,192 characters.
MAX_DELIVERY_YEARS = 50
#: Longest lag from a cohort year to the first value of an outcome [years].
MAX_LAG_YEARS = 100
#: Longest possible duration of an outcome (the top of its support) [years].
MAX_DURATION_YEARS = 200
#: Most years over which one outcome's value may be spread, and most years
#: from its lag to the first of them [years]: a lifetime, with room to spare.
MAX_SPREAD_YEARS = 150
#: Longest analysis horizon: delivery years plus the longest lag and duration
#: of any outcome [years].
MAX_HORIZON_YEARS = 300
#: Largest magnitude of any number in a scenario file; a trillion (of any
#: currency, count or hours) is beyond every real appraisal, and keeps sums and
#: products of draws far from floating-point overflow.
MAX_MAGNITUDE = 1e12
#: Smallest magnitude of any number in a scenario file other than 0.  With
#: every number between it and :data:`MAX_MAGNITUDE`, a ratio of products of
#: draws (a unit cost, a cost per case averted) and the sum of its squares
#: stay far from floating-point overflow and underflow; 1e-300 referrals a
#: year made a unit cost of 4e304 that overflowed.
MIN_MAGNITUDE = 1e-12
#: Longest horizon the engine accepts [years]: above :data:`MAX_HORIZON_YEARS`
#: because analyses may lengthen a duration past the scenario's own (a
#: break-even duration), still bounding per-chunk memory.
MAX_ENGINE_HORIZON_YEARS = 1_000
#: Most Monte Carlo draws in one run [draws].
MAX_DRAWS = 100_000_000
#: Fewest Monte Carlo draws the command line runs without a warning [draws]
#: (``--draws 0``, the base case alone, is not warned of).  Below it a
#: reported chance is uncertain by more than about 3 percentage points
#: (95% half-width 1.96 x sqrt(0.25 / N) at 0.5), and a 5th or 95th
#: percentile rests on fewer than 50 draws beyond it.
FEW_DRAWS = 1_000
#: Most scenarios in one report [scenarios]; each adds charts, rows and columns.
MAX_REPORT_SCENARIOS = 50
#: Most characters in a name or label (a scenario's name, an outcome's
#: label, a region, ...): each is shown in tables, charts and messages.
MAX_LINE_CHARS = 200
#: Most characters in an id (a scenario's, an outcome's, a cost line's, a
#: source's): ids are column names, file names and keys in every output.
MAX_ID_CHARS = 100


__all__ = [
    "MAX_DELIVERY_YEARS",
    "MAX_DRAWS",
    "MAX_DURATION_YEARS",
    "MAX_ENGINE_HORIZON_YEARS",
    "MAX_HORIZON_YEARS",
    "MAX_ID_CHARS",
    "MAX_LAG_YEARS",
    "MAX_LINE_CHARS",
    "MAX_MAGNITUDE",
    "MAX_REPORT_SCENARIOS",
    "MAX_SPREAD_YEARS",
    "MIN_MAGNITUDE",
]
