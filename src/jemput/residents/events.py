"""What the registry announces, so that other domains can follow it without being called.

An applied import changes the figures every report is built from. The residents domain
does not know what reports keep (coverage snapshots, later perhaps caches or
notifications), and must not import them: reports already imports residents. So the
import announces what it did, and whoever cares subscribes:

    from jemput.residents.events import ImportApplied, on_import_applied

    @on_import_applied
    def record_snapshot(event: ImportApplied) -> None: ...

Handlers run in the import's own transaction, before the unit of work commits: what
they write is committed or rolled back with the import. Subscriptions are made when
the subscribing module is imported; `jemput.domains.connect()` imports them all and is
called by every entry point (CLI, web app, job worker).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session


@dataclass(frozen=True)
class ImportApplied:
    """An import changed the registry; `session` is the import's unit of work."""

    session: Session
    run_id: int
    data_date: date
    desa_codes: tuple[str, ...]  # the desas the export covered


ImportHandler = Callable[[ImportApplied], None]
_import_handlers: list[ImportHandler] = []


def on_import_applied(handler: ImportHandler) -> ImportHandler:
    """Subscribe a handler to every applied import (usable as a decorator; idempotent)."""
    if handler not in _import_handlers:
        _import_handlers.append(handler)
    return handler


def announce_import_applied(event: ImportApplied) -> None:
    """Call every subscribed handler with the event, in subscription order."""
    for handler in list(_import_handlers):
        handler(event)
