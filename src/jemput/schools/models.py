"""Institutions where students are recorded at 16, and the students they list."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, Float, ForeignKey, Integer, SmallInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from jemput.db import Base


class School(Base):
    """An SMA, SMK, MA, SLB or pesantren (DOMAIN.md §3: school sessions at 16)."""

    __tablename__ = "schools"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # Dapodik NPSN (8 digits); pesantren are not in Dapodik and carry a local "PP..." id.
    npsn: Mapped[str] = mapped_column(String(12), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    # SMA | SMK | MA | SLB | PESANTREN
    kind: Mapped[str] = mapped_column(String(10))
    desa_code: Mapped[str] = mapped_column(String(13), ForeignKey("regions.code"), index=True)
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)


class SchoolStudent(Base):
    """One row of a school's roster, as the school reported it (not yet linked to SIAK)."""

    __tablename__ = "school_students"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"), index=True)
    # NISN may be empty in Dapodik and for santri (FORMATS.md §3).
    nisn: Mapped[str | None] = mapped_column(String(10))
    # As typed by the school: may be missing or wrong; linkage checks it against SIAK.
    nik: Mapped[str | None] = mapped_column(String(16), index=True)
    name: Mapped[str] = mapped_column(String(120))
    sex: Mapped[int] = mapped_column(SmallInteger)  # SIAK code: 1 laki-laki, 2 perempuan
    birth_date: Mapped[date] = mapped_column(Date)
    class_name: Mapped[str | None] = mapped_column(String(40))
    # Dapodik "Kebutuhan Khusus" label, None for "Tidak ada".
    special_needs: Mapped[str | None] = mapped_column(String(60))
