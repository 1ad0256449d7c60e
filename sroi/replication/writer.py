"""Write a proposal: answers -> checked scenario text -> file.

The order matters.  The output path is checked first (it must not be the
template, a file the template extends, a protected file such as a pilot
scenario, or a file a protected one extends); then the answers, on their own
and together; then the scenario text, in memory, as if it were already at
the output path.  Only a valid scenario is written, all at once.  A problem
found on the way names the answer to change, never a temporary file.
"""

from __future__ import annotations

import os
import re
import textwrap
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import partial
from pathlib import Path
from typing import Any

import yaml

from sroi.files import write_text
from sroi.replication.answers import (
    BY_KEY,
    AnswerProblem,
    Answers,
    AnswersError,
    check_answers,
    named,
    recorded,
)
from sroi.replication.cautions import Caution, cautions
from sroi.replication.rules import NEVER_SET, RULES, SOURCE, Setting, caseload, settings
from sroi.replication.template import Template, template_path
from sroi.scenario import Scenario
from sroi.scenario.bundled import SCHEMA, bundled_path
from sroi.scenario.loader import check_text, extends_chain
from sroi.scenario.problems import Problem
from sroi.vocabulary import PROGRAMME


class OutputPathError(Exception):
    """The output path cannot be written: a folder, a missing folder, or a
    file the proposal must not replace."""


#: Latin letters that do not decompose into a letter and an accent, spelt
#: in a-z for an id.
_LETTERS = str.maketrans(
    {
        "æ": "ae",
        "Æ": "AE",
        "ø": "o",
        "Ø": "O",
        "ß": "ss",
        "ł": "l",
        "Ł": "L",
        "đ": "d",
        "Đ": "D",
        "þ": "th",
        "Þ": "Th",
        "œ": "oe",
        "Œ": "OE",
        "ı": "i",
    }
)


def area_id(area: str, taken: Sequence[str] = ()) -> str:
    """A snake_case scenario id for an area; ``_proposal`` is added when the
    id is taken (e.g. by a pilot site of the same name).

    Accented letters lose their accents (``Ynys Môn`` is ``ynys_mon``);
    other characters outside a-z and 0-9 become ``_``.

    >>> area_id("Stoke-on-Trent"), area_id("Hackney", taken=["hackney"]), area_id("Programme")
    ('stoke_on_trent', 'hackney_proposal', 'programme_proposal')
    >>> area_id("Ynys Môn"), area_id("Ærø"), area_id("Ceredigion – Aberystwyth")
    ('ynys_mon', 'aero', 'ceredigion_aberystwyth')
    """
    spelt = area.translate(_LETTERS)
    plain = unicodedata.normalize("NFKD", spelt).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "_", plain.lower()).strip("_") or "area"
    if not slug[0].isalpha():
        slug = f"area_{slug}"
    # "programme" names the total of a run's scenarios: never a scenario's id.
    return f"{slug}_proposal" if slug in taken or slug == PROGRAMME else slug


def check_output(
    output: str | os.PathLike[str],
    *,
    template: str | os.PathLike[str] | None = None,
    protected: Iterable[str | os.PathLike[str]] = (),
    force: bool = False,
) -> None:
    """Refuse an output path before any question is asked.

    Raises
    ------
    OutputPathError
        When ``output`` is the template, a file in its ``extends`` chain, one
        of ``protected`` or a file one of them extends (even with ``force``),
        a folder, or in a folder that does not exist or cannot be written.
    FileExistsError
        When ``output`` exists and ``force`` is false.
    """
    if os.fspath(output) == "-":
        raise OutputPathError(
            "-: sroi replicate writes a scenario file, not standard output; pass -o a file name"
        )
    path = Path(output)
    target = path.resolve()
    chain = extends_chain(template if template is not None else template_path())
    if target in chain:
        which = "the replication template" if target == chain[0] else "a file the template extends"
        raise OutputPathError(
            f"{output} is {which}; a proposal extends it and must not replace it. "
            "Pass -o another file"
        )
    chains = [extends_chain(p) for p in protected]
    if any(target == chain[0] for chain in chains):
        raise OutputPathError(f"{output} is one of the pilot scenarios; pass -o another file")
    if any(target in chain[1:] for chain in chains):
        raise OutputPathError(
            f"{output} is a file the pilot scenarios extend; a proposal must not replace it. "
            "Pass -o another file"
        )
    if path.is_dir():
        raise OutputPathError(f"{output} is a folder; pass -o a file name")
    if path.is_file():
        _refuse_shared(output, target, [*chain, *(p for c in chains for p in c)])
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise OutputPathError(f"folder {str(folder)!r} does not exist")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise OutputPathError(f"folder {str(folder)!r} cannot be written")
    if path.exists() and not force:
        raise FileExistsError(f"{output} already exists; pass --force to replace it")


def _refuse_shared(output: str | os.PathLike[str], target: Path, bundled: list[Path]) -> None:
    """Refuse to replace ``target``, an existing file, when another scenario
    file in its folder extends it, or when it is a copy of one of the
    ``bundled`` files (a clone's pilots, base or template: replacing them
    silently changes every scenario built on them)."""
    extended_by = sorted(
        sibling.name
        for sibling in target.parent.glob("*.yaml")
        if sibling.resolve() != target and target in extends_chain(sibling)[1:]
    )
    if extended_by:
        shown = ", ".join(extended_by[:3]) + (" and others" if len(extended_by) > 3 else "")
        raise OutputPathError(
            f"{output} is a file other scenarios extend ({shown}); a proposal must not "
            "replace it. Pass -o another file"
        )
    try:
        held = target.read_bytes()
    except OSError:
        return
    for original in bundled:
        try:
            same = original.is_file() and original.read_bytes() == held
        except OSError:
            same = False
        if same:
            raise OutputPathError(
                f"{output} is a copy of sroi's bundled {original.name}, which pilots and "
                "proposals build on; a proposal must not replace it. Pass -o another file"
            )


# --------------------------------------------------------------------------
# The scenario as data and text


class _Folded(str):
    """A long note, written as a folded block (``>-``)."""


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data: Any) -> bool:
        return True


def _folded(dumper: yaml.SafeDumper, data: _Folded) -> yaml.Node:
    return dumper.represent_scalar("tag:yaml.org,2002:str", str(data), style=">")


_Dumper.add_representer(_Folded, _folded)


def _fold_notes(value: Any) -> Any:
    if isinstance(value, list):
        return [_fold_notes(v) for v in value]
    if isinstance(value, dict):
        return {k: _Folded(v) if k == "note" else v for k, v in value.items()}
    return value


def _put(data: dict[str, Any], path: str, value: Any) -> None:
    *parents, last = path.split(".")
    node = data
    for part in parents:
        node = node.setdefault(part, {})
    node[last] = _fold_notes(value)


def _money(amount: float) -> str:
    """An amount of money as it would be typed: digits, no exponent and no
    thousands separator (a comma separates the cost lines), pence only when
    there are any.

    >>> _money(34000.0), _money(1200.5), _money(0.0)
    ('34000', '1200.50', '0')
    """
    return f"{amount:.0f}" if amount == round(amount) else f"{amount:.2f}"


def _shown(key: str, value: Any) -> str:
    """One answer as the file's header and notes record it.

    >>> _shown("coordinator_salary", 34000.0), _shown("births", 48000.0)
    ('34000', '48,000')
    >>> _shown("local_costs", (("premises", 1200.0), ("it_and_monitoring", 300.0)))
    'premises=1200, it_and_monitoring=300'
    """
    if isinstance(value, bool):
        return "yes" if value else "no"
    if key.startswith("share_"):
        return f"{value:.4g} ({100 * value:.3g}%)"
    if key == "local_costs":
        return ", ".join(f"{line}={_money(amount)}" for line, amount in value)
    if key == "coordinator_salary":
        return _money(value)
    if isinstance(value, float):
        return f"{value:,.10g}"  # no exponent: 48,000 births, not 4.8e+04
    return str(value)


def _summary(answers: Answers, names: Mapping[str, str] | None) -> str:
    return "; ".join(
        recorded(k, _shown(k, v), names) for k, v in answers.given().items() if k != "area"
    )


def scenario_data(
    answers: Answers,
    template: Template,
    extends: str,
    scenario_id: str,
    tool: str = "sroi replicate",
    names: Mapping[str, str] | None = None,
) -> tuple[dict[str, Any], list[Setting]]:
    """The scenario as data (``extends`` the template, sets what the answers
    change), and the settings it was built from; ``tool`` is the program the
    answers were given to, as the provenance names it, and ``names`` how it
    named each answer (default: by its flag)."""
    a = answers
    when = a.date.isoformat()
    found = settings(a, template, names)
    summary = _summary(a, names)
    data: dict[str, Any] = {
        "extends": extends,
        "id": scenario_id,
        "name": f"{a.area} (Perinatal Support Service replication proposal)",
        "site": {
            "local_authority": a.area,
            "notes": _Folded(
                f"Written by {tool} on {when} from the commissioner's answers: {summary}."
            ),
        },
        "sources": {
            SOURCE: {
                "citation": _Folded(f"Answers given by {a.area} commissioner via {tool}, {when}."),
                "year": a.date.year,
            }
        },
    }
    for setting in found:
        _put(data, setting.path, setting.value)
    return data, found


#: Widest line of the comment at the top of a written scenario [characters].
_COMMENT_WIDTH = 80


def _header(
    answers: Answers,
    found: list[Setting],
    schema: str | None,
    tool: str,
    names: Mapping[str, str] | None = None,
    checks: Sequence[Caution] = (),
) -> str:
    a = answers
    lines = []
    if schema:
        lines += [f"# yaml-language-server: $schema={schema}", "#"]
    about = (
        f"Perinatal Support Service in {a.area}: a replication proposal written by "
        f"`{tool}` on {a.date.isoformat()}. It extends the replication template and sets "
        "only what the answers below change; everything else comes from the template and "
        "the pilots' shared base. Values entered are `evidence: local_data`; values that "
        "rest on an assumption say so in their note. Edit any value to refine it, then run "
        "`sroi validate` on this file."
    )
    lines += textwrap.wrap(
        about,
        width=_COMMENT_WIDTH,
        initial_indent="# ",
        subsequent_indent="# ",
        break_long_words=False,
        break_on_hyphens=False,
    )
    lines += ["#", "# Answers:"]
    lines += [f"#   {recorded(k, _shown(k, v), names)}" for k, v in a.given().items()]
    if checks:
        lines += ["#", "# Check these answers: each is valid, but far from what the pilots saw."]
        for c in checks:
            lines += textwrap.wrap(
                f"{named(c.key, names)}: {c.sentence}",
                width=_COMMENT_WIDTH,
                initial_indent="#   ",
                subsequent_indent="#     ",
                break_long_words=False,
                break_on_hyphens=False,
            )
    set_paths = {s.path for s in found}
    kept = [r.path for r in RULES if r.path not in set_paths] + list(NEVER_SET)
    lines += ["#", "# Kept from the template (assumed, not entered):"]
    lines += [f"#   {path}" for path in dict.fromkeys(kept)]
    return "\n".join(lines) + "\n"


#: Folders of installed packages: a file in one moves with the Python
#: environment, not with the proposal's project.
_INSTALLED = ("site-packages", "dist-packages")


def _relative(target: Path, folder: Path) -> str:
    """``target`` as ``extends`` names it from ``folder``: relative, unless it
    lies in an installed package (sroi installed with pip), whose full path
    still reads when the proposal is moved."""
    resolved = target.resolve()
    if any(part in _INSTALLED for part in resolved.parts):
        return resolved.as_posix()
    try:
        return Path(os.path.relpath(resolved, folder.resolve())).as_posix()
    except ValueError:  # another drive (Windows)
        return resolved.as_posix()


def scenario_text(
    answers: Answers,
    output: str | os.PathLike[str],
    *,
    template: Template | None = None,
    scenario_id: str | None = None,
    absolute_paths: bool = False,
    tool: str = "sroi replicate",
    names: Mapping[str, str] | None = None,
    checks: Sequence[Caution] | None = None,
) -> tuple[str, list[Setting]]:
    """The YAML text of the proposal, to be written at ``output`` (``extends``
    is relative to that file's folder), and the settings it holds.

    With ``absolute_paths``, ``extends`` (and the schema comment) name the
    template by its full path instead, for text whose folder is not known
    (a download): it then reads the same wherever it is saved on this machine.
    ``tool`` names the program the answers were given to, and ``names`` how
    it named each answer (default: by its flag; see :func:`scenario_data`).
    ``checks``: the answers the header asks to check (default: those of
    :func:`~sroi.replication.cautions.cautions`).
    """
    template = template or Template.load()
    folder = Path(output).parent

    def where(target: Path) -> str:
        return target.resolve().as_posix() if absolute_paths else _relative(target, folder)

    schema = where(bundled_path(SCHEMA))
    data, found = scenario_data(
        answers, template, where(template.path), scenario_id or area_id(answers.area), tool, names
    )
    body = yaml.dump(
        data, Dumper=_Dumper, sort_keys=False, default_flow_style=None, width=78, allow_unicode=True
    )
    # A blank line before each top-level section after the first two keys.
    lines = body.splitlines()
    spaced = [
        ("\n" + line) if i > 2 and line and not line[0].isspace() else line
        for i, line in enumerate(lines)
    ]
    if checks is None:
        checks = cautions(answers, template, caseload(answers, template))
    header = _header(answers, found, schema, tool, names, checks)
    return header + "\n".join(spaced) + "\n", found


def _flags_for(problem: Problem, found: list[Setting]) -> list[str]:
    """The flags of the answers that set the value a problem is about."""
    flags: list[str] = []
    for setting in found:
        if problem.path == setting.path or problem.path.startswith(setting.path + "."):
            flags += [BY_KEY[k].flag for k in setting.answers if BY_KEY[k].flag not in flags]
    return flags


def _answer_problems(problems: Sequence[Problem], found: list[Setting]) -> list[AnswerProblem]:
    out = []
    for p in problems:
        flags = _flags_for(p, found)
        where = "/".join(flags) if flags else "the answers"
        out.append(AnswerProblem(where, f"{p.path}: {p.message}"))
    return out


def build_scenario(
    answers: Answers,
    output: str | os.PathLike[str],
    *,
    template: Template | None = None,
    scenario_id: str | None = None,
    absolute_paths: bool = False,
    tool: str = "sroi replicate",
    names: Mapping[str, str] | None = None,
    check: Callable[[Scenario], Sequence[Caution]] | None = None,
) -> tuple[str, Scenario]:
    """Check the answers and the scenario they give, in memory, as if written
    at ``output``; returns the text and the validated scenario.  With
    ``absolute_paths`` the text names the template by its full path (see
    :func:`scenario_text`); ``tool`` names the program in its provenance, and
    ``names`` how it named each answer (default: by its flag).  ``check``
    gives the answers to check for the built scenario (a layer above this
    one runs it, e.g. :func:`sroi.analysis.pilots.proposal_cautions`); the
    header lists them (default: :func:`~sroi.replication.cautions.cautions`).

    Raises
    ------
    AnswersError
        With every problem, each pinned to the answer (flag) to change.
    """
    problems = check_answers(answers.given())
    if problems:
        raise AnswersError(problems)
    template = template or Template.load()
    text_of = partial(
        scenario_text,
        answers,
        output,
        template=template,
        scenario_id=scenario_id,
        absolute_paths=absolute_paths,
        tool=tool,
        names=names,
    )
    text, found = text_of()
    scenario, scenario_problems = check_text(text, output, display=f"{output} (not written)")
    if scenario is None:
        raise AnswersError(_answer_problems(scenario_problems, found))
    if check is not None:
        # The caller's checks of the built scenario: the header lists them.
        text, _ = text_of(checks=check(scenario))
    return text, scenario


def write_scenario(
    answers: Answers,
    output: str | os.PathLike[str],
    *,
    template: str | os.PathLike[str] | None = None,
    scenario_id: str | None = None,
    force: bool = False,
    protected: Iterable[str | os.PathLike[str]] = (),
    check: Callable[[Scenario], Sequence[Caution]] | None = None,
) -> Scenario:
    """Write the checked proposal for ``answers`` at ``output``.

    Nothing is written unless the output path, the answers and the scenario
    all pass (see :func:`check_output` and :func:`build_scenario`); the file
    is then replaced all at once.  ``check``: as for :func:`build_scenario`.

    Raises
    ------
    OutputPathError, FileExistsError
        From :func:`check_output`.
    AnswersError
        When the answers cannot give a valid scenario.
    """
    check_output(output, template=template, protected=protected, force=force)
    loaded = Template.load(template)
    text, scenario = build_scenario(
        answers, output, template=loaded, scenario_id=scenario_id, check=check
    )
    write_text(output, text)
    return scenario


__all__ = [
    "OutputPathError",
    "area_id",
    "build_scenario",
    "check_output",
    "scenario_data",
    "scenario_text",
    "write_scenario",
]
