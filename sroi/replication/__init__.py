"""Replication proposals: a commissioner's answers about an area become a
scenario that extends the replication template.

* :mod:`~sroi.replication.answers`: the questions, how each answer is read,
  and the checks that span answers;
* :mod:`~sroi.replication.template`: where the template is, its values and
  its ``# replicate if`` advice;
* :mod:`~sroi.replication.rules`: the table of answers -> value paths ->
  notes;
* :mod:`~sroi.replication.writer`: the checked scenario text and file.

Asking the questions is the command line's job (``sroi replicate``);
comparing a proposal with the pilots is an analysis
(:func:`sroi.analysis.pilots.compare_with_pilots`).  See ``docs/replicate.md``.

The names below are imported on first use, so that reading the questions
(``sroi --help`` does) does not load the scenario models and numpy.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sroi.replication.answers import QUESTIONS, Answers, AnswersError
    from sroi.replication.template import pilots_path, template_path
    from sroi.replication.writer import OutputPathError, build_scenario, write_scenario

__all__ = [
    "QUESTIONS",
    "Answers",
    "AnswersError",
    "OutputPathError",
    "build_scenario",
    "pilots_path",
    "template_path",
    "write_scenario",
]


def __getattr__(name: str) -> Any:
    """Import a public name from its module on first use."""
    if name not in __all__:  # also how ``from sroi.replication import answers`` finds a module
        raise AttributeError(f"module 'sroi.replication' has no attribute {name!r}")
    from sroi.replication import answers, template, writer

    home = next(m for m in (answers, template, writer) if hasattr(m, name))
    value = getattr(home, name)
    globals()[name] = value
    return value
