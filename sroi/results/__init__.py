"""Stage 4: per-draw metrics -> summaries, tables and the JSON document."""

from sroi.results.results import Results
from sroi.results.run_info import RunInfo, ScenarioInfo

__all__ = ["Results", "RunInfo", "ScenarioInfo"]
