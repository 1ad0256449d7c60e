"""The worked example of docs/replicate.md, as the page's form sends it: an
area that recorded 150 referrals over two years, 85% accepted, 60 women
paired, 8 visits each over 12 weeks and 25 volunteers trained.

Tests, the page's benchmark and the screenshots for docs/app.md all start
from it, so they show the same area.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

#: Form field name -> answer, as text (a new area: ``site`` is ``"new"``).
WORKED_EXAMPLE: Mapping[str, str] = MappingProxyType(
    {
        "site": "new",
        "area": "Riverside",
        "years": "2",
        "referrals_total": "150",
        "share_accepted": "85%",
        "paired": "60",
        "visits_per_woman": "8",
        "weeks_of_support": "12",
        "volunteers_trained": "25",
        "childrens_centre": "yes",
        "management": "yes",
        "it_systems": "no",
        "referral_network": "no",
        "public_transport": "yes",
    }
)

#: The answers typed into the new-area fields (all but the ``site`` choice).
TYPED: Mapping[str, str] = MappingProxyType(
    {k: v for k, v in WORKED_EXAMPLE.items() if k != "site"}
)
