"""Cell-level parsers shared by every import layout.

Each parser takes the raw cell (text from CSV, or a number/date from a spreadsheet)
and returns the stored value or raises CellError with an Indonesian reason. They are
on the hot path of a million-row import, so the common case comes first and cheaply.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from jemput import clock
from jemput.residents.codes import NO_DISABILITY, KtpStatus


class CellError(ValueError):
    """A cell that cannot be read; `reason` is shown to the office."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


_EXCEL_EPOCH = date(1899, 12, 30)  # Excel's day 0, after its 1900 leap-year bug
_MONTHS = {
    "JAN": 1, "FEB": 2, "PEB": 2, "MAR": 3, "APR": 4, "MAY": 5, "MEI": 5, "JUN": 6,
    "JUL": 7, "AUG": 8, "AGT": 8, "AGS": 8, "SEP": 9, "OCT": 10, "OKT": 10, "NOV": 11,
    "DEC": 12, "DES": 12,
}
_EARLIEST_BIRTH = date(1880, 1, 1)


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
    """Read a date written as ISO, DD-MM-YYYY, DD/MM/YYYY, Oracle DD-MON-YY or an Excel serial."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _excel_serial(float(value))
    s = text(value)
    try:
        if len(s) >= 10 and s[4] == "-" and s[7] == "-":
            return date(int(s[0:4]), int(s[5:7]), int(s[8:10]))
        if len(s) >= 10 and s[2] in "-/." and s[5] in "-/.":
            return date(int(s[6:10]), int(s[3:5]), int(s[0:2]))
        if s.isdigit() and len(s) <= 5:
            return _excel_serial(float(s))
        parts = s.replace("/", "-").replace(" ", "-").split("-")
        if len(parts) == 3 and parts[1][:3].upper() in _MONTHS:
            year = int(parts[2])
            if year < 100:
                year += 2000 if year <= clock.today().year % 100 else 1900
            return date(year, _MONTHS[parts[1][:3].upper()], int(parts[0]))
    except ValueError:
        raise CellError(f"'{s}' bukan tanggal yang sah") from None
    if not s:
        raise CellError("tanggal kosong")
    raise CellError(f"'{s}' bukan tanggal yang dikenali (pakai DD-MM-YYYY)")


def _excel_serial(serial: float) -> date:
    if not 1 <= serial <= 80000:
        raise CellError(f"angka {serial:g} bukan tanggal Excel yang sah")
    return _EXCEL_EPOCH + timedelta(days=int(serial))


def parse_birth_date(value: object, *, today: date) -> date:
    """Read a birth date and refuse ones in the future or before 1880."""
    born = parse_date(value)
    if born > today:
        raise CellError(f"tanggal lahir {born:%d-%m-%Y} ada di masa depan")
    if born < _EARLIEST_BIRTH:
        raise CellError(f"tanggal lahir {born:%d-%m-%Y} tidak masuk akal")
    return born


def parse_code(value: object, *, labels: dict[str, int], low: int, high: int, what: str) -> int:
    """Read a SIAK code given either as its number or as its label."""
    s = text(value)
    if s.isdigit():
        code = int(s)
        if low <= code <= high:
            return code
        raise CellError(f"kode {what} {code} di luar {low}-{high}")
    code_for_label = labels.get(s.upper())
    if code_for_label is None:
        raise CellError(f"{what} '{s}' tidak dikenal" if s else f"{what} kosong")
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
    if not s:
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
    """Read an RT or RW number and pad it to three digits, as SIAK prints it."""
    s = text(value)
    if not s:
        return None
    if not s.isdigit() or len(s) > 3:
        raise CellError(f"RT/RW '{s}' harus angka 1-999")
    return s.zfill(3)


def parse_coordinate(value: object, *, low: float, high: float) -> float | None:
    """Read a latitude or longitude; empty is None, outside Indonesia is an error."""
    s = text(value).replace(",", ".")
    if not s:
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
    """Read a 16-digit KK number; empty is None."""
    from jemput.residents.nik import normalize_nik

    s = normalize_nik(value) if text(value) else ""
    if not s:
        return None
    if len(s) != 16:
        raise CellError(f"nomor KK harus 16 digit, tertulis {len(s)} digit")
    return s
