"""Points and outlines the maps and the planner read; desa points live on `regions`."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import DateTime, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from jemput.db import Base


class PointOrigin(StrEnum):
    """Where a resident's own point came from."""

    DESA_DATA = "data_desa"   # the desa's own records (OpenSID peta, a desa's survey)
    VISIT = "kunjungan"       # captured at the door on an earlier visit


class DusunPoint(Base):
    """A dusun's centre. A dusun has no Kemendagri code: it is named inside its desa."""

    __tablename__ = "dusun_points"

    desa_code: Mapped[str] = mapped_column(
        String(13), ForeignKey("regions.code"), primary_key=True
    )
    # Normalised (places.codes.dusun_key): residents.dusun is matched the same way.
    name: Mapped[str] = mapped_column(String(80), primary_key=True)
    lat: Mapped[float] = mapped_column(Float)
    lng: Mapped[float] = mapped_column(Float)
    source: Mapped[str] = mapped_column(String(120), default="")


class ResidentPoint(Base):
    """One known point of a resident's home; the newest of the best origin wins."""

    __tablename__ = "resident_points"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    resident_id: Mapped[int] = mapped_column(ForeignKey("residents.id"), index=True)
    lat: Mapped[float] = mapped_column(Float)
    lng: Mapped[float] = mapped_column(Float)
    source: Mapped[str] = mapped_column(String(10))  # PointOrigin value
    captured_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class RegionOutline(Base):
    """A region's outline as a GeoJSON geometry (Polygon or MultiPolygon, lng/lat order)."""

    __tablename__ = "region_outlines"

    region_code: Mapped[str] = mapped_column(
        String(13), ForeignKey("regions.code"), primary_key=True
    )
    geometry: Mapped[str] = mapped_column(Text)
    # Shown beside the map: an official source and its licence, or "synthetic".
    source: Mapped[str] = mapped_column(String(200), default="")
