"""Rosters as imported: one Roster per file, one RosterRow per person it lists.

A roster says who a school, a pesantren or the KPU believes exists; the registry says
who SIAK knows. Rows are kept as the source wrote them (after validation), so linkage
(jemput.linkage) can weigh them against residents and a person can review the result.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, SmallInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from jemput.auth.models import UTCDateTime
from jemput.db import Base


class RosterKind:
    """What a roster lists; the `--kind` of `jemput rosters import`."""

    DAPODIK = "dapodik"  # a school's students (Daftar PD sheet or Dapodik web-service rows)
    PESANTREN = "pesantren"  # a pesantren's santri, usually without NIK
    DPT = "dpt"  # a KPU voter list (DPT/DPS) of one desa

    ALL = (DAPODIK, PESANTREN, DPT)


class Roster(Base):
    """One imported roster file: whose list it is, when it was true, what came of it."""

    __tablename__ = "rosters"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(12))
    # Schools and pesantren: the institution (schools.npsn). Voter lists: None.
    school_id: Mapped[int | None] = mapped_column(ForeignKey("schools.id"), index=True)
    # Voter lists: the desa the list covers. Schools: None (students live anywhere).
    desa_code: Mapped[str | None] = mapped_column(ForeignKey("regions.code"), index=True)
    file_name: Mapped[str] = mapped_column(String(255))
    file_sha256: Mapped[str] = mapped_column(String(64))
    # The date the list was true (Dapodik semester cut-off, DPT determination date).
    data_date: Mapped[date] = mapped_column(Date)
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime())
    imported_by: Mapped[str | None] = mapped_column(String(60))
    rows_read: Mapped[int] = mapped_column(Integer, default=0)
    rows_rejected: Mapped[int] = mapped_column(Integer, default=0)
    report_path: Mapped[str | None] = mapped_column(String(500))
    # A newer import of the same school's roster (or desa's voter list) replaces this one;
    # the old rows stay for history and their reviewed links are reused (see row_key).
    replaced_by_id: Mapped[int | None] = mapped_column(ForeignKey("rosters.id"))


class RosterRow(Base):
    """One person as the roster lists them; nothing here is trusted until linked."""

    __tablename__ = "roster_rows"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    roster_id: Mapped[int] = mapped_column(ForeignKey("rosters.id"), index=True)
    # The row's line in the imported file, header = line 1 (what `rosters links` prints).
    line: Mapped[int] = mapped_column(Integer)
    # Identifies "the same person on the same list" across re-imports (keys.row_key), so
    # a reviewer's decision is reused instead of asked again.
    row_key: Mapped[str] = mapped_column(String(64), index=True)
    # As the source wrote them, validated: a NIK is 16 ASCII digits or None.
    nik: Mapped[str | None] = mapped_column(String(16), index=True)
    nisn: Mapped[str | None] = mapped_column(String(10))
    kk_number: Mapped[str | None] = mapped_column(String(16))  # DPT "NKK"
    name: Mapped[str] = mapped_column(String(120))
    sex: Mapped[int | None] = mapped_column(SmallInteger)  # SIAK code: 1 male, 2 female
    birth_place: Mapped[str | None] = mapped_column(String(60))
    birth_date: Mapped[date | None] = mapped_column(Date)
    mother_name: Mapped[str | None] = mapped_column(String(120))
    class_name: Mapped[str | None] = mapped_column(String(40))  # Dapodik "rombel"
    # Where the person lives, when the source says (DPT: always; Dapodik: sometimes).
    desa_code: Mapped[str | None] = mapped_column(String(13), index=True)
    address: Mapped[str | None] = mapped_column(String(200))
    rt: Mapped[str | None] = mapped_column(String(3))
    rw: Mapped[str | None] = mapped_column(String(3))
    tps: Mapped[str | None] = mapped_column(String(10))  # DPT polling station number
    # The source's own disability code or label (KPU and Dapodik use different schemes).
    disability: Mapped[str | None] = mapped_column(String(60))
