"""The calculation engine: caseload, costs, outcomes and discounting, one draw per row."""
