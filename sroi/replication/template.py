"""The replication template: where it is, its merged values, and its advice.

The template (``scenarios/replication/new_area.yaml``, installed with sroi)
is an ordinary scenario that a proposal extends.  Its comments advise what to set where an
area already has something; the lines among them that read::

    # replicate if public_transport=yes: volunteers.expenses_per_hour = {pert: [1, 1.5, 2]}

say, in a form :func:`read_advice` parses, what one yes/no answer of
``sroi replicate`` sets.  That advice is kept in the template and nowhere
else.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from sroi.scenario.bundled import PILOT_SITES, REPLICATION_TEMPLATE, bundled_path
from sroi.scenario.loader import check_document, load_document
from sroi.scenario.problems import DOCUMENT, Mark, Problem, ScenarioError
from sroi.scenario.values import DISTRIBUTION_KEYS
from sroi.scenario.yamlio import Document


def template_path() -> Path:
    """The replication template every proposal extends."""
    return bundled_path(REPLICATION_TEMPLATE)


def pilots_path() -> Path:
    """The folder of the four pilot sites a proposal is shown next to."""
    return bundled_path(PILOT_SITES)


_ADVICE_START = re.compile(r"^\s*#\s*replicate if\b")
_ADVICE = re.compile(
    r"^\s*#\s*replicate if (?P<answer>\w+)=(?P<when>yes|no):\s*"
    r"(?P<path>[a-z_][\w.]*)\s*=\s*(?P<value>\S.*?)\s*$"
)


@dataclass(frozen=True)
class Advice:
    """What the template advises for one yes/no answer.

    answer : str
        Field of :class:`~sroi.replication.answers.Answers`, e.g. ``"public_transport"``.
    when : bool
        The answer the advice applies to.
    path : str
        Dotted path of the value it sets, e.g. ``"volunteers.expenses_per_hour"``.
    value : dict
        The value to write, as a value mapping (``{"value": 0}``, ``{"pert": [...]}``)
        [unit of the field].
    line : int
        1-based line of the advice in the template.
    """

    answer: str
    when: bool
    path: str
    value: dict[str, Any]
    line: int


def read_advice(text: str, file: str) -> tuple[Advice, ...]:
    """Every ``# replicate if`` line of a template's ``text``.

    >>> read_advice("  # replicate if management=yes: costs.x.amount = 0\\n", "t.yaml")[0].value
    {'value': 0}

    Raises
    ------
    ScenarioError
        For a ``# replicate if`` line that does not parse, located in ``file``.
    """
    found: list[Advice] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not _ADVICE_START.match(line):
            continue
        match = _ADVICE.match(line)
        value: Any = None
        if match:
            try:
                value = yaml.safe_load(match["value"])
            except yaml.YAMLError:
                value = None
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = {"value": value}
        if not match or not isinstance(value, dict) or len(value) != 1:
            expected = (
                "expected '# replicate if ANSWER=yes|no: dotted.path = VALUE', with VALUE a "
                "number or a one-key mapping such as {pert: [1, 2, 3]}"
            )
            raise ScenarioError([Problem(Mark(file, number, 1), "(comment)", expected)])
        found.append(Advice(match["answer"], match["when"] == "yes", match["path"], value, number))
    return tuple(found)


#: Values the calculator reads from the template, as low, central and high
#: points (:meth:`Template.points`): a template without one of them is not a
#: replication template.
READ = (
    "delivery.years",
    "delivery.referrals_per_year",
    "delivery.uptake",
    "volunteers.pool",
    "volunteers.turnover",
    "costs.coordinator.fte",
    "costs.coordinator.salary",
)
#: Distributions :meth:`Template.points` reads three points from.
_POINTS = ("pert", "triangular", "uniform", "value")
#: Placeholders for the keys a proposal sets itself, so that a template
#: without its own ``id`` or ``name`` is checked for the rest.
_OWN_KEYS = {"id": "template", "name": "Replication template"}


def _at(data: Any, dotted: str) -> Any:
    """The node at ``dotted`` in ``data``, or None when any step is missing or
    not a mapping."""
    node = data
    for part in dotted.split("."):
        if not isinstance(node, dict):
            return None
        node = node.get(part)
    return node


def _not_a_template(doc: Document, path: str) -> Problem:
    where = doc.mark(tuple(path.split(".")))
    return Problem(where, DOCUMENT, f"the template is not a replication template: it has no {path}")


def check_template(doc: Document) -> list[Problem]:
    """Problems that keep a loaded template (``extends`` followed, no
    problems loading it) from serving the calculator: a document that is not
    a replication template (it lacks a value in :data:`READ`), any problem
    it has as a scenario (each located in the template or a file it extends),
    or a value in :data:`READ` that is not a PERT, triangular, uniform or
    fixed value."""
    data = doc.data if isinstance(doc.data, dict) else {}
    missing = [path for path in READ if _at(data, path) is None]
    # Without delivery years it is no replication template: say so alone,
    # rather than list everything a scenario needs.
    if READ[0] in missing:
        return [_not_a_template(doc, READ[0])]
    own = {k: v for k, v in _OWN_KEYS.items() if k not in data}
    checked = Document(doc.file, {**data, **own}, doc.values, doc.keys, [])
    _, problems = check_document(checked)
    if problems:
        return problems
    if missing:
        return [_not_a_template(doc, path) for path in missing]
    for path in READ:
        node = _at(data, path)
        kind = "value"
        if isinstance(node, dict):
            kind = next((k for k in node if k in DISTRIBUTION_KEYS), "value")
        if kind not in _POINTS:
            parts = tuple(path.split("."))
            problems.append(
                Problem(
                    doc.mark((*parts, str(kind)), key=True),
                    path,
                    "the replication calculator reads a pert, triangular, uniform or fixed "
                    f"value here; found {kind}",
                )
            )
    return problems


@dataclass(frozen=True)
class Template:
    """A loaded replication template.

    path : Path
        The template file.
    data : dict
        Its merged data (``extends`` followed), as plain YAML data.
    advice : tuple of Advice
        Its ``# replicate if`` lines.
    """

    path: Path
    data: dict[str, Any]
    advice: tuple[Advice, ...]

    @classmethod
    def load(cls, path: str | os.PathLike[str] | None = None) -> Template:
        """Read the template at ``path`` (default :func:`template_path`).

        Raises
        ------
        ScenarioError
            When the template or a file it extends has a problem.
        """
        path = Path(path) if path is not None else template_path()
        doc = load_document(path, str(path))
        if doc.problems:
            raise ScenarioError(doc.problems)
        problems = check_template(doc)
        if problems or not isinstance(doc.data, dict):
            raise ScenarioError(problems)
        advice = read_advice(path.read_text(encoding="utf-8"), str(path))
        return cls(path, doc.data, advice)

    def node(self, path: str) -> Any:
        """The merged data at a dotted ``path`` (``KeyError`` when absent)."""
        node: Any = self.data
        for part in path.split("."):
            node = node[part]
        return node

    def value(self, path: str) -> dict[str, Any]:
        """The value mapping at ``path``: its one distribution key, plus ``source``
        when the template cites one (``{"value": x}`` for a bare number)."""
        node = self.node(path)
        if not isinstance(node, dict):
            return {"value": node}
        out = {k: v for k, v in node.items() if k in DISTRIBUTION_KEYS}
        if node.get("source"):
            out["source"] = node["source"]
        return out

    def points(self, path: str) -> tuple[float, float, float]:
        """Low, central and high points of the value at ``path`` [unit of the
        field]: a PERT or triangular's three points, a uniform's ends and
        midpoint, or a fixed value three times."""
        dist = self.value(path)
        key = next(k for k in dist if k in DISTRIBUTION_KEYS)
        spec = dist[key]
        if key in ("pert", "triangular"):
            return float(spec[0]), float(spec[1]), float(spec[2])
        if key == "uniform":
            return float(spec[0]), (float(spec[0]) + float(spec[1])) / 2, float(spec[1])
        if key == "value":
            return float(spec), float(spec), float(spec)
        raise ValueError(
            f"{path}: expected a pert, triangular, uniform or fixed value; found {key}"
        )

    def ramp(self) -> list[Any]:
        """The template's ramp entries, as written (one per delivery year)."""
        ramp = _at(self.data, "delivery.ramp")
        return list(ramp) if isinstance(ramp, list) else []

    def line_ids(self) -> list[str]:
        """Ids of the template's cost lines."""
        lines = _at(self.data, "costs.lines")
        return list(lines) if isinstance(lines, dict) else []
