"""The roster layouts (FORMATS.md §3, §4), recognised from their header row.

Dapodik's "Daftar PD" sheet and rows saved from its web service list a school's
students; pesantren keep their own lists, usually without NIK; the KPU's DPT/DPS lists
a desa's voters. Each is read into RosterRow fields. A roster is evidence about people,
not an authority on them: a NIK that fails the NIK rules is dropped with a warning (the
person is still linked by name and birth date); only a row without a name or a readable
birth date is set aside, because nothing could be linked from it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from jemput.intake.errors import LayoutError, Problem
from jemput.residents.codes import SEX_LABELS
from jemput.residents.nik import NikError, parse_nik, sixteen_digits
from jemput.residents.parsing import CellError, parse_birth_date, parse_rt_rw, text
from jemput.rosters.models import RosterKind

# RosterRow fields a layout can fill, in staging-table order (after line_no).
FIELDS = ("nik", "nisn", "kk_number", "name", "sex", "birth_place", "birth_date",
          "mother_name", "class_name", "desa_code", "address", "rt", "rw", "tps",
          "disability", "npsn")
NONE_MARKS = frozenset({"", "-", "0", "TIDAK ADA", "TIDAK"})

DAFTAR_PD = "daftar_pd"
DAPODIK_WS = "dapodik_ws"
PESANTREN = "pesantren"
DPT = "dpt"
LAYOUTS_OF_KIND = {
    RosterKind.DAPODIK: (DAFTAR_PD, DAPODIK_WS),
    RosterKind.PESANTREN: (PESANTREN, DAFTAR_PD, DAPODIK_WS),
    RosterKind.DPT: (DPT,),
}

# KPU's two disability schemes (FORMATS.md §4): 2019 numbers 0-5, 2024 numbers 1-6.
KPU_2019 = {"1": "Tuna Daksa", "2": "Tuna Netra", "3": "Tuna Rungu/Wicara",
            "4": "Tuna Grahita", "5": "Disabilitas lainnya"}
KPU_2024 = {"1": "Fisik", "2": "Intelektual", "3": "Mental", "4": "Sensorik Wicara",
            "5": "Sensorik Rungu", "6": "Sensorik Netra"}
KPU_2024_FROM = date(2023, 1, 1)  # DPTs determined for Pemilu 2024 onwards


class RowContext:
    """What reading a row needs beyond the row: today, the list's date."""

    def __init__(self, *, today: date, data_date: date) -> None:
        self.today = today
        self.data_date = data_date


Parser = Callable[[Any, RowContext], Any]


def _name(value: Any, context: RowContext) -> str:
    s = " ".join(text(value).split()).upper()
    if not s:
        raise CellError("nama kosong")
    if len(s) > 120:
        raise CellError("nama lebih dari 120 huruf")
    return s


def _optional(limit: int, *, upper: bool = False) -> Parser:
    def parse(value: Any, context: RowContext) -> str | None:
        s = " ".join(text(value).split())
        if s.upper() in NONE_MARKS:
            return None
        return (s.upper() if upper else s)[:limit]

    return parse


def _birth_date(value: Any, context: RowContext) -> date:
    return parse_birth_date(value, today=context.today)


def _sex(value: Any, context: RowContext) -> int | None:
    s = text(value).upper()
    if s in {"1", "2"}:
        return int(s)
    code = SEX_LABELS.get(s) or SEX_LABELS.get("".join(s.split()))
    if code is None:
        raise CellError(f"jenis kelamin '{s[:20]}' harus L atau P", )
    return code


def _nik(value: Any, context: RowContext) -> str | None:
    if text(value).upper() in NONE_MARKS:
        return None
    try:
        return parse_nik(value, today=context.today).nik
    except NikError as error:
        raise CellError(str(error)) from None


def _kk(value: Any, context: RowContext) -> str | None:
    if text(value).upper() in NONE_MARKS:
        return None
    try:
        return sixteen_digits(value, what="NKK")
    except NikError as error:
        raise CellError(str(error)) from None


def _nisn(value: Any, context: RowContext) -> str | None:
    digits = "".join(ch for ch in text(value) if ch.isascii() and ch.isdigit())
    if not digits or set(digits) == {"0"}:
        return None
    if len(digits) > 10:
        raise CellError("NISN lebih dari 10 digit")
    return digits.zfill(10)  # Excel drops NISN's leading zeros


def _tps(value: Any, context: RowContext) -> str | None:
    s = text(value)
    if s.upper() in NONE_MARKS:
        return None
    return s.zfill(3)[:10] if s.isdigit() else s[:10]


def _rt_rw(value: Any, context: RowContext) -> str | None:
    return parse_rt_rw(value)


def _kpu_disability(value: Any, context: RowContext) -> str | None:
    s = text(value)
    if s.upper() in NONE_MARKS:
        return None
    if not s.isdigit():
        return s[:60]  # a label as the file spells it
    if context.data_date >= KPU_2024_FROM:
        label, scheme = KPU_2024.get(s), "KPU 2024"
    else:
        label, scheme = KPU_2019.get(s), "KPU 2019"
    if label is None:
        raise CellError(f"kode disabilitas {s} tidak ada dalam skema {scheme}")
    return f"{label} ({scheme}: {s})"


def _special_needs(value: Any, context: RowContext) -> str | None:
    return _optional(60)(value, context)


# Fields whose problem sets the row aside; any other field's problem is a warning and
# the field is left empty.
REQUIRED = frozenset({"name", "birth_date"})

DAFTAR_PD_COLUMNS: dict[str, tuple[str, Parser]] = {
    "NAMA": ("name", _name), "JK": ("sex", _sex), "NISN": ("nisn", _nisn),
    "TEMPAT LAHIR": ("birth_place", _optional(60, upper=True)),
    "TANGGAL LAHIR": ("birth_date", _birth_date), "NIK": ("nik", _nik),
    "ALAMAT": ("address", _optional(200)), "RT": ("rt", _rt_rw), "RW": ("rw", _rt_rw),
    "ROMBEL SAAT INI": ("class_name", _optional(40)), "NO KK": ("kk_number", _kk),
    "KEBUTUHAN KHUSUS": ("disability", _special_needs),
    "NAMA IBU": ("mother_name", _optional(120, upper=True)),
    "NAMA IBU KANDUNG": ("mother_name", _optional(120, upper=True)),
}
DAPODIK_WS_COLUMNS: dict[str, tuple[str, Parser]] = {
    "NAMA": ("name", _name), "JENIS KELAMIN": ("sex", _sex), "NISN": ("nisn", _nisn),
    "NIK": ("nik", _nik), "TEMPAT LAHIR": ("birth_place", _optional(60, upper=True)),
    "TANGGAL LAHIR": ("birth_date", _birth_date),
    "NAMA IBU": ("mother_name", _optional(120, upper=True)),
    "NAMA IBU KANDUNG": ("mother_name", _optional(120, upper=True)),
    "NAMA ROMBEL": ("class_name", _optional(40)), "NO KK": ("kk_number", _kk),
    "ALAMAT JALAN": ("address", _optional(200)), "RT": ("rt", _rt_rw), "RW": ("rw", _rt_rw),
    "NPSN": ("npsn", _optional(12)),
}
PESANTREN_COLUMNS: dict[str, tuple[str, Parser]] = {
    "NAMA": ("name", _name), "NAMA SANTRI": ("name", _name), "NAMA LENGKAP": ("name", _name),
    "JENIS KELAMIN": ("sex", _sex), "JK": ("sex", _sex), "L/P": ("sex", _sex),
    "TEMPAT LAHIR": ("birth_place", _optional(60, upper=True)),
    "TANGGAL LAHIR": ("birth_date", _birth_date), "NIK": ("nik", _nik),
    "NISN": ("nisn", _nisn), "NAMA IBU": ("mother_name", _optional(120, upper=True)),
    "KELAS": ("class_name", _optional(40)), "ALAMAT": ("address", _optional(200)),
    "NO KK": ("kk_number", _kk),
}
DPT_COLUMNS: dict[str, tuple[str, Parser]] = {
    "NKK": ("kk_number", _kk), "NIK": ("nik", _nik), "NAMA": ("name", _name),
    "TEMPAT LAHIR": ("birth_place", _optional(60, upper=True)),
    "TANGGAL LAHIR": ("birth_date", _birth_date), "TGL LAHIR": ("birth_date", _birth_date),
    "JENIS KELAMIN": ("sex", _sex), "ALAMAT": ("address", _optional(200)),
    "RT": ("rt", _rt_rw), "RW": ("rw", _rt_rw), "TPS": ("tps", _tps),
    "DISABILITAS": ("disability", _kpu_disability),
}
SPECS = {DAFTAR_PD: DAFTAR_PD_COLUMNS, DAPODIK_WS: DAPODIK_WS_COLUMNS,
         PESANTREN: PESANTREN_COLUMNS, DPT: DPT_COLUMNS}
# Spellings of a column that other exports use for the same thing.
ALIASES = {"TGL LAHIR": "TANGGAL LAHIR",
           "L / P": "L/P", "NO. KK": "NO KK", "NOMOR KK": "NO KK"}


def normalise_header(header: Sequence[Any]) -> list[str]:
    """Upper-case a header row, read '_' as a space, collapse spaces."""
    names = [" ".join(text(h).replace("_", " ").upper().split()) for h in header]
    return [ALIASES.get(name, name) for name in names]


def detector(kind: str) -> Callable[[list[Any]], str]:
    """Return the header detector for a roster kind (for intake.sources)."""
    allowed = LAYOUTS_OF_KIND[kind]

    def detect(header: list[Any]) -> str:
        columns = set(normalise_header(header))
        found: str | None = None
        if {"NKK", "NIK", "NAMA", "TPS"} <= columns:
            found = DPT
        elif {"NAMA", "JENIS KELAMIN", "TANGGAL LAHIR", "NISN"} <= columns:
            found = DAPODIK_WS
        elif {"NAMA", "JK", "TANGGAL LAHIR"} <= columns and (
                {"NIPD", "ROMBEL SAAT INI", "NISN"} & columns):
            found = DAFTAR_PD
        elif {"TANGGAL LAHIR"} <= columns and (
                {"NAMA", "NAMA SANTRI", "NAMA LENGKAP"} & columns) and (
                {"KELAS", "NAMA AYAH", "NAMA IBU"} & columns):
            found = PESANTREN
        if found in allowed:
            return found
        raise LayoutError(_expected(kind, found))

    return detect


def _expected(kind: str, found: str | None) -> str:
    wanted = {
        RosterKind.DAPODIK: "Dapodik 'Daftar PD' (Nama, JK, NISN, Tanggal Lahir, ...) atau "
        "baris WebService Dapodik (nisn, nik, nama, jenis_kelamin, tanggal_lahir, ...)",
        RosterKind.PESANTREN: "daftar santri (Nama, Jenis Kelamin, Tempat Lahir, Tanggal "
        "Lahir, Nama Ayah, Nama Ibu, Kelas)",
        RosterKind.DPT: "DPT/DPS KPU (NKK, NIK, NAMA, TEMPAT_LAHIR, TANGGAL_LAHIR, "
        "JENIS_KELAMIN, STATUS_KAWIN, ALAMAT, RT, RW, TPS)",
    }[kind]
    if found is not None:
        return (f"berkas ini berbentuk {found}, bukan daftar jenis '{kind}': baris judul "
                f"harus memuat kolom {wanted}")
    return f"tata letak berkas tidak dikenali: baris judul harus memuat kolom {wanted}"


class RowReader:
    """Turns one data row of a roster layout into RosterRow fields and problems."""

    def __init__(self, *, layout: str, header: Sequence[Any], context: RowContext) -> None:
        self.layout = layout
        self.context = context
        names = normalise_header(header)
        spec = SPECS[layout]
        self.readers: list[tuple[int, str, str, Parser]] = []
        taken: set[str] = set()
        for index, name in enumerate(names):
            entry = spec.get(name)
            if entry is None or entry[0] in taken:
                continue
            taken.add(entry[0])
            self.readers.append((index, text(header[index]), entry[0], entry[1]))
        missing = REQUIRED - taken
        if missing:
            raise LayoutError("kolom wajib tidak ada: " + ", ".join(
                {"name": "nama", "birth_date": "tanggal lahir"}[f] for f in sorted(missing)))
        self.width = len(names)
        self.name_column = next(c for _, c, f, _ in self.readers if f == "name")
        self.name_index = next(i for i, _, f, _ in self.readers if f == "name")

    def read(self, row: Sequence[Any]) -> tuple[dict[str, Any], list[Problem], bool]:
        """Return the row's fields, its problems, and whether it must be set aside."""
        if len(row) < self.width:
            row = list(row) + [None] * (self.width - len(row))
        values: dict[str, Any] = {}
        problems: list[Problem] = []
        rejected = False
        for index, column, field, parse in self.readers:
            raw = row[index]
            try:
                values[field] = parse(raw, self.context)
            except CellError as error:
                values[field] = None
                required = field in REQUIRED
                rejected = rejected or required
                reason = str(error)
                if field == "nik":
                    reason += "; NIK dikosongkan, baris tetap dimuat"
                problems.append(Problem(column, text(raw)[:60], reason,
                                        "galat" if required else "peringatan"))
        return values, problems, rejected


def is_subheader(reader: RowReader, row: Sequence[Any]) -> bool:
    """Whether a row is Daftar PD's second header level (Nama, Pekerjaan... under Ayah/Ibu).

    It sits right under the header and has no student name, only more column names.
    """
    if reader.layout != DAFTAR_PD:
        return False
    name = text(row[reader.name_index]) if reader.name_index < len(row) else ""
    return not name and "NAMA" in normalise_header(row)
