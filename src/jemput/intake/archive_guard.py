"""Refuse a zip bomb before anything inflates it: an XLSX is a zip archive.

A 600 KB workbook whose sharedStrings.xml inflates to 600 MB once took the server from
0.15 to 2.4 GB. The archive's central directory declares every member's sizes, and
Python's zipfile never inflates a member past its declared size (a lie ends in a CRC
error), so checking the declarations is enough to bound what reading can produce.
Jobs also run in a child process with a hard memory limit (jobs/child.py): this check
is the cheap first line, that limit the last.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from jemput.i18n import format_number

MIB = 1 << 20
MAX_MEMBERS = 10_000
# The largest sheet of a million-row export is a few hundred MB of XML.
MAX_MEMBER_BYTES = 1024 * MIB
MAX_TOTAL_BYTES = 2048 * MIB
# Spreadsheet XML compresses about 5-20:1; a bomb, 1000:1. Small members may compress
# as they like: the ratio only matters once a member is large enough to hurt.
MAX_RATIO = 100
RATIO_CHECKED_ABOVE = 16 * MIB
ADVICE = "Berkas seperti ini bisa melumpuhkan server. Simpan ulang ekspornya dari aplikasi asalnya."


def _mb(size: int) -> str:
    # The message is Indonesian: 1.024,0 MB, written by the app's one number formatter.
    return f"{format_number(size / MIB, 'id', decimals=1)} MB"


def _count(number: int | float) -> str:
    return format_number(round(number), "id")


def workbook_problem(path: Path) -> str | None:
    """Return why the XLSX at `path` must not be opened (Indonesian), or None if it may."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError):
        return None  # not an archive we can judge: the reader reports it as broken
    if len(members) > MAX_MEMBERS:
        return (f"Berkas XLSX ini ditolak: memuat {_count(len(members))} bagian "
                f"(batas {_count(MAX_MEMBERS)}). " + ADVICE)
    total = 0
    for member in members:
        size = member.file_size
        total += size
        if size > MAX_MEMBER_BYTES:
            return (f"Berkas XLSX ini ditolak: bagian '{member.filename[:60]}' mengembang menjadi "
                    f"{_mb(size)} (batas {_mb(MAX_MEMBER_BYTES)}). " + ADVICE)
        ratio = size / max(member.compress_size, 1)
        if size > RATIO_CHECKED_ABOVE and ratio > MAX_RATIO:
            return (f"Berkas XLSX ini ditolak: bagian '{member.filename[:60]}' mengembang dari "
                    f"{_mb(member.compress_size)} menjadi {_mb(size)} (rasio {_count(ratio)}:1, "
                    f"batas {_count(MAX_RATIO)}:1). " + ADVICE)
    if total > MAX_TOTAL_BYTES:
        return (f"Berkas XLSX ini ditolak: isinya mengembang menjadi {_mb(total)} "
                f"(batas {_mb(MAX_TOTAL_BYTES)}). " + ADVICE)
    return None
