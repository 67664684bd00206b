"""Consent as events: the state per agency, who must sign, and events that cannot be right."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from riskmanual.case.consent import ConsentFact, check_event, consent_state, lacking, required_signatories
from riskmanual.errors import ConsentError

MINOR = dt.date(2009, 5, 14)  # 17 on the dates below
ADULT = dt.date(2005, 1, 1)
ON = dt.date(2026, 12, 1)


def fact(kind: str, signatory: str, *agencies: str, day: int = 1, month: int = 11, expires: dt.date | None = None,
         order: int = 0) -> ConsentFact:
    return ConsentFact(kind, signatory, agencies, dt.date(2026, month, day), expires, order)


def test_a_minor_needs_the_young_person_and_each_guardian() -> None:
    assert required_signatories(MINOR, 2, ON) == ("young_person", "guardian_1", "guardian_2")
    assert required_signatories(MINOR, 2, dt.date(2027, 5, 14)) == ("young_person",)  # turns 18
    facts = [fact("record", "young_person", "police"), fact("record", "guardian_1", "police")]
    state = consent_state(facts, MINOR, 2, ON)
    assert not state.allows("police") and state.agencies["police"].missing == ("guardian_2",)
    state = consent_state([*facts, fact("record", "guardian_2", "police")], MINOR, 2, ON)
    assert state.allows("police") and not state.allows("school")


def test_an_adult_needs_only_their_own_consent() -> None:
    state = consent_state([fact("record", "young_person", "police", "school")], ADULT, 0, ON)
    assert state.allows("police") and state.allows("school") and not state.allows("social_services")


def test_a_withdrawal_stops_what_it_covers_and_only_that() -> None:
    facts = [fact("record", "young_person", "police", "school", order=1),
             fact("withdraw", "young_person", "police", day=20, order=2)]
    state = consent_state(facts, ADULT, 0, ON)
    assert not state.allows("police") and state.agencies["police"].withdrawn == ("young_person",)
    assert state.allows("school") and state.any_withdrawn
    before = consent_state(facts, ADULT, 0, dt.date(2026, 11, 10))
    assert before.allows("police")  # the state on an earlier date: before the withdrawal
    again = consent_state([*facts, fact("record", "young_person", "police", day=25, order=3)], ADULT, 0, ON)
    assert again.allows("police")


def test_consent_expires() -> None:
    facts = [fact("record", "young_person", "police", expires=dt.date(2026, 11, 30))]
    assert consent_state(facts, ADULT, 0, dt.date(2026, 11, 30)).allows("police")
    expired = consent_state(facts, ADULT, 0, ON)
    assert not expired.allows("police") and expired.agencies["police"].expired == ("young_person",)
    (issue,) = lacking(expired, ["police"])
    assert issue.render("sv").endswith("samtycket från den unge till informationsutbyte med polisen har upphört")


@pytest.mark.parametrize("event, words", [
    (fact("record", "guardian_2", "police"), "there is no guardian 2"),
    (fact("record", "nobody", "police"), "unknown signatory"),
    (fact("record", "young_person", "the_press"), "unknown agency"),
    (fact("record", "young_person"), "name at least one agency"),
    (fact("record", "young_person", "police", month=12, day=24), "in the future"),
    (fact("record", "young_person", "police", expires=dt.date(2026, 10, 1)), "expires on 2026-10-01"),
])
def test_an_event_that_cannot_be_right_is_refused(event: ConsentFact, words: str) -> None:
    with pytest.raises(ConsentError) as caught:
        check_event(event, MINOR, 1, ON)
    assert words in caught.value.render("en")
    assert caught.value.render("sv") != caught.value.render("en")


def test_a_guardian_cannot_sign_for_an_adult() -> None:
    with pytest.raises(ConsentError, match="18 or older"):
        check_event(fact("record", "guardian_1", "police"), ADULT, 1, ON)


@given(st.lists(st.tuples(st.sampled_from(["record", "withdraw"]), st.sampled_from(["young_person", "guardian_1"]),
                          st.sets(st.sampled_from(["police", "school", "social_services"]), min_size=1),
                          st.integers(1, 30)), max_size=12))
def test_the_state_is_the_latest_event_of_each_signatory(events: list) -> None:
    facts = [ConsentFact(k, s, tuple(sorted(a)), dt.date(2026, 11, d), None, i) for i, (k, s, a, d) in enumerate(events)]
    state = consent_state(facts, MINOR, 1, ON)
    for agency in ("police", "school", "social_services"):
        latest = {}
        for f in sorted(facts, key=lambda f: (f.date, f.order)):
            if agency in f.agencies:
                latest[f.signatory] = f.kind
        expected = all(latest.get(s) == "record" for s in ("young_person", "guardian_1"))
        assert state.allows(agency) == expected
    assert consent_state(list(reversed(facts)), MINOR, 1, ON) == state  # the order given does not matter
