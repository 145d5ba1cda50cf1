"""The office's clock: "now" and "today" in the time zone the office works in.

Timestamps are stored in UTC. Everything a person reads as a calendar day - an age,
the data date of an import made "today", an audit-log day, a time on a page - follows
the office's wall clock (JEMPUT_TIME_ZONE, Asia/Jakarta by default), never the
server's zone or UTC: at 20:00 UTC on 30 June it is already 1 July in Jakarta.

Callers that must agree on one instant pass `now` (the importer passes its start
time), so a date and the timestamp it came from cannot straddle midnight.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from jemput.config import get_settings


def office_zone() -> ZoneInfo:
    """Return the office's time zone, from the settings."""
    return ZoneInfo(get_settings().time_zone)


def now_local(*, now: datetime | None = None) -> datetime:
    """Return `now` (default: this instant) on the office's wall clock."""
    return to_local(now or datetime.now(UTC))


def today(*, now: datetime | None = None) -> date:
    """Return the office's calendar date at `now` (default: this instant)."""
    return now_local(now=now).date()


def to_local(value: datetime) -> datetime:
    """Return an aware timestamp in the office's zone; a naive one is refused, not guessed."""
    if value.tzinfo is None:
        raise ValueError("naive datetime refused; store timestamps with datetime.now(UTC)")
    return value.astimezone(office_zone())
