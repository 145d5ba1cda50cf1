"""The import's rules as polars expressions over whole batches of rows (SIAK layout).

Reading a million rows through RowReader costs about 13 µs a row in Python. Nearly
every row of an export is clean, and a clean row needs no explaining, so a batch is
judged column-wise first: a row that matches, in every cell, a strict spelling of what
the rules accept (a NIK of sixteen digits, a date DD-MM-YYYY, a code as its number...)
gets its values here, computed exactly as the row path computes them. Any other row,
including every row the rules would accept only with a warning, goes through RowReader,
which explains it: the problem report stays what it is, line for line. The strict
spellings are a subset of what the parsers accept, never a superset; a cell that is
merely unusual costs speed, not correctness. tests/residents/test_columnar.py compares
the two paths on random files.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from operator import itemgetter
from typing import Any

import polars as pl

from jemput.residents import codes
from jemput.residents.layouts import FIELDS, RowReader
from jemput.residents.nik import PROVINCE_CODES

Expr = pl.Expr
Rule = Callable[[Expr], tuple[Expr, Expr]]  # cell -> (value, the cell is read without doubt)

# Every character Python's str.split() and str.strip() treat as space, and the control
# and invisible ones besides: a free-text cell without them, with single spaces between
# words, is exactly what " ".join(text(cell).split()) returns.
_SPACE_LIKE = (
    r"\x{0}-\x{20}\x{7f}-\x{a0}\x{1680}\x{2000}-\x{200f}\x{2028}-\x{202f}"
    r"\x{205f}\x{3000}\x{feff}"
)
_CLEAN_TEXT = rf"^[^{_SPACE_LIKE}]+(?: [^{_SPACE_LIKE}]+)*$"
_EARLIEST_BIRTH = date(1880, 1, 1)
_NONE = ("", "-")


def _one_of(cell: Expr, values: Sequence[str]) -> Expr:
    return cell.is_in(list(values))


def _free_text(limit: int) -> Rule:
    def rule(cell: Expr) -> tuple[Expr, Expr]:
        empty = _one_of(cell, _NONE)
        clean = cell.str.contains(_CLEAN_TEXT)
        value = pl.when(clean & ~empty).then(cell.str.slice(0, limit))
        return value, empty | clean

    return rule


def _name(cell: Expr) -> tuple[Expr, Expr]:
    ok = cell.str.contains(_CLEAN_TEXT) & (cell.str.len_chars() <= 120)
    return cell, ok


def _code(labels: dict[str, int], low: int, high: int) -> Rule:
    def rule(cell: Expr) -> tuple[Expr, Expr]:
        digits = cell.str.contains(r"^[0-9]{1,6}$")
        number = cell.cast(pl.Int64, strict=False)
        labelled = cell.replace_strict(labels, default=None, return_dtype=pl.Int64)
        value = (
            pl.when(digits & number.is_between(low, high)).then(number)
            .when(~digits).then(labelled)
        )
        return value, value.is_not_null()

    return rule


def _disability(cell: Expr) -> tuple[Expr, Expr]:
    none = _one_of(cell, sorted(codes.NO_DISABILITY))
    value, ok = _code(codes.DISABILITY_LABELS, 1, 6)(cell)
    return pl.when(~none).then(value), none | ok


def _kk(cell: Expr) -> tuple[Expr, Expr]:
    none = _one_of(cell, ("", "-", "0"))
    digits = cell.str.contains(r"^[0-9]{16}$")
    value = pl.when(digits & ~cell.str.starts_with("0")).then(cell)
    return value, none | digits


def _rt_rw(cell: Expr) -> tuple[Expr, Expr]:
    none = _one_of(cell, _NONE)
    digits = cell.str.contains(r"^[0-9]{1,3}$")
    value = pl.when(digits & (cell.cast(pl.Int64, strict=False) != 0)).then(cell.str.zfill(3))
    return value, none | digits


def _ktp_status(cell: Expr) -> tuple[Expr, Expr]:
    none = _one_of(cell, _NONE)
    known = _one_of(cell, list(codes.KtpStatus.__members__))
    value = pl.when(none).then(pl.lit(codes.KtpStatus.UNREGISTERED.value)).when(known).then(cell)
    return value, none | known


def _life_status(cell: Expr) -> tuple[Expr, Expr]:
    ok = _one_of(cell, ("", "0", "2"))
    return pl.when(ok).then(pl.lit("hidup")), ok


def _citizenship(cell: Expr) -> tuple[Expr, Expr]:
    wni = _one_of(cell, ("", "-", "WNI", "1", "3", "DUA KEWARGANEGARAAN"))
    wna = _one_of(cell, ("WNA", "2"))
    return pl.when(wni).then(pl.lit("WNI")).when(wna).then(pl.lit("WNA")), wni | wna


_NO = ("", "0", "T", "N", "TIDAK", "FALSE", "NO")
_YES = ("1", "Y", "YA", "TRUE", "YES")


def _flag(cell: Expr) -> tuple[Expr, Expr]:
    no, yes = _one_of(cell, _NO), _one_of(cell, _YES)
    return pl.when(yes).then(pl.lit(True)).when(no).then(pl.lit(False)), no | yes


def _optional_flag(cell: Expr) -> tuple[Expr, Expr]:
    value, ok = _flag(cell)
    return pl.when(cell != "").then(value), ok


def _coordinate(low: float, high: float) -> Rule:
    def rule(cell: Expr) -> tuple[Expr, Expr]:
        none = _one_of(cell, _NONE)
        number = pl.when(cell.str.contains(r"^-?[0-9]{1,3}(?:\.[0-9]{1,15})?$")).then(
            cell.cast(pl.Float64, strict=False)
        )
        inside = number.is_between(low, high)
        return pl.when(inside).then(number), none | inside.fill_null(False)

    return rule


def _phone(cell: Expr) -> tuple[Expr, Expr]:
    empty = cell == ""
    plain = cell.str.contains(r"^\+?[0-9]{6,15}$")
    return pl.when(plain).then(cell), empty | plain


# The SIAK layout's fields (layouts.SIAK_COLUMNS and EXTENSION_COLUMNS) by rule; NIK,
# birth date and region are read together below, as RowReader reads them.
RULES: dict[str, Rule] = {
    "kk_number": _kk,
    "name": _name,
    "birth_place": _free_text(80),
    "sex": _code(codes.SEX_LABELS, 1, 2),
    "religion": _code(codes.RELIGION_LABELS, 1, 7),
    "marital_status": _code(codes.MARITAL_LABELS, 1, 4),
    "household_relation": _code(codes.RELATION_LABELS, 1, 11),
    "disability": _disability,
    "address": _free_text(200),
    "rt": _rt_rw,
    "rw": _rt_rw,
    "dusun": _free_text(80),
    "ktp_status": _ktp_status,
    "life_status": _life_status,
    "citizenship": _citizenship,
    "has_itap": _flag,
    "bedridden": _flag,
    "odgj": _flag,
    "needs_home_visit": _optional_flag,
    "latitude": _coordinate(-11.5, 6.5),
    "longitude": _coordinate(94.5, 141.5),
    "phone": _phone,
}
_INTEGERS = {"sex", "religion", "marital_status", "household_relation", "disability"}


def _iso(year: Expr, month: Expr, day: Expr) -> Expr:
    # Built as text and parsed: an impossible day (31 February) becomes null, not an error.
    return pl.concat_str(
        [year.cast(pl.String).str.zfill(4), month.cast(pl.String).str.zfill(2),
         day.cast(pl.String).str.zfill(2)],
        separator="-",
    ).str.to_date("%Y-%m-%d", strict=False)


def _birth_date(cell: Expr, today: date) -> Expr:
    iso = cell.str.contains(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
    dmy = cell.str.contains(r"^[0-9]{2}[-/.][0-9]{2}[-/.][0-9]{4}$")
    born = (
        pl.when(iso).then(_iso(cell.str.slice(0, 4), cell.str.slice(5, 2), cell.str.slice(8, 2)))
        .when(dmy).then(_iso(cell.str.slice(6, 4), cell.str.slice(3, 2), cell.str.slice(0, 2)))
    )
    return pl.when(born.is_between(pl.lit(_EARLIEST_BIRTH), pl.lit(today))).then(born)


class ColumnarReader:
    """Splits a batch of CSV rows into rows read here and rows for RowReader."""

    def __init__(self, reader: RowReader, rules: dict[str, tuple[int, Rule]]) -> None:
        self.reader = reader
        self.rules = rules
        self.nik_index = next(i for i, _, f, _ in reader.readers if f == "nik")
        self.birth_index = next(i for i, _, f, _ in reader.readers if f == "birth_date")
        self.columns = sorted(
            {i for i, _ in rules.values()} | {self.nik_index, self.birth_index}
            | set(reader.region_index)
        )
        self.today = reader.context.today
        self.village_codes = sorted(reader.context.village_codes)

    @classmethod
    def for_reader(cls, reader: RowReader) -> ColumnarReader | None:
        """Return a columnar reader for `reader`'s file, or None: the row path reads it."""
        if reader.layout != "siak":
            return None
        rules: dict[str, tuple[int, Rule]] = {}
        for index, _column, field, _parser in reader.readers:
            if field in ("nik", "birth_date"):
                continue
            rule = RULES.get(field)
            if rule is None:
                return None
            rules[field] = (index, rule)
        return cls(reader, rules)

    def split(
        self, lines: list[int], rows: list[list[Any]]
    ) -> tuple[pl.DataFrame, list[int]]:
        """Return the staged rows read here (line_no, FIELDS..., rejected) and the
        positions in `rows` of those RowReader must read."""
        width = self.reader.width
        if any(len(row) != width for row in rows):
            rows = [(list(row) + [""] * width)[:width] for row in rows]
        frame = pl.DataFrame(
            {f"c{i}": pl.Series(values=list(map(itemgetter(i), rows)), dtype=pl.String)
             for i in self.columns}
        ).with_columns(pl.Series("line_no", lines, dtype=pl.Int64),
                       pl.int_range(pl.len()).alias("position"))
        values: dict[str, Expr] = {}
        checks: list[Expr] = []
        for field, (index, rule) in self.rules.items():
            value, ok = rule(pl.col(f"c{index}"))
            values[field] = value.cast(pl.Int16) if field in _INTEGERS else value
            checks.append(ok.fill_null(False))
        nik = pl.col(f"c{self.nik_index}")
        frame = frame.with_columns(
            **values,
            _ok=pl.all_horizontal(checks) if checks else pl.lit(True),
            nik=nik,
            birth_date=_birth_date(pl.col(f"c{self.birth_index}"), self.today),
            desa_code=self._region(),
            _nik_ok=self._nik_ok(nik),
        )
        frame = frame.with_columns(_ok=pl.col("_ok") & pl.col("_nik_ok")
                                   & pl.col("birth_date").is_not_null()
                                   & pl.col("desa_code").is_in(self.village_codes)
                                   & self._agrees_with_nik(nik))
        frame = frame.with_columns(_ok=pl.col("_ok").fill_null(False))
        slow = frame.filter(~pl.col("_ok"))["position"].to_list()
        fast = frame.filter(pl.col("_ok")).select(
            "line_no",
            *[pl.col(f) if f in frame.columns and f in self._fields else pl.lit(None).alias(f)
              for f in FIELDS],
            rejected=pl.lit(False),
        )
        return fast, slow

    @property
    def _fields(self) -> set[str]:
        return {"nik", "birth_date", "desa_code", *self.rules}

    def _region(self) -> Expr:
        parts = [pl.col(f"c{i}") for i in self.reader.region_index]
        digits = pl.all_horizontal([p.str.contains(r"^[0-9]{1,6}$") for p in parts])
        widths = (2, 2, 2, 4)  # f"{prop:02d}.{kab:02d}.{kec:02d}.{kel:04d}"
        code = pl.concat_str(
            [p.cast(pl.Int64, strict=False).cast(pl.String).str.zfill(w)
             for p, w in zip(parts, widths, strict=True)],
            separator=".",
        )
        return pl.when(digits).then(code)

    def _nik_ok(self, nik: Expr) -> Expr:
        return (
            nik.str.contains(r"^[1-9][0-9]{15}$")
            & nik.str.slice(0, 2).is_in(sorted(PROVINCE_CODES))
            & (nik.str.slice(2, 2) != "00")
            & (nik.str.slice(4, 2) != "00")
            & (nik.str.slice(12, 4) != "0000")
            & self._nik_birth(nik).is_not_null()
        )

    def _nik_birth(self, nik: Expr) -> Expr:
        day = nik.str.slice(6, 2).cast(pl.Int64, strict=False)
        two_digits = nik.str.slice(10, 2).cast(pl.Int64, strict=False)
        year = pl.when(2000 + two_digits <= self.today.year).then(2000 + two_digits).otherwise(
            1900 + two_digits
        )
        month = nik.str.slice(8, 2).cast(pl.Int64, strict=False)
        return _iso(year, month, pl.when(day > 40).then(day - 40).otherwise(day))

    def _agrees_with_nik(self, nik: Expr) -> Expr:
        # nik.cross_check: a row whose sex or birth date disagrees with its NIK is loaded
        # with a warning, which RowReader writes.
        day = nik.str.slice(6, 2).cast(pl.Int64, strict=False)
        sex = pl.when(day > 40).then(2).otherwise(1)
        encoded = self._nik_birth(nik)
        born = pl.col("birth_date")
        return (
            (pl.col("sex") == sex)
            & (born.dt.day() == encoded.dt.day())
            & (born.dt.month() == encoded.dt.month())
            & (born.dt.year() % 100 == encoded.dt.year() % 100)
        )
