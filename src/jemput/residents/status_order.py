"""Which KTP-el status changes go backwards along the record's lifecycle (DOMAIN.md §4).

SIAK is the source of truth, so an export that moves a status backwards is applied;
but a card that was handed over does not become "not recorded" in real life, so every
such move is listed as a warning in the import report for the office to check.

The order is the pipeline: not recorded, captured, sent, checked at the centre,
print-ready, printed, handed over. A failed or duplicate enrolment is an outcome of the
central check; leaving it for a new capture is how it gets fixed, not a step back, so
only a move from it to UNREGISTERED (biometrics gone) is backwards.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Connection, Table, and_, case, false, or_, select

from jemput.residents.codes import KTP_STATUS_LABELS_ID, KtpStatus
from jemput.residents.models import Resident, StatusChange

_S = KtpStatus
STAGE: dict[str, int] = {
    _S.UNREGISTERED: 0,
    _S.BIO_CAPTURED: 1,
    _S.PROCESSING: 2,
    _S.SENT_FOR_ENROLLMENT: 3,
    _S.RECEIVED_AT_CENTRAL: 4,
    _S.ADJUDICATE_RECORD: 5,
    _S.ENROLL_FAILURE_AT_CENTRAL: 5,
    _S.SEARCH_FAILURE_AT_CENTRAL: 5,
    _S.ENROLL_FAILURE_AT_REGIONAL: 5,
    _S.DUPLICATE_RECORD: 5,
    _S.PRINT_READY_RECORD: 6,
    _S.SENT_FOR_CARD_PRINTING: 7,
    _S.CARD_PRINTED: 8,
    _S.CARD_SHIPPED: 9,
    _S.CARD_ISSUED: 10,
}
FAILED = frozenset({_S.ENROLL_FAILURE_AT_CENTRAL.value, _S.SEARCH_FAILURE_AT_CENTRAL.value,
                    _S.ENROLL_FAILURE_AT_REGIONAL.value, _S.DUPLICATE_RECORD.value})


def is_backwards(old: str | None, new: str | None) -> bool:
    """Whether a change from `old` to `new` goes back along the lifecycle."""
    if old not in STAGE or new not in STAGE:
        return False  # a first status, or a status the export did not say
    if old in FAILED and new != _S.UNREGISTERED:
        return False
    return STAGE[new] < STAGE[old]


def backwards_sql(old: Any, new: Any) -> ColumnElement[bool]:
    """The SQL twin of is_backwards, for two status columns."""
    stage = {str(key): value for key, value in STAGE.items()}
    old_stage = case(stage, value=old, else_=None)
    new_stage = case(stage, value=new, else_=None)
    return and_(
        old_stage.is_not(None), new_stage.is_not(None),
        or_(old.not_in(sorted(FAILED)), new == _S.UNREGISTERED.value),
        new_stage < old_stage,
    )


def backwards_changes(
    *, connection: Connection, staging: Table, run_id: int
) -> list[tuple[int, str, str, str]]:
    """Return (line, NIK, old, new) of every status import `run_id` moved backwards."""
    h, r, s = StatusChange, Resident, staging.c
    rows = connection.execute(
        select(s.line_no, r.nik, h.old_status, h.new_status)
        .join(r, r.id == h.resident_id)
        .join(staging, s.nik == r.nik)
        .where(h.import_id == run_id, s.rejected == false(),
               backwards_sql(h.old_status, h.new_status))
        .order_by(s.line_no)
    )
    return [(line, nik, old, new) for line, nik, old, new in rows]


def backwards_reason(old: str, new: str) -> str:
    """Say, for the import report, that a status went back and from what to what."""
    return (f"status KTP-el mundur dari {KTP_STATUS_LABELS_ID.get(old, old)} ({old}) ke "
            f"{KTP_STATUS_LABELS_ID.get(new, new)} ({new}); tetap dimuat karena SIAK "
            "sumber kebenaran - periksa ekspornya")
