"""Institutions where students are recorded at 16 (their rosters: jemput.rosters)."""

from __future__ import annotations

from sqlalchemy import Float, ForeignKey, Integer, String
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

