"""The review page for uncertain links, its JSON twin, and the accept/reject writes."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from fastapi.responses import RedirectResponse, Response

from jemput.auth.dependencies import CurrentUser, DbSession, client_ip
from jemput.linkage import review
from jemput.linkage import strings as _strings  # noqa: F401 - registers the page strings
from jemput.linkage.service import Verdict
from jemput.templating import render

router = APIRouter()
RowId = Annotated[int, Path(ge=1, le=2_147_483_647)]
ACTIONS = {"terima": Verdict.ACCEPTED, "tolak": Verdict.REJECTED}


@router.get("/api/daftar/tinjau")
def api_review_queue(session: DbSession, user: CurrentUser) -> dict[str, Any]:
    return review.review_queue(session=session, user=user)


@router.get("/daftar/tinjau", include_in_schema=False)
def review_page(request: Request, session: DbSession, user: CurrentUser) -> Response:
    data = review.review_queue(session=session, user=user)
    return render(request, "linkage/tinjau.html", {"data": data})


def _decide(request: Request, session: DbSession, user: CurrentUser, roster_row_id: int,
            verdict: str) -> dict[str, Any]:
    link = review.decide(session=session, user=user, roster_row_id=roster_row_id,
                         verdict=verdict, ip=client_ip(request))
    return {"roster_row_id": link.roster_row_id, "resident_id": link.resident_id,
            "decision": link.decision, "decided_by": link.decided_by}


@router.post("/api/daftar/tinjau/{roster_row_id}/terima")
def api_accept(request: Request, session: DbSession, user: CurrentUser,
               roster_row_id: RowId) -> dict[str, Any]:
    return _decide(request, session, user, roster_row_id, Verdict.ACCEPTED)


@router.post("/api/daftar/tinjau/{roster_row_id}/tolak")
def api_reject(request: Request, session: DbSession, user: CurrentUser,
               roster_row_id: RowId) -> dict[str, Any]:
    return _decide(request, session, user, roster_row_id, Verdict.REJECTED)


@router.post("/daftar/tinjau/{roster_row_id}/terima", include_in_schema=False)
def accept_page(request: Request, session: DbSession, user: CurrentUser,
                roster_row_id: RowId) -> Response:
    _decide(request, session, user, roster_row_id, Verdict.ACCEPTED)
    return RedirectResponse("/daftar/tinjau", status_code=303)


@router.post("/daftar/tinjau/{roster_row_id}/tolak", include_in_schema=False)
def reject_page(request: Request, session: DbSession, user: CurrentUser,
                roster_row_id: RowId) -> Response:
    _decide(request, session, user, roster_row_id, Verdict.REJECTED)
    return RedirectResponse("/daftar/tinjau", status_code=303)
