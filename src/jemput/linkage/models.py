"""Links from roster rows to residents, and the reviewers' decisions that outlive them.

A RosterLink is the current answer for one row: which resident (if any), how sure, and
who decided. A LinkDecision is a person's verdict on a (row_key, resident) pair; it is
keyed by the row's stable key, not its id, so a re-import of the same list reuses it
and no automatic run can overturn it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Float, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from jemput.auth.models import UTCDateTime
from jemput.db import Base


class Decision:
    """What a link says: `roster_links.decision`."""

    AUTO = "auto"  # the model (or an exact, consistent NIK) is sure enough
    REVIEW = "review"  # a person must look: the review page lists these
    NONE = "none"  # no resident is likely enough to be this row
    ACCEPTED = "accepted"  # a reviewer said yes: reported as `auto` in exports
    REJECTED = "rejected"  # a reviewer said no to the best candidate: reported as `none`

    ALL = (AUTO, REVIEW, NONE, ACCEPTED, REJECTED)


class RosterLink(Base):
    __tablename__ = "roster_links"

    roster_row_id: Mapped[int] = mapped_column(
        ForeignKey("roster_rows.id", ondelete="CASCADE"), primary_key=True
    )
    # The candidate: the linked resident for auto/accepted, the one to judge for review.
    resident_id: Mapped[int | None] = mapped_column(ForeignKey("residents.id"), index=True)
    score: Mapped[float] = mapped_column(Float)  # Splink match probability, 0-1
    decision: Mapped[str] = mapped_column(String(8), index=True)
    # None: the linker. A username: a reviewer's decision applied to this row.
    decided_by: Mapped[str | None] = mapped_column(String(60))
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime())


class LinkDecision(Base):
    __tablename__ = "link_decisions"
    __table_args__ = (UniqueConstraint("row_key", "resident_id", name="uq_link_decisions_pair"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    row_key: Mapped[str] = mapped_column(String(64), index=True)
    resident_id: Mapped[int] = mapped_column(ForeignKey("residents.id"))
    decision: Mapped[str] = mapped_column(String(8))  # accepted | rejected
    decided_by: Mapped[str] = mapped_column(String(60))
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime())
