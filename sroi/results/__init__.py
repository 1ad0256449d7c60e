"""Stage 4: per-draw metrics -> summaries, tables and the JSON document."""

from sroi.results.results import Results

__all__ = ["Results"]
