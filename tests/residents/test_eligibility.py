from datetime import date

import pytest

from jemput.residents import eligibility as e
from jemput.residents.codes import Disability, KtpStatus, MaritalStatus

ON = date(2026, 6, 30)
SINGLE = MaritalStatus.BELUM_KAWIN


def wajib(born, marital=SINGLE, citizenship="WNI", itap=False):
    return e.is_wajib_ktp(
        birth_date=born, marital_status=marital, citizenship=citizenship, has_itap=itap, on=ON
    )


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
    born = date(2010, 3, 1)
    assert e.may_record(birth_date=born, on=ON)
    assert not e.may_print(birth_date=born, marital_status=SINGLE, on=ON)


def test_leap_day_birthday_reached_on_first_of_march():
    born = date(2008, 2, 29)
    assert not e.is_wajib_ktp(birth_date=born, marital_status=SINGLE, citizenship="WNI",
                              has_itap=False, on=date(2025, 2, 28))
    assert e.is_wajib_ktp(birth_date=born, marital_status=SINGLE, citizenship="WNI",
                          has_itap=False, on=date(2025, 3, 1))
    assert e.age_on(born, date(2025, 2, 28)) == 16
    assert e.age_on(born, date(2025, 3, 1)) == 17


@pytest.mark.parametrize(
    ("born", "expected"),
    [(date(2009, 1, 1), True), (date(2010, 6, 1), True), (date(2007, 6, 1), False),
     (date(2011, 1, 1), False)],
)
def test_pemula_turns_seventeen_within_a_year_of_the_date(born, expected):
    assert e.is_pemula(birth_date=born, on=ON) is expected


def test_lansia_from_sixty():
    assert e.is_lansia(birth_date=date(1966, 6, 30), on=ON)
    assert not e.is_lansia(birth_date=date(1966, 7, 1), on=ON)


def test_deactivation_at_twenty_two_unless_recorded():
    born = date(2003, 1, 1)
    assert e.is_due_for_deactivation(birth_date=born, ktp_status=KtpStatus.UNREGISTERED, on=ON)
    # A recording reactivates: the same person is no longer due once captured.
    assert not e.is_due_for_deactivation(birth_date=born, ktp_status=KtpStatus.BIO_CAPTURED,
                                         on=ON)
    assert not e.is_due_for_deactivation(birth_date=date(2005, 1, 1),
                                         ktp_status=KtpStatus.UNREGISTERED, on=ON)


def test_home_visit_for_bedridden_blind_odgj_and_very_old_unless_stated():
    adult = date(1980, 1, 1)
    base = dict(birth_date=adult, disability=None, bedridden=False, odgj=False, on=ON)
    assert not e.needs_home_visit(**base)
    assert e.needs_home_visit(**base | {"bedridden": True})
    assert e.needs_home_visit(**base | {"disability": Disability.NETRA})
    assert not e.needs_home_visit(**base | {"disability": Disability.RUNGU_WICARA})
    assert e.needs_home_visit(**base | {"birth_date": date(1940, 1, 1)})
    assert not e.needs_home_visit(**base | {"bedridden": True, "stated": False})


def test_vulnerable_includes_elderly_and_disabled():
    assert e.is_vulnerable(birth_date=date(1950, 1, 1), disability=None, bedridden=False,
                           odgj=False, on=ON)
    assert e.is_vulnerable(birth_date=date(1990, 1, 1), disability=Disability.FISIK,
                           bedridden=False, odgj=False, on=ON)
    assert not e.is_vulnerable(birth_date=date(1990, 1, 1), disability=None, bedridden=False,
                               odgj=False, on=ON)
