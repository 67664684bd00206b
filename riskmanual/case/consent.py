"""Consent to share information, as events: the current state is computed, never stored.

SIG rests on consent that lifts secrecy between agencies (OSL 12 kap. 2-3 §§): the young
person's own, and while under 18 also each guardian's. Every event names its signatory, the
agencies it covers, its date and, for a record, an optional expiry. Pure: no I/O.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from ..errors import ConsentError, Issue
from ..instrument import AGENCIES
from ..messages import _MESSAGES, Localized, tr

__all__ = ["REPORTING", "SCOPES", "SIGNATORIES", "AgencyConsent", "ConsentFact", "ConsentState", "age_on", "check_event", "consent_state",
           "required_signatories", "who", "agency_words", "lacking"]

SIGNATORIES = ("young_person", "guardian_1", "guardian_2")
#: Consent to use the case, pseudonymised, for follow-up and evaluation (``riskmanual export``,
#: ``riskmanual evaluate``): given and withdrawn like an agency, named ``reporting``.
REPORTING = "reporting"
#: What a consent event can cover: sharing with each agency, and reporting.
SCOPES = (*AGENCIES, REPORTING)
LEGAL_BASES = ("consent", "osl_12_2", "osl_12_3", "other")


@dataclass(frozen=True)
class ConsentFact:
    """One consent event as the rules see it."""

    kind: str  # "record" or "withdraw"
    signatory: str
    agencies: tuple[str, ...]
    date: dt.date
    expires: dt.date | None = None
    order: int = 0  # the store's id: events on the same day apply in this order


@dataclass(frozen=True)
class AgencyConsent:
    """Whether information may be shared with one agency, and for whom consent is lacking."""

    agency: str
    valid: bool
    missing: tuple[str, ...] = ()
    withdrawn: tuple[str, ...] = ()
    expired: tuple[str, ...] = ()


@dataclass(frozen=True)
class ConsentState:
    on: dt.date
    required: tuple[str, ...]
    agencies: dict[str, AgencyConsent] = field(default_factory=dict)

    def allows(self, agency: str) -> bool:
        return self.agencies[agency].valid

    @property
    def any_withdrawn(self) -> bool:
        return any(a.withdrawn for a in self.agencies.values())


def who(signatory: str) -> Localized:
    """``den unge`` / ``vårdnadshavare 1``: a signatory in words, in the message's language."""
    if signatory == "young_person":
        return Localized({"sv": "den unge", "en": "the young person"})
    number = signatory.rsplit("_", 1)[-1]
    return Localized({"sv": f"vårdnadshavare {number}", "en": f"guardian {number}"})


def agency_words(agency: str) -> Localized:
    return Localized(_MESSAGES.get(f"agency.{agency}", {"sv": agency, "en": agency}))


def age_on(birth_date: dt.date, on: dt.date) -> int:
    return on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))


def required_signatories(birth_date: dt.date, guardians: int, on: dt.date) -> tuple[str, ...]:
    """The young person, and each guardian while the young person is under 18."""
    if age_on(birth_date, on) >= 18:
        return ("young_person",)
    return ("young_person",) + tuple(f"guardian_{n}" for n in range(1, guardians + 1))


def consent_state(facts: Iterable[ConsentFact], birth_date: dt.date, guardians: int, on: dt.date) -> ConsentState:
    """Each agency's consent on ``on``: valid when every required signatory's latest event for
    it (on or before ``on``) is a record that has not expired."""
    required = required_signatories(birth_date, guardians, on)
    ordered = sorted((f for f in facts if f.date <= on), key=lambda f: (f.date, f.order))
    latest: dict[tuple[str, str], ConsentFact] = {}
    for fact in ordered:
        for agency in fact.agencies:
            latest[(fact.signatory, agency)] = fact
    state = ConsentState(on=on, required=required)
    for agency in SCOPES:
        missing, withdrawn, expired = [], [], []
        for signatory in required:
            fact = latest.get((signatory, agency))
            if fact is None:
                missing.append(signatory)
            elif fact.kind == "withdraw":
                withdrawn.append(signatory)
            elif fact.expires is not None and fact.expires < on:
                expired.append(signatory)
        state.agencies[agency] = AgencyConsent(agency, not (missing or withdrawn or expired), tuple(missing),
                                               tuple(withdrawn), tuple(expired))
    return state


def check_event(fact: ConsentFact, birth_date: dt.date, guardians: int, today: dt.date) -> None:
    """Refuse an event that cannot be right, all problems at once."""
    problems: list[Issue] = []
    if fact.signatory not in SIGNATORIES:
        problems.append(Issue(tr("unknown signatory '{value}'; use one of {choices}", value=fact.signatory,
                                 choices=list(SIGNATORIES)), path=("signatory",)))
    elif fact.signatory != "young_person":
        number = int(fact.signatory.rsplit("_", 1)[1])
        if number > guardians:
            problems.append(Issue(tr("the young person has {n} recorded guardian(s); there is no {signatory}",
                                     n=guardians, signatory=who(fact.signatory)), path=("signatory",)))
        elif age_on(birth_date, fact.date) >= 18:
            problems.append(Issue(tr("the young person is 18 or older on {date}: only their own consent counts",
                                     date=fact.date.isoformat()), path=("signatory",)))
    unknown = [a for a in fact.agencies if a not in SCOPES]
    if unknown:
        problems.append(Issue(tr("unknown agency {values}; use some of {choices}", values=unknown,
                                 choices=list(SCOPES)), path=("agencies",)))
    if not fact.agencies:
        problems.append(Issue(tr("name at least one agency"), path=("agencies",)))
    if fact.date > today:
        problems.append(Issue(tr("the date {date} is in the future", date=fact.date.isoformat()), path=("date",)))
    if fact.expires is not None and fact.expires <= fact.date:
        problems.append(Issue(tr("the consent expires on {expires}, not after it was given on {date}",
                                 expires=fact.expires.isoformat(), date=fact.date.isoformat()), path=("expires",)))
    if problems:
        raise ConsentError(tr("the consent cannot be recorded"), problems)


def lacking(state: ConsentState, agencies: Sequence[str]) -> list[Issue]:
    """Why sharing with ``agencies`` is not allowed on ``state.on`` (empty when it is)."""
    issues = []
    for agency in agencies:
        entry = state.agencies[agency]
        for signatory in entry.missing:
            issues.append(Issue(tr("no consent from {signatory} to share with {agency}", signatory=who(signatory),
                                   agency=agency_words(agency)), path=("consent", agency)))
        for signatory in entry.withdrawn:
            issues.append(Issue(tr("{signatory} has withdrawn consent to share with {agency}",
                                   signatory=who(signatory), agency=agency_words(agency)), path=("consent", agency)))
        for signatory in entry.expired:
            issues.append(Issue(tr("the consent of {signatory} to share with {agency} has expired",
                                   signatory=who(signatory), agency=agency_words(agency)), path=("consent", agency)))
    return issues
