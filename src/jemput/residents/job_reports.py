"""An import job's CSV reports as one user may read them: scope kept, NIKs masked.

The files on disk are the import's full record. A download follows the rights of the
pages that show the same people: rows of desa outside the reader's scope are left out,
and a reader who may not reveal a NIK (an admin, say) gets it masked, as on every list.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from jemput.auth.access import may_reveal_nik, region_in_scope
from jemput.auth.models import User
from jemput.residents.nik import mask_nik
from jemput.spreadsheets import safe_row

# A NIK or KK number quoted anywhere in a problem's value or reason.
_SIXTEEN_DIGITS = re.compile(r"(?<!\d)\d{16}(?!\d)")
BATCH_ROWS = 1000


def _mask_digits(text: str) -> str:
    return _SIXTEEN_DIGITS.sub(lambda match: mask_nik(match.group()), text)


@dataclass(frozen=True)
class ReportDownload:
    """A report file and who is reading it; `chunks` yields the CSV they may see."""

    path: Path
    which: str  # laporan | tidak-ada-lagi
    user: User
    file_name: str

    def rows(self) -> Iterator[list[str]]:
        """Yield the report's rows (header first) as this user may read them."""
        with self.path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle)
            header = next(reader, None)
            if header is None:
                return
            yield header
            if self.which == "tidak-ada-lagi":
                yield from self._missing_rows(reader, header)
            else:
                yield from self._problem_rows(reader, header)

    def _missing_rows(self, reader: Iterator[list[str]], header: list[str]) -> Iterator[list[str]]:
        nik_at, desa_at = header.index("nik"), header.index("kode_desa")
        for row in reader:
            desa = row[desa_at]
            if not region_in_scope(self.user, desa):
                continue
            if not may_reveal_nik(self.user, desa):
                row[nik_at] = mask_nik(row[nik_at])
            yield row

    def _problem_rows(self, reader: Iterator[list[str]], header: list[str]) -> Iterator[list[str]]:
        if may_reveal_nik(self.user):
            yield from reader
            return
        column_at, value_at = header.index("kolom"), header.index("nilai")
        for row in reader:
            if row[column_at].strip().upper() == "NIK":
                row[value_at] = mask_nik(row[value_at])
            yield [_mask_digits(cell) for cell in row]

    def chunks(self) -> Iterator[bytes]:
        """Yield the served CSV (UTF-8 with BOM, as the files are written) in batches."""
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        buffer.write("\ufeff")
        for number, row in enumerate(self.rows(), start=1):
            writer.writerow(safe_row(row))
            if number % BATCH_ROWS == 0:
                yield buffer.getvalue().encode("utf-8")
                buffer.seek(0)
                buffer.truncate()
        yield buffer.getvalue().encode("utf-8")
