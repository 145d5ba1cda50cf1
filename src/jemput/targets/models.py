"""Target lists: who must be reached, why, by whom, and everything that happened to them.

A TargetList is a rule (kind + parameters) applied to an area or an institution; its
members are the people the rule selects, each with the reason in words and a follow-up
state. Members are never deleted: someone the rule no longer selects leaves the list
with a history row, so the list's past stays readable. A campaign plan (issue 9) takes
a list's open members as its input.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from jemput.auth.models import UTCDateTime
from jemput.db import Base


class TargetList(Base):
    """A named list of people selected by one rule inside one area or institution."""

    __tablename__ = "target_lists"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    # A key of jemput.targets.rules.RULES, and its parameters as JSON text.
    rule: Mapped[str] = mapped_column(String(30))
    params: Mapped[str] = mapped_column(Text, default="{}")
    # The area (a dotted region prefix) the rule is applied in; every list has one, so
    # region scope decides who may manage it. An institution narrows it further.
    area_code: Mapped[str] = mapped_column(String(13), ForeignKey("regions.code"), index=True)
    institution_npsn: Mapped[str | None] = mapped_column(String(12))
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    refreshed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class TargetMember(Base):
    """One person on a list: a resident, or a roster row the registry cannot place."""

    __tablename__ = "target_members"
    __table_args__ = (
        UniqueConstraint("list_id", "resident_id", name="uq_target_members_resident"),
        UniqueConstraint("list_id", "roster_row_id", name="uq_target_members_roster_row"),
        Index("ix_target_members_list_state", "list_id", "state"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    list_id: Mapped[int] = mapped_column(ForeignKey("target_lists.id"))
    resident_id: Mapped[int | None] = mapped_column(ForeignKey("residents.id"), index=True)
    roster_row_id: Mapped[int | None] = mapped_column(ForeignKey("roster_rows.id"))
    # Where the person lives, kept on the member so scope and filters need no join.
    desa_code: Mapped[str | None] = mapped_column(String(13), index=True)
    # Why they are on the list, in words, written when they joined.
    reason_id: Mapped[str] = mapped_column(String(200))
    reason_en: Mapped[str] = mapped_column(String(200))
    # open | contacted | scheduled | reached | closed | left (see targets/states.py)
    state: Mapped[str] = mapped_column(String(10), default="open")
    # reached: recorded | exception; closed: refused | moved | died | not_found | duplicate;
    # left: no_longer_matches.
    outcome: Mapped[str | None] = mapped_column(String(20))
    # Whether the rule still selects them, as of the last refresh.
    in_rule: Mapped[bool] = mapped_column(Boolean, default=True)
    # Assigned to one user (desa, sekolah, mitra) or to a field team (petugas scope_team).
    assigned_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    assigned_team: Mapped[str | None] = mapped_column(String(60), index=True)
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class TargetEvent(Base):
    """One change to a member: joined, left, moved state, assigned. Who and when."""

    __tablename__ = "target_member_history"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("target_members.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    # The user who acted; None when the registry did (an import's refresh).
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # A username, or "impor #12" for a refresh an import triggered.
    actor_name: Mapped[str] = mapped_column(String(60))
    # join | leave | rejoin | state | assign
    kind: Mapped[str] = mapped_column(String(10))
    old_state: Mapped[str | None] = mapped_column(String(10))
    new_state: Mapped[str | None] = mapped_column(String(10))
    outcome: Mapped[str | None] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(Text)
