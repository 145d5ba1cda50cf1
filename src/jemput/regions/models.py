"""Region table: province, regency, district (kecamatan) and village (desa/kelurahan)."""

from __future__ import annotations

from sqlalchemy import Float, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from jemput.db import Base


class Region(Base):
    __tablename__ = "regions"

    # Dotted Kemendagri code: "33", "33.06", "33.06.01", "33.06.01.2001".
    code: Mapped[str] = mapped_column(String(13), primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    level: Mapped[str] = mapped_column(String(10), index=True)  # RegionLevel value
    parent_code: Mapped[str | None] = mapped_column(
        String(13), ForeignKey("regions.code"), index=True
    )
    # Villages only: desa, kelurahan or desa_adat, from the code's first digit.
    village_kind: Mapped[str | None] = mapped_column(String(10))
    # A plausible centre for drawing maps offline; None where unknown.
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    # Where the row came from, e.g. "idn-area-data 4.0.1" (ODbL).
    source: Mapped[str] = mapped_column(String(60), default="")
