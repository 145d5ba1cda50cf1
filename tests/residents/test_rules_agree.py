"""Each rule's Python predicate and SQL condition agree, on generated residents.

Hypothesis invents residents - ages a day either side of every age boundary, leap-day
births and reference dates, every status (and none), citizenship, life status and
condition - inserts them into the test database and compares, resident by resident,
what eligibility.is_x says with what eligibility.x_sql selects. A condition must also
be two-valued: a resident is either selected by it or by its negation, never by
neither (a NULL), since reports negate and combine these conditions.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import case, not_, select
from sqlalchemy.orm import Session

from jemput import db
from jemput.residents import eligibility
from jemput.residents.codes import Disability, KtpStatus, MaritalStatus
from jemput.residents.models import ImportRun, Resident

DESA = "33.06.01.2001"
# Every age a rule turns on (16 record, 17 wajib, 18 no longer pemula, 22 deactivation,
# 60 lansia, 80 home visit); births land a day either side of each, or on it.
AGES = (16, 17, 18, 22, 60, 80)
LEAP_DAYS = (date(2024, 2, 28), date(2024, 2, 29), date(2024, 3, 1), date(2025, 2, 28),
             date(2025, 3, 1), date(2028, 2, 29))

reference_dates = st.one_of(
    st.sampled_from(LEAP_DAYS), st.dates(min_value=date(2015, 1, 1), max_value=date(2035, 12, 31))
)


@st.composite
def births(draw: st.DrawFn, on: date) -> date:
    """A birth date near an age boundary of `on`, a leap day, or anywhere at all."""
    kind = draw(st.sampled_from(("boundary", "boundary", "boundary", "leap", "any")))
    if kind == "boundary":
        cutoff = eligibility.birth_cutoff(on, draw(st.sampled_from(AGES)))
        return cutoff + timedelta(days=draw(st.integers(-1, 1)))
    if kind == "leap":
        return date(draw(st.sampled_from((1936, 1964, 2004, 2008, 2012))), 2, 29)
    return draw(st.dates(min_value=date(1920, 1, 1), max_value=on))


@st.composite
def residents(draw: st.DrawFn, on: date) -> dict[str, Any]:
    return {
        "birth_date": draw(births(on)),
        "marital_status": draw(st.sampled_from([int(m) for m in MaritalStatus])),
        # Mostly living WNI, like a real registry, so the age boundaries are reached often.
        "citizenship": draw(st.sampled_from(("WNI", "WNI", "WNI", "WNA"))),
        "has_itap": draw(st.booleans()),
        "life_status": draw(st.sampled_from(("hidup",) * 5 + ("mati", "pindah", "hilang"))),
        "ktp_status": draw(st.one_of(st.none(), st.sampled_from([s.value for s in KtpStatus]))),
        "disability": draw(st.one_of(st.none(), st.sampled_from([int(d) for d in Disability]))),
        "bedridden": draw(st.booleans()),
        "odgj": draw(st.booleans()),
        "needs_home_visit": draw(st.one_of(st.none(), st.booleans())),
        "missing": draw(st.booleans()),
    }


@st.composite
def cases(draw: st.DrawFn) -> tuple[date, list[dict[str, Any]]]:
    on = draw(reference_dates)
    return on, draw(st.lists(residents(on), min_size=1, max_size=25))


def _insert(session: Session, people: list[dict[str, Any]]) -> list[int]:
    now = datetime.now(UTC)
    run = ImportRun(file_name="generated.csv", file_sha256="0" * 64, layout="siak",
                    data_date=date(2026, 6, 30), started_at=now, outcome="applied")
    session.add(run)
    session.flush()
    rows = []
    for number, person in enumerate(people, start=1):
        values = dict(person)
        missing = values.pop("missing")
        rows.append(Resident(
            nik=f"3306010101{number:06d}", name=f"WARGA {number}", sex=1, desa_code=DESA,
            missing_since_import_id=run.id if missing else None, updated_at=now, **values,
        ))
    session.add_all(rows)
    session.flush()
    session.expire_all()
    return [row.id for row in rows]


def _two_valued(condition: Any) -> Any:
    # 1 where it holds, 0 where its negation holds, NULL where neither does.
    return case((condition, 1), (not_(condition), 0), else_=None)


def _check(session: Session, on: date, people: list[dict[str, Any]]) -> None:
    ids = _insert(session, people)
    columns = [_two_valued(sql(on=on)).label(name)
               for name, (_, sql) in eligibility.RULES.items()]
    columns += [_two_valued(eligibility.not_recorded_for_sql(reason=reason, on=on))
                .label(f"reason_{reason}") for reason in eligibility.REASONS]
    reason = eligibility.not_recorded_reason_sql(on=on).label("reason")
    statement = select(Resident.id, reason, *columns).where(Resident.id.in_(ids))
    rows = {row.id: row for row in session.execute(statement)}
    assert set(rows) == set(ids)
    for resident in session.scalars(select(Resident).where(Resident.id.in_(ids))):
        row = rows[resident.id]
        for name, (holds, _) in eligibility.RULES.items():
            in_sql = getattr(row, name)
            assert in_sql is not None, f"{name}_sql is NULL for {_describe(resident)}"
            assert bool(in_sql) is holds(person=resident, on=on), (
                f"{name} on {on}: SQL {bool(in_sql)} for {_describe(resident)}"
            )
        reason = eligibility.not_recorded_reason(person=resident, on=on)
        assert row.reason == reason, f"reason on {on}: SQL {row.reason} for {_describe(resident)}"
        for name in eligibility.REASONS:
            in_sql = getattr(row, f"reason_{name}")
            assert in_sql is not None and bool(in_sql) is (reason == name), (
                f"reason {name} on {on}: SQL {in_sql} for {_describe(resident)}")


def _describe(resident: Resident) -> dict[str, Any]:
    return {key: getattr(resident, key) for key in (
        "birth_date", "marital_status", "citizenship", "has_itap", "life_status",
        "ktp_status", "disability", "bedridden", "odgj", "needs_home_visit",
        "missing_since_import_id")}


@settings(max_examples=60, deadline=None,
          # The autouse fixtures only point at the database; each example rolls back its own.
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cases())
def test_every_rule_selects_in_sql_exactly_the_residents_it_holds_for(
    migrated_database: str, case_: tuple[date, list[dict[str, Any]]]
) -> None:
    on, people = case_
    connection = db.get_engine(migrated_database).connect()
    transaction = connection.begin()
    try:
        with Session(bind=connection, join_transaction_mode="create_savepoint") as session:
            _check(session, on, people)
    finally:
        transaction.rollback()
        connection.close()


def test_every_rule_of_the_module_is_proven():
    # A predicate added to eligibility without its SQL twin in RULES would go unproven.
    predicates = {name for name in dir(eligibility)
                  if name.startswith(("is_", "may_", "needs_")) and name != "may_hold_ktp_sql"
                  and not name.endswith("_sql") and callable(getattr(eligibility, name))}
    proven = {holds.__name__ for holds, _ in eligibility.RULES.values()}
    assert predicates == proven
