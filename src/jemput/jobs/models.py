"""The jobs table: one row per piece of long work, its progress and its result."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, BigInteger, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from jemput.auth.models import UTCDateTime, now_utc
from jemput.db import Base


class JobStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


ACTIVE = "status IN ('queued', 'running')"


class Job(Base):
    """Work for the worker: claimed once (claimed_at), then done or failed."""

    __tablename__ = "jobs"
    __table_args__ = (
        Index("ix_jobs_status", "status", "id"),
        # The same file cannot be queued twice while the first is still waiting or
        # running; the database refuses it even when two uploads race.
        Index(
            "uq_jobs_active_dedupe_key", "dedupe_key", unique=True,
            sqlite_where=text(ACTIVE), postgresql_where=text(ACTIVE),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(30))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(10), default=JobStatus.QUEUED.value)
    progress_done: Mapped[int] = mapped_column(BigInteger, default=0)
    progress_total: Mapped[int] = mapped_column(BigInteger, default=0)
    message: Mapped[str | None] = mapped_column(Text)
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # e.g. the uploaded file's SHA-256 for an import.
    dedupe_key: Mapped[str | None] = mapped_column(String(64))
    created_by: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now_utc)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
