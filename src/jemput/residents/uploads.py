"""Take an uploaded export onto disk safely: bounded size, real content type, random name."""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import shutil
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from jemput.intake.archive_guard import workbook_problem

CHUNK = 1 << 20
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # XLS (BIFF in an OLE container)
ZIP_MAGIC = b"PK\x03\x04"  # XLSX
# Files people pick by mistake, named so the message can say what they picked.
KNOWN_OTHERS = (
    (b"%PDF", "PDF"), (b"\x89PNG", "gambar PNG"), (b"\xff\xd8\xff", "gambar JPEG"),
    (b"GIF8", "gambar GIF"), (b"\x1f\x8b", "arsip GZIP"), (b"Rar!", "arsip RAR"),
    (b"7z\xbc\xaf", "arsip 7z"), (b"MZ", "program Windows"),
)
ACCEPTED = "Unggah ekspor SIAK, OpenSID atau Data Penduduk dalam bentuk CSV, XLSX atau XLS."


class UploadRefused(ValueError):
    """The upload cannot be taken; `message` is Indonesian and `status` the HTTP status."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


@dataclass(frozen=True)
class SavedUpload:
    path: Path
    file_name: str
    sha256: str
    size: int


def safe_name(name: str) -> str:
    """Return a file name with no directory part and no characters a shell or OS minds."""
    base = re.split(r"[\\/]", name or "")[-1]
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "_", base).strip("._")[:100]
    return cleaned or "unggahan"


def too_large_message(max_bytes: int) -> str:
    return f"Berkas terlalu besar: batasnya {max_bytes // (1 << 20)} MB."


def _check_content(path: Path) -> None:
    with path.open("rb") as handle:
        head = handle.read(8192)
    if head.startswith(ZIP_MAGIC):
        try:
            with zipfile.ZipFile(path) as archive:
                names = set(archive.namelist())
        except zipfile.BadZipFile:
            raise UploadRefused("Berkas XLSX rusak atau tidak lengkap. " + ACCEPTED, 415) from None
        if "xl/workbook.xml" not in names:
            raise UploadRefused("Berkas ini arsip ZIP, bukan XLSX. " + ACCEPTED, 415)
        problem = workbook_problem(path)
        if problem:
            raise UploadRefused(problem, 413)
        return
    if head.startswith(OLE_MAGIC):
        return
    for magic, what in KNOWN_OTHERS:
        if head.startswith(magic):
            raise UploadRefused(f"Berkas ini {what}, bukan CSV/XLSX/XLS. " + ACCEPTED, 415)
    if b"\x00" in head:  # text never holds NUL bytes; every binary format does
        raise UploadRefused("Berkas ini bukan CSV/XLSX/XLS. " + ACCEPTED, 415)
    if head.lstrip(b"\xef\xbb\xbf \t\r\n").lower().startswith((b"<!doctype", b"<html", b"<?xml")):
        # Some web apps save an HTML table with an .xls name; Excel opens it, we cannot.
        raise UploadRefused("Berkas ini halaman HTML/XML, bukan CSV/XLSX/XLS. Buka di Excel, "
                            "lalu simpan sebagai XLSX.", 415)


def save_upload(
    *, source: BinaryIO, file_name: str, directory: Path, max_bytes: int
) -> SavedUpload:
    """Copy an upload into a random folder under `directory`, or refuse it.

    Refused: more than `max_bytes` (copying stops there), empty, or content that is
    not CSV, XLSX or XLS whatever its name says.
    """
    folder = directory / secrets.token_hex(16)
    folder.mkdir(parents=True, mode=0o700)
    path = folder / safe_name(file_name)
    digest = hashlib.sha256()
    size = 0
    try:
        # The export is a list of people: only the server's own user may read it.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with open(fd, "wb") as out:
            while chunk := source.read(CHUNK):
                size += len(chunk)
                if size > max_bytes:
                    raise UploadRefused(too_large_message(max_bytes), 413)
                digest.update(chunk)
                out.write(chunk)
        if size == 0:
            raise UploadRefused("Berkas kosong. " + ACCEPTED)
        _check_content(path)
    except BaseException:
        discard_upload(path)
        raise
    return SavedUpload(path=path, file_name=path.name, sha256=digest.hexdigest(), size=size)


def discard_upload(path: Path) -> None:
    """Delete an upload and its random folder (the export holds personal data)."""
    folder = path.parent
    if re.fullmatch(r"[0-9a-f]{32}", folder.name):  # only folders save_upload made
        shutil.rmtree(folder, ignore_errors=True)
