"""The named lists behind the coverage figures: who is not recorded, and why.

Each list is a rule from residents.eligibility, the same expression reports/coverage.py
counts, so every list has exactly as many rows as its figure ("belum rekam" filtered by
a reason as many as that reason's figure). Every query filters on indexed columns
(desa_code by an explicit IN list, which every engine and collation can use, and
ktp_status) and pages with LIMIT/OFFSET.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from jemput.auth.access import scope_filter
from jemput.auth.models import User
from jemput.residents import eligibility
from jemput.residents.models import Resident

LISTS = ("belum-rekam", "rentan", "pemula", "siap-cetak", "tindak-lanjut")
REASONS = eligibility.REASONS
SORTS = ("name", "age", "dusun", "status")
PER_PAGE = 50
MAX_PER_PAGE = 200


class UnknownList(LookupError):
    """No named list by that name."""


@dataclass(frozen=True)
class ListQuery:
    """What the reader asked of a list: filters, order and page, already validated."""

    name: str
    reason: str | None = None
    desa: str | None = None
    q: str | None = None
    sort: str = "name"
    descending: bool = False
    page: int = 1
    per_page: int = PER_PAGE

    def params(self, **changes: Any) -> dict[str, Any]:
        """Return the query parameters of this query with `changes`, for links."""
        values = {"reason": self.reason, "desa": self.desa, "q": self.q, "sort": self.sort,
                  "dir": "desc" if self.descending else "asc", "page": self.page}
        values.update(changes)
        return {key: value for key, value in values.items() if value not in (None, "")}


def parse_query(
    name: str, *, reason: str | None = None, desa: str | None = None, q: str | None = None,
    sort: str | None = None, direction: str | None = None, page: int = 1,
    per_page: int = PER_PAGE,
) -> ListQuery:
    """Validate list parameters; unknown values fall back to defaults, an unknown list raises."""
    if name not in LISTS:
        raise UnknownList(name)
    return ListQuery(
        name=name,
        reason=reason if reason in REASONS else None,
        desa=desa or None,
        q=(q or "").strip()[:60] or None,
        sort=sort if sort in SORTS else "name",
        descending=direction == "desc",
        page=max(1, page),
        per_page=min(max(1, per_page), MAX_PER_PAGE),
    )


@dataclass(frozen=True)
class _Rules:
    not_recorded: ColumnElement[bool]
    reason: ColumnElement[str | None]
    pemula_not_recorded: ColumnElement[bool]
    follow_up: ColumnElement[bool]
    lansia: ColumnElement[bool]
    wajib: ColumnElement[bool]
    may_record: ColumnElement[bool]


def _rules(on: date) -> _Rules:
    return _Rules(
        not_recorded=eligibility.not_recorded_sql(on=on),
        reason=eligibility.not_recorded_reason_sql(on=on),
        pemula_not_recorded=eligibility.pemula_not_recorded_sql(on=on),
        follow_up=eligibility.follow_up_sql(on=on),
        lansia=eligibility.lansia_sql(on=on),
        wajib=eligibility.wajib_ktp_sql(on=on),
        may_record=eligibility.may_record_sql(on=on),
    )


def _where(query: ListQuery, rules: _Rules, on: date) -> ColumnElement[bool]:
    if query.name == "belum-rekam":
        return rules.not_recorded
    if query.name == "rentan":
        return eligibility.not_recorded_for_sql(reason="rentan", on=on)
    if query.name == "pemula":
        # Not only the wajib: 16-year-olds may already record (DOMAIN.md §3).
        return rules.pemula_not_recorded
    if query.name == "tindak-lanjut":
        return rules.follow_up
    return eligibility.print_ready_sql(on=on)


def _order(query: ListQuery) -> list[Any]:
    r = Resident
    columns: list[Any] = {
        "name": [r.name],
        # Age ascending is birth date descending: the youngest first.
        "age": [r.birth_date] if query.descending else [r.birth_date.desc()],
        "dusun": [r.dusun, r.rw, r.rt, r.name],
        "status": [r.ktp_status, r.name],
    }[query.sort]
    if query.sort != "age" and query.descending:
        columns = [column.desc() for column in columns]
    return [*columns, r.id]


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _filtered(
    statement: Any, *, user: User, query: ListQuery, rules: _Rules, desa_codes: list[str],
    on: date,
) -> Any:
    r = Resident
    codes = [query.desa] if query.desa in desa_codes else desa_codes
    statement = statement.where(
        r.desa_code.in_(codes),
        scope_filter(user, r.desa_code),
        eligibility.counted_sql(on=on),
        _where(query, rules, on),
    )
    if query.reason and query.name == "belum-rekam":
        statement = statement.where(eligibility.not_recorded_for_sql(reason=query.reason, on=on))
    if query.q:
        pattern = f"%{_escape_like(query.q.upper())}%"
        statement = statement.where(func.upper(r.name).like(pattern, escape="\\"))
    return statement


def count_rows(
    *, session: Session, user: User, query: ListQuery, desa_codes: list[str], on: date
) -> int:
    """Count the rows of a named list inside the given desa and the user's scope."""
    rules = _rules(on)
    statement = _filtered(select(func.count()).select_from(Resident), user=user, query=query,
                          rules=rules, desa_codes=desa_codes, on=on)
    return int(session.scalar(statement) or 0)


def fetch_rows(
    *, session: Session, user: User, query: ListQuery, desa_codes: list[str], on: date,
    limit: int | None, offset: int = 0,
) -> list[Any]:
    """Return one page (or, with limit None, all) of a named list's rows."""
    rules = _rules(on)
    r = Resident
    statement = select(
        r.id, r.nik, r.name, r.sex, r.birth_date, r.desa_code, r.dusun, r.rt, r.rw,
        r.ktp_status, r.disability, r.bedridden, r.odgj,
        rules.reason.label("reason"), rules.lansia.label("lansia"),
        rules.wajib.label("wajib"), rules.may_record.label("may_record"),
    )
    statement = _filtered(statement, user=user, query=query, rules=rules, desa_codes=desa_codes,
                          on=on)
    statement = statement.order_by(*_order(query)).offset(offset)
    if limit is not None:
        statement = statement.limit(limit)
    return list(session.execute(statement))
