"""Connect the domains that follow each other's events (see residents/events.py).

Every entry point calls `connect()` once at start-up: the `jemput` command, the web
app and the job worker. Importing a subscriber module is what subscribes it.
"""

from __future__ import annotations


def connect() -> None:
    """Subscribe every domain's handlers to the events they follow (idempotent)."""
    from jemput.linkage import target_rules  # noqa: F401 - roster rules and rows for lists
    from jemput.reports import snapshots  # noqa: F401 - records coverage after each import
    from jemput.targets import events  # noqa: F401 - keeps target lists true after imports
