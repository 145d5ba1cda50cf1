"""Stream rows out of CSV, XLSX and XLS exports without holding the file in memory.

What the header means is the caller's business: `detect` names the layout a header row
belongs to (or raises LayoutError), so the registry and the rosters share this reader.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jemput.intake.archive_guard import workbook_problem
from jemput.intake.errors import LayoutError, SourceError

# A header row may sit under a title block in spreadsheets; look this far down for it.
HEADER_SEARCH_ROWS = 10
SKIPPED_SHEETS = {"kode data"}  # OpenSID's code-table sheet

Detect = Callable[[list[Any]], str]  # header row -> layout name, or LayoutError
EndsData = Callable[[str, list[Any]], bool]  # (layout, row) -> the data ended before it


@dataclass
class Source:
    header: list[Any]
    layout: str
    rows: Iterator[tuple[int, list[Any]]]  # (line number as a person sees it, cells)
    size: int  # bytes, for progress
    position: Any  # callable returning bytes read so far
    close: Any = lambda: None  # releases the file if the rows are not read to the end
    text_cells: bool = False  # every cell is a str (CSV), never a number or a date


class _CountingReader(io.RawIOBase):
    """Wraps a binary file and counts the bytes read, for a progress bar."""

    def __init__(self, raw: io.BufferedReader) -> None:
        self.raw = raw
        self.count = 0

    def readable(self) -> bool:
        return True

    def close(self) -> None:
        self.raw.close()
        super().close()

    def readinto(self, buffer: Any) -> int:
        n = self.raw.readinto(buffer)
        self.count += n or 0
        return n or 0


# Bytes cp1252 leaves undefined; a non-UTF-8 file holding one is read as Latin-1.
_CP1252_UNDEFINED = re.compile(b"[\x81\x8d\x8f\x90\x9d]")


def _detect_encoding(path: Path) -> str:
    """Name the encoding of the whole file, read once in blocks.

    Deciding from the first block alone broke files whose first accented letter comes
    later: the import died half-way. A file that is UTF-8 from start to end is UTF-8;
    anything else is what Excel on Windows writes (cp1252), or Latin-1 when it holds a
    byte cp1252 does not define. Either decodes every byte, so reading cannot fail later.
    """
    decoder = codecs.getincrementaldecoder("utf-8")()
    utf8 = True
    cp1252 = True
    with path.open("rb") as handle:
        if handle.read(3) == codecs.BOM_UTF8:
            return "utf-8-sig"
        handle.seek(0)
        for block in iter(lambda: handle.read(1 << 20), b""):
            if utf8:
                try:
                    decoder.decode(block)
                except UnicodeDecodeError:
                    utf8 = False
            cp1252 = cp1252 and not _CP1252_UNDEFINED.search(block)
            if not utf8 and not cp1252:
                break
    if utf8:
        try:
            decoder.decode(b"", final=True)  # a multi-byte letter cut off at the end
            return "utf-8"
        except UnicodeDecodeError:
            pass
    return "cp1252" if cp1252 else "latin-1"


def _sniff_delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in (",", ";", "\t", "|")}
    return max(counts, key=lambda d: counts[d])


def open_csv(
    path: Path, detect: Detect, mapping_header: Any = None, header_rows: int = 1
) -> Source:
    """Open a CSV whose header is on its first line, or within `header_rows` lines of it
    (a sheet saved as CSV keeps the title block above its header)."""
    encoding = _detect_encoding(path)
    raw = path.open("rb")
    counter = _CountingReader(raw)
    handle = io.TextIOWrapper(io.BufferedReader(counter, 1 << 20), encoding=encoding, newline="")
    header_line = 0
    first_error: LayoutError | None = None  # the header line's own complaint says most
    try:
        while True:
            first = handle.readline()
            header_line += 1
            if header_line == 1 and not first.strip():
                raise SourceError("berkas kosong atau baris pertama kosong")
            delimiter = _sniff_delimiter(first)
            header = next(csv.reader([first], delimiter=delimiter), [])
            if mapping_header:
                header = mapping_header(header)
            try:
                layout = detect(header)
                break
            except LayoutError as error:
                first_error = first_error or error
                if header_line >= header_rows or not first:
                    raise first_error from None
    except BaseException:
        handle.close()
        raise
    # strict: a quote left open runs to the end of the file and is an error there,
    # instead of silently swallowing every row after it into one cell.
    reader = csv.reader(handle, delimiter=delimiter, strict=True)

    def rows() -> Iterator[tuple[int, list[Any]]]:
        # Line numbers count records (a spreadsheet's rows); a quoted cell may span
        # several lines of text, which the message then names too.
        line = header_line
        text_line = header_line + 1  # the text line the current record starts on
        try:
            for row in reader:
                line += 1
                if row and any(cell.strip() for cell in row):
                    yield line, row
                text_line = reader.line_num + header_line + 1
        except UnicodeDecodeError:  # cannot happen after _detect_encoding; kept as a guard
            raise SourceError(
                f"baris {line + 1}: huruf tidak terbaca dalam {encoding}"
            ) from None
        except csv.Error as error:
            raise SourceError(f"baris {line + 1}{_text_line(line + 1, text_line)}: "
                              f"{_csv_reason(error)}") from None
        finally:
            handle.close()

    return Source(header, layout, rows(), path.stat().st_size, lambda: counter.count,
                  handle.close, text_cells=True)


def _text_line(record: int, text_line: int) -> str:
    return "" if record == text_line else f" (baris teks {text_line})"


def _csv_reason(error: csv.Error) -> str:
    message = str(error)
    if "unexpected end of data" in message or "field larger than field limit" in message:
        return ("tanda kutip (\") dibuka tetapi tidak pernah ditutup, sehingga sisa berkas "
                "terbaca sebagai satu sel; periksa tanda kutip pada baris ini")
    if "expected after" in message:
        return ("ada teks tepat setelah tanda kutip penutup; sel yang memuat tanda kutip "
                "harus diapit kutip dan kutip di dalamnya ditulis dua kali (\"\")")
    if "NUL" in message:
        return "berkas memuat byte NUL: bukan CSV teks, atau berkasnya rusak"
    return f"CSV rusak ({message})"


def _find_header(
    rows: Iterator[list[Any]], detect: Detect, mapping_header: Any
) -> tuple[int, list[Any], str]:
    last_error: LayoutError | None = None
    for number, row in enumerate(rows, start=1):
        header = mapping_header(row) if mapping_header else row
        try:
            return number, header, detect(header)
        except LayoutError as error:
            last_error = last_error or error  # the first complaint: the others are data rows
        if number >= HEADER_SEARCH_ROWS:
            break
    raise last_error or LayoutError("lembar kerja kosong")


def open_xlsx(
    path: Path, detect: Detect, mapping_header: Any = None, ends_data: EndsData | None = None
) -> Source:
    from openpyxl import load_workbook

    if problem := workbook_problem(path):  # a zip bomb is refused before it is inflated
        raise SourceError(problem)
    try:
        # read_only streams the sheet row by row instead of building it in memory.
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise SourceError(f"berkas XLSX rusak atau bukan XLSX ({error})") from None
    sheet = next(
        (ws for ws in workbook.worksheets if ws.title.strip().lower() not in SKIPPED_SHEETS),
        None,
    )
    if sheet is None:
        raise SourceError("berkas XLSX tidak memuat lembar data")
    sheet_rows = sheet.iter_rows(values_only=True)
    values = (list(r) for r in sheet_rows)

    def close() -> None:
        # The sheet's row generator holds the zip member open, and the zip file stays
        # open while any member is: close both, in that order.
        sheet_rows.close()
        workbook.close()

    try:
        header_line, header, layout = _find_header(values, detect, mapping_header)
    except LayoutError:
        close()
        raise
    except Exception as error:  # the sheet is damaged before its header row ends
        close()
        raise SourceError(f"berkas XLSX rusak ({type(error).__name__}: {error})") from None
    except BaseException:
        close()
        raise
    size = path.stat().st_size
    total_rows = max(sheet.max_row or 1, 1)
    progress = {"line": header_line}

    def rows() -> Iterator[tuple[int, list[Any]]]:
        line = header_line
        try:
            for row in values:
                line += 1
                progress["line"] = line
                if ends_data and ends_data(layout, row):
                    break
                if any(cell not in (None, "") for cell in row):
                    yield line, row
        except Exception as error:
            # Only the reading runs in this frame (the caller's work happens outside the
            # generator), so whatever is raised here is the sheet breaking half-way: a
            # damaged zip member, cut-off XML, a cell openpyxl cannot decode.
            raise SourceError(
                f"baris {line + 1}: lembar kerja rusak di sini ({type(error).__name__}: "
                f"{error}); simpan ulang berkasnya dari Excel atau ekspor ulang"
            ) from None
        finally:
            close()

    return Source(header, layout, rows(), size, lambda: size * progress["line"] // total_rows,
                  close)


def open_xls(path: Path, detect: Detect, mapping_header: Any = None) -> Source:
    # Old BIFF .xls files hold at most 65,536 rows: reading the sheet whole is fine.
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_path(str(path))
        names = [n for n in workbook.sheet_names if n.strip().lower() not in SKIPPED_SHEETS]
        data = workbook.get_sheet_by_name(names[0]).to_python(skip_empty_area=False)
    except Exception as error:  # calamine raises its own error types for broken files
        raise SourceError(f"berkas XLS rusak atau bukan XLS ({error})") from None
    iterator = iter(data)
    header_line, header, layout = _find_header(iterator, detect, mapping_header)
    size = path.stat().st_size
    progress = {"line": header_line}

    def rows() -> Iterator[tuple[int, list[Any]]]:
        line = header_line
        for row in iterator:
            line += 1
            progress["line"] = line
            if any(cell not in (None, "") for cell in row):
                yield line, list(row)

    return Source(
        header, layout, rows(), size, lambda: size * progress["line"] // max(len(data), 1)
    )


def file_sha256(path: Path) -> str:
    """Return the SHA-256 of a file, read in blocks (it is kept with what it imported)."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def open_source(
    path: Path, *, detect: Detect, mapping_header: Any = None, ends_data: EndsData | None = None,
    csv_header_rows: int = 1,
) -> Source:
    """Open an export by its content type and recognise its layout from the header."""
    with path.open("rb") as handle:
        head = handle.read(4096)
    if head.startswith(b"PK"):
        return open_xlsx(path, detect, mapping_header, ends_data)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return open_xls(path, detect, mapping_header)
    if b"\x00" in head:  # text exports never hold NUL bytes; images and archives do
        raise SourceError("berkas bukan CSV, XLSX atau XLS")
    return open_csv(path, detect, mapping_header, csv_header_rows)
