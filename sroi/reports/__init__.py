"""Stage 5: readable tables and reports of a run's results."""
