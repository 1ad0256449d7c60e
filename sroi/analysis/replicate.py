"""A commissioner's replication calculator: a few answers about an area become
a scenario that extends the replication template.

The answers (area, births a year, share of births referred, and whether the
area already has a children's-centre base, management and supervision, IT
and monitoring systems, an integrated referral network and affordable public
transport for volunteers) are mapped onto the template's caseload and its
context-dependent cost lines, as the comments in
``scenarios/replication/new_area.yaml`` advise.  Every answer is written as a
value with ``source: local_answers`` and ``evidence: local_data``.  See
``docs/replicate.md``.

This module turns answers into a checked scenario file; asking the questions
is the command line's job (:mod:`sroi.cli.replicate_cmd`).
"""

from __future__ import annotations

import datetime
import math
import os
import re
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from sroi.scenario import Scenario, ScenarioError, check_file
from sroi.scenario.loader import load_document
from sroi.scenario.values import DISTRIBUTION_KEYS

if TYPE_CHECKING:
    import pandas as pd

_ROOT = Path(__file__).resolve().parents[2]
#: The replication template every answer file extends.
TEMPLATE = _ROOT / "scenarios" / "replication" / "new_area.yaml"
#: The four pilot sites a proposal is shown next to.
PILOTS = _ROOT / "scenarios" / "family_action_pss"
#: Key of the source every answer cites.
SOURCE = "local_answers"

#: Pilot caseload the template's co-ordinator post is sized for [referrals/year]:
#: the upper pilot mode (Oxford, Swaffham, Hackney: 45).
PILOT_REFERRALS = 45.0
#: Relative half-width of the referrals range around births x share [fraction].
REFERRAL_SPREAD = 0.25


# --------------------------------------------------------------------------
# Answers and how to read them


def parse_area(text: str) -> str:
    """An area name: any text with a letter in it, at most 80 characters."""
    name = " ".join(text.split())
    if not re.search(r"[^\W\d_]", name):
        raise ValueError("expected the area's name, e.g. Newham")
    if len(name) > 80:
        raise ValueError(f"expected a name of at most 80 characters; found {len(name)}")
    return name


def _number(text: str) -> float:
    cleaned = text.strip().replace(",", "").replace("_", "").replace(" ", "")
    try:
        value = float(cleaned)
    except ValueError:
        raise ValueError(f"expected a number; found {text.strip()!r}") from None
    if not math.isfinite(value):
        raise ValueError(f"expected a finite number; found {text.strip()!r}")
    return value


def parse_births(text: str) -> float:
    """Births a year in the area [births/year]: a number above 0 (commas allowed).

    >>> parse_births("4,800")
    4800.0
    """
    value = _number(text)
    if value <= 0:
        raise ValueError(f"expected a number of births above 0; found {text.strip()!r}")
    if value > 1_000_000:
        raise ValueError(
            f"expected births a year in one area (at most 1,000,000); found {value:,.0f}"
        )
    return value


def parse_share(text: str) -> float:
    """Share of births referred [fraction]: ``0.018`` or ``1.8%``; above 0, at most 1.

    >>> parse_share("1.8%"), parse_share("0.018")
    (0.018, 0.018)
    """
    raw = text.strip()
    percent = raw.endswith("%")
    value = _number(raw[:-1] if percent else raw)
    if percent:
        value = round(value / 100.0, 12)
    if value <= 0:
        raise ValueError(f"expected a share above 0; found {raw!r}")
    if value > 1:
        hint = f" (did you mean {value:g}%?)" if not percent and value <= 100 else ""
        raise ValueError(
            "expected a share between 0 and 1 (e.g. 0.018) or a percentage (e.g. 1.8%); "
            f"found {raw!r}{hint}"
        )
    return value


def parse_yes_no(text: str) -> bool:
    """``yes``/``y``/``true`` or ``no``/``n``/``false`` (any case)."""
    word = text.strip().lower()
    if word in ("y", "yes", "true"):
        return True
    if word in ("n", "no", "false"):
        return False
    raise ValueError(f"expected yes or no; found {text.strip()!r}")


@dataclass(frozen=True)
class Question:
    """One question of the calculator.

    key : str
        Field of :class:`Answers`.
    flag : str
        Command-line flag that answers it.
    prompt : str
        The question as asked, ending in a question mark.
    hint : str
        What a good answer looks like.
    parse : callable
        Text -> answer; raises ValueError with a message for a bad answer.
    """

    key: str
    flag: str
    prompt: str
    hint: str
    parse: Callable[[str], Any]


#: The questions, in the order they are asked.
QUESTIONS: tuple[Question, ...] = (
    Question("area", "--area", "What is the area called?", "e.g. Newham", parse_area),
    Question(
        "births",
        "--births",
        "How many births a year are there in the area?",
        "e.g. 4800; your JSNA or ONS births by local authority",
        parse_births,
    ),
    Question(
        "share_referred",
        "--share-referred",
        "What share of births do you expect to be referred to the service?",
        "e.g. 1.8% or 0.018; the template assumes 15% of mothers at risk x 12% referred = 1.8%",
        parse_share,
    ),
    Question(
        "childrens_centre",
        "--childrens-centre",
        "Will a children's centre (or similar host) give desk space and rooms free?",
        "yes or no",
        parse_yes_no,
    ),
    Question(
        "management",
        "--management",
        "Will the host line-manage and clinically supervise the co-ordinator "
        "within existing posts?",
        "yes or no",
        parse_yes_no,
    ),
    Question(
        "it_systems",
        "--it-systems",
        "Can the co-ordinator use the host's IT, case recording and monitoring systems?",
        "yes or no",
        parse_yes_no,
    ),
    Question(
        "referral_network",
        "--referral-network",
        "Is there already an integrated referral route from midwives, health visitors "
        "and children's centres?",
        "yes or no",
        parse_yes_no,
    ),
    Question(
        "public_transport",
        "--public-transport",
        "Is there affordable public transport for volunteers (or are most visits walkable)?",
        "yes or no",
        parse_yes_no,
    ),
)


@dataclass(frozen=True)
class Answers:
    """A commissioner's answers about the area."""

    #: Area name, e.g. ``"Newham"``.
    area: str
    #: Births a year in the area [births/year].
    births: float
    #: Share of births expected to be referred to the service [fraction].
    share_referred: float
    #: A children's centre or other host gives desk space and rooms free.
    childrens_centre: bool
    #: The host line-manages and clinically supervises the co-ordinator.
    management: bool
    #: The host's IT, case recording and monitoring systems can be used.
    it_systems: bool
    #: An integrated referral route already exists.
    referral_network: bool
    #: Affordable public transport serves volunteers (or visits are walkable).
    public_transport: bool
    #: Date the answers were given.
    date: datetime.date = field(default_factory=datetime.date.today)

    @property
    def referrals(self) -> float:
        """Expected referrals a year: births x share referred [women/year]."""
        return self.births * self.share_referred


#: Dotted paths of the values each answer sets (area: name and site only).
ANSWER_PATHS: dict[str, tuple[str, ...]] = {
    "births": ("delivery.referrals_per_year",),
    "share_referred": ("delivery.referrals_per_year",),
    "childrens_centre": ("costs.lines.premises.amount",),
    "management": (
        "costs.lines.line_management.amount",
        "costs.lines.clinical_supervision.amount",
    ),
    "it_systems": ("costs.lines.it_and_monitoring.amount",),
    "referral_network": ("costs.lines.referral_networks_and_promotion.amount",),
    "public_transport": (
        "volunteers.expenses_per_hour",
        "costs.lines.volunteer_travel_training_supervision.amount",
    ),
}


def area_id(area: str, taken: Sequence[str] = ()) -> str:
    """A snake_case scenario id for an area; ``_proposal`` is added when the
    id is taken (e.g. by a pilot site of the same name).

    >>> area_id("Stoke-on-Trent"), area_id("Hackney", taken=["hackney"])
    ('stoke_on_trent', 'hackney_proposal')
    """
    slug = re.sub(r"[^a-z0-9]+", "_", area.lower()).strip("_") or "area"
    if not slug[0].isalpha():
        slug = f"area_{slug}"
    return f"{slug}_proposal" if slug in taken else slug


# --------------------------------------------------------------------------
# The scenario file


class _Folded(str):
    """A long note, written as a folded block (``>-``)."""


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data: Any) -> bool:
        return True


def _folded(dumper: yaml.SafeDumper, data: _Folded) -> yaml.Node:
    return dumper.represent_scalar("tag:yaml.org,2002:str", str(data), style=">")


_Dumper.add_representer(_Folded, _folded)


def _value(dist: dict[str, Any], note: str, evidence: str = "local_data") -> dict[str, Any]:
    return {**dist, "source": SOURCE, "evidence": evidence, "note": _Folded(note)}


def _pert(low: float, mode: float, high: float) -> dict[str, Any]:
    return {"pert": [_round(low), _round(mode), _round(high)]}


def _round(x: float) -> float | int:
    r = round(x, 2) if x < 10 else round(x, 1)
    return int(r) if float(r).is_integer() else r


def _template_dist(data: dict[str, Any], path: str) -> tuple[dict[str, Any], str]:
    """The value key of ``path`` in the merged template, and its note."""
    node: Any = data
    for part in path.split("."):
        node = node[part]
    if not isinstance(node, dict):
        return {"value": node}, ""
    dist = {k: v for k, v in node.items() if k in DISTRIBUTION_KEYS}
    return dist, " ".join(str(node.get("note", "")).split())


def _describe(dist: dict[str, Any]) -> str:
    key, spec = next(iter(dist.items()))
    if key == "value":
        return f"{spec:,}"
    if isinstance(spec, list):
        return f"{key} [{', '.join(f'{x:,}' for x in spec)}]"
    return f"{key} {spec}"


def scenario_data(
    answers: Answers, template: str | os.PathLike[str], extends: str, scenario_id: str
) -> dict[str, Any]:
    """The scenario as data: ``extends`` the template, sets what the answers change."""
    doc = load_document(Path(template), str(template))
    if doc.problems or not isinstance(doc.data, dict):
        raise ScenarioError(doc.problems)
    base = doc.data
    a = answers
    when = a.date.isoformat()
    said = f"Answer given by the {a.area} commissioner ({when})"

    def kept(path: str, what: str) -> dict[str, Any]:
        dist, note = _template_dist(base, path)
        return _value(
            dist,
            f"{said}: the area does not already have {what}, so the template's "
            f"amount is kept ({_describe(dist)}). Template note: {note}",
        )

    def zero(what: str, extra: str = "") -> dict[str, Any]:
        return _value(
            {"value": 0},
            f"{said}: the area already has {what}, so this cost is not charged to "
            f"the service (the template's advice).{extra}",
        )

    r = a.referrals
    spread = REFERRAL_SPREAD
    referrals = _value(
        _pert((1 - spread) * r, r, (1 + spread) * r),
        f"{said}: {a.births:,.0f} births a year x {a.share_referred:.4g} of births "
        f"referred ({100 * a.share_referred:.3g}%) = {r:,.1f} referrals a year (mode). "
        f"The range of +/-{100 * spread:.0f}% allows for year-to-year variation and "
        "for the referral share being an estimate before the service runs.",
    )
    # Volunteer pool scaled from the template (12 befrienders for 36 referrals).
    pool_mode = max(2.0, r / 3.0)
    pool = _value(
        _pert(max(1.0, pool_mode / 2.0), pool_mode, max(pool_mode * 5.0 / 3.0, pool_mode + 1)),
        f"Derived from the answers: the template's pool of PERT 6-12-20 befrienders for "
        f"36 referrals a year, scaled to {r:,.1f} referrals (mode {r:,.1f} / 3, at least 2).",
        evidence="assumption",
    )
    lines: dict[str, Any] = {}
    if a.childrens_centre:
        lines["premises"] = {
            "amount": zero(
                "a children's centre or other host giving desk space and rooms free",
                " Only cash costs are counted for space; set an amount to count its "
                "full economic cost.",
            )
        }
    else:
        lines["premises"] = {
            "amount": kept("costs.lines.premises.amount", "a host giving space free")
        }
    for line in ("line_management", "clinical_supervision"):
        path = f"costs.lines.{line}.amount"
        lines[line] = {
            "amount": zero("management and supervision of the co-ordinator within existing posts")
            if a.management
            else kept(path, "management and supervision within existing posts")
        }
    lines["it_and_monitoring"] = {
        "amount": zero(
            "IT, case recording and monitoring systems the co-ordinator can use",
            " A phone alone costs about 300 a year; set that here if one must be bought.",
        )
        if a.it_systems
        else kept("costs.lines.it_and_monitoring.amount", "IT and monitoring systems")
    }
    lines["referral_networks_and_promotion"] = {
        "amount": _value(
            _pert(100, 200, 400),
            f"{said}: an integrated referral route already exists, so promotion and "
            "referral networking are set low, as the template advises (about 200 a year).",
        )
        if a.referral_network
        else kept(
            "costs.lines.referral_networks_and_promotion.amount", "an integrated referral route"
        )
    }
    if a.public_transport:
        expenses = _value(
            _pert(1, 1.5, 2),
            f"{said}: affordable public transport serves volunteers, so contact-visit "
            "expenses are set lower, as the template advises (about 1-2 an hour).",
        )
        travel = _value(
            _pert(10, 20, 40),
            f"{said}: affordable public transport serves the training venue, so travel "
            "to training and supervision is set lower, as the template advises (about 20 "
            "a volunteer a year).",
        )
    else:
        expenses = _value(
            _pert(4, 6, 8),
            f"{said}: no affordable public transport, so volunteers mostly drive; "
            "contact-visit expenses are raised as the template advises (4-8 an hour).",
        )
        travel = _value(
            _pert(60, 120, 250),
            f"{said}: no affordable public transport, so volunteers drive to training "
            "and supervision: about 15 trips a year of 10-30 miles at 45p = 68-200, "
            "with some taxis at the top of the range.",
        )
    lines["volunteer_travel_training_supervision"] = {"amount": travel}
    costs: dict[str, Any] = {"lines": lines}
    if r > PILOT_REFERRALS:
        k = r / PILOT_REFERRALS
        costs = {
            "coordinator": {
                "fte": _value(
                    _pert(0.5 * k, 0.6 * k, 1.0 * k),
                    f"Derived from the answers: the pilots' co-ordinator post (PERT "
                    f"0.5-0.6-1.0 FTE) handled up to about {PILOT_REFERRALS:.0f} referrals "
                    f"a year; {r:,.1f} referrals is {k:.2f} times that, so the post is "
                    "scaled up rather than assumed to absorb any caseload.",
                    evidence="assumption",
                )
            },
            **costs,
        }
    flags = {
        "children's-centre base": a.childrens_centre,
        "management and supervision": a.management,
        "IT and monitoring systems": a.it_systems,
        "integrated referral network": a.referral_network,
        "affordable public transport": a.public_transport,
    }
    summary = "; ".join(f"{k}: {'yes' if v else 'no'}" for k, v in flags.items())
    return {
        "extends": extends,
        "id": scenario_id,
        "name": f"{a.area} (Perinatal Support Service replication proposal)",
        "site": {
            "local_authority": a.area,
            "notes": _Folded(
                f"Written by sroi replicate on {when} from the commissioner's answers: "
                f"{a.births:,.0f} births a year, {100 * a.share_referred:.3g}% of births "
                f"referred; {summary}."
            ),
        },
        "sources": {
            SOURCE: {
                "citation": _Folded(
                    f"Answers given by {a.area} commissioner via sroi replicate, {when}."
                ),
                "year": a.date.year,
            }
        },
        "delivery": {"referrals_per_year": referrals},
        "volunteers": {"pool": pool, "expenses_per_hour": expenses},
        "costs": costs,
    }


def _header(answers: Answers, schema: str | None) -> str:
    a = answers
    lines = []
    if schema:
        lines += [f"# yaml-language-server: $schema={schema}", "#"]
    yn = {True: "yes", False: "no"}
    lines += [
        f"# Perinatal Support Service in {a.area}: a replication proposal written by",
        f"# `sroi replicate` on {a.date.isoformat()}. It extends the replication template",
        "# and sets only what the answers below change; everything else (salaries,",
        "# training, the treatment effect, outcome values) comes from the template",
        "# and the pilots' shared base. Edit any value to refine it, then run",
        "# `sroi validate` on this file.",
        "#",
        "# Answers:",
        f"#   area: {a.area}",
        f"#   births a year: {a.births:,.0f}",
        f"#   share of births referred: {a.share_referred:.4g} ({100 * a.share_referred:.3g}%)",
        f"#   children's-centre base: {yn[a.childrens_centre]}",
        f"#   management and supervision: {yn[a.management]}",
        f"#   IT and monitoring systems: {yn[a.it_systems]}",
        f"#   integrated referral network: {yn[a.referral_network]}",
        f"#   affordable public transport for volunteers: {yn[a.public_transport]}",
    ]
    return "\n".join(lines) + "\n"


def _relative(target: Path, folder: Path) -> str:
    try:
        return Path(os.path.relpath(target.resolve(), folder.resolve())).as_posix()
    except ValueError:  # another drive (Windows)
        return target.resolve().as_posix()


def scenario_text(
    answers: Answers,
    output: str | os.PathLike[str],
    *,
    template: str | os.PathLike[str] = TEMPLATE,
    scenario_id: str | None = None,
) -> str:
    """The YAML text of the scenario for ``answers``, to be written at ``output``
    (``extends`` is relative to that file's folder)."""
    folder = Path(output).parent
    template = Path(template)
    schema_file = template.resolve().parents[2] / "docs" / "scenario.schema.json"
    schema = _relative(schema_file, folder) if schema_file.is_file() else None
    data = scenario_data(
        answers, template, _relative(template, folder), scenario_id or area_id(answers.area)
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
    return _header(answers, schema) + "\n".join(spaced) + "\n"


def write_scenario(
    answers: Answers,
    output: str | os.PathLike[str],
    *,
    template: str | os.PathLike[str] = TEMPLATE,
    scenario_id: str | None = None,
    force: bool = False,
) -> Scenario:
    """Write and check the scenario for ``answers`` at ``output``.

    The text goes to a temporary file in the same folder, is validated there,
    and only then replaces ``output`` (:func:`os.replace`), so a failed run
    never leaves a half-written or invalid file.

    Raises
    ------
    FileExistsError
        When ``output`` exists and ``force`` is false.
    ScenarioError
        When the written scenario is not valid (the file is not kept).
    """
    output = Path(output)
    if output.exists() and not force:
        raise FileExistsError(f"{output} already exists; pass --force to replace it")
    folder = output.parent if str(output.parent) else Path(".")
    if not folder.is_dir():
        raise FileNotFoundError(f"folder {str(folder)!r} does not exist")
    text = scenario_text(answers, output, template=template, scenario_id=scenario_id)
    fd, name = tempfile.mkstemp(prefix=f".{output.name}.", suffix=".tmp", dir=folder)
    tmp = Path(name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        scenario, problems = check_file(tmp)
        if scenario is None:
            raise ScenarioError(problems)
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(tmp, 0o666 & ~mask)
        os.replace(tmp, output)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return scenario


def compare_with_pilots(
    proposal: str | os.PathLike[str] | Scenario,
    pilots: Sequence[str | os.PathLike[str] | Scenario] = (PILOTS,),
    draws: int = 10_000,
    seed: int = 0,
) -> pd.DataFrame:
    """Unit cost and SROI ratio of a proposal next to the pilot sites, from one
    run with common random numbers.

    Returns
    -------
    DataFrame
        One row per scenario id, the proposal first: ``name``, ``proposal``
        (bool), ``unit_cost_mean``, ``unit_cost_p5``, ``unit_cost_p95``
        [currency per woman], ``sroi_ratio_mean``, ``sroi_ratio_p5``,
        ``sroi_ratio_p95``, ``prob_sroi_at_least_1``, ``prob_best``.
    """
    from sroi.analysis._draws import load_scenarios
    from sroi.analysis.compare import compare

    mine = load_scenarios(proposal)[0]
    result = compare([mine, *pilots], draws=draws, seed=seed, thresholds=(1.0,))
    league = result.league
    cols = [f"{m}_{s}" for m in ("unit_cost", "sroi_ratio") for s in ("mean", "p5", "p95")]
    table = league[["name", *cols, "prob_best"]].copy()
    table.insert(1, "proposal", [sid == mine.id for sid in table.index])
    table.insert(
        len(table.columns) - 1,
        "prob_sroi_at_least_1",
        [float(result.acceptability.loc[1.0, sid]) for sid in table.index],
    )
    order = [mine.id, *(sid for sid in table.index if sid != mine.id)]
    return table.loc[order]


__all__ = [
    "ANSWER_PATHS",
    "PILOTS",
    "QUESTIONS",
    "SOURCE",
    "TEMPLATE",
    "Answers",
    "Question",
    "area_id",
    "compare_with_pilots",
    "parse_area",
    "parse_births",
    "parse_share",
    "parse_yes_no",
    "scenario_data",
    "scenario_text",
    "write_scenario",
]
