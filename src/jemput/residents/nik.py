"""NIK parsing and validation (DOMAIN.md §1).

A NIK is `PP KK CC DDMMYY SSSS`: the region where it was first issued (province,
regency, kecamatan), the birth date with 40 added to the day for women, and a serial
from 0001. No check digit is documented anywhere, so none is checked. The NIK never
changes, so its region prefix may be one that exists only in old code tables, and its
decoded birth date may disagree with a later-corrected record: both are accepted,
the disagreement only warned about.
"""

from __future__ import annotations

import math
import re
import unicodedata
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


# Every integer below 2**53 is exactly one IEEE double; above it a double skips integers,
# so a NIK that was ever held as one (every Papua NIK, 91-96, is above) may be off by one.
_EXACT_NUMBERS = 2**53
_ASCII_DIGITS = frozenset("0123456789")
# Grouping some exports put inside a NIK ("35.2318.000...", FORMATS.md §1a); dropping
# them changes no digit.
_GROUPING = frozenset(" .-\u00a0")
_SCIENTIFIC = re.compile(r"[+-]?[0-9]*[.,]?[0-9]+[eE][+-]?[0-9]+")
# One decimal mark, or thousands groups: the cell was formatted as a number somewhere.
_DECIMAL = re.compile(r"[0-9]+[.,][0-9]+|[0-9]{1,3}([.,][0-9]{3})+")


def _as_number_reason(what: str, shown: str) -> str:
    return (
        f"{what} tersimpan sebagai angka ({shown}), bukan teks: Excel hanya menyimpan 15 "
        f"digit, jadi digit terakhirnya bisa sudah berubah. Format kolom {what} sebagai Teks "
        "di aplikasi asalnya lalu ekspor ulang"
    )


def _from_number(value: int | float, what: str) -> str:
    # A spreadsheet cell that holds a number, not text. Its type (int or float) only says
    # how the reader spelled it; what matters is whether the value can still be the
    # number that was written. It can when it is a whole number below 2**53 (exact as
    # a double) whose last digit is not 0: Excel keeps 15 significant digits and turns
    # the 16th into 0, so a 16-digit value ending in 1-9 never went through that
    # truncation. A value ending in 0 may be a truncated NIK (...531 stored as ...530,
    # another person's NIK) and is refused rather than guessed; so is anything larger,
    # fractional, infinite or NaN. The office re-exports the column as text.
    if isinstance(value, float):
        if not math.isfinite(value) or not value.is_integer():
            raise NikError(_as_number_reason(what, repr(value)))
        shown = f"{value:.15g}"
    else:
        shown = str(value)
    if not 0 < value < _EXACT_NUMBERS:
        raise NikError(_as_number_reason(what, shown))
    digits = str(int(value))
    if len(digits) != 16 or digits.endswith("0"):
        raise NikError(_as_number_reason(what, shown))
    return digits


def sixteen_digits(raw: object, *, what: str = "NIK") -> str:
    """Return the sixteen ASCII digits of a NIK or KK cell; raise NikError saying why not.

    Nothing is repaired: a letter, a digit that is not 0-9, scientific or decimal
    notation is a refusal with its reason, never a guess at what was meant.
    """
    if isinstance(raw, str) and len(raw) == 16 and raw.isascii() and raw.isdigit():
        return raw  # nearly every cell of a million-row file
    if isinstance(raw, bool):
        raise NikError(f"{what} '{raw}' bukan nomor")
    if isinstance(raw, int | float):
        return _from_number(raw, what)
    if raw is None or isinstance(raw, date):
        raise NikError(f"{what} kosong" if raw is None else f"{what} berisi tanggal, bukan nomor")
    # Disdukcapil data sometimes carries invisible characters (zero-width spaces, BOMs,
    # control codes) inside NIK cells (OpenSID strips them too); a leading apostrophe is
    # the spreadsheet's "this is text" mark.
    text = "".join(
        ch for ch in str(raw) if unicodedata.category(ch) not in ("Cf", "Cc")
    ).strip()
    text = text.removeprefix("'").strip()
    if not text:
        raise NikError(f"{what} kosong")
    if _SCIENTIFIC.fullmatch(text) or _DECIMAL.fullmatch(text):
        raise NikError(_as_number_reason(what, text))
    for ch in text:
        if ch in _ASCII_DIGITS or ch in _GROUPING:
            continue
        if ch.isalpha():
            raise NikError(f"{what} berisi huruf '{ch}': {what} hanya terdiri dari angka 0-9")
        if unicodedata.category(ch).startswith("N"):
            raise NikError(f"{what} berisi angka '{ch}' yang bukan 0-9")
        raise NikError(f"{what} berisi tanda '{ch}': {what} hanya terdiri dari angka 0-9")
    digits = "".join(ch for ch in text if ch in _ASCII_DIGITS)
    if len(digits) != 16:
        raise NikError(f"{what} harus 16 digit, tertulis {len(digits)} digit")
    return digits


def normalize_nik(raw: object) -> str:
    """Return the NIK's sixteen digits, or '' when the cell cannot be one."""
    try:
        return sixteen_digits(raw)
    except NikError:
        return ""


def _century_year(two_digits: int, today: date) -> int:
    # The latest century that does not put the birth in the future.
    year = 2000 + two_digits
    return year if year <= today.year else year - 100


def parse_nik(raw: object, *, today: date) -> ParsedNik:
    """Parse and validate a NIK; raise NikError with an Indonesian reason if invalid."""
    if isinstance(raw, str) and raw.strip() == "0":
        raise NikError("NIK 0: penduduk ini belum punya NIK")
    nik = sixteen_digits(raw)
    if nik.startswith("0"):
        # OpenSID numbers residents who have no NIK yet "0" + desa code + serial.
        raise NikError("NIK sementara (diawali 0): penduduk ini belum punya NIK dari Dukcapil")
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
