"""Coverage snapshots: one row per kecamatan and one for the regency per applied import."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from jemput.db import Base


class CoverageSnapshot(Base):
    """The figures of one area as an import left them: the points of the trend chart."""

    __tablename__ = "coverage_snapshots"
    __table_args__ = (Index("ix_coverage_snapshots_region_date", "region_code", "data_date"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    import_id: Mapped[int] = mapped_column(ForeignKey("import_runs.id"), index=True)
    data_date: Mapped[date] = mapped_column(Date)
    region_code: Mapped[str] = mapped_column(String(13))
    wajib_ktp: Mapped[int] = mapped_column(Integer)
    recorded: Mapped[int] = mapped_column(Integer)
    print_ready: Mapped[int] = mapped_column(Integer)
    printed: Mapped[int] = mapped_column(Integer)
    issued: Mapped[int] = mapped_column(Integer)
    not_recorded: Mapped[int] = mapped_column(Integer)
    due_for_deactivation: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
