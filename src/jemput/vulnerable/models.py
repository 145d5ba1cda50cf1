"""Care profiles of residents who need more than a queue, their incidents, and referrals.

Everything here but the kinds of need and approach is a *care note*: read only by those
`access.may_read_care_notes` allows, and every read is audited. Disability and
mental-health status are specific personal data (UU 27/2022 Pasal 4).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from jemput.auth.models import UTCDateTime
from jemput.db import Base


class CareProfile(Base):
    """How to reach one resident: what they need, who must come, who to call first."""

    __tablename__ = "care_profiles"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    resident_id: Mapped[int] = mapped_column(ForeignKey("residents.id"), unique=True)
    # Codes of codes.NEEDS and codes.APPROACHES, comma-separated, in their table's order.
    needs: Mapped[str] = mapped_column(String(200), default="")
    approaches: Mapped[str] = mapped_column(String(200), default="")
    # Care notes: what the desa reports, how to approach, who to call, what happened.
    need_notes: Mapped[str | None] = mapped_column(Text)
    approach_notes: Mapped[str | None] = mapped_column(Text)
    guardian_name: Mapped[str | None] = mapped_column(String(120))
    guardian_relation: Mapped[str | None] = mapped_column(String(60))
    guardian_phone: Mapped[str | None] = mapped_column(String(20))
    # diberikan | ditolak | belum_ditanya (codes.CONSENT)
    consent: Mapped[str] = mapped_column(String(14), default="belum_ditanya")
    consent_on: Mapped[date | None] = mapped_column(Date)
    consent_by: Mapped[str | None] = mapped_column(String(120))
    safety_notes: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    created_by: Mapped[str] = mapped_column(String(60))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_by: Mapped[str] = mapped_column(String(60))


class CareIncident(Base):
    """Something that happened on a visit that the next team must know before they go."""

    __tablename__ = "care_incidents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    profile_id: Mapped[int] = mapped_column(ForeignKey("care_profiles.id"), index=True)
    happened_on: Mapped[date] = mapped_column(Date)
    what: Mapped[str] = mapped_column(Text)
    who_present: Mapped[str | None] = mapped_column(Text)
    follow_up: Mapped[str | None] = mapped_column(Text)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime())
    recorded_by: Mapped[str] = mapped_column(String(60))


class Referral(Base):
    """A desa official's or partner agency's report of a person who needs a visit."""

    __tablename__ = "care_referrals"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # A resident chosen by search, or None: a person the registry does not know.
    resident_id: Mapped[int | None] = mapped_column(ForeignKey("residents.id"), index=True)
    person_name: Mapped[str | None] = mapped_column(String(120))
    person_address: Mapped[str | None] = mapped_column(String(200))
    person_phone: Mapped[str | None] = mapped_column(String(20))
    # Where the person lives: the resident's desa, or the one the referrer named.
    desa_code: Mapped[str] = mapped_column(ForeignKey("regions.code"), index=True)
    needs: Mapped[str] = mapped_column(String(200), default="")
    approaches: Mapped[str] = mapped_column(String(200), default="")
    notes: Mapped[str | None] = mapped_column(Text)
    # No foreign key to users: the referral must outlive the account that made it.
    referred_by_user_id: Mapped[int] = mapped_column(Integer, index=True)
    referred_by: Mapped[str] = mapped_column(String(60))
    referred_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # menunggu | diterima | ditolak
    status: Mapped[str] = mapped_column(String(10), default="menunggu", index=True)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decided_by: Mapped[str | None] = mapped_column(String(60))
    decision_reason: Mapped[str | None] = mapped_column(Text)
