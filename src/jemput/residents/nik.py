"""NIK parsing and validation (DOMAIN.md §1).

A NIK is `PP KK CC DDMMYY SSSS`: the region where it was first issued (province,
regency, kecamatan), the birth date with 40 added to the day for women, and a serial
from 0001. No check digit is documented anywhere, so none is checked. The NIK never
changes, so its region prefix may be one that exists only in old code tables, and its
decoded birth date may disagree with a later-corrected record: both are accepted,
the disagreement only warned about.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

# Current Kemendagri province codes (idn-area-data 4.0.1) plus 54, Timor Timur, whose
# residents were issued NIKs before 1999. Codes are never reused for another province.
PROVINCE_CODES = frozenset(
    "11 12 13 14 15 16 17 18 19 21 31 32 33 34 35 36 51 52 53 54 61 62 63 64 65 "
    "71 72 73 74 75 76 81 82 91 92 93 94 95 96".split()
)


class NikError(ValueError):
    """The value cannot be a NIK; `reason` is an Indonesian message for the office."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class ParsedNik:
    nik: str
    province: str
    regency: str  # "PPKK"
    kecamatan: str  # "PPKKCC"
    sex: int  # SIAK code: 1 laki-laki, 2 perempuan
    birth_date: date
    serial: str


def normalize_nik(raw: object) -> str:
    """Strip everything but digits; rebuild a NIK that a spreadsheet turned into a number.

    SIAK stores NIK as NUMBER(16) and Excel may hand it over as a float or in
    scientific notation; a leading zero can never occur because no province code
    starts with 0, so only the float forms need care.
    """
    if isinstance(raw, float):
        if raw != raw or raw <= 0:  # NaN or nonsense
            return ""
        return str(round(raw))
    if isinstance(raw, int):
        return str(raw)
    text = str(raw).strip()
    if "E+" in text.upper():
        try:
            return str(round(float(text)))
        except ValueError:
            return text
    if text.isdigit():
        return text
    return "".join(ch for ch in text if ch.isdigit())


def _century_year(two_digits: int, today: date) -> int:
    # The latest century that does not put the birth in the future.
    year = 2000 + two_digits
    return year if year <= today.year else year - 100


def parse_nik(raw: object, *, today: date) -> ParsedNik:
    """Parse and validate a NIK; raise NikError with an Indonesian reason if invalid."""
    nik = normalize_nik(raw)
    if len(nik) != 16:
        raise NikError(f"NIK harus 16 digit, tertulis {len(nik)} digit")
    province = nik[0:2]
    if province not in PROVINCE_CODES:
        raise NikError(f"kode provinsi {province} pada NIK tidak dikenal")
    if nik[2:4] == "00" or nik[4:6] == "00":
        raise NikError("kode kabupaten/kecamatan pada NIK tidak boleh 00")
    day = int(nik[6:8])
    month = int(nik[8:10])
    sex = 1
    if day > 40:
        day -= 40
        sex = 2
    try:
        birth = date(_century_year(int(nik[10:12]), today), month, day)
    except ValueError:
        raise NikError(f"tanggal lahir pada NIK ({nik[6:12]}) bukan tanggal yang sah") from None
    if nik[12:16] == "0000":
        raise NikError("nomor urut NIK tidak boleh 0000")
    return ParsedNik(
        nik=nik,
        province=province,
        regency=nik[0:4],
        kecamatan=nik[0:6],
        sex=sex,
        birth_date=birth,
        serial=nik[12:16],
    )


def cross_check(parsed: ParsedNik, *, sex: int, birth_date: date) -> str | None:
    """Say how the record disagrees with what the NIK encodes, or None if it agrees.

    Only day, month and two-digit year are compared: the NIK cannot tell centuries.
    """
    problems = []
    if parsed.sex != sex:
        problems.append("jenis kelamin")
    nik_date = parsed.birth_date
    if (nik_date.day, nik_date.month, nik_date.year % 100) != (
        birth_date.day,
        birth_date.month,
        birth_date.year % 100,
    ):
        problems.append("tanggal lahir")
    if not problems:
        return None
    return " dan ".join(problems) + " berbeda dengan NIK"


def mask_nik(nik: str) -> str:
    """Mask a NIK for lists: keep the region prefix and the last four digits."""
    if len(nik) != 16:
        return "•" * len(nik)
    return nik[:4] + "•" * 8 + nik[12:]
