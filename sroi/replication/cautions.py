"""Answers that are valid but far from what the pilots saw: the calculator
queries them rather than refusing them.

A share of births referred of 0.5 reads as 50% (half a percent was meant), a
salary of 3200 is a month's pay, and a part-time post entered for a caseload
three times a pilot's makes the area look cheap.  Each answer passes its own
check, so the scenario is written and run as asked; :func:`cautions` names
every such answer with what to check, and ``sroi replicate``, the web page and
the written file's header show them beside the results.
"""

from __future__ import annotations

from dataclasses import dataclass

from sroi.prices import GDP_DEFLATOR
from sroi.replication.answers import Answers
from sroi.replication.rules import PILOT_REFERRALS, Caseload, as_written
from sroi.replication.template import Template

#: Share of mothers at risk of perinatal depression or anxiety [fraction]:
#: 150 per 1,000 maternities have mild to moderate depression or anxiety
#: (Joint Commissioning Panel for Mental Health, the template's
#: ``jcpmh_perinatal``).  More of all births than this cannot be referred.
AT_RISK_SHARE = 0.15
#: Share of the mothers at risk whom the template assumes are referred
#: [fraction]: an assumption (its ``referrals_per_year`` note).
REFERRED_OF_AT_RISK = 0.12
#: Above this share of those at risk referred, a share of births is queried
#: as the share of those at risk typed in its place [fraction].
MOST_OF_AT_RISK = 1 / 3
#: Fewest referrals a year a pilot site had at full running (West Mansfield's
#: mode, 32) [referrals/year]; the most is
#: :data:`~sroi.replication.rules.PILOT_REFERRALS` (45).
PILOT_REFERRALS_LOW = 32.0
#: How far from the pilots a caseload or a salary may be before it is
#: queried [ratio]: below the pilots' lowest divided by it, or above their
#: highest times it.  The messages say "half" and "twice".
BEYOND = 2.0


@dataclass(frozen=True)
class Caution:
    """An answer to check.

    key : str
        The :class:`~sroi.replication.answers.Answers` field, e.g.
        ``"share_referred"``; each interface names it its own way.
    message : str
        What is far from the pilots, and what may have been meant.
    """

    key: str
    message: str

    @property
    def sentence(self) -> str:
        """The message ending as a sentence ends: a question keeps its mark.

        >>> Caution("k", "check it").sentence, Caution("k", "did you mean 0.5%?").sentence
        ('check it.', 'did you mean 0.5%?')
        """
        return self.message if self.message.endswith((".", "?", "!")) else f"{self.message}."


def cautions(a: Answers, template: Template, load: Caseload) -> list[Caution]:
    """Every answer in ``a`` that is valid but far from the pilots' experience,
    in question order; ``load`` is the caseload the answers imply
    (:func:`sroi.replication.rules.caseload`)."""
    out: list[Caution] = []
    s = a.share_referred
    if s is not None and s > AT_RISK_SHARE:
        out.append(
            Caution(
                "share_referred",
                f"{_percent(s)} of births referred is more than the {_percent(AT_RISK_SHARE)} "
                f"of mothers at risk of perinatal depression or anxiety; did you mean "
                f"{_percent(s / 100)} ({s / 100:g})?",
            )
        )
    elif s is not None and s > AT_RISK_SHARE * MOST_OF_AT_RISK:
        # The share of those at risk who are referred, typed as a share of births.
        typical = AT_RISK_SHARE * REFERRED_OF_AT_RISK
        out.append(
            Caution(
                "share_referred",
                f"{_percent(s)} of births referred would be {s / AT_RISK_SHARE:.0%} of the "
                f"{_percent(AT_RISK_SHARE)} of mothers at risk; the template assumes "
                f"{_percent(REFERRED_OF_AT_RISK)} of them are referred ({_percent(typical)} of "
                f"births). If {_percent(s)} is the share of mothers at risk who are referred, "
                f"write {_percent(s * AT_RISK_SHARE)} ({s * AT_RISK_SHARE:.4g})",
            )
        )
    out.extend(_caseload(a, load))
    out.extend(_post(a, template, load))
    out.extend(_salary(a, template))
    return out


def _count(x: float) -> str:
    """A caseload as written in a sentence: ``95.4``, ``106``, ``2,650``."""
    return f"{x:,.1f}".removesuffix(".0") if x < 100 else f"{x:,.0f}"


def _percent(share: float) -> str:
    """A share as a percentage, with the digits it was given (15.01%, not 15%)."""
    return f"{100 * share:.4g}%"


def _caseload(a: Answers, load: Caseload) -> list[Caution]:
    message = caseload_message(load.referrals_per_year)
    if message is None:
        return []
    given = [k for k in ("referrals_total", "referrals_per_year") if getattr(a, k) is not None]
    key = given[0] if given else "births"  # births x share: births, one caution a field
    return [Caution(key, message)]


def caseload_message(referrals: float) -> str | None:
    """Why ``referrals`` a year at full running [women/year] is beyond the
    pilots' experience (less than half the fewest a pilot site had, or more
    than twice the most), or None when it is not."""
    r = referrals
    if PILOT_REFERRALS_LOW / BEYOND <= r <= PILOT_REFERRALS * BEYOND:
        return None
    if r > PILOT_REFERRALS:
        far = f"more than twice the most a pilot site had ({PILOT_REFERRALS:.0f})"
    else:
        far = f"less than half the fewest a pilot site had ({PILOT_REFERRALS_LOW:.0f})"
    return (
        f"{_count(r)} referrals a year at full running is {far}: the results are beyond the "
        "pilots' experience, so treat them with care"
    )


def _post(a: Answers, template: Template, load: Caseload) -> list[Caution]:
    fte = a.coordinator_fte
    if fte is None:
        return []
    message = post_message(fte, load.referrals_per_year, template)
    return [] if message is None else [Caution("coordinator_fte", message)]


def post_message(fte: float, referrals: float, template: Template) -> str | None:
    """Why a co-ordinator post of ``fte`` [FTE] is small for ``referrals`` a
    year [women/year]: more referrals per full-time post than the pilots'
    busiest (the template's smallest post, 45 a year); None when it is not."""
    r = referrals
    low, _, high = template.points("costs.coordinator.fte")
    busiest = PILOT_REFERRALS / low  # referrals a year per full-time post
    if fte * busiest >= r:
        return None
    scale = max(1.0, r / PILOT_REFERRALS)
    per_post = f" ({r / fte:,.0f} a year per full-time post)" if fte > 0 else ""
    return (
        f"{fte:g} FTE for {_count(r)} referrals a year{per_post} is a smaller post for its "
        f"caseload than the pilots' ({PILOT_REFERRALS:.0f} a year on {low:g} FTE, "
        f"{busiest:,.0f} per full-time post, at the busiest); for this caseload the template "
        f"would set {as_written(low * scale):g} to {as_written(high * scale):g} FTE. The model "
        "assumes the post copes, so the area may look cheaper than it would be"
    )


def _salary(a: Answers, template: Template) -> list[Caution]:
    """An entered salary far outside the template's range, at the money year's prices."""
    own = template.data.get("price_year")
    year = a.money_year if a.money_year is not None else own
    if a.coordinator_salary is None or not isinstance(year, int):
        return []
    message = salary_message(a.coordinator_salary, year, template)
    return [] if message is None else [Caution("coordinator_salary", message)]


def salary_message(salary: float, year: int, template: Template) -> str | None:
    """Why a co-ordinator's ``salary`` [currency/year] at ``year``'s prices is
    far outside the template's range (under half its lowest or over twice its
    highest, at the same prices), or None when it is not (or either year is
    outside the deflator table)."""
    own = template.data.get("price_year")
    if not isinstance(own, int) or year not in GDP_DEFLATOR or own not in GDP_DEFLATOR:
        return None
    factor = GDP_DEFLATOR[year] / GDP_DEFLATOR[own]
    low, _, high = (p * factor for p in template.points("costs.coordinator.salary"))
    if low / BEYOND <= salary <= high * BEYOND:
        return None
    which = "less than half the lowest" if salary < low else "more than twice the highest"
    return (
        f"{salary:,.0f} a year is {which} of the pilots' range ({low:,.0f} to {high:,.0f} at "
        f"FY {year}-{(year + 1) % 100:02d} prices); check that it is a year's gross "
        "salary, in the currency's whole units"
    )


__all__ = [
    "AT_RISK_SHARE",
    "BEYOND",
    "MOST_OF_AT_RISK",
    "PILOT_REFERRALS_LOW",
    "REFERRED_OF_AT_RISK",
    "Caution",
    "caseload_message",
    "cautions",
    "post_message",
    "salary_message",
]
