"""Outreach resources (programmes, teams, the office calendar) and campaigns with their plans.

Resources belong to an area (a dotted region prefix): the office that owns them. An operator
manages those inside their scope; a campaign in an area uses every resource whose area
contains it (a kecamatan's campaign may use the regency's programmes and holidays).
A plan is a stored solver result: versions of one campaign, the newest current; `replan`
adds a version that keeps what was done.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from jemput.auth.models import UTCDateTime
from jemput.db import Base


class Programme(Base):
    """A kind of field work with its own service times and operating weekdays."""

    __tablename__ = "outreach_programmes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    area_code: Mapped[str] = mapped_column(String(13), ForeignKey("regions.code"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    # planning.problem.ProgrammeKind: rumah | keliling | sekolah
    kind: Mapped[str] = mapped_column(String(10))
    # JSON object: category (planning.problem.Category) -> minutes per person.
    service_minutes: Mapped[str] = mapped_column(Text)
    setup_minutes: Mapped[int] = mapped_column(SmallInteger)
    # date.weekday() numbers, comma-separated: "4,5" is Friday and Saturday.
    weekdays: Mapped[str] = mapped_column(String(20))


class Team(Base):
    """A field team: who, what they may do, the kits they carry, where they start."""

    __tablename__ = "outreach_teams"
    __table_args__ = (UniqueConstraint("name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    area_code: Mapped[str] = mapped_column(String(13), ForeignKey("regions.code"), index=True)
    # Also a petugas user's scope_team: the name ties officers to their team.
    name: Mapped[str] = mapped_column(String(60))
    # Usernames of petugas or plain names, comma-separated.
    members: Mapped[str] = mapped_column(Text, default="")
    # planning.problem.Skill codes, comma-separated.
    skills: Mapped[str] = mapped_column(String(200), default="")
    kits: Mapped[int] = mapped_column(SmallInteger, default=1)
    vehicle: Mapped[str] = mapped_column(String(60), default="")
    base_name: Mapped[str] = mapped_column(String(120), default="")
    base_latitude: Mapped[float | None] = mapped_column(Float)
    base_longitude: Mapped[float | None] = mapped_column(Float)


class TeamAbsence(Base):
    """A day a team, or one of its members, cannot go out (leave, another assignment).

    `member` empty: the whole team. A team whose every listed member is away on a day
    has no team-day then either (availability.py).
    """

    __tablename__ = "outreach_team_absences"
    __table_args__ = (UniqueConstraint("team_id", "day", "member"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("outreach_teams.id"), index=True)
    day: Mapped[date] = mapped_column(Date)
    member: Mapped[str] = mapped_column(String(60), default="")
    reason: Mapped[str] = mapped_column(String(120), default="")


class SiteContact(Base):
    """Whom a team calls about a session: the desa's official at the balai desa, the
    school's coordinator. Entered by the office; the day sheet prints it."""

    __tablename__ = "outreach_site_contacts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # planning.problem.Site.key: "desa:CODE" or "sekolah:NPSN".
    site_key: Mapped[str] = mapped_column(String(40), unique=True)
    # The desa the site is in: who may change it (the office whose scope holds it).
    desa_code: Mapped[str] = mapped_column(String(13), ForeignKey("regions.code"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    phone: Mapped[str] = mapped_column(String(20), default="")


class CalendarSettings(Base):
    """One office's hours, school hours, prayer break, kit count and office-demand rule."""

    __tablename__ = "outreach_calendars"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    area_code: Mapped[str] = mapped_column(String(13), ForeignKey("regions.code"), unique=True)
    # Minutes since midnight (office clock).
    office_opens: Mapped[int] = mapped_column(SmallInteger)
    office_closes: Mapped[int] = mapped_column(SmallInteger)
    school_opens: Mapped[int] = mapped_column(SmallInteger)
    school_closes: Mapped[int] = mapped_column(SmallInteger)
    friday_break_starts: Mapped[int] = mapped_column(SmallInteger)
    friday_break_ends: Mapped[int] = mapped_column(SmallInteger)
    # Ramadan: Friday field work ends early for the longer prayer break (DOMAIN.md §9).
    ramadan_starts: Mapped[date | None] = mapped_column(Date)
    ramadan_ends: Mapped[date | None] = mapped_column(Date)
    ramadan_friday_ends: Mapped[int | None] = mapped_column(SmallInteger)
    # Recording kits the office owns: the teams of one campaign cannot carry more.
    kits: Mapped[int] = mapped_column(SmallInteger, default=1)
    # No field day when the expected office queue is above this (None: no rule).
    queue_threshold: Mapped[int | None] = mapped_column(Integer)
    # The estimator looks back this many weeks at the same weekday.
    queue_weeks: Mapped[int] = mapped_column(SmallInteger, default=8)


class Holiday(Base):
    __tablename__ = "outreach_holidays"
    __table_args__ = (UniqueConstraint("area_code", "day"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    area_code: Mapped[str] = mapped_column(String(13), ForeignKey("regions.code"), index=True)
    day: Mapped[date] = mapped_column(Date)
    name: Mapped[str] = mapped_column(String(120))


class OfficeCount(Base):
    """How many people the office served on one day: the office-demand rule's evidence."""

    __tablename__ = "outreach_office_counts"
    __table_args__ = (UniqueConstraint("area_code", "day"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    area_code: Mapped[str] = mapped_column(String(13), ForeignKey("regions.code"), index=True)
    day: Mapped[date] = mapped_column(Date)
    count: Mapped[int] = mapped_column(Integer)


class Campaign(Base):
    __tablename__ = "campaigns"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    area_code: Mapped[str] = mapped_column(String(13), ForeignKey("regions.code"), index=True)
    starts: Mapped[date] = mapped_column(Date)
    ends: Mapped[date] = mapped_column(Date)
    # Ids, comma-separated, in the order chosen: few per campaign, always read together.
    programme_ids: Mapped[str] = mapped_column(String(200))
    team_ids: Mapped[str] = mapped_column(String(200))
    list_ids: Mapped[str] = mapped_column(String(200))
    # JSON object of priority weights (service.DEFAULT_WEIGHTS' keys).
    weights: Mapped[str] = mapped_column(Text)
    # draft | planned | approved
    status: Mapped[str] = mapped_column(String(10), default="draft")
    created_by: Mapped[str] = mapped_column(String(60))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    approved_by: Mapped[str | None] = mapped_column(String(60))
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class PlanVersion(Base):
    __tablename__ = "campaign_plans"
    __table_args__ = (UniqueConstraint("campaign_id", "version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    # Days up to and including this one were kept from the previous version (replan).
    kept_through: Mapped[date | None] = mapped_column(Date)
    solver: Mapped[str] = mapped_column(String(30))
    seed: Mapped[int] = mapped_column(Integer)
    served_weight: Mapped[int] = mapped_column(Integer)
    total_weight: Mapped[int] = mapped_column(Integer)
    notes: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[str] = mapped_column(String(60))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class PlanRoute(Base):
    __tablename__ = "campaign_plan_routes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("campaign_plans.id"), index=True)
    day: Mapped[date] = mapped_column(Date)
    team_id: Mapped[int] = mapped_column(ForeignKey("outreach_teams.id"))
    leaves: Mapped[int] = mapped_column(SmallInteger)
    returns: Mapped[int] = mapped_column(SmallInteger)
    metres: Mapped[int] = mapped_column(Integer)
    # Where this day started and ended when it was planned: the team's base then. The map
    # and the day sheet draw from here, whatever the team's base is later. None: planned
    # before the base was stored (the map falls back to the team's current base).
    base_name: Mapped[str] = mapped_column(String(120), default="")
    base_latitude: Mapped[float | None] = mapped_column(Float)
    base_longitude: Mapped[float | None] = mapped_column(Float)


class PlanStop(Base):
    __tablename__ = "campaign_plan_stops"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    route_id: Mapped[int] = mapped_column(ForeignKey("campaign_plan_routes.id"), index=True)
    position: Mapped[int] = mapped_column(SmallInteger)
    kind: Mapped[str] = mapped_column(String(10))  # planning.problem.StopKind
    arrives: Mapped[int] = mapped_column(SmallInteger)
    departs: Mapped[int] = mapped_column(SmallInteger)
    site_key: Mapped[str | None] = mapped_column(String(40))
    place: Mapped[str] = mapped_column(String(200), default="")
    desa_code: Mapped[str | None] = mapped_column(String(13))
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    escort: Mapped[str] = mapped_column(String(200), default="")  # Skill codes, comma-separated
    travel_metres: Mapped[int] = mapped_column(Integer, default=0)


class PlanStopMember(Base):
    """A person expected at a stop, and what happened when the team came."""

    __tablename__ = "campaign_plan_people"
    __table_args__ = (Index("ix_campaign_plan_people_plan_member", "plan_id", "member_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("campaign_plans.id"))
    stop_id: Mapped[int] = mapped_column(ForeignKey("campaign_plan_stops.id"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("target_members.id"))
    # Copied from the member when planned: scope checks and the page need no join.
    list_id: Mapped[int] = mapped_column(Integer)
    desa_code: Mapped[str | None] = mapped_column(String(13))
    # A snapshot of who was planned (masked NIK only): the page, the day sheet and a
    # field device read the plan as it was made, whatever the registry says later.
    name: Mapped[str] = mapped_column(String(120))
    nik_masked: Mapped[str] = mapped_column(String(20), default="")
    category: Mapped[str] = mapped_column(String(12))
    address: Mapped[str] = mapped_column(String(200), default="")
    # Whom to call before a home visit (the guardian of the care profile, or the resident).
    contact: Mapped[str] = mapped_column(String(60), default="")
    # plans.OUTCOMES; None until the office records what happened.
    outcome: Mapped[str | None] = mapped_column(String(20))
    outcome_note: Mapped[str | None] = mapped_column(String(200))
    outcome_by: Mapped[str | None] = mapped_column(String(60))
    outcome_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class PlanLeftOut(Base):
    __tablename__ = "campaign_plan_left_out"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("campaign_plans.id"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("target_members.id"))
    name: Mapped[str] = mapped_column(String(120))
    desa_code: Mapped[str | None] = mapped_column(String(13))
    category: Mapped[str] = mapped_column(String(12))
    weight: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(String(300))
