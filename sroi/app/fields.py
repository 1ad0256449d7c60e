"""The fields of the page's form: the questions of ``sroi replicate``, with the
unit, help text and example a web form shows beside each, and the run's own
settings (site, draws, seed, price year).

The questions themselves (wording, parser, which are optional) are
:data:`sroi.replication.answers.QUESTIONS`; this module only adds what a page
needs to lay them out, so the command line and the page ask the same things.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from sroi.prices import GDP_DEFLATOR, LAST_PRICE_YEAR, financial_year
from sroi.replication.answers import BY_KEY, QUESTIONS, Question
from sroi.vocabulary import PERSPECTIVES

#: How a field is entered: free text, a number typed as text (so "1,200" and
#: "85%" are read, and a wrong entry reaches the server to be explained), a
#: yes/no choice, or a choice from a list.
Kind = Literal["text", "number", "yes_no", "choice"]

#: Default Monte Carlo draws, as ``sroi run`` [draws].
DEFAULT_DRAWS = 10_000
#: Most draws a run from the page may ask for [draws]; keeps a run under a minute.
MAX_DRAWS = 200_000
#: Fewest draws a run from the page may ask for [draws]; fewer give no useful interval.
MIN_DRAWS = 100
#: Largest seed [integer]: any whole number of up to 30 digits, as
#: ``sroi run --seed`` reads one written in scientific notation.
MAX_SEED = 10**30 - 1
#: The price year new money figures are entered at by default: the latest
#: financial year the deflator table has outturn for (the last is a forecast).
DEFAULT_MONEY_YEAR = LAST_PRICE_YEAR - 1


@dataclass(frozen=True)
class Field:
    """One input of the form.

    key : str
        Form name; for a question, its :class:`~sroi.replication.answers.Answers` field.
    label : str
        What the field asks.
    unit : str
        Unit of the answer, shown beside the input ("" for none).
    help : str
        What counts, where to find it, what happens if it is left empty.
    example : str
        A typical answer, shown as the placeholder.
    kind : Kind
        How it is entered.
    optional : bool
        May be left empty.
    required : str
        What the label says of a field that may not be left empty: when it
        is needed, for one needed only without another answer.
    """

    key: str
    label: str
    unit: str
    help: str
    example: str
    kind: Kind = "number"
    optional: bool = True
    required: str = "required"


@dataclass(frozen=True)
class Section:
    """A group of fields with a heading and a line of guidance."""

    title: str
    guidance: str
    fields: tuple[Field, ...]


#: What the page adds to each question: unit, help text, example, kind.
_EXTRA: dict[str, tuple[str, str, str, Kind]] = {
    "area": ("", "The local authority or area the service would run in.", "Newham", "text"),
    "years": (
        "years",
        "Leave empty if the service has not started here. The counts below are over these years.",
        "2",
        "number",
    ),
    "referrals_total": (
        "women",
        "Referrals received over the delivery years above, from every route.",
        "150",
        "number",
    ),
    "referrals_per_year": (
        "women a year",
        "A recorded yearly average, or what you expect. Leave empty to work it out from births.",
        "60",
        "number",
    ),
    "births": (
        "births a year",
        "Only when you give no referrals. Your JSNA or the ONS births by local authority.",
        "4800",
        "number",
    ),
    "share_referred": (
        "% of births",
        "Only when you give no referrals. With no local figure use 1.8%: about 15% of mothers "
        "have mild to moderate depression or anxiety, and about 12% of them might be referred.",
        "1.8%",
        "number",
    ),
    "share_accepted": (
        "% of referrals",
        "Write 85% or 0.85. Caps the share of referrals who use the service.",
        "85%",
        "number",
    ),
    "assessed": ("women", "Women assessed over the delivery years.", "100", "number"),
    "paired": (
        "women",
        "Women paired with a befriender (supported) over the delivery years.",
        "60",
        "number",
    ),
    "visits_per_woman": (
        "visits per woman",
        "Average befriender visits a woman gets; sets volunteer hours (about 2 hours a visit).",
        "8",
        "number",
    ),
    "weeks_of_support": (
        "weeks",
        "Average length of support; sets how many women a befriender supports a year.",
        "12",
        "number",
    ),
    "volunteers_trained": (
        "volunteers",
        "Volunteers trained over the delivery years; sets the volunteer pool.",
        "25",
        "number",
    ),
    "volunteers_planned": (
        "befrienders",
        "Befrienders you plan to have active at a time; sets the volunteer pool. Leave empty "
        "to let the pool grow with the caseload.",
        "20",
        "number",
    ),
    "coordinator_fte": ("FTE", "The co-ordinator post; 1 is full time.", "0.6", "number"),
    "coordinator_salary": (
        "£ a year",
        "Annual gross salary as paid or budgeted, at the prices of the year chosen below.",
        "34000",
        "number",
    ),
    "local_costs": (
        "£ per unit of the line",
        "Cost lines you know, as line=amount separated by commas; the line names are listed "
        "below the form. At the prices of the year chosen below.",
        "premises=1200, monitoring_and_evaluation=800",
        "text",
    ),
    "money_year": (
        "financial year",
        "The year whose prices the salary and costs above are in. sroi converts them to the "
        "pilots' prices with the HM Treasury GDP deflator.",
        financial_year(DEFAULT_MONEY_YEAR),
        "choice",
    ),
    "childrens_centre": ("", "If yes, premises cost the service nothing.", "", "yes_no"),
    "management": (
        "",
        "If yes, line management and clinical supervision cost the service nothing.",
        "",
        "yes_no",
    ),
    "it_systems": ("", "If yes, IT and monitoring systems cost the service nothing.", "", "yes_no"),
    "referral_network": ("", "If no, building referral routes costs more.", "", "yes_no"),
    "public_transport": ("", "If no, volunteers' expenses and travel cost more.", "", "yes_no"),
}


#: Questions needed only without another answer, and when they are: the page
#: said "(required)" and then refused births given with referrals.
_REQUIRED_WHEN = {
    "births": "required without referrals",
    "share_referred": "required without referrals",
    "money_year": "required with a salary or costs",
}


def question_field(q: Question) -> Field:
    """The form field of one question of ``sroi replicate``."""
    unit, help_text, example, kind = _EXTRA[q.key]
    required = _REQUIRED_WHEN.get(q.key, "required")
    return Field(q.key, q.prompt, unit, help_text, example, kind, q.optional, required)


def _section(title: str, guidance: str, *keys: str) -> Section:
    return Section(title, guidance, tuple(question_field(BY_KEY[k]) for k in keys))


#: The questions, grouped as the page shows them.
SECTIONS: tuple[Section, ...] = (
    _section("Your area", "", "area"),
    _section(
        "If the service already runs here",
        "Give what your records show; every figure is optional. A figure you leave empty "
        "keeps the template's assumption.",
        "years",
        "referrals_total",
        "referrals_per_year",
        "share_accepted",
        "assessed",
        "paired",
        "visits_per_woman",
        "weeks_of_support",
        "volunteers_trained",
    ),
    _section(
        "If it has not started",
        "Without referrals, the caseload is births a year times the share referred.",
        "births",
        "share_referred",
        "volunteers_planned",
    ),
    _section(
        "Staff and local costs",
        "Enter money as paid or budgeted, and say which year's prices it is in.",
        "coordinator_fte",
        "coordinator_salary",
        "local_costs",
        "money_year",
    ),
    _section(
        "What the area already has",
        "Each is a cost the pilots found depends on local context.",
        "childrens_centre",
        "management",
        "it_systems",
        "referral_network",
        "public_transport",
    ),
)

#: The run's own settings.
RUN_FIELDS: tuple[Field, ...] = (
    Field(
        "draws",
        "Monte Carlo draws",
        "draws",
        f"More draws give steadier figures and take longer; {DEFAULT_DRAWS:,} is the default "
        f"of sroi run. From {MIN_DRAWS:,} to {MAX_DRAWS:,}.",
        str(DEFAULT_DRAWS),
    ),
    Field(
        "seed",
        "Random seed",
        "",
        "The same seed gives the same figures; sroi run uses 0.",
        "0",
    ),
    Field(
        "price_year",
        "Show money at the prices of",
        "financial year",
        "By default, a new area with a salary or costs is shown at the prices its money is "
        "entered at; a pilot site, or a new area without money, at the pilots' own "
        "(FY 2011-12), as sroi run shows it. Pick a year to read every amount at that "
        "year's prices.",
        "",
        "choice",
    ),
)

#: Whose money the headline counts; the page's own choice beside the site.
PERSPECTIVE_FIELD = Field(
    "perspective",
    "Whose money",
    "",
    "The headline return, net present value, payback and the ranking against the pilots "
    "count this view's value against its cost; the three returns are shown side by side "
    "whichever you choose. Society counts all value, volunteer time included; the others "
    "count a public body's value against the cash cost.",
    "",
    "choice",
)

#: The perspectives to choose from, in vocabulary order (society first, the
#: default), by their short labels: a long option is cut off on a phone.
PERSPECTIVE_CHOICES: tuple[tuple[str, str], ...] = tuple(
    (p.id, p.label) for p in PERSPECTIVES.values()
)
#: What each perspective counts, shown under the choice.
PERSPECTIVE_MEANINGS: dict[str, str] = {
    p.id: f"{p.label}: {p.meaning}." for p in PERSPECTIVES.values()
}

#: Years a price year may be chosen from, newest first.
PRICE_YEARS: tuple[int, ...] = tuple(sorted(GDP_DEFLATOR, reverse=True))

#: Every question has its page extras, and nothing else does.
assert set(_EXTRA) == {q.key for q in QUESTIONS}, sorted(set(_EXTRA) ^ set(BY_KEY))

__all__ = [
    "DEFAULT_DRAWS",
    "DEFAULT_MONEY_YEAR",
    "MAX_DRAWS",
    "MAX_SEED",
    "MIN_DRAWS",
    "PERSPECTIVE_CHOICES",
    "PERSPECTIVE_FIELD",
    "PERSPECTIVE_MEANINGS",
    "PRICE_YEARS",
    "RUN_FIELDS",
    "SECTIONS",
    "Field",
    "Section",
    "financial_year",
    "question_field",
]
