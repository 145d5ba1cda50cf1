"""The linker as a solver: a small fixed instance, a fixed seed, a known answer."""

from __future__ import annotations

from datetime import date

import pytest

from jemput.linkage.people import Person
from jemput.linkage.service import Outcome, Thresholds, link_people, nik_agrees

DESA = "33.06.01.2001"
RESIDENTS = [
    Person(1, "3306014107080001", "SITI AMINAH", 2, date(2008, 7, 1), DESA),
    # Twins: one birth date, one desa, one sex, names a letter or two apart.
    Person(2, "3306011203080002", "MUHAMMAD HASAN", 1, date(2008, 3, 12), DESA),
    Person(3, "3306011203080003", "MUHAMMAD HUSEIN", 1, date(2008, 3, 12), DESA),
    Person(4, "3306010505090004", "DJOKO SOESANTO", 1, date(2009, 5, 5), DESA),
    Person(5, "3306010411080005", "RAHMAT HIDAYAT", 1, date(2008, 11, 4), DESA),
    Person(6, "3306015209080006", "WAHYUNINGSIH PRATIWI", 2, date(2008, 9, 12),
           "33.06.01.2002"),
    Person(7, "3306010101080007", "BAYU SAPUTRA", 1, date(2008, 1, 1), DESA),
]


def link(*rows: Person) -> dict[int, Outcome]:
    outcomes = link_people(rows=list(rows), residents=RESIDENTS, thresholds=Thresholds())
    return {outcome.row_id: outcome for outcome in outcomes}


def test_an_exact_nik_that_agrees_with_the_row_links_for_certain():
    found = link(Person(101, "3306014107080001", "SITI AMINA", 2, date(2008, 7, 1), None))
    assert found[101] == Outcome(101, 1, 1.0, "auto")


def test_a_typoed_name_without_nik_is_linked():
    found = link(Person(102, None, "WAHYUNINGSI PRATIWI", 2, date(2008, 9, 12), None))
    assert found[102].resident_id == 6
    assert found[102].decision == "auto"


def test_old_spelling_and_vowel_variant_are_linked():
    found = link(Person(103, None, "JOKO SUSANTA", 1, date(2009, 5, 5), None))
    assert (found[103].resident_id, found[103].decision) == (4, "auto")


def test_a_twin_is_not_confused_with_the_other():
    found = link(Person(104, None, "MUHAMMAD HASAN", 1, date(2008, 3, 12), DESA),
                 Person(105, None, "MUHAMMAD HUSEIN", 1, date(2008, 3, 12), DESA))
    assert (found[104].resident_id, found[104].decision) == (2, "auto")
    assert (found[105].resident_id, found[105].decision) == (3, "auto")


def test_day_and_month_swapped_still_links():
    found = link(Person(106, None, "RAHMAT HIDAYAT", 1, date(2008, 4, 11), DESA))
    assert (found[106].resident_id, found[106].decision) == (5, "auto")


def test_a_stranger_from_outside_the_regency_is_not_linked():
    found = link(Person(107, None, "YOGI PERMANA", 1, date(2008, 3, 12), None))
    assert found[107] == Outcome(107, None, found[107].score, "none")
    assert found[107].score < Thresholds().review


def test_a_nik_that_contradicts_the_row_is_not_trusted_blindly():
    # Siti's NIK typed on Bayu's row: the NIK decodes to a woman born 1 July 2008.
    found = link(Person(108, "3306014107080001", "BAYU SAPUTRA", 1, date(2008, 1, 1), DESA))
    assert (found[108].resident_id, found[108].decision) == (7, "auto")


def test_a_rejected_pair_is_not_offered_again_and_an_accepted_one_is_kept():
    row = Person(109, None, "RAHMAT HIDAYAT", 1, date(2008, 4, 11), DESA)
    rejected = link_people(rows=[row], residents=RESIDENTS, thresholds=Thresholds(),
                           rejected={(109, 5)})
    assert rejected[0].resident_id != 5
    stranger = Person(110, None, "YOGI PERMANA", 1, date(2008, 3, 12), None)
    accepted = link_people(rows=[stranger], residents=RESIDENTS, thresholds=Thresholds(),
                           accepted={110: 7})
    assert (accepted[0].resident_id, accepted[0].decision) == (7, "auto")


def test_the_same_input_gives_the_same_scores():
    rows = [Person(111, None, "M HASAN", 1, date(2008, 3, 12), DESA),
            Person(112, None, "SITI AMINAH", 2, date(2008, 1, 7), None)]
    first = link_people(rows=rows, residents=RESIDENTS, thresholds=Thresholds())
    assert link_people(rows=rows, residents=RESIDENTS, thresholds=Thresholds()) == first


@pytest.mark.parametrize(("nik", "sex", "born", "agrees"), [
    ("3306014107080001", 2, date(2008, 7, 1), True),
    ("3306014107080001", 1, date(2008, 7, 1), False),  # women carry day + 40
    ("3306014107080001", 2, date(2008, 1, 7), False),
    ("3306010101080007", None, None, False),  # nothing to agree with
])
def test_nik_agreement_reads_the_birth_date_and_sex_in_the_nik(nik, sex, born, agrees):
    assert nik_agrees(nik=nik, sex=sex, birth_date=born) is agrees
