"""The registry's rules about a resident, each defined once for a person and for a query.

Every rule is a pair written side by side: `is_x(person=..., on=...)` answers for one
resident (the resident page, the demo generator) and `x_sql(on=...)` is the same rule as
a condition over the `residents` table (the coverage figures and the named lists).
tests/residents/test_rules_agree.py proves each pair equal on generated residents, on
SQLite and PostgreSQL. Every SQL condition is two-valued - never NULL, even for a
resident whose status the export did not give - so reports may negate and combine it
exactly as the Python side does. Reports build their figures only from these.

Ages go through `birth_cutoff`: "aged N or more on day D" is "born on or before
birth_cutoff(D, N)", which both sides use.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol

from sqlalchemy import ColumnElement, and_, case, not_, or_, true

from jemput.residents.codes import (
    FOLLOW_UP_STATUSES,
    PRINT_READY_STATUSES,
    RECORDED_STATUSES,
    Disability,
    KtpStatus,
    MaritalStatus,
)
from jemput.residents.models import Resident

WAJIB_KTP_AGE = 17
RECORDING_AGE = 16
# A pemula is 16 or 17: old enough to record, and wajib KTP for less than a year.
PEMULA_AGES = (RECORDING_AGE, WAJIB_KTP_AGE)
DEACTIVATION_AGE = 22
LANSIA_AGE = 60
LIVING_HERE = "hidup"

# Conditions under which a person usually cannot come to a collective session at the
# balai desa: the seeds' door-to-door targets (bedridden, blind, physically disabled,
# ODGJ) and the very old.
HOME_VISIT_DISABILITIES = frozenset(
    {Disability.FISIK, Disability.NETRA, Disability.MENTAL_JIWA, Disability.FISIK_DAN_MENTAL}
)
HOME_VISIT_AGE = 80


class Person(Protocol):
    """What the rules read about a resident; a Resident row is one."""

    @property
    def birth_date(self) -> date: ...
    @property
    def marital_status(self) -> int: ...
    @property
    def citizenship(self) -> str: ...
    @property
    def has_itap(self) -> bool: ...
    @property
    def life_status(self) -> str: ...
    @property
    def ktp_status(self) -> str | None: ...
    @property
    def disability(self) -> int | None: ...
    @property
    def bedridden(self) -> bool: ...
    @property
    def odgj(self) -> bool: ...
    @property
    def needs_home_visit(self) -> bool | None: ...
    @property
    def missing_since_import_id(self) -> int | None: ...


@dataclass(frozen=True)
class PersonFacts:
    """A person who is not (yet) a Resident row, e.g. one the demo generator invents."""

    birth_date: date
    marital_status: int = MaritalStatus.BELUM_KAWIN
    citizenship: str = "WNI"
    has_itap: bool = False
    life_status: str = LIVING_HERE
    ktp_status: str | None = None
    disability: int | None = None
    bedridden: bool = False
    odgj: bool = False
    needs_home_visit: bool | None = None
    missing_since_import_id: int | None = None


def birth_cutoff(on: date, years: int) -> date:
    """Return the latest birth date of someone who is `years` old or more on `on`.

    Someone born on 29 February reaches an age on 1 March in common years, the
    same convention as `age_on`.
    """
    try:
        return on.replace(year=on.year - years)
    except ValueError:  # `on` is 29 February and the year `years` back is common
        return on.replace(year=on.year - years, day=28)


def age_on(birth_date: date, on: date) -> int:
    """Return the age in whole years on `on`."""
    years = on.year - birth_date.year
    if (on.month, on.day) < (birth_date.month, birth_date.day):
        years -= 1
    return years


_r = Resident


def _aged(on: date, years: int) -> ColumnElement[bool]:
    return _r.birth_date <= birth_cutoff(on, years)


def _flag(column: Any) -> ColumnElement[bool]:
    # IS TRUE, not = TRUE: two-valued even for the nullable needs_home_visit.
    return column.is_(true())


def _status_in(statuses: frozenset[str]) -> ColumnElement[bool]:
    # The IS NOT NULL keeps the condition two-valued: a status the export did not give
    # is simply "not in the set", as in Python, and stays so under NOT.
    return and_(_r.ktp_status.is_not(None), _r.ktp_status.in_(sorted(statuses)))


def _status_is(status: KtpStatus) -> ColumnElement[bool]:
    return and_(_r.ktp_status.is_not(None), _r.ktp_status == status.value)


# --- who lives here ---------------------------------------------------------------------


def is_living_here(*, person: Person, on: date) -> bool:
    """Whether the person is alive and still a resident: not dead, moved away or missing.

    Only such a person is obliged or allowed to record, or due for deactivation; the
    registry keeps the others for their history.
    """
    return person.life_status == LIVING_HERE


def living_here_sql(*, on: date) -> ColumnElement[bool]:
    return _r.life_status == LIVING_HERE


def is_counted(*, person: Person, on: date) -> bool:
    """Whether the person is in the population the coverage figures and lists count.

    Living here, and still listed by the latest export of their area: someone a newer
    export no longer lists is kept, but counted nowhere until an export lists them again.
    """
    return is_living_here(person=person, on=on) and person.missing_since_import_id is None


def counted_sql(*, on: date) -> ColumnElement[bool]:
    return and_(living_here_sql(on=on), _r.missing_since_import_id.is_(None))


# --- the card: who must hold one, who may record, who may print --------------------------


def may_hold_ktp(*, person: Person, on: date) -> bool:
    """Whether the person's citizenship allows a KTP-el: WNI, or a foreigner with an ITAP.

    UU 24/2013 Pasal 63(1); a foreigner with only an ITAS gets an SKTT instead (DOMAIN.md §3).
    """
    return person.citizenship == "WNI" or bool(person.has_itap)


def may_hold_ktp_sql(*, on: date) -> ColumnElement[bool]:
    return or_(_r.citizenship == "WNI", _flag(_r.has_itap))


def is_wajib_ktp(*, person: Person, on: date) -> bool:
    """Whether the person must hold a KTP-el on `on`.

    UU 24/2013 Pasal 63(1): WNI, and foreigners holding an Izin Tinggal Tetap (ITAP),
    who are 17 or older, or are or have been married (DOMAIN.md §3) - and live here.
    """
    return (
        is_living_here(person=person, on=on)
        and may_hold_ktp(person=person, on=on)
        and (
            person.birth_date <= birth_cutoff(on, WAJIB_KTP_AGE)
            or person.marital_status != MaritalStatus.BELUM_KAWIN
        )
    )


def wajib_ktp_sql(*, on: date) -> ColumnElement[bool]:
    return and_(
        living_here_sql(on=on),
        may_hold_ktp_sql(on=on),
        or_(_aged(on, WAJIB_KTP_AGE), _r.marital_status != MaritalStatus.BELUM_KAWIN.value),
    )


def may_record(*, person: Person, on: date) -> bool:
    """Whether biometrics may be recorded on `on`: whoever may hold a card, from 16.

    Recording at 16 is Ditjen Dukcapil's 2018 policy for first-time voters, not a clause
    of the law; a married person is wajib KTP, so may record, at any age. A foreigner
    without an ITAP may not hold a KTP-el, so is never recorded (DOMAIN.md §3).
    """
    return (
        is_living_here(person=person, on=on)
        and may_hold_ktp(person=person, on=on)
        and (
            person.birth_date <= birth_cutoff(on, RECORDING_AGE)
            or person.marital_status != MaritalStatus.BELUM_KAWIN
        )
    )


def may_record_sql(*, on: date) -> ColumnElement[bool]:
    return and_(
        living_here_sql(on=on),
        may_hold_ktp_sql(on=on),
        or_(_aged(on, RECORDING_AGE), _r.marital_status != MaritalStatus.BELUM_KAWIN.value),
    )


def may_print(*, person: Person, on: date) -> bool:
    """Whether a card may be printed on `on`: exactly when the person is wajib KTP.

    DOMAIN.md §3: printing only at 17+ (Dukcapil refused earlier issue, Pasal 96A), or
    earlier for the married; those recorded at 16 wait for their birthday. Not a rule of
    its own: it is `is_wajib_ktp`, and its SQL is `wajib_ktp_sql`.
    """
    return is_wajib_ktp(person=person, on=on)


# --- where a record stands --------------------------------------------------------------


def is_recorded(*, person: Person, on: date) -> bool:
    """Whether biometrics have been captured: any national status but UNREGISTERED.

    A status the export did not give is neither recorded nor not recorded.
    """
    return person.ktp_status in RECORDED_STATUSES


def recorded_sql(*, on: date) -> ColumnElement[bool]:
    return _status_in(RECORDED_STATUSES)


def is_print_ready(*, person: Person, on: date) -> bool:
    """Whether the record is deduplicated and waits for a blank card: the *utang cetak*."""
    return person.ktp_status in PRINT_READY_STATUSES


def print_ready_sql(*, on: date) -> ColumnElement[bool]:
    return _status_in(PRINT_READY_STATUSES)


def is_not_recorded(*, person: Person, on: date) -> bool:
    """Whether the person must hold a card and SIAK says no biometrics: *belum rekam*."""
    return (
        is_wajib_ktp(person=person, on=on)
        and person.ktp_status == KtpStatus.UNREGISTERED.value
    )


def not_recorded_sql(*, on: date) -> ColumnElement[bool]:
    # The status first: few rows are UNREGISTERED, and both engines stop an AND early.
    return and_(_status_is(KtpStatus.UNREGISTERED), wajib_ktp_sql(on=on))


def needs_follow_up(*, person: Person, on: date) -> bool:
    """Whether the record is stuck after recording and the office must act: *perlu tindak lanjut*.

    A DUPLICATE_RECORD cannot be printed until the resident asks for the duplicate to be
    deleted, and an enrolment or search failure must be re-sent or recorded again
    (DOMAIN.md §4). They count as recorded, so no other figure shows them.
    """
    return person.ktp_status in FOLLOW_UP_STATUSES


def follow_up_sql(*, on: date) -> ColumnElement[bool]:
    return _status_in(FOLLOW_UP_STATUSES)


def is_due_for_deactivation(*, person: Person, on: date) -> bool:
    """Whether the NIK is due for temporary deactivation on `on`.

    Permendagri 95/2019 Pasal 96: wajib KTP, 22 or older and never recorded. A
    recording reactivates it, so a recorded person is never due; nor is anyone who no
    longer lives here (dead, moved away, missing) (DOMAIN.md §3).
    """
    return (
        is_not_recorded(person=person, on=on)
        and person.birth_date <= birth_cutoff(on, DEACTIVATION_AGE)
    )


def due_for_deactivation_sql(*, on: date) -> ColumnElement[bool]:
    return and_(not_recorded_sql(on=on), _aged(on, DEACTIVATION_AGE))


# --- who offices reach out to -----------------------------------------------------------


def is_pemula(*, person: Person, on: date) -> bool:
    """Whether the person is a first-timer (*pemula*): 16 or 17 and allowed to record.

    The one definition of pemula. From 16 a person may record (Ditjen Dukcapil's 2018
    policy for first-time voters); at 17 they become wajib KTP, and new 17-year-olds are
    who offices and blank-card priority target (Balangan records students at 16 and
    hands the card over at 17) (DOMAIN.md §3, §4). At 18 they are simply wajib KTP.
    """
    low, high = PEMULA_AGES
    return (
        may_record(person=person, on=on)
        and low <= age_on(person.birth_date, on) <= high
    )


def pemula_sql(*, on: date) -> ColumnElement[bool]:
    low, high = PEMULA_AGES
    return and_(
        _r.birth_date > birth_cutoff(on, high + 1),
        _aged(on, low),
        may_record_sql(on=on),
    )


def is_pemula_not_recorded(*, person: Person, on: date) -> bool:
    """Whether a pemula has not recorded yet: the pemula list and its figure.

    Wider than "belum rekam" with reason pemula: it includes 16-year-olds, who may record
    but are not yet wajib, and vulnerable pemula.
    """
    return is_pemula(person=person, on=on) and person.ktp_status == KtpStatus.UNREGISTERED.value


def pemula_not_recorded_sql(*, on: date) -> ColumnElement[bool]:
    return and_(_status_is(KtpStatus.UNREGISTERED), pemula_sql(on=on))


def is_lansia(*, person: Person, on: date) -> bool:
    """Whether the person is elderly (60+), per UU 13/1998 Pasal 1 angka 2."""
    return person.birth_date <= birth_cutoff(on, LANSIA_AGE)


def lansia_sql(*, on: date) -> ColumnElement[bool]:
    return _aged(on, LANSIA_AGE)


def is_vulnerable(*, person: Person, on: date) -> bool:
    """Whether the person belongs to the groups offices serve door to door.

    Disabled, bedridden, ODGJ and elderly residents: the seeds' *kelompok rentan*
    (Klaten's Pelaut Bala, Trenggalek, Purworejo) - broader than Permendagri 96/2019's
    *penduduk rentan adminduk*, which covers disaster and social victims (DOMAIN.md §6).
    """
    return (
        person.disability is not None
        or bool(person.bedridden)
        or bool(person.odgj)
        or is_lansia(person=person, on=on)
    )


def vulnerable_sql(*, on: date) -> ColumnElement[bool]:
    return or_(
        _r.disability.is_not(None), _flag(_r.bedridden), _flag(_r.odgj), lansia_sql(on=on)
    )


# Why a *belum rekam* resident is targeted: the first of these that holds, else "lainnya".
# The order is the rule; the Python and the SQL forms below both read it from here.
_REASON_RULES = (
    ("rentan", is_vulnerable, vulnerable_sql),
    ("pemula", is_pemula, pemula_sql),
)
REASONS = (*(reason for reason, _, _ in _REASON_RULES), "lainnya")


def not_recorded_reason(*, person: Person, on: date) -> str | None:
    """Return why a *belum rekam* resident is targeted (rentan, pemula, lainnya), else None.

    Each not-recorded resident has exactly one reason, so the three figures add up to
    "belum rekam": vulnerable first, then pemula, then the rest.
    """
    if not is_not_recorded(person=person, on=on):
        return None
    for reason, holds, _ in _REASON_RULES:
        if holds(person=person, on=on):
            return reason
    return "lainnya"


def not_recorded_reason_sql(*, on: date) -> ColumnElement[str | None]:
    return case(
        (not_(not_recorded_sql(on=on)), None),
        *[(sql(on=on), reason) for reason, _, sql in _REASON_RULES],
        else_="lainnya",
    )


def not_recorded_for_sql(*, reason: str, on: date) -> ColumnElement[bool]:
    """`not_recorded_reason_sql(on) == reason` as a plain condition, cheaper to count and
    able to use the status index: belum rekam, no earlier reason, and this one."""
    if reason not in REASONS:
        raise ValueError(f"unknown reason {reason!r}")
    terms = [not_recorded_sql(on=on)]
    for name, _, sql in _REASON_RULES:
        if name == reason:
            return and_(*terms, sql(on=on))
        terms.append(not_(sql(on=on)))
    return and_(*terms)


def needs_home_visit(*, person: Person, on: date) -> bool:
    """Whether the person needs a home visit rather than a collective session.

    What the family or desa stated wins; otherwise bedridden, ODGJ, the physically,
    visually or mentally disabled, and those of 80 or more are visited at home.
    """
    if person.needs_home_visit is not None:
        return bool(person.needs_home_visit)
    return (
        bool(person.bedridden)
        or bool(person.odgj)
        or person.disability in HOME_VISIT_DISABILITIES
        or person.birth_date <= birth_cutoff(on, HOME_VISIT_AGE)
    )


def needs_home_visit_sql(*, on: date) -> ColumnElement[bool]:
    derived = or_(
        _flag(_r.bedridden),
        _flag(_r.odgj),
        and_(_r.disability.is_not(None),
             _r.disability.in_(sorted(int(d) for d in HOME_VISIT_DISABILITIES))),
        _aged(on, HOME_VISIT_AGE),
    )
    return or_(
        _flag(_r.needs_home_visit),
        and_(_r.needs_home_visit.is_(None), derived),
    )


# Every yes/no rule with its SQL twin; the agreement test walks this table, so a rule
# added here is proven on both databases without further work.
RULES = {
    "living_here": (is_living_here, living_here_sql),
    "counted": (is_counted, counted_sql),
    "may_hold_ktp": (may_hold_ktp, may_hold_ktp_sql),
    "wajib_ktp": (is_wajib_ktp, wajib_ktp_sql),
    "may_record": (may_record, may_record_sql),
    "may_print": (may_print, wajib_ktp_sql),
    "recorded": (is_recorded, recorded_sql),
    "print_ready": (is_print_ready, print_ready_sql),
    "not_recorded": (is_not_recorded, not_recorded_sql),
    "follow_up": (needs_follow_up, follow_up_sql),
    "due_for_deactivation": (is_due_for_deactivation, due_for_deactivation_sql),
    "pemula": (is_pemula, pemula_sql),
    "pemula_not_recorded": (is_pemula_not_recorded, pemula_not_recorded_sql),
    "lansia": (is_lansia, lansia_sql),
    "vulnerable": (is_vulnerable, vulnerable_sql),
    "needs_home_visit": (needs_home_visit, needs_home_visit_sql),
}
