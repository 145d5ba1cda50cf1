"""The problem report of an import: one line per problem, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import os
import secrets
from datetime import datetime
from pathlib import Path

from jemput.intake.errors import Problem
from jemput.spreadsheets import safe_row

REPORT_COLUMNS = ["baris", "kolom", "nilai", "tingkat", "keterangan"]


def report_name(*, prefix: str, started: datetime, path: Path) -> str:
    """Return a report file name that cannot collide and stays within name limits."""
    stamp = started.strftime("%Y%m%d-%H%M%S")
    # The file's own name is cut: a long one would overflow the file system's name limit.
    return f"{prefix}-{stamp}-{secrets.token_hex(3)}-{path.stem[:60]}.csv"


class ProblemReport:
    """Writes problems to a CSV a person can open in a spreadsheet (UTF-8 with BOM)."""

    KEEP_IN_MEMORY = 20

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        # The report quotes rows of personal data: only the owner may read it.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        self.handle = open(fd, "w", newline="", encoding="utf-8-sig")  # noqa: SIM115
        self.writer = csv.writer(self.handle)
        self.writer.writerow(REPORT_COLUMNS)
        self.path = path
        self.first: list[tuple[int, Problem]] = []

    def add(self, line: int, problem: Problem) -> None:
        self.writer.writerow(safe_row([line, problem.column, problem.value, problem.severity,
                                       problem.reason]))
        if len(self.first) < self.KEEP_IN_MEMORY:
            self.first.append((line, problem))

    def close(self) -> None:
        self.handle.close()

    def discard(self) -> None:
        """Close and remove the report of a file that turned out to be no import."""
        self.close()
        self.path.unlink(missing_ok=True)

    def __enter__(self) -> ProblemReport:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
