from datetime import date

import pytest

from jemput.residents.nik import NikError, cross_check, mask_nik, normalize_nik, parse_nik

TODAY = date(2026, 11, 22)


def test_male_nik_decodes_region_sex_and_birth_date():
    parsed = parse_nik("3306011203850001", today=TODAY)
    assert parsed.kecamatan == "330601"
    assert parsed.sex == 1
    assert parsed.birth_date == date(1985, 3, 12)


def test_female_day_has_forty_added():
    parsed = parse_nik("3306015203850002", today=TODAY)
    assert parsed.sex == 2
    assert parsed.birth_date == date(1985, 3, 12)


def test_two_digit_year_takes_latest_century_not_in_future():
    assert parse_nik("3306010101100001", today=TODAY).birth_date.year == 2010
    assert parse_nik("3306010101300001", today=TODAY).birth_date.year == 1930


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("330601120385001", "16 digit"),
        ("9906011203850001", "kode provinsi 99"),
        ("3300011203850001", "tidak boleh 00"),
        ("3306013202850001", "bukan tanggal yang sah"),  # 32 Feb
        ("3306017203850001", "bukan tanggal yang sah"),  # day 72-40 = 32
        ("3306011203850000", "0000"),
    ],
)
def test_invalid_nik_is_rejected_with_reason(raw, reason):
    with pytest.raises(NikError, match=reason):
        parse_nik(raw, today=TODAY)


def test_historic_regency_code_is_accepted():
    # Timor Timur (54) no longer exists, but NIKs issued there never change.
    assert parse_nik("5401011203850001", today=TODAY).province == "54"


def test_spreadsheet_numbers_are_kept_only_when_exact_and_never_rebuilt():
    assert normalize_nik(3306011203850001.0) == "3306011203850001"
    assert normalize_nik(3306011203850010) == ""  # Excel may have zeroed the 16th digit
    assert normalize_nik(9106011203850001) == ""  # above 2**53: not exact as a double
    assert normalize_nik("3.30601120385E+15") == ""
    assert normalize_nik("33.0601.120385.0001") == "3306011203850001"
    assert normalize_nik("'3306011203850001\u200b") == "3306011203850001"


def test_cross_check_warns_on_disagreement_only():
    parsed = parse_nik("3306011203850001", today=TODAY)
    assert cross_check(parsed, sex=1, birth_date=date(1985, 3, 12)) is None
    assert cross_check(parsed, sex=2, birth_date=date(1985, 3, 13)) == (
        "jenis kelamin dan tanggal lahir berbeda dengan NIK"
    )


def test_mask_keeps_prefix_and_last_four():
    assert mask_nik("3306011203850012") == "3306••••••••0012"
