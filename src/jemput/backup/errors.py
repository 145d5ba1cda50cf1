"""The one error of this domain: a backup or restore refused, with the reason for staff."""

from __future__ import annotations


class BackupRefused(Exception):
    """A backup or restore cannot go on; `message` says why in Indonesian."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
