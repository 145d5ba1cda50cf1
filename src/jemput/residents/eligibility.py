"""Derived facts about a resident, each with the rule it comes from.

Every age rule is expressed through `birth_cutoff`: "aged N or more on day D" is
"born on or before birth_cutoff(D, N)". The coverage SQL uses the same cut-off dates,
so the per-person functions here and the aggregate figures cannot disagree.
"""

from __future__ import annotations

from datetime import date, timedelta

from jemput.residents.codes import (
    RECORDED_STATUSES,
    Disability,
    KtpStatus,
    MaritalStatus,
)

WAJIB_KTP_AGE = 17
RECORDING_AGE = 16
DEACTIVATION_AGE = 22
LANSIA_AGE = 60
PEMULA_WINDOW_DAYS = 365

# Conditions under which a person usually cannot come to a collective session at the
# balai desa: the seeds' door-to-door targets (bedridden, blind, physically disabled,
# ODGJ) and the very old.
HOME_VISIT_DISABILITIES = frozenset(
    {Disability.FISIK, Disability.NETRA, Disability.MENTAL_JIWA, Disability.FISIK_DAN_MENTAL}
)
HOME_VISIT_AGE = 80


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


def is_wajib_ktp(
    *,
    birth_date: date,
    marital_status: int,
    citizenship: str,
    has_itap: bool,
    on: date,
) -> bool:
    """Whether the person must hold a KTP-el on `on`.

    UU 24/2013 Pasal 63(1): WNI, and foreigners holding an Izin Tinggal Tetap (ITAP),
    who are 17 or older, or are or have been married (DOMAIN.md §3).
    """
    if citizenship != "WNI" and not has_itap:
        return False
    return birth_date <= birth_cutoff(on, WAJIB_KTP_AGE) or (
        marital_status != MaritalStatus.BELUM_KAWIN
    )


def may_record(*, birth_date: date, on: date) -> bool:
    """Whether biometrics may be recorded on `on`: from 16.

    Ditjen Dukcapil's 2018 policy for first-time voters, not a clause of the law;
    the card itself is printed and handed over only at 17 (DOMAIN.md §3).
    """
    return birth_date <= birth_cutoff(on, RECORDING_AGE)


def may_print(*, birth_date: date, marital_status: int, on: date) -> bool:
    """Whether a card may be printed on `on`: at 17, or earlier if ever married.

    DOMAIN.md §3: printing only at 17+ (Dukcapil refused earlier issue, Pasal 96A).
    """
    return birth_date <= birth_cutoff(on, WAJIB_KTP_AGE) or (
        marital_status != MaritalStatus.BELUM_KAWIN
    )


def is_pemula(*, birth_date: date, on: date, window_days: int = PEMULA_WINDOW_DAYS) -> bool:
    """Whether the person turns 17 within `window_days` either side of `on`.

    A *wajib KTP pemula* is a first-time card holder; offices target those who just
    turned 17 and those about to (Balangan's 16-18 school programme, DOMAIN.md §8).
    """
    seventeenth = _birthday(birth_date, WAJIB_KTP_AGE)
    return on - timedelta(days=window_days) < seventeenth <= on + timedelta(days=window_days)


def is_lansia(*, birth_date: date, on: date) -> bool:
    """Whether the person is elderly (60+), per UU 13/1998 Pasal 1 angka 2."""
    return birth_date <= birth_cutoff(on, LANSIA_AGE)


def is_recorded(ktp_status: str | None) -> bool:
    """Whether biometrics have been captured: any national status but UNREGISTERED."""
    return ktp_status in RECORDED_STATUSES


def is_due_for_deactivation(*, birth_date: date, ktp_status: str | None, on: date) -> bool:
    """Whether the NIK is due for temporary deactivation on `on`.

    Permendagri 95/2019 Pasal 96: 22 or older and never recorded. A recording
    reactivates it, so a recorded person is never due (DOMAIN.md §3).
    """
    return ktp_status == KtpStatus.UNREGISTERED and birth_date <= birth_cutoff(
        on, DEACTIVATION_AGE
    )


def is_vulnerable(
    *, birth_date: date, disability: int | None, bedridden: bool, odgj: bool, on: date
) -> bool:
    """Whether the person belongs to the groups offices serve door to door.

    Disabled, bedridden, ODGJ and elderly residents: the seeds' *kelompok rentan*
    (Klaten's Pelaut Bala, Trenggalek, Purworejo) - broader than Permendagri 96/2019's
    *penduduk rentan adminduk*, which covers disaster and social victims (DOMAIN.md §6).
    """
    return (
        disability is not None
        or bedridden
        or odgj
        or is_lansia(birth_date=birth_date, on=on)
    )


def needs_home_visit(
    *,
    birth_date: date,
    disability: int | None,
    bedridden: bool,
    odgj: bool,
    on: date,
    stated: bool | None = None,
) -> bool:
    """Whether the person needs a home visit rather than a collective session.

    What the family or desa stated wins; otherwise bedridden, ODGJ, the physically,
    visually or mentally disabled, and those of 80 or more are visited at home.
    """
    if stated is not None:
        return stated
    return (
        bedridden
        or odgj
        or disability in HOME_VISIT_DISABILITIES
        or birth_date <= birth_cutoff(on, HOME_VISIT_AGE)
    )


def _birthday(birth_date: date, years: int) -> date:
    try:
        return birth_date.replace(year=birth_date.year + years)
    except ValueError:  # born 29 February; the birthday falls on 1 March
        return date(birth_date.year + years, 3, 1)
