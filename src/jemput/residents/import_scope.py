"""What an import may speak for: the uploader's scope, and the file's coverage set.

An import writes only inside the scope of whoever runs it (an operator of one
kecamatan, or the whole regency for the CLI acting as the office). A row for a desa
outside that scope, or a row whose NIK belongs to a resident living outside it, is a
row error that says no more than "outside your area": it neither moves that resident
into scope nor tells the uploader where they live.

An export is evidence only about the areas it covers: the desa it was given (OpenSID)
or the desas of its valid rows, plus any area the office declares the file complete
for (`--covers`, e.g. a desa with no rows at all). A resident is flagged "no longer in
the export" only inside that coverage set and inside the scope.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, Table, false, select, update
from sqlalchemy.orm import Session

from jemput.auth.access import has_role, region_filter, require_role, within_region
from jemput.auth.models import Role, User
from jemput.config import get_settings
from jemput.intake.staging import reading_beside
from jemput.regions.models import Region
from jemput.residents.layouts import Problem
from jemput.residents.models import Resident

# The office's staff load exports; admin too, who sets an office up. Each writes only
# inside their own region scope (see the module docstring).
IMPORTERS = (Role.OPERATOR, Role.ADMIN)
AREA_CODE = re.compile(r"\d{2}\.\d{2}(?:\.\d{2}(?:\.\d{4})?)?")
NIK_CHUNK = 2_000  # staged NIKs looked up in the registry per query
# Where each layout keeps a row's desa, to name the column in the report.
DESA_COLUMN = {"siak": "NO_PROP..NO_KEL", "data_penduduk": "Kecamatan/Desa/Kel",
               "opensid": "--desa"}


class ScopeRefused(ValueError):
    """The import cannot run as asked: an area outside the scope, an unknown user or area."""


def require_importer(user: User) -> None:
    """Raise Forbidden unless the user may upload exports and read their reports."""
    require_role(user, *IMPORTERS)


@dataclass(frozen=True)
class ImportScope:
    """The region an import may write, and who it acts for (None: the office itself)."""

    region: str
    actor: str | None = None

    def contains(self, code: str) -> bool:
        return within_region(self.region, code)

    def covers_all(self, village_codes: Iterable[str]) -> bool:
        """Whether every known desa is inside the scope (then no row can fall outside)."""
        return all(self.contains(code) for code in village_codes)


def regency_scope() -> ImportScope:
    """Return the scope of the CLI acting as the office: the whole regency."""
    return ImportScope(region=get_settings().regency_code)


def scope_of(user: User) -> ImportScope:
    """Return the scope an importing user writes in; ScopeRefused if they may not import."""
    if not has_role(user, *IMPORTERS):
        raise ScopeRefused(f"pengguna '{user.username}' tidak berwenang mengimpor data penduduk")
    if not user.scope_region:
        raise ScopeRefused(f"pengguna '{user.username}' tidak punya wilayah")
    return ImportScope(region=user.scope_region, actor=user.username)


def scope_for_username(*, session: Session, username: str) -> ImportScope:
    """Return the scope of the user an import acts for; ScopeRefused if unknown or not allowed."""
    with reading_beside(session) as reader:
        user = reader.scalar(select(User).where(User.username == username.strip().lower()))
        if user is None:
            raise ScopeRefused(f"pengguna '{username}' tidak ada")
        return scope_of(user)


def parse_area_codes(values: Iterable[str]) -> list[str]:
    """Split region codes given as options or a form field (commas or spaces between)."""
    codes: list[str] = []
    for value in values:
        for code in re.split(r"[\s,;]+", value.strip()):
            if not code:
                continue
            if not AREA_CODE.fullmatch(code):
                raise ScopeRefused(
                    f"kode wilayah '{code[:20]}' harus kode kecamatan (33.06.01) atau "
                    "desa (33.06.01.2001)"
                )
            if code not in codes:
                codes.append(code)
    return codes


def check_areas(
    *, scope: ImportScope, desa_code: str | None, covers: Sequence[str],
    village_codes: Collection[str],
) -> None:
    """Refuse a given desa or declared coverage that is unknown or outside the scope."""
    given = [("--desa", desa_code)] if desa_code else []
    for option, code in given + [("--covers", c) for c in covers]:
        if not any(within_region(code, village) for village in village_codes):
            raise ScopeRefused(f"{option} {code}: kode wilayah tidak dikenal")
        require_within(scope, option=option, code=code)


def require_within(scope: ImportScope, *, option: str, code: str) -> None:
    """Raise ScopeRefused if the area `code`, given as `option`, is outside the scope."""
    if not scope.contains(code):
        raise ScopeRefused(f"{option} {code} di luar wilayah Anda ({scope.region})")


@dataclass
class OutOfScope(Problem):
    """A row error that also says itself in English, for the page's second locale."""

    reason_en: str = ""


def set_aside_out_of_scope(
    *,
    session: Session,
    connection: Connection,
    staging: Table,
    scope: ImportScope,
    layout: str,
    nik_column: str,
    village_codes: Collection[str],
    report: Callable[[int, Problem], None],
) -> int:
    """Reject staged rows for a desa, or a resident, outside the scope; return how many.

    `connection` is the staging area's (on SQLite a scratch database); the registry is
    read through `session`.
    """
    if scope.covers_all(village_codes):
        return 0  # every known desa, hence every resident, is inside the scope
    s = staging.c
    valid = s.rejected == false()
    outside = ~region_filter(scope.region, s.desa_code)
    rows = connection.execute(
        select(s.line_no, s.desa_code).where(valid, outside).order_by(s.line_no)
    ).all()
    for line, desa in rows:
        report(line, OutOfScope(
            DESA_COLUMN.get(layout, "desa"), desa,
            f"desa {desa} di luar wilayah Anda ({scope.region})",
            reason_en=f"desa {desa} is outside your area ({scope.region})",
        ))
    if rows:
        connection.execute(update(staging).where(valid, outside).values(rejected=True))
    foreign = _foreign_residents(session=session, connection=connection, staging=staging,
                                 scope=scope)
    for line, nik in foreign:
        # Says only that the NIK is outside the area: not where, nor whose it is.
        report(line, OutOfScope(
            nik_column, nik, f"NIK ini terdaftar di luar wilayah Anda ({scope.region})",
            reason_en=f"this NIK is registered outside your area ({scope.region})",
        ))
    lines = [line for line, _ in foreign]
    for start in range(0, len(lines), NIK_CHUNK):
        connection.execute(
            update(staging).where(s.line_no.in_(lines[start:start + NIK_CHUNK]))
            .values(rejected=True)
        )
    return len(rows) + len(foreign)


def _foreign_residents(
    *, session: Session, connection: Connection, staging: Table, scope: ImportScope
) -> list[tuple[int, str]]:
    # Valid rows in line order, a chunk at a time (keyset on line_no: no open cursor
    # while the registry is read, which on PostgreSQL is the same connection).
    s = staging.c
    r = Resident.__table__.c
    found: list[tuple[int, str]] = []
    last = 0
    while True:
        chunk = connection.execute(
            select(s.line_no, s.nik).where(s.rejected == false(), s.line_no > last)
            .order_by(s.line_no).limit(NIK_CHUNK)
        ).all()
        if not chunk:
            return found
        last = chunk[-1][0]
        with reading_beside(session) as reader:
            outside = set(reader.scalars(
                select(r.nik).where(r.nik.in_([nik for _, nik in chunk]),
                                    ~region_filter(scope.region, r.desa_code))
            ))
        found += [(line, nik) for line, nik in chunk if nik in outside]


def staged_desas(*, connection: Connection, staging: Table) -> set[str]:
    """Return the desas of the staged valid rows."""
    s = staging.c
    return set(connection.execute(
        select(s.desa_code).where(s.rejected == false()).distinct()
    ).scalars())


@dataclass(frozen=True)
class Coverage:
    """The desas an import speaks for, and the same named by the fewest region codes."""

    desas: frozenset[str]
    codes: tuple[str, ...]

    def missing_in(self, scope: ImportScope) -> list[str]:
        """Return the desas where "no longer in the export" may be concluded."""
        return sorted(desa for desa in self.desas if scope.contains(desa))


def coverage_of(
    *, desa_code: str | None, staged: Collection[str], covers: Sequence[str],
    village_codes: Collection[str],
) -> Coverage:
    """Return the coverage set: the given desa or the staged ones, plus declared areas."""
    desas = {desa_code} if desa_code else set(staged)
    for area in covers:
        desas |= {village for village in village_codes if within_region(area, village)}
    return Coverage(desas=frozenset(desas), codes=tuple(_compact(desas, village_codes)))


def _compact(desas: set[str], village_codes: Collection[str]) -> list[str]:
    # A kecamatan (or regency) all of whose known desas are covered is named once.
    def parent(code: str) -> str:
        return code.rsplit(".", 1)[0]

    codes = set(desas)
    known = set(village_codes) | desas
    for _ in range(2):  # desa -> kecamatan -> regency
        children: dict[str, set[str]] = {}
        for code in known:
            if code.count(".") >= 2:
                children.setdefault(parent(code), set()).add(code)
        whole = {area for area, members in children.items() if members <= codes}
        codes = {c for c in codes if c.count(".") < 2 or parent(c) not in whole} | whole
        known = set(children)
    return sorted(codes)


def describe_coverage(*, session: Session, codes: Iterable[str]) -> list[dict[str, str]]:
    """Return each coverage code with its region's name, for the CLI, the job and the page."""
    wanted = list(codes)
    names: dict[str, str] = {}
    if wanted:
        rows = session.execute(select(Region.code, Region.name).where(Region.code.in_(wanted)))
        names = {code: name for code, name in rows}
    return [{"code": code, "name": names.get(code, "")} for code in wanted]


def parse_coverage(stored: str | None) -> list[str]:
    """Return the coverage codes an import run stored."""
    return [code for code in (stored or "").split(",") if code]
