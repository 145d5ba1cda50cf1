"""Cells that a spreadsheet will show, never run: the one guard for every CSV and XLSX we write.

A resident named `=HYPERLINK("http://evil","x")`, or a cell `=cmd|"/c calc"!A1` quoted
in an import report, becomes a live formula when an office opens the file in Excel or
LibreOffice. Following the OWASP guidance on CSV injection, a text cell that begins with
`=`, `+`, `-`, `@`, a tab or a carriage return is prefixed with a single quote, so the
program reads it as text. Numbers stay numbers: a numeric cell is never touched, and a
text cell that is exactly a plain (negative) number is left as it is.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from jemput.xlsx_writer import write_xlsx

# A spreadsheet past this is unusable on an office laptop; filtering is the answer.
MAX_EXPORT_ROWS = 100_000
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Exactly a number such as -12 or -3.5: a spreadsheet reads it as that number and
# nothing else, so the quote would only spoil it.
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)?")


def safe_cell(value: Any) -> Any:
    """Return `value` as a spreadsheet may hold it: text that cannot start a formula."""
    if (isinstance(value, str) and value.startswith(FORMULA_STARTS)
            and not _PLAIN_NUMBER.fullmatch(value)):
        return "'" + value
    return value


def safe_row(values: Iterable[Any]) -> list[Any]:
    """Return a row with every cell passed through safe_cell."""
    return [safe_cell(value) for value in values]


def xlsx_bytes(sheets: Iterable[tuple[str, Iterable[Iterable[Any]]]]) -> bytes:
    """Write (title, rows) sheets to an XLSX file, every cell through safe_cell.

    Rows stream from the iterables into the file's XML (xlsx_writer.py), so an export
    never holds a second copy of itself in cells.
    """
    return write_xlsx(
        # 31 characters: Excel's limit on a sheet's name.
        (title[:31], (safe_row(row) for row in rows)) for title, rows in sheets
    )


@dataclass(frozen=True)
class Export:
    """A file made for download: its bytes, the name to save it under, the rows it holds."""

    content: bytes
    file_name: str
    rows: int


class ExportTooLarge(ValueError):
    """More rows than one export may hold; filter first."""

    def __init__(self, rows: int, limit: int = MAX_EXPORT_ROWS) -> None:
        super().__init__(f"{rows} baris, batas {limit}")
        self.rows = rows
