"""The export layouts offices hold (FORMATS.md), recognised from their header row.

Each layout maps its columns onto the registry's fields. A field whose column is
absent is not "provided": a re-import leaves what the registry already knows about
it untouched (a desa's note that someone is bedridden survives the next SIAK export).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from jemput.intake.errors import LayoutError, Problem
from jemput.residents import codes
from jemput.residents.nik import NikError, cross_check, parse_nik
from jemput.residents.parsing import (
    NONE_MARKS,
    CellError,
    parse_birth_date,
    parse_code,
    parse_coordinate,
    parse_disability,
    parse_flag,
    parse_kk,
    parse_ktp_status,
    parse_optional_flag,
    parse_phone,
    parse_rt_rw,
    text,
)

# The registry fields an import can set, in staging-table order.
FIELDS = (
    "nik", "kk_number", "name", "sex", "birth_place", "birth_date", "religion",
    "marital_status", "household_relation", "citizenship", "has_itap", "address", "rt",
    "rw", "dusun", "desa_code", "phone", "latitude", "longitude", "disability",
    "bedridden", "odgj", "needs_home_visit", "life_status", "ktp_status", "nik_warning",
)
REQUIRED = frozenset({"nik", "name", "sex", "birth_date", "marital_status", "desa_code"})


@dataclass
class ImportContext:
    today: date
    village_codes: set[str]
    # (KECAMATAN NAME, DESA NAME) -> desa code, for layouts that carry names only.
    villages_by_name: dict[tuple[str, str], str] = field(default_factory=dict)
    desa_code: str | None = None  # OpenSID files describe one desa given on the command line


Parser = Callable[[Any], Any]


def _name(value: Any) -> str:
    s = " ".join(text(value).split())
    if not s:
        raise CellError("nama kosong")
    if len(s) > 120:
        raise CellError("nama lebih dari 120 huruf")
    return s


def _short(limit: int) -> Parser:
    def parse(value: Any) -> str | None:
        s = " ".join(text(value).split())
        return None if s in NONE_MARKS else s[:limit]

    return parse


def _opensid_dusun(value: Any) -> str | None:
    # As OpenSID reads its own column: a leading apostrophe, underscores for spaces and a
    # "DUSUN " prefix are spelling, not part of the name; '-' is a desa without dusun.
    s = " ".join(text(value).removeprefix("'").replace("_", " ").split())
    if s.upper().startswith("DUSUN "):
        s = s[len("DUSUN "):].strip()
    return None if s in NONE_MARKS else s[:80]


def _coded(labels: dict[str, int], low: int, high: int, what: str) -> Parser:
    def parse(value: Any) -> int:
        return parse_code(value, labels=labels, low=low, high=high, what=what)

    return parse


def _citizenship(value: Any) -> str:
    s = text(value).upper()
    if s in {"", "-", "WNI", "1", "3", "DUA KEWARGANEGARAAN"}:
        return "WNI"  # OpenSID 3 (dual) holds Indonesian citizenship
    if s in {"WNA", "2"}:
        return "WNA"
    raise CellError(f"kewarganegaraan '{text(value)}' tidak dikenal (WNI/WNA)")


def _life_status_siak(value: Any) -> str:
    s = text(value)
    # FLAG_STATUS '0' is an active record; S5 also counts '2' as resident (FORMATS.md §1).
    if s in {"", "0", "2"}:
        return "hidup"
    raise CellError(f"FLAG_STATUS '{s}' bukan penduduk aktif")


def _life_status_label(value: Any) -> str:
    s = " ".join(text(value).upper().split())
    if s in NONE_MARKS:
        return "hidup"
    if s.isdigit() and int(s) in codes.OPENSID_STATUS_DASAR:
        return codes.OPENSID_STATUS_DASAR[int(s)]
    if s in codes.LIFE_STATUS_LABELS:
        return codes.LIFE_STATUS_LABELS[s]
    if s in codes.OPENSID_RESIDENCY_LABELS:
        raise CellError(codes.OPENSID_LABEL_EXPORT_REASON.format(column="status_dasar"))
    raise CellError(f"status penduduk '{text(value)}' tidak dikenal")


def _opensid_status_rekam(value: Any) -> str | None:
    s = " ".join(text(value).upper().split())
    if s in NONE_MARKS:
        return None
    if s.isascii() and s.isdigit() and int(s) in codes.OPENSID_STATUS_REKAM:
        return codes.OPENSID_STATUS_REKAM[int(s)].value
    by_label = {"BELUM WAJIB": 1, "BELUM REKAM": 2, "SUDAH REKAM": 3}
    if s in by_label:
        return codes.OPENSID_STATUS_REKAM[by_label[s]].value
    if s in codes.CITIZENSHIP_LABELS:
        raise CellError(codes.OPENSID_LABEL_EXPORT_REASON.format(column="status_rekam"))
    return parse_ktp_status(s, empty_means_unregistered=False)


def _disability(value: Any) -> int | None:
    return parse_disability(value, labels=codes.DISABILITY_LABELS)


def _lat(value: Any) -> float | None:
    return parse_coordinate(value, low=-11.5, high=6.5)


def _lng(value: Any) -> float | None:
    return parse_coordinate(value, low=94.5, high=141.5)


def _siak_status(value: Any) -> str | None:
    return parse_ktp_status(value, empty_means_unregistered=True)


# Columns every layout may carry in addition to its own (Jemput's extension columns:
# what a desa knows and SIAK does not).
EXTENSION_COLUMNS: dict[str, tuple[str, Parser]] = {
    "KEWARGANEGARAAN": ("citizenship", _citizenship),
    "ITAP": ("has_itap", parse_flag),
    "TIRAH_BARING": ("bedridden", parse_flag),
    "ODGJ": ("odgj", parse_flag),
    "KUNJUNGAN_RUMAH": ("needs_home_visit", parse_optional_flag),
    "LAT": ("latitude", _lat),
    "LNG": ("longitude", _lng),
    "TELP": ("phone", parse_phone),
}

SEX = _coded(codes.SEX_LABELS, 1, 2, "jenis kelamin")
MARITAL = _coded(codes.MARITAL_LABELS, 1, 4, "status kawin")
RELIGION = _coded(codes.RELIGION_LABELS, 1, 7, "agama")
RELATION = _coded(codes.RELATION_LABELS, 1, 11, "hubungan keluarga")

# Fields whose bad value only warns: the row is still worth loading without them.
SOFT_FIELDS = frozenset(
    {"religion", "household_relation", "phone", "latitude", "longitude", "birth_place"}
)

SIAK_COLUMNS: dict[str, tuple[str, Parser]] = {
    "NIK": ("nik", lambda v: v),
    "NO_KK": ("kk_number", parse_kk),
    "NAMA_LGKP": ("name", _name),
    "TMPT_LHR": ("birth_place", _short(80)),
    "TGL_LHR": ("birth_date", lambda v: v),
    "JENIS_KLMIN": ("sex", SEX),
    "AGAMA": ("religion", RELIGION),
    "STAT_KWN": ("marital_status", MARITAL),
    "STATUS_KAWIN": ("marital_status", MARITAL),
    "STAT_HBKEL": ("household_relation", RELATION),
    "PNYDNG_CCT": ("disability", _disability),
    "ALAMAT": ("address", _short(200)),
    "NO_RT": ("rt", parse_rt_rw),
    "NO_RW": ("rw", parse_rt_rw),
    "DUSUN": ("dusun", _short(80)),
    "CURRENT_STATUS_CODE": ("ktp_status", _siak_status),
    "EKTP_CURRENT_STATUS_CODE": ("ktp_status", _siak_status),
    "CURRENT_STATUS_CODE_EKTP": ("ktp_status", _siak_status),
    "FLAG_STATUS": ("life_status", _life_status_siak),
}
SIAK_REGION = ("NO_PROP", "NO_KAB", "NO_KEC", "NO_KEL")

DATA_PENDUDUK_COLUMNS: dict[str, tuple[str, Parser]] = {
    "NOMOR KK": ("kk_number", parse_kk),
    "NIK": ("nik", lambda v: v),
    "NAMA PENDUDUK": ("name", _name),
    "STATUS": ("life_status", _life_status_label),
    "TEMPAT LAHIR": ("birth_place", _short(80)),
    "TANGGAL LAHIR": ("birth_date", lambda v: v),
    "KELAMIN": ("sex", SEX),
    "STATUS KAWIN": ("marital_status", MARITAL),
    "SHDK": ("household_relation", RELATION),
    "AGAMA": ("religion", RELIGION),
    "ALAMAT": ("address", _short(200)),
    "RW": ("rw", parse_rt_rw),
    "RT": ("rt", parse_rt_rw),
    "CACAT": ("disability", _disability),
}

OPENSID_COLUMNS: dict[str, tuple[str, Parser]] = {
    "NIK": ("nik", lambda v: v),
    "NO_KK": ("kk_number", parse_kk),
    "NAMA": ("name", _name),
    "SEX": ("sex", SEX),
    "TEMPATLAHIR": ("birth_place", _short(80)),
    "TANGGALLAHIR": ("birth_date", lambda v: v),
    "AGAMA_ID": ("religion", RELIGION),
    "STATUS_KAWIN": ("marital_status", MARITAL),
    "KK_LEVEL": ("household_relation", RELATION),
    "WARGANEGARA_ID": ("citizenship", _citizenship),
    "CACAT_ID": ("disability", _disability),
    "STATUS_REKAM": ("ktp_status", _opensid_status_rekam),
    "STATUS_DASAR": ("life_status", _life_status_label),
    "ALAMAT": ("address", _short(200)),
    "DUSUN": ("dusun", _opensid_dusun),
    "RW": ("rw", parse_rt_rw),
    "RT": ("rt", parse_rt_rw),
    "LAT": ("latitude", _lat),
    "LNG": ("longitude", _lng),
}


def _normalise_header(header: Sequence[Any]) -> list[str]:
    return [" ".join(text(h).upper().split()) for h in header]


def detect_layout(header: Sequence[Any]) -> str:
    """Name the layout a header row belongs to: siak, data_penduduk or opensid."""
    columns = set(_normalise_header(header))
    if {"NIK", "NAMA_LGKP", "TGL_LHR"} <= columns:
        return "siak"
    if {"NOMOR KK", "NIK", "NAMA PENDUDUK", "TANGGAL LAHIR"} <= columns:
        return "data_penduduk"
    if {"NIK", "NAMA", "NO_KK", "TANGGALLAHIR"} <= columns:
        return "opensid"
    raise LayoutError(
        "tata letak berkas tidak dikenali: baris judul harus memuat kolom SIAK (NIK, "
        "NAMA_LGKP, TGL_LHR, ...), 'Data Penduduk' (Nomor KK, NIK, Nama Penduduk, ...) "
        "atau OpenSID (nik, nama, no_kk, tanggallahir, ...); untuk nama kolom lain "
        "pakai --map KOLOM_SIAK=kolom_berkas"
    )


class RowReader:
    """Turns one data row of a known layout into registry fields and problems."""

    def __init__(self, *, layout: str, header: Sequence[Any], context: ImportContext) -> None:
        self.layout = layout
        self.context = context
        names = _normalise_header(header)
        self.header = [text(h) for h in header]
        spec = {
            "siak": SIAK_COLUMNS,
            "data_penduduk": DATA_PENDUDUK_COLUMNS,
            "opensid": OPENSID_COLUMNS,
        }[layout]
        self.readers: list[tuple[int, str, str, Parser]] = []
        taken: set[str] = set()
        for index, name in enumerate(names):
            entry = spec.get(name) or EXTENSION_COLUMNS.get(name)
            if entry is None or entry[0] in taken:
                continue
            taken.add(entry[0])
            self.readers.append((index, self.header[index], entry[0], entry[1]))
        self.region_index: list[int] = []
        if layout == "siak":
            missing = [c for c in SIAK_REGION if c not in names]
            if missing:
                raise LayoutError(f"kolom wilayah {', '.join(missing)} tidak ada")
            self.region_index = [names.index(c) for c in SIAK_REGION]
        elif layout == "data_penduduk":
            if "KECAMATAN" not in names or "DESA/KEL" not in names:
                raise LayoutError("kolom 'Kecamatan' dan 'Desa/Kel' tidak ada")
            self.region_index = [names.index("KECAMATAN"), names.index("DESA/KEL")]
        elif context.desa_code is None:
            raise LayoutError(
                "berkas OpenSID tidak memuat kode desa: sebutkan desanya dengan --desa KODE"
            )
        elif context.desa_code not in context.village_codes:
            raise LayoutError(f"kode desa {context.desa_code} tidak dikenal")
        if layout == "data_penduduk":
            taken.add("dusun")  # read out of Alamat, see _dusun_from_address
        self.provided = frozenset(taken | {"desa_code", "nik_warning"})
        missing_fields = REQUIRED - self.provided
        if missing_fields:
            raise LayoutError(f"kolom wajib tidak ada untuk: {', '.join(sorted(missing_fields))}")
        self.nik_column = next(c for _, c, f, _ in self.readers if f == "nik")
        self.birth_column = next(c for _, c, f, _ in self.readers if f == "birth_date")
        self.width = len(names)

    def read(self, row: Sequence[Any]) -> tuple[dict[str, Any], list[Problem], bool]:
        """Return the row's fields, its problems, and whether it must be set aside."""
        if len(row) < self.width:
            row = list(row) + [None] * (self.width - len(row))
        values: dict[str, Any] = {}
        problems: list[Problem] = []
        rejected = False
        for index, column, field_name, parser in self.readers:
            raw = row[index]
            try:
                values[field_name] = parser(raw)
            except CellError as error:
                soft = field_name in SOFT_FIELDS
                problems.append(
                    Problem(column, text(raw), error.reason, "peringatan" if soft else "galat")
                )
                values[field_name] = None
                rejected = rejected or not soft
        rejected = self._read_identity(row, values, problems) or rejected
        rejected = self._read_region(row, values, problems) or rejected
        if self.layout == "data_penduduk" and values.get("address"):
            values["dusun"] = _dusun_from_address(values["address"])
        return values, problems, rejected

    def _read_identity(
        self, row: Sequence[Any], values: dict[str, Any], problems: list[Problem]
    ) -> bool:
        raw_nik = values.get("nik")
        try:
            parsed = parse_nik(raw_nik, today=self.context.today)
        except NikError as error:
            problems.append(Problem(self.nik_column, text(raw_nik), error.reason))
            return True
        values["nik"] = parsed.nik
        raw_birth = values.get("birth_date")
        try:
            values["birth_date"] = parse_birth_date(
                raw_birth, today=self.context.today, adult=_looks_adult(values),
                child=values.get("household_relation") in codes.CHILD_RELATIONS,
            )
        except CellError as error:
            problems.append(Problem(self.birth_column, text(raw_birth), error.reason))
            return True
        values["nik_warning"] = None
        if values.get("sex") is not None:
            warning = cross_check(parsed, sex=values["sex"], birth_date=values["birth_date"])
            if warning:
                values["nik_warning"] = warning
                problems.append(Problem(self.nik_column, parsed.nik, warning, "peringatan"))
        return False

    def _read_region(
        self, row: Sequence[Any], values: dict[str, Any], problems: list[Problem]
    ) -> bool:
        context = self.context
        if self.layout == "opensid":
            values["desa_code"] = context.desa_code
            return False
        if self.layout == "siak":
            parts = [text(row[i]) for i in self.region_index]
            try:
                prop, kab, kec, kel = (int(p) for p in parts)
                code = f"{prop:02d}.{kab:02d}.{kec:02d}.{kel:04d}"
            except ValueError:
                code = ".".join(parts)
            column, shown = "NO_PROP..NO_KEL", code
        else:
            kecamatan, desa = (text(row[i]) for i in self.region_index)
            key = (" ".join(kecamatan.upper().split()), " ".join(desa.upper().split()))
            code = context.villages_by_name.get(key, "")
            column, shown = "Kecamatan/Desa/Kel", f"{kecamatan} / {desa}"
        if code not in context.village_codes:
            problems.append(Problem(column, shown, f"kode desa '{shown}' tidak dikenal"))
            return True
        values["desa_code"] = code
        return False


def _looks_adult(values: dict[str, Any]) -> bool:
    # What a row says that no young child can be: married once, a head of household,
    # spouse or parent in it, or recorded for a KTP-el.
    status = values.get("ktp_status")
    return (
        values.get("marital_status") in codes.EVER_MARRIED
        or values.get("household_relation") in codes.ADULT_RELATIONS
        or (status is not None and status in codes.RECORDED_STATUSES)
    )


def _dusun_from_address(address: str) -> str | None:
    # The Data Penduduk XLS writes the dusun into Alamat as "DSN X", "DS. X" or "Dusun X".
    upper = address.upper()
    for prefix in ("DUSUN ", "DSN. ", "DSN ", "DS. ", "DS "):
        if upper.startswith(prefix):
            return address[len(prefix):].strip()[:80] or None
    return None


def apply_mapping(header: Sequence[Any], mapping: dict[str, str]) -> list[Any]:
    """Rename file columns to SIAK names: mapping is SIAK name -> the file's column name."""
    reverse = {" ".join(v.upper().split()): k.upper() for k, v in mapping.items()}
    renamed = []
    for column in header:
        key = " ".join(text(column).upper().split())
        renamed.append(reverse.get(key, column))
    return renamed
