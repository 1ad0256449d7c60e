"""One wrong answer gives one message, on its own field, in the page's terms.

Each numeric answer of the page is set in turn to a hostile value (zero,
negative, tiny, huge, beyond its limit) on top of answers that are otherwise
fine.  The form must then mark that answer alone: no message on another field
that only follows from it (such as "delivery years too" after delivery years
that could not be read), and no message about a value worked out from it
(such as "volunteers.pool: low must be below high" after 0 volunteers).
"""

from __future__ import annotations

import re

import pytest

from sroi.app import form
from sroi.app.example import WORKED_EXAMPLE
from sroi.app.form import read_form
from sroi.replication.answers import AnswerProblem, AnswersError, check_answers, missing

#: The worked example: every recorded figure given.
RECORDED = dict(WORKED_EXAMPLE)
#: An area with expected referrals a year instead of a recorded total.
PER_YEAR = {k: v for k, v in RECORDED.items() if k != "referrals_total"} | {
    "referrals_per_year": "60",
    "paired": "",
}
#: An area where the service has not started: births and a share referred.
NOT_STARTED = {
    k: v
    for k, v in RECORDED.items()
    if k not in ("years", "referrals_total", "paired", "volunteers_trained", "share_accepted")
} | {"births": "4800", "share_referred": "1.8%"}
#: Money entered, so its price year is asked.
WITH_MONEY = RECORDED | {
    "coordinator_fte": "0.6",
    "coordinator_salary": "34000",
    "local_costs": "premises=1200",
    "money_year": "2024",
}

#: Values a user might type by mistake, or on purpose.
HOSTILE = ("0", "-1", "-0.5", "0.0001", "0.004", "1e9", "999999999999", "1e308", "1e400")

#: Each numeric answer, with the answers it is swept on.
SWEPT: dict[str, dict[str, str]] = {
    "years": RECORDED,
    "referrals_total": RECORDED,
    "referrals_per_year": PER_YEAR,
    "births": NOT_STARTED,
    "share_referred": NOT_STARTED,
    # Without women paired, which a tiny share accepted would contradict.
    "share_accepted": RECORDED | {"paired": ""},
    "assessed": RECORDED | {"paired": ""},
    "paired": RECORDED,
    "visits_per_woman": RECORDED,
    "weeks_of_support": RECORDED,
    "volunteers_trained": RECORDED,
    "coordinator_fte": WITH_MONEY,
    "coordinator_salary": WITH_MONEY,
    "money_year": WITH_MONEY,
}

#: A dotted internal path such as ``volunteers.pool`` or ``delivery.uptake``.
DOTTED = re.compile(r"\b[a-z_]{2,}\.[a-z_]{2,}\b")


def test_the_base_answers_are_fine() -> None:
    for base in (RECORDED, PER_YEAR, NOT_STARTED, WITH_MONEY):
        result = read_form(base | {"draws": "100"})
        assert result.ok, (result.errors, result.general)


@pytest.mark.parametrize("value", HOSTILE)
@pytest.mark.parametrize("key", sorted(SWEPT))
def test_a_hostile_answer_is_marked_on_its_own_field_alone(key: str, value: str) -> None:
    result = read_form(SWEPT[key] | {key: value, "draws": "100"})
    assert result.general == []
    assert set(result.errors) <= {key}, result.errors
    for message in result.errors.values():
        assert not DOTTED.search(message), message
        assert "low must be below high" not in message


@pytest.mark.parametrize("value", ["0", "1"])
def test_one_volunteer_or_none_says_what_was_entered(value: str) -> None:
    """0 volunteers trained was refused as "volunteers.pool: low must be below
    high; found low=0, high=0", on volunteers trained and on delivery years."""
    result = read_form(RECORDED | {"volunteers_trained": value, "draws": "100"})
    if value == "0":
        assert result.errors == {
            "volunteers_trained": "expected at least 1 volunteer trained "
            "(befrienders deliver the service); found '0'"
        }
    else:
        assert result.ok, result.errors


def test_no_woman_paired_is_refused_on_its_field() -> None:
    """0 women paired ran, with no woman supported, and gave a social return
    of 0.43 from the volunteers' own wellbeing alone."""
    result = read_form(RECORDED | {"paired": "0", "draws": "100"})
    assert result.errors == {
        "paired": "expected at least 1 woman paired "
        "(the outcomes come from the women supported); found '0'"
    }
    result = read_form(RECORDED | {"assessed": "0", "draws": "100"})
    assert result.errors == {
        "assessed": "expected at least 1 woman assessed "
        "(the women paired come from them); found '0'"
    }


def test_a_tiny_number_of_visits_keeps_its_range() -> None:
    """0.004 visits rounded to hours of 0.01-0.01-0.01, which the scenario refused."""
    result = read_form(RECORDED | {"visits_per_woman": "0.004", "draws": "100"})
    assert result.ok, result.errors
    assert result.prepared is not None
    hours = result.prepared.scenario.volunteers.hours_per_user
    assert 0 < hours.pert[0] < hours.pert[1] < hours.pert[2]


def test_delivery_years_that_cannot_be_read_mark_only_themselves() -> None:
    """Delivery years of 0 also said "delivery years too" on the total, the women
    paired and the volunteers trained."""
    result = read_form(RECORDED | {"years": "0", "assessed": "100"})
    assert result.errors == {"years": "expected a whole number of years from 1 to 50; found '0'"}


def test_a_total_over_the_limit_does_not_ask_for_births() -> None:
    """A huge total was refused, and births and a share referred were then
    asked for as if no referrals had been given."""
    result = read_form(RECORDED | {"referrals_total": "999999999"})
    assert result.errors == {
        "referrals_total": "expected at most 1,000,000 referrals; found '999999999'"
    }


def test_a_caseload_too_small_is_not_compared_with_the_women_paired() -> None:
    result = read_form(RECORDED | {"years": "20", "referrals_total": "1"})
    assert list(result.errors) == ["referrals_total"]
    assert result.errors["referrals_total"].startswith("expected at least 0.1 referrals a year")


def test_checks_that_read_an_unreadable_answer_are_left_out() -> None:
    given = {"referrals_total": 150.0, "paired": 60.0, "volunteers_trained": 25.0}
    assert {p.flag for p in check_answers(given)} == {"--years"}
    assert check_answers(given, unreadable={"years"}) == []
    # The same answers without delivery years: each count still asks for them.
    assert [q.key for q in missing({"area": "A"}, unreadable={"referrals_total"})] == [
        "childrens_centre",
        "management",
        "it_systems",
        "referral_network",
        "public_transport",
    ]
    assert "births" in [q.key for q in missing({"area": "A"})]


def test_a_problem_with_a_worked_out_value_is_said_of_its_first_answer(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Should a worked-out value still fail, the page names it in words, on
    the answer it is worked out from, not on every answer the rule reads."""

    def refuse(answers: object) -> None:
        raise AnswersError(
            [
                AnswerProblem(
                    "--volunteers-trained/--years", "volunteers.pool: low must be below high"
                )
            ]
        )

    monkeypatch.setattr(form, "prepare_answers", refuse)
    result = form.read_form(RECORDED)
    assert result.errors == {
        "volunteers_trained": "this answer works out to volunteers pool that the model cannot use: "
        "low must be below high"
    }
    assert result.general == [] and result.prepared is None


@pytest.mark.parametrize(
    "other",
    [{"years": "0"}, {"paired": "sixty"}, {"coordinator_salary": "abc"}, {"draws": "5"}],
)
def test_a_misspelt_cost_line_shows_with_any_other_problem(other: dict[str, str]) -> None:
    """The cost line was checked only once every other answer was right."""
    result = read_form(WITH_MONEY | {"local_costs": "premisis=4"} | other)
    assert set(result.errors) == {"local_costs", *other}
    assert "did you mean 'premises'?" in result.errors["local_costs"]


def test_missing_delivery_years_is_marked_on_the_years_alone() -> None:
    result = read_form(RECORDED | {"years": ""})
    assert result.errors == {
        "years": 'needed because you gave "referrals in total", "women paired" and '
        '"volunteers trained": the delivery years they cover'
    }


@pytest.mark.parametrize(
    ("key", "typed", "message"),
    [
        ("local_costs", "premises=5e11", "expected an amount from 0 to 1,000,000 for premises; "),
        ("local_costs", "premises=1e300", "found '1e300'"),
        ("coordinator_salary", "1e300", "expected a salary of at most 1,000,000; found '1e300'"),
    ],
)
def test_money_over_the_limit_is_quoted_as_typed(key: str, typed: str, message: str) -> None:
    result = read_form(WITH_MONEY | {key: typed})
    assert list(result.errors) == [key]
    assert message in result.errors[key]
    assert "e+" not in result.errors[key] and "works out to" not in result.errors[key]


def test_a_total_of_referrals_states_its_real_lower_bound() -> None:
    """-5 said "0 or more", and 0 was then refused."""
    for typed in ("-5", "0"):
        message = read_form(RECORDED | {"referrals_total": typed}).errors["referrals_total"]
        assert "1 or more" in message or "at least 1 referral" in message


def test_the_proposal_from_the_page_names_answers_by_its_questions() -> None:
    """The page's download said "Charged although the answer yes to
    --childrens-centre" and "childrens-centre: yes": flags the page never shows."""
    text = read_form(WITH_MONEY).prepared.text  # type: ignore[union-attr]
    flat = " ".join(text.split())
    assert "--childrens-centre" not in flat and "childrens-centre:" not in flat
    question = "Will a children's centre (or similar host) give desk space and rooms free?"
    assert f'Charged although the answer yes to "{question}"' in flat
    assert f"#   {question} yes" in text
