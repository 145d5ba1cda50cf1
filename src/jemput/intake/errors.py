"""What an import says when a file, a header or a cell is wrong (messages in Indonesian)."""

from __future__ import annotations

from dataclasses import dataclass


class SourceError(ValueError):
    """The file cannot be read at all (wrong type, broken spreadsheet, bad encoding)."""


class LayoutError(ValueError):
    """The header matches no known layout, or a needed option is missing."""


class ImportRefused(ValueError):
    """The file cannot be imported at all (unreadable, unknown layout, missing option)."""


@dataclass
class Problem:
    column: str
    value: str
    reason: str
    severity: str = "galat"  # galat (row set aside) | peringatan (row loaded)
