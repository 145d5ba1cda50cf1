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


# Kept per desa, one column per count of reports/coverage.py COUNTS (same names, same
# order); the migration 0021 creates the same list.
KEPT_COUNTS = (
    "population", "wajib_ktp", "recorded", "recorded_wajib", "print_ready", "printed",
    "issued", "not_recorded", "not_recorded_vulnerable", "not_recorded_pemula",
    "status_unknown", "aged_22", "due_for_deactivation", "pemula", "pemula_not_recorded",
    "follow_up",
)


class CoverageDesaCounts(Base):
    """Every coverage count of one desa as of one reference date (see coverage_counts.py).

    A desa with counted residents always has a row; no row means nothing to count. A row
    whose `as_of` is not the date asked for is stale and is counted afresh instead.
    """

    __tablename__ = "coverage_desa_counts"

    desa_code: Mapped[str] = mapped_column(
        String(13), ForeignKey("regions.code"), primary_key=True
    )
    # The reference date for ages the counts hold for; None = not counted yet (0021).
    as_of: Mapped[date | None] = mapped_column(Date)
    population: Mapped[int] = mapped_column(Integer, default=0)
    wajib_ktp: Mapped[int] = mapped_column(Integer, default=0)
    recorded: Mapped[int] = mapped_column(Integer, default=0)
    recorded_wajib: Mapped[int] = mapped_column(Integer, default=0)
    print_ready: Mapped[int] = mapped_column(Integer, default=0)
    printed: Mapped[int] = mapped_column(Integer, default=0)
    issued: Mapped[int] = mapped_column(Integer, default=0)
    not_recorded: Mapped[int] = mapped_column(Integer, default=0)
    not_recorded_vulnerable: Mapped[int] = mapped_column(Integer, default=0)
    not_recorded_pemula: Mapped[int] = mapped_column(Integer, default=0)
    status_unknown: Mapped[int] = mapped_column(Integer, default=0)
    aged_22: Mapped[int] = mapped_column(Integer, default=0)
    due_for_deactivation: Mapped[int] = mapped_column(Integer, default=0)
    pemula: Mapped[int] = mapped_column(Integer, default=0)
    pemula_not_recorded: Mapped[int] = mapped_column(Integer, default=0)
    follow_up: Mapped[int] = mapped_column(Integer, default=0)
