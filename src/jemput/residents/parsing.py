"""Cell-level parsers shared by every import layout.

Each parser takes the raw cell (text from CSV, or a number/date from a spreadsheet)
and returns the stored value or raises CellError with an Indonesian reason. They are
on the hot path of a million-row import, so the common case comes first and cheaply.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from jemput.residents.codes import NO_DISABILITY, KtpStatus


class CellError(ValueError):
    """A cell that cannot be read; `reason` is shown to the office."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class TwoDigitYear(CellError):
    """A date written with a two-digit year: its day and month are known, its century not."""

    def __init__(self, shown: str, *, day: int, month: int, year: int) -> None:
        super().__init__(
            f"tahun '{shown}' hanya dua digit sehingga abadnya tidak pasti: tulis tahun "
            "empat digit (DD-MM-YYYY)"
        )
        self.shown = shown
        self.day = day
        self.month = month
        self.year = year  # 0-99


_EXCEL_EPOCH = date(1899, 12, 30)  # Excel's day 0, after its 1900 leap-year bug
_MONTHS = {
    "JAN": 1, "FEB": 2, "PEB": 2, "MAR": 3, "APR": 4, "MAY": 5, "MEI": 5, "JUN": 6,
    "JUL": 7, "AUG": 8, "AGT": 8, "AGS": 8, "SEP": 9, "OCT": 10, "OKT": 10, "NOV": 11,
    "DEC": 12, "DES": 12,
}
_DAY_MONTH_YEAR = re.compile(r"([0-9]{1,2})[-/.]([0-9]{1,2})[-/.]([0-9]{4}|[0-9]{2})")
_EARLIEST_BIRTH = date(1880, 1, 1)
# A two-digit year is read as the century that makes the person at most this old.
_OLDEST_AGE = 115
# Nobody younger than this is married, heads a household or has had biometrics taken.
_YOUNGEST_ADULT_EVIDENCE = 10
# What "none" looks like in the exports: OpenSID writes '-' for an empty dusun, RT or
# RW and reads '-' as empty in every other column.
NONE_MARKS = frozenset({"", "-"})
_NO_KK = NONE_MARKS | {"0"}  # OpenSID writes 0 for a resident without a KK


def text(value: object) -> str:
    """Return the cell as stripped text ('' for empty)."""
    if value.__class__ is str:  # every CSV cell: the hot path of a million-row import
        return str(value).strip()
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def parse_date(value: object) -> date:
    """Read a date written as ISO, DD-MM-YYYY, DD/MM/YYYY, Oracle DD-MON-YY or an Excel serial.

    A two-digit year raises TwoDigitYear: which century is meant is for the caller to
    settle, never a silent guess.
    """
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _excel_serial(float(value))
    s = text(value).removeprefix("'")  # the spreadsheet's "this is text" mark
    try:
        if len(s) >= 10 and s[4] in "-/." and s[7] == s[4]:  # ISO, or 2001/04/05
            return date(int(s[0:4]), int(s[5:7]), int(s[8:10]))
        if len(s) >= 10 and s[2] in "-/." and s[5] in "-/.":
            return date(int(s[6:10]), int(s[3:5]), int(s[0:2]))
        numeric = _DAY_MONTH_YEAR.fullmatch(s)
        if numeric:  # D-M-YYYY with one-digit parts, or a two-digit year
            day, month, year = (int(part) for part in numeric.groups())
            if len(numeric.group(3)) == 4:
                return date(year, month, day)
            date(2000, month, day)  # the day and month must exist in some year
            raise TwoDigitYear(numeric.group(3), day=day, month=month, year=year)
        if s.isascii() and s.isdigit() and len(s) <= 5:
            return _excel_serial(float(s))
        parts = s.replace("/", "-").replace(" ", "-").split("-")
        if len(parts) == 3 and parts[1][:3].upper() in _MONTHS:
            year, month, day = int(parts[2]), _MONTHS[parts[1][:3].upper()], int(parts[0])
            if len(parts[2]) <= 2:
                date(2000, month, day)
                raise TwoDigitYear(parts[2], day=day, month=month, year=year)
            return date(year, month, day)
    except TwoDigitYear:
        raise
    except ValueError:
        raise CellError(f"'{s}' bukan tanggal yang sah") from None
    if s in NONE_MARKS:
        raise CellError("tanggal kosong")
    raise CellError(f"'{s}' bukan tanggal yang dikenali (pakai DD-MM-YYYY)")


def _excel_serial(serial: float) -> date:
    if not 1 <= serial <= 80000:
        raise CellError(f"angka {serial:g} bukan tanggal Excel yang sah")
    return _EXCEL_EPOCH + timedelta(days=int(serial))


def _age(born: date, today: date) -> int:
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def _settle_century(short: TwoDigitYear, *, today: date, adult: bool, child: bool) -> date:
    # The NIK cannot settle it: it too writes the year with two digits (DDMMYY). What can
    # is the rest of the row. A reading that makes the person older than _OLDEST_AGE is
    # ruled out; if both 19YY and 20YY remain (a centenarian or a child under 16), a
    # married person, a head of household, a spouse or parent, or someone already
    # recorded cannot be under ten, and someone's child or grandchild in a living
    # household cannot be over a hundred. Anything else is refused as ambiguous.
    readings = []
    for century in (1800, 1900, 2000):
        try:
            born = date(century + short.year, short.month, short.day)
        except ValueError:  # 29 February of a year that has none
            continue
        if _EARLIEST_BIRTH <= born <= today and _age(born, today) <= _OLDEST_AGE:
            readings.append(born)
    if len(readings) == 1:
        return readings[0]
    if not readings:
        raise CellError(f"tanggal lahir '{short.shown}' tidak masuk akal untuk abad mana pun")
    old, young = readings[0], readings[-1]
    if adult and _age(young, today) < _YOUNGEST_ADULT_EVIDENCE:
        return old
    if child and not adult:
        return young
    raise CellError(
        f"tahun lahir '{short.shown}' hanya dua digit: bisa {old.year} atau {young.year}; "
        "tulis tahun empat digit (DD-MM-YYYY)"
    )


def parse_birth_date(
    value: object, *, today: date, adult: bool = False, child: bool = False
) -> date:
    """Read a birth date and refuse ones in the future or before 1880.

    `adult` and `child` say what the rest of the row shows about the person's age; they
    settle the century of a two-digit year when only one reading fits.
    """
    try:
        born = parse_date(value)
    except TwoDigitYear as short:
        born = _settle_century(short, today=today, adult=adult, child=child)
    if born > today:
        raise CellError(f"tanggal lahir {born:%d-%m-%Y} ada di masa depan")
    if born < _EARLIEST_BIRTH:
        raise CellError(f"tanggal lahir {born:%d-%m-%Y} tidak masuk akal")
    return born


def parse_code(value: object, *, labels: dict[str, int], low: int, high: int, what: str) -> int:
    """Read a SIAK code given either as its number or as its label."""
    s = text(value)
    if s.isascii() and s.isdigit():
        code = int(s)
        if low <= code <= high:
            return code
        raise CellError(f"kode {what} {code} di luar {low}-{high}")
    if s in NONE_MARKS:
        raise CellError(f"{what} kosong")
    # Labels match whatever the spacing: OpenSID's own importer compares them with the
    # spaces removed ("CACAT NETRA / BUTA" is "CACAT NETRA/BUTA").
    upper = s.upper()
    code_for_label = labels.get(upper)
    if code_for_label is None:
        code_for_label = labels.get("".join(upper.split()))
    if code_for_label is None:
        raise CellError(f"{what} '{s}' tidak dikenal")
    return code_for_label


def parse_disability(value: object, *, labels: dict[str, int]) -> int | None:
    """Read PNYDNG_CCT / cacat_id / Cacat: 1-6, or None for no disability."""
    s = text(value).upper()
    if s in NO_DISABILITY:
        return None
    return parse_code(s, labels=labels, low=1, high=6, what="jenis disabilitas")


def parse_ktp_status(value: object, *, empty_means_unregistered: bool) -> str | None:
    """Read a national KTP-el status; 'PRINT READY RECORD' is accepted for PRINT_READY_RECORD."""
    s = text(value).upper().replace(" ", "_").replace("\n", "_")
    if s in NONE_MARKS:
        # SIAK: a resident with no row in the e-KTP tables has never been recorded.
        return KtpStatus.UNREGISTERED.value if empty_means_unregistered else None
    if s in KtpStatus.__members__:
        return s
    raise CellError(f"status KTP-el '{text(value)}' tidak dikenal")


def parse_flag(value: object) -> bool:
    """Read a yes/no cell: 1/0, Y/T, YA/TIDAK, TRUE/FALSE; empty is no."""
    s = text(value).upper()
    if s in {"", "0", "T", "N", "TIDAK", "FALSE", "NO"}:
        return False
    if s in {"1", "Y", "YA", "TRUE", "YES"}:
        return True
    raise CellError(f"'{text(value)}' bukan ya/tidak (pakai 1 atau 0)")


def parse_optional_flag(value: object) -> bool | None:
    """Like parse_flag, but empty means 'not stated'."""
    return None if not text(value) else parse_flag(value)


def parse_rt_rw(value: object) -> str | None:
    """Read an RT or RW number and pad it to three digits, as SIAK prints it.

    Empty, '-' (what OpenSID writes for a desa without RT/RW) and 0 mean "none".
    """
    s = text(value).removeprefix("'")
    if s in NONE_MARKS:
        return None
    if not (s.isascii() and s.isdigit()) or len(s) > 3:
        raise CellError(f"RT/RW '{s}' harus angka 1-999, atau '-' bila tidak ada")
    if int(s) == 0:
        return None
    return s.zfill(3)


def parse_coordinate(value: object, *, low: float, high: float) -> float | None:
    """Read a latitude or longitude; empty is None, outside Indonesia is an error."""
    s = text(value).replace(",", ".")
    if s in NONE_MARKS:
        return None
    try:
        number = float(s)
    except ValueError:
        raise CellError(f"koordinat '{s}' bukan angka") from None
    if not low <= number <= high:
        raise CellError(f"koordinat {number} di luar wilayah Indonesia")
    return number


def parse_phone(value: object) -> str | None:
    """Keep digits and a leading '+' of a phone number."""
    s = text(value)
    if not s:
        return None
    digits = "".join(ch for ch in s if ch.isdigit())
    if not 6 <= len(digits) <= 15:
        raise CellError(f"nomor telepon '{s}' tidak sah")
    return ("+" + digits) if s.startswith("+") else digits


def parse_kk(value: object) -> str | None:
    """Read a 16-digit KK number; empty, '-' and OpenSID's 0 or temporary KK are None."""
    from jemput.residents.nik import NikError, sixteen_digits

    if isinstance(value, str | None) and text(value).removeprefix("'") in _NO_KK:
        return None
    try:
        number = sixteen_digits(value, what="nomor KK")
    except NikError as error:
        raise CellError(error.reason) from None
    # OpenSID numbers a family without a KK yet "0" + desa code + serial: not a KK.
    return None if number.startswith("0") else number
