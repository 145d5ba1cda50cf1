from dataclasses import replace
from datetime import date

import pytest

from jemput.residents import eligibility as e
from jemput.residents.codes import Disability, KtpStatus, MaritalStatus
from jemput.residents.eligibility import PersonFacts

ON = date(2026, 6, 30)
SINGLE = MaritalStatus.BELUM_KAWIN


def wajib(born, marital=SINGLE, citizenship="WNI", itap=False, on=ON):
    person = PersonFacts(birth_date=born, marital_status=marital, citizenship=citizenship,
                         has_itap=itap)
    return e.is_wajib_ktp(person=person, on=on)


def test_wajib_from_seventeenth_birthday():
    assert wajib(date(2009, 6, 30))
    assert not wajib(date(2009, 7, 1))


def test_married_under_seventeen_is_wajib():
    assert wajib(date(2010, 1, 1), marital=MaritalStatus.KAWIN)
    assert wajib(date(2010, 1, 1), marital=MaritalStatus.CERAI_HIDUP)


def test_foreigner_needs_itap():
    assert not wajib(date(1980, 1, 1), citizenship="WNA")
    assert wajib(date(1980, 1, 1), citizenship="WNA", itap=True)


def test_may_record_from_sixteen_but_print_only_from_seventeen():
    sixteen = PersonFacts(birth_date=date(2010, 3, 1))
    assert e.may_record(person=sixteen, on=ON)
    assert not e.may_print(person=sixteen, on=ON)


def test_a_foreigner_without_itap_may_not_record_at_any_age():
    for born in (date(1980, 1, 1), date(2010, 3, 1)):
        assert not e.may_record(person=PersonFacts(birth_date=born, citizenship="WNA"), on=ON)
        assert e.may_record(person=PersonFacts(birth_date=born, citizenship="WNA",
                                               has_itap=True), on=ON)


def test_a_married_fifteen_year_old_must_hold_a_card_so_may_record_it():
    married = PersonFacts(birth_date=date(2011, 1, 1), marital_status=MaritalStatus.KAWIN)
    assert e.is_wajib_ktp(person=married, on=ON)
    assert e.may_record(person=married, on=ON)


def test_printing_follows_the_wajib_rule_exactly():
    for person in (PersonFacts(birth_date=date(2009, 6, 30)),
                   PersonFacts(birth_date=date(1980, 1, 1), citizenship="WNA"),
                   PersonFacts(birth_date=date(2011, 1, 1), marital_status=MaritalStatus.KAWIN),
                   PersonFacts(birth_date=date(1980, 1, 1), life_status="mati")):
        assert e.may_print(person=person, on=ON) is e.is_wajib_ktp(person=person, on=ON)


def test_leap_day_birthday_reached_on_first_of_march():
    born = date(2008, 2, 29)
    assert not wajib(born, on=date(2025, 2, 28))
    assert wajib(born, on=date(2025, 3, 1))
    assert e.age_on(born, date(2025, 2, 28)) == 16
    assert e.age_on(born, date(2025, 3, 1)) == 17


@pytest.mark.parametrize(
    ("born", "expected"),
    [(date(2010, 6, 30), True),   # 16 today
     (date(2010, 7, 1), False),   # 16 tomorrow
     (date(2008, 7, 1), True),    # 18 tomorrow
     (date(2008, 6, 30), False),  # 18 today
     (date(2009, 1, 1), True), (date(2007, 6, 1), False), (date(2011, 1, 1), False)],
)
def test_pemula_is_sixteen_or_seventeen(born, expected):
    assert e.is_pemula(person=PersonFacts(birth_date=born), on=ON) is expected


def test_lansia_from_sixty():
    assert e.is_lansia(person=PersonFacts(birth_date=date(1966, 6, 30)), on=ON)
    assert not e.is_lansia(person=PersonFacts(birth_date=date(1966, 7, 1)), on=ON)


def test_deactivation_at_twenty_two_unless_recorded():
    def due(born, status, **more):
        person = PersonFacts(birth_date=born, ktp_status=status, **more)
        return e.is_due_for_deactivation(person=person, on=ON)

    assert due(date(2003, 1, 1), KtpStatus.UNREGISTERED)
    # A recording reactivates: the same person is no longer due once captured.
    assert not due(date(2003, 1, 1), KtpStatus.BIO_CAPTURED)
    assert not due(date(2005, 1, 1), KtpStatus.UNREGISTERED)
    # Nor is anyone who no longer lives here.
    for gone in ("mati", "pindah", "hilang"):
        assert not due(date(2003, 1, 1), KtpStatus.UNREGISTERED, life_status=gone)


def test_duplicates_and_enrolment_failures_need_follow_up():
    def follow_up(status):
        return e.needs_follow_up(person=PersonFacts(birth_date=date(1990, 1, 1),
                                                    ktp_status=status), on=ON)

    for status in ("DUPLICATE_RECORD", "ENROLL_FAILURE_AT_CENTRAL",
                   "SEARCH_FAILURE_AT_CENTRAL", "ENROLL_FAILURE_AT_REGIONAL"):
        assert follow_up(status)
    for status in ("UNREGISTERED", "BIO_CAPTURED", "PRINT_READY_RECORD", "CARD_ISSUED", None):
        assert not follow_up(status)


def test_home_visit_for_bedridden_blind_odgj_and_very_old_unless_stated():
    adult = PersonFacts(birth_date=date(1980, 1, 1))

    def visit(**changes):
        return e.needs_home_visit(person=replace(adult, **changes), on=ON)

    assert not visit()
    assert visit(bedridden=True)
    assert visit(disability=Disability.NETRA)
    assert not visit(disability=Disability.RUNGU_WICARA)
    assert visit(birth_date=date(1940, 1, 1))
    assert not visit(bedridden=True, needs_home_visit=False)


def test_vulnerable_includes_elderly_and_disabled():
    assert e.is_vulnerable(person=PersonFacts(birth_date=date(1950, 1, 1)), on=ON)
    assert e.is_vulnerable(person=PersonFacts(birth_date=date(1990, 1, 1),
                                              disability=Disability.FISIK), on=ON)
    assert not e.is_vulnerable(person=PersonFacts(birth_date=date(1990, 1, 1)), on=ON)


def test_each_belum_rekam_resident_has_exactly_one_reason():
    elderly = PersonFacts(birth_date=date(1950, 1, 1), ktp_status="UNREGISTERED")
    assert e.not_recorded_reason(person=elderly, on=ON) == "rentan"
    seventeen = PersonFacts(birth_date=date(2009, 1, 1), ktp_status="UNREGISTERED")
    assert e.not_recorded_reason(person=seventeen, on=ON) == "pemula"
    adult = PersonFacts(birth_date=date(1990, 1, 1), ktp_status="UNREGISTERED")
    assert e.not_recorded_reason(person=adult, on=ON) == "lainnya"
    recorded = PersonFacts(birth_date=date(1990, 1, 1), ktp_status="BIO_CAPTURED")
    assert e.not_recorded_reason(person=recorded, on=ON) is None
