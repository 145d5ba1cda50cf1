"""Households and people of the synthetic regency: who lives together, how old, which KTP-el
status. Every probability here is a demo assumption tuned to DOMAIN.md's figures (97%
recorded, unrecorded concentrated among the old, disabled, bedridden, ODGJ, new
17-year-olds and remote desa), not a measured Purworejo statistic.
"""

from __future__ import annotations

import random
from bisect import bisect
from collections.abc import Callable
from dataclasses import dataclass
from itertools import accumulate

from jemput.demo import names
from jemput.residents.codes import Disability, KtpStatus, MaritalStatus

# SIAK STAT_HBKEL
HEAD, HUSBAND, WIFE, CHILD, CHILD_IN_LAW, GRANDCHILD, PARENT, PARENT_IN_LAW = 1, 2, 3, 4, 5, 6, 7, 8
MALE, FEMALE = 1, 2
SINGLE, MARRIED, DIVORCED, WIDOWED = (
    MaritalStatus.BELUM_KAWIN.value, MaritalStatus.KAWIN.value,
    MaritalStatus.CERAI_HIDUP.value, MaritalStatus.CERAI_MATI.value,
)


class Sampler:
    """Weighted choice by bisect on precomputed cumulative weights (random.choices
    rebuilds them on every call, which is too slow for 770,000 rows)."""

    __slots__ = ("_cum", "_items", "_total")

    def __init__(self, pairs: list[tuple[object, float]]) -> None:
        self._items = [item for item, _ in pairs]
        self._cum = list(accumulate(weight for _, weight in pairs))
        self._total = self._cum[-1]

    def __call__(self, rng: random.Random) -> object:
        return self._items[bisect(self._cum, rng.random() * self._total)]


def _bands(bands: list[tuple[int, int, float]]) -> list[tuple[object, float]]:
    # Spread each (low, high, weight) age band evenly over its single years.
    return [(age, weight / (high - low + 1)) for low, high, weight in bands
            for age in range(low, high + 1)]


# Tuned so the whole file has BPS-2020-like proportions: ~25% under 15, ~11% 60+.
HEAD_AGE = Sampler(_bands([
    (20, 24, 1.5), (25, 29, 6), (30, 34, 10), (35, 39, 11), (40, 44, 11), (45, 49, 10.5),
    (50, 54, 10), (55, 59, 9), (60, 64, 7), (65, 69, 5), (70, 74, 3.5), (75, 79, 2.4),
    (80, 84, 1.3), (85, 92, 0.6),
]))
CHILDREN_BORN = Sampler([(0, 6), (1, 17), (2, 37), (3, 25), (4, 10), (5, 5)])
RELIGION = Sampler([(1, 979), (2, 12), (3, 7), (4, 0.5), (5, 1), (7, 0.5)])
DISABILITY_KIND = Sampler([
    (Disability.FISIK.value, 36), (Disability.NETRA.value, 17),
    (Disability.RUNGU_WICARA.value, 16), (Disability.MENTAL_JIWA.value, 12),
    (Disability.FISIK_DAN_MENTAL.value, 5), (Disability.LAINNYA.value, 14),
])
# Among recorded wajib KTP: the card is almost always handed over; a small print
# backlog (PRR / sent for printing), some printed cards not yet collected, and the
# central failures and duplicates an office chases one by one.
RECORDED_STATUS = Sampler([
    (KtpStatus.CARD_ISSUED.value, 9610),
    (KtpStatus.PRINT_READY_RECORD.value, 95), (KtpStatus.SENT_FOR_CARD_PRINTING.value, 45),
    (KtpStatus.CARD_PRINTED.value, 30), (KtpStatus.CARD_SHIPPED.value, 22),
    (KtpStatus.DUPLICATE_RECORD.value, 60), (KtpStatus.ENROLL_FAILURE_AT_CENTRAL.value, 40),
    (KtpStatus.SEARCH_FAILURE_AT_CENTRAL.value, 10), (KtpStatus.BIO_CAPTURED.value, 30),
    (KtpStatus.SENT_FOR_ENROLLMENT.value, 30), (KtpStatus.PROCESSING.value, 10),
    (KtpStatus.RECEIVED_AT_CENTRAL.value, 8), (KtpStatus.ADJUDICATE_RECORD.value, 10),
])


@dataclass(slots=True)
class Member:
    relation: int
    sex: int
    age: int
    marital: int


def household(rng: random.Random) -> list[Member]:
    """Draw one KK: head first, then spouse, children, in-laws, grandchildren, parents."""
    rand = rng.random
    head_age = HEAD_AGE(rng)
    assert isinstance(head_age, int)
    widowed_share = (0.0 if head_age < 55 else 0.1 if head_age < 65
                     else 0.3 if head_age < 75 else 0.55)
    r = rand()
    if r < widowed_share:
        # An old widow(er) alone, sometimes with a grandchild left by migrant parents.
        members = [Member(HEAD, FEMALE if rand() < 0.65 else MALE, head_age, WIDOWED)]
        if rand() < 0.25:
            members.append(Member(CHILD, _sex(rand), rng.randint(25, 40), SINGLE))
        elif rand() < 0.2:
            members.append(Member(GRANDCHILD, _sex(rand), rng.randint(3, 16), SINGLE))
        return members
    if head_age < 40 and r < widowed_share + 0.09:
        return [Member(HEAD, _sex(rand), head_age, SINGLE if rand() < 0.8 else DIVORCED)]
    if r > 0.95:
        # A mother bringing up her children alone after divorce or her husband's death.
        mother_age = head_age
        members = [Member(HEAD, FEMALE, mother_age, DIVORCED if rand() < 0.5 else WIDOWED)]
    elif r > 0.94:
        # A woman heading the KK with her husband listed as SUAMI.
        mother_age = head_age
        members = [Member(HEAD, FEMALE, head_age, MARRIED),
                   Member(HUSBAND, MALE, head_age + rng.randint(0, 6), MARRIED)]
    else:
        mother_age = max(17, head_age - int(abs(rng.gauss(3.5, 3))))
        members = [Member(HEAD, MALE, head_age, MARRIED), Member(WIFE, FEMALE, mother_age, MARRIED)]
    _add_children(rng, members, mother_age)
    if head_age >= 48 and rand() < 0.15:
        _add_married_child(rng, members, mother_age)
    if head_age < 58 and rand() < 0.06 + (0.04 if head_age > 40 else 0.0):
        members.append(Member(PARENT if rand() < 0.6 else PARENT_IN_LAW,
                              FEMALE if rand() < 0.68 else MALE,
                              min(99, head_age + rng.randint(22, 34)), WIDOWED))
    return members


def _sex(rand: Callable[[], float]) -> int:
    return MALE if rand() < 0.51 else FEMALE


def _add_children(rng: random.Random, members: list[Member], mother_age: int) -> None:
    rand = rng.random
    born = CHILDREN_BORN(rng)
    assert isinstance(born, int)
    at = 20 + rand() * 7  # mother's age at the first birth
    for _ in range(born):
        age = int(mother_age - at)
        at += 2 + rand() * 5
        if age < 0 or at > 44:
            break
        stay = 0.97 if age < 18 else 0.65 if age < 23 else 0.3 if age < 28 else 0.1
        if rand() < stay:
            marital = SINGLE if age < 25 or rand() < 0.85 else DIVORCED
            members.append(Member(CHILD, _sex(rand), age, marital))


def _add_married_child(rng: random.Random, members: list[Member], mother_age: int) -> None:
    # A married child living with the parents, with spouse and grandchildren (common in
    # Javanese villages before the young couple splits its own KK).
    rand = rng.random
    child_age = min(mother_age - 19, rng.randint(22, 34))
    if child_age < 20:
        return
    child_sex = _sex(rand)
    members.append(Member(CHILD, child_sex, child_age, MARRIED))
    members.append(Member(CHILD_IN_LAW, FEMALE if child_sex == MALE else MALE,
                          max(18, child_age + rng.randint(-3, 4)), MARRIED))
    for _ in range(rng.randint(0, 2)):
        grand_age = rng.randint(0, max(0, min(12, child_age - 20)))
        members.append(Member(GRANDCHILD, _sex(rand), grand_age, SINGLE))


def unrecorded_probability(*, age: int, remote: bool, kelurahan: bool, mountain: bool,
                           disability: int | None, bedridden: bool, odgj: bool) -> float:
    """Chance that a wajib-KTP person has never recorded biometrics."""
    if age <= 17:
        p = 0.14  # just turned 17, not reached by a school session
    elif age <= 18:
        p = 0.07
    elif age < 22:
        p = 0.03
    elif age < 30:
        p = 0.014
    elif age < 60:
        p = 0.008
    elif age < 70:
        p = 0.022
    elif age < 75:
        p = 0.045
    elif age < 80:
        p = 0.11
    else:
        p = 0.22
    if mountain:
        p *= 2.3
    elif remote:
        p *= 1.9
    elif kelurahan:
        p *= 0.7
    if disability is not None:
        p = p * 4 + 0.04
    if bedridden:
        p = max(p, 0.5)
    if odgj:
        p = max(p, 0.45)
    return min(p, 0.9)


def conditions(rng: random.Random, age: int) -> tuple[int | None, bool, bool]:
    """Draw (PNYDNG_CCT, bedridden, ODGJ) for a person of this age."""
    rand = rng.random
    odgj = 18 <= age <= 75 and rand() < 0.0027
    if odgj:
        disability: int | None = Disability.MENTAL_JIWA.value if rand() < 0.85 else (
            Disability.FISIK_DAN_MENTAL.value)
    else:
        p = 0.005 if age < 18 else 0.009 if age < 60 else 0.035 if age < 75 else 0.08
        disability = DISABILITY_KIND(rng) if rand() < p else None  # type: ignore[assignment]
    p_bed = 0.0006 if age < 60 else 0.012 if age < 75 else 0.05
    bedridden = rand() < p_bed
    return disability, bedridden, odgj


def person_name(rng: random.Random, sex: int, birth_year: int) -> str:
    """A Javanese/Indonesian full name typical of the person's generation."""
    choice = rng.choice
    rand = rng.random
    if birth_year < 1970:
        return choice(names.OLD_MALE if sex == MALE else names.OLD_FEMALE)
    if birth_year < 1995:
        first = choice(names.MID_MALE if sex == MALE else names.MID_FEMALE)
        if rand() < 0.15:
            return first
        second = names.MID_SECOND_MALE if sex == MALE else names.MID_SECOND_FEMALE
        return f"{first} {choice(second)}"
    pool = names.YOUNG_MALE if sex == MALE else names.YOUNG_FEMALE
    second = names.YOUNG_SECOND_MALE if sex == MALE else names.YOUNG_SECOND_FEMALE
    first = choice(pool)
    if rand() < 0.45:
        middle = choice(pool)
        if middle != first:
            return f"{first} {middle} {choice(second)}"
    return f"{first} {choice(second)}"
