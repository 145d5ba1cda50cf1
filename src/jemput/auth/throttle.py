"""Sign-in throttling by account and address, and the record of attempts. Never commits.

A lockout per account lets anyone lock anyone out. Instead every attempt is recorded,
and failures slow down only where they come from: the pair (username tried, address),
whose count a success clears, and the address alone, which catches one client guessing
many accounts. The wait doubles with each failure past a free allowance, up to a cap,
and a refused attempt is answered at once (429 and Retry-After), never by sleeping.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, delete, func, select
from sqlalchemy.orm import Session

from jemput.auth.models import LoginAttempt, now_utc

# A person mistypes a few times; the sixth failure in a row waits 15 s, then 30 s, ...
PAIR_FREE = 5
PAIR_BASE = timedelta(seconds=15)
PAIR_CAP = timedelta(hours=1)
PAIR_WINDOW = timedelta(hours=24)
# One office behind one NAT address shares this budget, so it is generous.
IP_FREE = 30
IP_BASE = timedelta(minutes=1)
IP_CAP = timedelta(hours=1)
IP_WINDOW = timedelta(hours=1)

FAILURES = ("bad_password", "unknown_user", "inactive")


class Throttled(Exception):
    """Too many recent failures from this address (for this account); wait `seconds`."""

    def __init__(self, seconds: int) -> None:
        super().__init__(f"retry after {seconds} s")
        self.seconds = seconds


def _wait(failures: int, free: int, base: timedelta, cap: timedelta) -> timedelta:
    if failures < free:
        return timedelta(0)
    # min() before the power would overflow: 2**n grows past any cap in a few dozen steps.
    return min(base * 2 ** min(failures - free, 32), cap)


def _failures_since(
    session: Session, since: datetime, *conditions: ColumnElement[bool]
) -> tuple[int, datetime]:
    row = session.execute(
        select(func.count(), func.max(LoginAttempt.at)).where(
            LoginAttempt.at > since, LoginAttempt.outcome.in_(FAILURES), *conditions
        )
    ).one()
    return int(row[0]), row[1]


def retry_after(*, session: Session, username: str, ip: str, now: datetime | None = None) -> int:
    """Return how many seconds this (username, address) must still wait; 0 if none."""
    now = now or now_utc()
    name = username.strip().lower()[:100]
    pair = (LoginAttempt.username == name, LoginAttempt.ip == ip)
    last_success = session.execute(
        select(func.max(LoginAttempt.at)).where(LoginAttempt.success.is_(True), *pair)
    ).scalar_one_or_none()
    since = max(now - PAIR_WINDOW, _aware(last_success) or now - PAIR_WINDOW)
    waits = [timedelta(0)]
    count, last = _failures_since(session, since, *pair)
    if count:
        waits.append(_aware(last) + _wait(count, PAIR_FREE, PAIR_BASE, PAIR_CAP) - now)
    count, last = _failures_since(session, now - IP_WINDOW, LoginAttempt.ip == ip)
    if count:
        waits.append(_aware(last) + _wait(count, IP_FREE, IP_BASE, IP_CAP) - now)
    return math.ceil(max(waits).total_seconds())


def _aware(value: datetime | None) -> datetime:
    # Aggregates bypass the column type, so SQLite hands max(at) back naive or as text.
    if value is None:
        return datetime.min.replace(tzinfo=now_utc().tzinfo)
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=now_utc().tzinfo)


def record_attempt(
    *, session: Session, username: str, ip: str, outcome: str, now: datetime | None = None
) -> None:
    """Add one attempt to the record (outcome: ok, bad_password, ..., throttled)."""
    session.add(
        LoginAttempt(
            at=now or now_utc(),
            username=username.strip().lower()[:100],
            ip=ip[:45],
            success=outcome == "ok",
            outcome=outcome,
        )
    )
    session.flush()


def list_attempts(
    *,
    session: Session,
    usernames: set[str] | None = None,
    username: str | None = None,
    ip: str | None = None,
    limit: int = 100,
) -> list[LoginAttempt]:
    """Return the newest attempts, optionally only for `usernames` (a scope) and filters."""
    query = select(LoginAttempt).order_by(LoginAttempt.id.desc()).limit(max(1, min(limit, 1000)))
    if usernames is not None:
        query = query.where(LoginAttempt.username.in_(usernames))
    if username:
        query = query.where(LoginAttempt.username == username.strip().lower())
    if ip:
        query = query.where(LoginAttempt.ip == ip)
    return list(session.execute(query).scalars())


def purge_attempts(*, session: Session, before: datetime) -> int:
    """Delete attempts older than `before` (throttling looks back a day at most)."""
    result = session.execute(delete(LoginAttempt).where(LoginAttempt.at < before))
    return int(getattr(result, "rowcount", 0) or 0)
