"""A new area whose answers are each valid but far from the pilots, as typed
into the page's form: a share of 0.5 (read as 50%, half a percent meant), a
part-time post for that caseload and a month's pay as the salary
(tests/test_replicate_cautions.py has the rules)."""

KIRKLEES = {
    "area": "Kirklees",
    "births": "5300",
    "share_referred": "0.5",
    "coordinator_fte": "0.8",
    "coordinator_salary": "3200",
    "money_year": "2025",
    "childrens_centre": "yes",
    "management": "yes",
    "it_systems": "yes",
    "referral_network": "no",
    "public_transport": "yes",
}
