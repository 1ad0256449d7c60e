"""Small scenarios for the report tests, written to a folder on demand.

Between them they exercise what the workbook's formulas must reproduce: a
ramp, lags, fractional and uncertain durations, drop-off, per-outcome and
scenario-wide adjustments, a negative proxy, different delivery years per
site, the end_of_year convention, a constant (uncertain) rate and undiscounted
costs.
"""

from __future__ import annotations

from pathlib import Path

TOY_A = """\
schema_version: 1
id: toy_a
name: Toy A (three years, green book)
currency: GBP
price_year: 2011
sources:
  made_up: {citation: "Made-up source for tests (2020)", year: 2020}
delivery:
  years: 3
  referrals_per_year: {pert: [30, 40, 60], source: made_up, evidence: local_data}
  ramp: [0.5, 1, 1.2]
  uptake: {uniform: [0.5, 0.8], evidence: assumption}
  engagement: 0.8
volunteers:
  pool: 6
  turnover: 0.3
  hours_per_user: 10
  training_hours: 12
  supervision_hours_per_year: 6
  expenses_per_hour: 2
  value_per_hour: 9
costs:
  coordinator: {fte: 0.5, salary: {pert: [20000, 24000, 30000]}, on_costs: 0.2}
  lines:
    room: {label: Room hire, amount: 800, per: year}
    launch: {label: Launch, amount: 1500, per: once}
effect:
  risk_without: {beta: {successes: 20, trials: 40}, evidence: rct, source: made_up}
  relative_risk: {pert: [0.4, 0.6, 0.9], evidence: rct, source: made_up}
adjustments:
  attribution: {pert: [0, 0.1, 0.3], evidence: assumption}
  drop_off: 0.25
outcomes:
  lasting_benefit:
    label: A benefit that lasts 2.5 years after a lag
    stakeholder: Mothers
    indicator: Cases averted
    payer: individual
    value_type: social
    per: case_averted
    probability: {pert: [0.3, 0.6, 0.9], evidence: assumption}
    proxy: {pert: [2000, 3000, 5000], source: made_up, evidence: observational}
    duration: {pert: [1.5, 2.5, 3.5], evidence: assumption}
    lag: 1
    deadweight: 0.1
  saving:
    label: A fiscal saving in the year
    stakeholder: NHS
    payer: nhs
    value_type: fiscal
    cashable: true
    per: engaged_user
    proxy: {value: 150, evidence: published_unit_cost, source: made_up}
    duration: 0.5
    displacement: {uniform: [0, 0.2]}
  burden:
    label: Extra paperwork for the council
    stakeholder: Local authority
    payer: local_authority
    value_type: fiscal
    per: referral
    proxy: -25
    duration: 1
    drop_off: 0
discounting:
  schedule: green_book
"""

TOY_B = """\
schema_version: 1
id: toy_b
name: Toy B (two years, constant rate, end of year, costs undiscounted)
currency: GBP
price_year: 2011
delivery:
  years: 2
  referrals_per_year: 25
  uptake: 0.6
volunteers:
  pool: {triangular: [3, 4, 6]}
  turnover: 0.5
  max_users_per_volunteer: 4
  hours_per_user: 12
  training_hours: 10
  supervision_hours_per_year: 5
  expenses_per_hour: 1
  value_per_hour: 8
  value_time_as_input: false
costs:
  coordinator: {fte: 0.4, salary: 22000, on_costs: 0.15}
effect:
  risk_without: 0.4
  risk_with: {uniform: [0.2, 0.35]}
outcomes:
  volunteering:
    label: Volunteer wellbeing
    stakeholder: Volunteers
    payer: society
    value_type: social
    per: volunteer
    proxy: {range90: [1000, 3000]}
    duration: {uniform: [1, 2.5]}
    drop_off: {pert: [0.1, 0.3, 0.6]}
  user_value:
    label: Value to users
    stakeholder: Users
    payer: individual
    value_type: economic
    per: user
    probability: 0.5
    proxy: 400
    duration: 1.75
    lag: 2
discounting:
  schedule: constant
  rate: {uniform: [0.02, 0.06]}
  convention: end_of_year
  discount_costs: false
"""


def write_toys(folder: Path) -> list[Path]:
    """Write the toy scenarios into ``folder``; returns their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, text in (("toy_a.yaml", TOY_A), ("toy_b.yaml", TOY_B)):
        path = folder / name
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths
