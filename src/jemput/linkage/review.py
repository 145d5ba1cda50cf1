"""The review queue: uncertain pairs side by side, and a reviewer's accept or reject.

Who reviews: an operator, for residents inside their region scope. The resident is the
protected record being judged; a roster row alone reveals nothing of the registry.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jemput.auth import audit
from jemput.auth.access import NotFound, require_role, scope_filter
from jemput.auth.models import Role, User
from jemput.linkage.models import Decision, LinkDecision, RosterLink
from jemput.linkage.service import Verdict
from jemput.residents.models import Resident
from jemput.residents.nik import mask_nik
from jemput.rosters.models import Roster, RosterRow

PAGE_SIZE = 100
# A page of pairs side by side is long already; more than this is a download, not a page.
MAX_PAGE_SIZE = 500
FIELDS = ("nik", "name", "sex", "birth_date", "desa_code")


def _shown(value: object, field: str) -> str:
    if value is None or value == "":
        return ""
    if field == "nik":
        return mask_nik(str(value))
    if field == "birth_date":
        return value.isoformat()  # type: ignore[attr-defined]
    return str(value)


def _pair(link: RosterLink, row: RosterRow, roster: Roster, resident: Resident) -> dict[str, Any]:
    fields = []
    for field in FIELDS:
        left, right = getattr(row, field), getattr(resident, field)
        fields.append({
            "field": field,
            "row": _shown(left, field),
            "resident": _shown(right, field),
            # Compared as the source wrote them, case and spacing aside.
            "differs": left not in (None, "") and " ".join(str(left).upper().split())
            != " ".join(str(right).upper().split()),
        })
    return {
        "roster_row_id": row.id,
        "roster_id": roster.id,
        "roster_kind": roster.kind,
        "roster_file": roster.file_name,
        "line": row.line,
        "resident_id": resident.id,
        "score": round(link.score, 4),
        "fields": fields,
    }


def review_queue(
    *, session: Session, user: User, page: int = 1, per_page: int = PAGE_SIZE,
) -> dict[str, Any]:
    """Return one page of the pairs waiting for review whose resident is in the user's scope.

    Highest score first, then by roster row: the order is total, so a pair sits on the
    same page however often the page is reloaded. A page past the end gives the last one.
    """
    require_role(user, Role.OPERATOR)
    per_page = min(max(1, per_page), MAX_PAGE_SIZE)
    waiting = (
        select(RosterLink, RosterRow, Roster, Resident)
        .join(RosterRow, RosterRow.id == RosterLink.roster_row_id)
        .join(Roster, Roster.id == RosterRow.roster_id)
        .join(Resident, Resident.id == RosterLink.resident_id)
        .where(RosterLink.decision == Decision.REVIEW, scope_filter(user, Resident.desa_code))
    )
    total = session.scalar(select(func.count()).select_from(waiting.subquery())) or 0
    pages = max(1, -(-total // per_page))
    page = min(max(1, page), pages)
    found = session.execute(
        waiting.order_by(RosterLink.score.desc(), RosterRow.id)
        .offset((page - 1) * per_page).limit(per_page)
    ).all()
    return {"pairs": [_pair(*entry) for entry in found], "total": total, "page": page,
            "pages": pages, "per_page": per_page,
            # Kept for clients written before paging: the page size.
            "limit": per_page}


def _access_review(*, session: Session, user: User, roster_row_id: int) -> tuple[
        RosterLink, RosterRow, Resident]:
    require_role(user, Role.OPERATOR)
    found = session.execute(
        select(RosterLink, RosterRow, Resident)
        .join(RosterRow, RosterRow.id == RosterLink.roster_row_id)
        .join(Resident, Resident.id == RosterLink.resident_id)
        .where(RosterLink.roster_row_id == roster_row_id,
               RosterLink.decision == Decision.REVIEW,
               scope_filter(user, Resident.desa_code))
    ).first()
    if found is None:
        raise NotFound(roster_row_id)
    return found[0], found[1], found[2]


def decide(
    *, session: Session, user: User, roster_row_id: int, verdict: str, ip: str | None = None,
) -> RosterLink:
    """Record a reviewer's verdict on a pair in review; apply it to the link at once."""
    if verdict not in Verdict.ALL:
        raise ValueError(verdict)
    link, row, resident = _access_review(session=session, user=user,
                                         roster_row_id=roster_row_id)
    at = datetime.now(UTC)
    earlier = session.scalars(select(LinkDecision).where(
        LinkDecision.row_key == row.row_key, LinkDecision.resident_id == resident.id)).first()
    if earlier is None:
        session.add(LinkDecision(row_key=row.row_key, resident_id=resident.id, decision=verdict,
                                 decided_by=user.username, decided_at=at))
    else:
        earlier.decision, earlier.decided_by, earlier.decided_at = verdict, user.username, at
    if verdict == Verdict.ACCEPTED:
        link.decision = Decision.AUTO
    else:
        # The next run may offer another candidate; until then the row has no link.
        link.decision, link.resident_id = Decision.NONE, None
    link.decided_by, link.decided_at = user.username, at
    audit.record(session=session, actor=user, action=f"linkage.{verdict}",
                 object_type="roster_row", object_id=row.id,
                 detail={"roster_id": row.roster_id, "line": row.line,
                         "resident_id": resident.id, "score": link.score},
                 ip=ip, region=resident.desa_code)
    session.flush()
    return link
