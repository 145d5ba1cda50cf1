"""Residents, their KTP-el status history, and the imports that loaded them."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from jemput.db import Base

NIK_WARNING_LENGTH = 200


class ImportRun(Base):
    """One attempt to load a population export, applied or rejected."""

    __tablename__ = "import_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    file_name: Mapped[str] = mapped_column(String(255))
    file_sha256: Mapped[str] = mapped_column(String(64), index=True)
    layout: Mapped[str] = mapped_column(String(20))
    # The date the export describes; every coverage figure carries it.
    data_date: Mapped[date] = mapped_column(Date)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # applied | rejected
    outcome: Mapped[str] = mapped_column(String(10))
    accept_valid: Mapped[bool] = mapped_column(Boolean, default=False)
    rows_read: Mapped[int] = mapped_column(Integer, default=0)
    rows_rejected: Mapped[int] = mapped_column(Integer, default=0)
    rows_warned: Mapped[int] = mapped_column(Integer, default=0)
    inserted: Mapped[int] = mapped_column(Integer, default=0)
    updated: Mapped[int] = mapped_column(Integer, default=0)
    unchanged: Mapped[int] = mapped_column(Integer, default=0)
    status_changes: Mapped[int] = mapped_column(Integer, default=0)
    disappeared: Mapped[int] = mapped_column(Integer, default=0)
    report_path: Mapped[str | None] = mapped_column(String(500))
    imported_by: Mapped[str | None] = mapped_column(String(80))
    # The coverage set: region codes, comma-separated, inside which "missing" is decided
    # (see import_scope.py). None on runs from before it was recorded.
    coverage: Mapped[str | None] = mapped_column(Text)
    # The region prefix the import could write: the uploader's scope, or the regency.
    scope_region: Mapped[str | None] = mapped_column(String(13))


class Resident(Base):
    __tablename__ = "residents"
    __table_args__ = (
        # Coverage groups by desa and reads only these columns: a covering index lets
        # both engines answer from the index instead of the wide table.
        Index(
            "ix_residents_coverage",
            "desa_code", "birth_date", "marital_status", "ktp_status", "life_status",
            "citizenship", "has_itap", "disability", "bedridden", "odgj",
            "missing_since_import_id",
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    nik: Mapped[str] = mapped_column(String(16), unique=True)
    kk_number: Mapped[str | None] = mapped_column(String(16), index=True)
    name: Mapped[str] = mapped_column(String(120))
    # SIAK codes throughout (see residents/codes.py): sex 1 L / 2 P, ...
    sex: Mapped[int] = mapped_column(SmallInteger)
    birth_place: Mapped[str | None] = mapped_column(String(80))
    birth_date: Mapped[date] = mapped_column(Date)
    religion: Mapped[int | None] = mapped_column(SmallInteger)
    marital_status: Mapped[int] = mapped_column(SmallInteger)
    household_relation: Mapped[int | None] = mapped_column(SmallInteger)
    # WNI or WNA; a WNA must hold a KTP-el only with an ITAP (UU 24/2013 Pasal 63).
    citizenship: Mapped[str] = mapped_column(String(3), default="WNI")
    has_itap: Mapped[bool] = mapped_column(Boolean, default=False)
    address: Mapped[str | None] = mapped_column(String(200))
    rt: Mapped[str | None] = mapped_column(String(3))
    rw: Mapped[str | None] = mapped_column(String(3))
    dusun: Mapped[str | None] = mapped_column(String(80))
    desa_code: Mapped[str] = mapped_column(String(13), ForeignKey("regions.code"))
    phone: Mapped[str | None] = mapped_column(String(20))
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    # SIAK PNYDNG_CCT 1-6; None = no disability recorded.
    disability: Mapped[int | None] = mapped_column(SmallInteger)
    bedridden: Mapped[bool] = mapped_column(Boolean, default=False)
    odgj: Mapped[bool] = mapped_column(Boolean, default=False)
    # None = unknown: derived from age and condition (see eligibility.needs_home_visit).
    needs_home_visit: Mapped[bool | None] = mapped_column(Boolean)
    # hidup | mati | pindah | hilang
    life_status: Mapped[str] = mapped_column(String(8), default="hidup")
    # National CURRENT_STATUS_CODE; None when the export did not say.
    ktp_status: Mapped[str | None] = mapped_column(String(30))
    # Set when the NIK's decoded sex/birth date disagree with the record. Room for
    # every message nik.cross_check can compose (the longest is 50 characters). SQLite
    # keeps its original declaration: it never enforces a length (migration 0007).
    nik_warning: Mapped[str | None] = mapped_column(
        String(40).with_variant(String(NIK_WARNING_LENGTH), "postgresql")
    )
    first_import_id: Mapped[int | None] = mapped_column(ForeignKey("import_runs.id"))
    last_import_id: Mapped[int | None] = mapped_column(ForeignKey("import_runs.id"))
    # Set when a newer export of the resident's kecamatan no longer lists them.
    missing_since_import_id: Mapped[int | None] = mapped_column(ForeignKey("import_runs.id"))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class StatusChange(Base):
    """One change of a resident's KTP-el status, written with the change itself."""

    __tablename__ = "resident_status_history"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    resident_id: Mapped[int] = mapped_column(ForeignKey("residents.id"), index=True)
    old_status: Mapped[str | None] = mapped_column(String(30))
    new_status: Mapped[str | None] = mapped_column(String(30))
    changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # The date the change is known to hold: an import's export date, or the day a manual
    # change was made. History is read in this order, not in the order it was entered.
    data_date: Mapped[date] = mapped_column(Date)
    # "import" or "manual"; import_id when it came from an import.
    source: Mapped[str] = mapped_column(String(10))
    import_id: Mapped[int | None] = mapped_column(ForeignKey("import_runs.id"))
    note: Mapped[str | None] = mapped_column(Text)


class DesaDataDate(Base):
    """How current the registry is for one desa: the newest export that covered it."""

    __tablename__ = "desa_data_dates"

    desa_code: Mapped[str] = mapped_column(
        String(13), ForeignKey("regions.code"), primary_key=True
    )
    data_date: Mapped[date] = mapped_column(Date)
    import_id: Mapped[int] = mapped_column(ForeignKey("import_runs.id"))
