"""The scenario a form names, as the YAML text a user downloads and the
validated scenario that text gives.

A new area's answers become a proposal that extends the replication template
(:func:`sroi.replication.build_scenario`); a bundled pilot site is its own
file.  Either way the text names the file it extends by its full path, so the
download reads the same wherever it is saved on this machine, and the page,
the report and the workbook are all made from exactly that text.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from sroi.analysis.pilots import proposal_cautions
from sroi.app.fields import SECTIONS
from sroi.replication import Answers, build_scenario, pilots_path
from sroi.replication.cautions import Caution
from sroi.replication.template import Template
from sroi.replication.writer import area_id
from sroi.results.load import file_digests
from sroi.scenario import Scenario, ScenarioError
from sroi.scenario.discover import scenario_files
from sroi.scenario.loader import check_text, extends_chain, load_scenario

#: The program named in a proposal's provenance.
TOOL = "sroi app"
#: Each answer as the page asks it: how the proposal's header and notes name it.
QUESTION_NAMES = {f.key: f.label for s in SECTIONS for f in s.fields}


@dataclass(frozen=True)
class Site:
    """A bundled pilot site the page offers.

    id : str
        Scenario id, e.g. ``"oxford"``.
    name : str
        Its display name.
    path : Path
        The bundled file.
    """

    id: str
    name: str
    path: Path


@cache
def pilot_sites() -> tuple[Site, ...]:
    """The four bundled pilot sites, by name."""
    sites = []
    for file in scenario_files([str(pilots_path())]):
        scenario = load_scenario(file)
        sites.append(Site(scenario.id, scenario.name, Path(file).resolve()))
    return tuple(sorted(sites, key=lambda s: s.name))


@dataclass(frozen=True)
class Prepared:
    """A scenario ready to run, with the text it comes from.

    text : str
        The scenario file as downloaded (UTF-8).
    scenario : Scenario
        What the text gives, validated.
    file_name : str
        The name it is downloaded as, ``<id>.yaml``.
    cautions : tuple of Caution
        A new area's answers that are valid but far from what the pilots saw
        (:func:`sroi.analysis.pilots.proposal_cautions`), in question order; none
        for a pilot site.
    """

    text: str
    scenario: Scenario
    file_name: str
    cautions: tuple[Caution, ...] = ()

    @property
    def sha256(self) -> str:
        """SHA-256 of the downloaded bytes, as a run records a file's."""
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()

    @property
    def extends(self) -> tuple[tuple[str, str], ...]:
        """Each file the downloaded text extends, in turn, with the SHA-256
        of its bytes, as a run records them (the text names its parent by
        its full path)."""
        found = _EXTENDS.search(self.text)
        if found is None:
            return ()
        return file_digests(extends_chain(found["ref"].strip("'\"")))

    @property
    def stem(self) -> str:
        """The file name without ``.yaml``: the scenario id."""
        return self.file_name.removesuffix(".yaml")


def _yaml_string(text: str) -> str:
    """``text`` as a YAML scalar: plain when safe, else double-quoted."""
    return text if re.fullmatch(r"[\w./-]+", text) else json.dumps(text)


_EXTENDS = re.compile(r"^extends:[ \t]*(?P<ref>\S.*?)[ \t]*$", re.MULTILINE)
_SCHEMA = re.compile(r"^(# yaml-language-server: \$schema=)(?P<ref>\S+)$", re.MULTILINE)


def portable_text(path: Path) -> str:
    """A bundled scenario's text with its ``extends`` (and schema comment)
    rewritten as full paths, so it reads the same from any folder.

    >>> from sroi.scenario.bundled import bundled_path
    >>> text = portable_text(bundled_path("family_action_pss/oxford.yaml"))
    >>> next(line for line in text.splitlines() if line.startswith("extends:")).endswith(
    ...     "family_action_pss/_common.yaml")
    True
    """
    text = path.read_text(encoding="utf-8")
    folder = path.resolve().parent

    def absolute(ref: str) -> str:
        import yaml

        target = yaml.safe_load(ref)
        if not isinstance(target, str):
            return ref
        return _yaml_string((folder / target).resolve().as_posix())

    text = _EXTENDS.sub(lambda m: f"extends: {absolute(m['ref'])}", text, count=1)
    return _SCHEMA.sub(lambda m: m[1] + (folder / m["ref"]).resolve().as_posix(), text, count=1)


def prepare_site(site: Site) -> Prepared:
    """A bundled pilot site, as its portable text.

    Raises
    ------
    ScenarioError
        When the rewritten text does not validate (never, for a bundled file).
    """
    text = portable_text(site.path)
    scenario, problems = check_text(text, site.path, display=site.path.name)
    if scenario is None:
        raise ScenarioError(problems)
    return Prepared(text, scenario, f"{scenario.id}.yaml")


def prepare_answers(answers: Answers) -> Prepared:
    """A new area's proposal from its answers, checked as ``sroi replicate``
    checks it, with the answers to check as ``sroi replicate`` lists them.

    Raises
    ------
    AnswersError
        With every problem, each pinned to the answer (flag) to change.
    """
    taken = [s.id for s in pilot_sites()]
    sid = area_id(answers.area, taken)
    where = pilots_path().parent / "replication" / f"{sid}.yaml"
    template = Template.load()
    text, scenario = build_scenario(
        answers,
        where,
        template=template,
        scenario_id=sid,
        absolute_paths=True,
        tool=TOOL,
        names=QUESTION_NAMES,
        check=lambda built: proposal_cautions(answers, template, built),
    )
    checks = tuple(proposal_cautions(answers, template, scenario))
    return Prepared(text, scenario, f"{sid}.yaml", checks)


__all__ = [
    "QUESTION_NAMES",
    "TOOL",
    "Prepared",
    "Site",
    "pilot_sites",
    "portable_text",
    "prepare_answers",
    "prepare_site",
]
