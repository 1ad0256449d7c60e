"""What to check before trusting a scenario's results, at modal inputs.

The intervals of a run count the uncertainty of the inputs as written; they
say nothing of how far a scenario lies from the evidence behind them.  A
city proposal with 252 referrals a year on one full-time co-ordinator can
show a 100% chance of a return above 1 while resting on pilots that saw 32
to 45 referrals a year, each on a part-time post.  :func:`scenario_cautions`
says so wherever the results are shown (``sroi run``, ``sroi compare``, the
report and the JSON documents), with the same words ``sroi replicate`` used
when it wrote the file:

* the caseload at full running, beyond the pilots' (under half the fewest
  referrals a year a pilot site had, or over twice the most);
* a co-ordinator post smaller for its caseload than the pilots' busiest;
* a co-ordinator salary far outside the pilots' range, at the same prices
  (scenarios in the template's currency only);
* a volunteer pool that caps the caseload (:mod:`sroi.results.capacity`).

The pilots' figures are those of :mod:`sroi.replication.cautions`; the
bundled pilot scenarios raise none of these.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from sroi.replication.cautions import caseload_message, post_message, salary_message
from sroi.replication.template import Template
from sroi.results.capacity import capacity_cap
from sroi.sampling.sampler import ScenarioSampler
from sroi.scenario.model import Scenario
from sroi.scenario.money import value_price_year


@dataclass(frozen=True)
class ScenarioCaution:
    """One thing to check about a scenario's results.

    path : str
        The value it is about, dotted (``"delivery.referrals_per_year"``).
    message : str
        What is far from the pilots' experience, and why it matters; no
        final full stop (see :attr:`sentence`).
    """

    path: str
    message: str

    @property
    def sentence(self) -> str:
        """The message as a sentence, ending in a full stop."""
        return self.message if self.message.endswith((".", "?", "!")) else f"{self.message}."


@functools.cache
def _template() -> Template:
    return Template.load()


def scenario_cautions(scenario: Scenario) -> list[ScenarioCaution]:
    """Everything to check about ``scenario``'s results, at every input's
    central value: its caseload, co-ordinator post and salary where they lie
    beyond the pilots' experience, then where its volunteer pool caps the
    caseload; an empty list for a scenario like the pilots."""
    x = ScenarioSampler.build(scenario, 0).central()
    ramp = max(scenario.ramp(), default=1.0)
    referrals = float(x["delivery.referrals_per_year"]) * float(ramp)
    fte = float(x["costs.coordinator.fte"])
    template = _template()
    out: list[ScenarioCaution] = []
    found = caseload_message(referrals)
    if found is not None:
        out.append(ScenarioCaution("delivery.referrals_per_year", found))
    found = post_message(fte, referrals, template)
    if found is not None:
        out.append(ScenarioCaution("costs.coordinator.fte", found))
    if scenario.currency == template.data.get("currency", "GBP"):
        salary = scenario.costs.coordinator.salary
        year = value_price_year(scenario, salary)
        found = salary_message(float(x["costs.coordinator.salary"]), year, template)
        if found is not None:
            out.append(ScenarioCaution("costs.coordinator.salary", found))
    cap = capacity_cap(scenario)
    if cap is not None:
        out.append(ScenarioCaution("volunteers.pool", cap.sentence()))
    return out


__all__ = ["ScenarioCaution", "scenario_cautions"]
