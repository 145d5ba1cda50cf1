"""Programmes, teams, the office calendar and the office-demand rule; the work days they allow.

An operator manages the resources of areas inside their scope; kepala reads them. A
campaign in an area uses every resource whose area contains it, so a kecamatan office
plans with the regency's programmes and holidays, and its own teams.

The office-demand rule (Klaten: "when the office is busy we do not schedule door to
door"): a day is not a field day when the office's expected queue that day is above the
calendar's threshold. The expected queue is the mean of the counts recorded on the same
weekday in the `queue_weeks` weeks before the day (only days with a count; none recorded:
no evidence, so the day stays open). Same-weekday means follow the office's weekly rhythm
(Mondays are busiest) and a few weeks of look-back follow the season without one odd day
deciding.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, false, or_, select
from sqlalchemy.orm import Session

from jemput.auth.access import NotFound, has_role, region_filter, region_in_scope, require_role
from jemput.auth.models import Role, User
from jemput.outreach.models import CalendarSettings, Holiday, OfficeCount, Programme, Team
from jemput.planning import problem as p
from jemput.regions.models import Region

MANAGERS = (Role.OPERATOR,)
READERS = (Role.OPERATOR, Role.KEPALA)
DEFAULT_SERVICE_MINUTES = {
    p.Category.GENERAL: 12, p.Category.STUDENT: 12, p.Category.ELDERLY: 15,
    p.Category.DISABLED: 25, p.Category.BEDRIDDEN: 25, p.Category.ODGJ: 45,
}
DAY_NAMES = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
FRIDAY = 4
MAX_COUNT_ROWS = 20_000


class ResourceError(ValueError):
    """A setting the office would not want stored; the message says what and where."""


def hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def parse_time(value: str, what: str) -> int:
    """Return minutes since midnight of "HH:MM"; refuse anything else with the value."""
    try:
        hours, minutes = value.strip().split(":")
        total = int(hours) * 60 + int(minutes)
    except ValueError:
        raise ResourceError(f"{what}: jam tidak sah {value[:20]!r} (tulis JJ:MM)") from None
    if not (0 <= int(hours) < 24 and 0 <= int(minutes) < 60):
        raise ResourceError(f"{what}: jam tidak sah {value[:20]!r} (tulis JJ:MM)")
    return total


def codes(stored: str) -> list[str]:
    return [item for item in (stored or "").split(",") if item]


def ids(stored: str) -> list[int]:
    return [int(item) for item in codes(stored)]


# --- who may ----------------------------------------------------------------------------


def covering(user: User, column: Any) -> ColumnElement[bool]:
    """Resources a reader sees: inside their scope, or of an area that contains it."""
    if not has_role(user, *READERS) or not user.scope_region:
        return false()
    scope = user.scope_region
    parts = scope.split(".")
    containing = [".".join(parts[:n]) for n in range(1, len(parts))]
    return or_(region_filter(scope, column), column.in_(containing))


def serves_area(resource_area: str, area: str) -> bool:
    """Whether a resource of `resource_area` may be used by a campaign in `area`."""
    return area == resource_area or area.startswith(resource_area + ".")


def require_manager(user: User, area_code: str) -> None:
    require_role(user, *MANAGERS)
    if not region_in_scope(user, area_code):
        raise NotFound(area_code)


def _area(session: Session, user: User, area_code: str) -> str:
    area_code = (area_code or "").strip() or (user.scope_region or "")
    require_manager(user, area_code)
    if session.get(Region, area_code) is None:
        raise NotFound(area_code)
    return area_code


def _managed(session: Session, user: User, model: type, row_id: int) -> Any:
    row = session.get(model, row_id)
    if row is None or not has_role(user, *MANAGERS) or not region_in_scope(user, row.area_code):
        raise NotFound(row_id)
    return row


# --- programmes and teams ---------------------------------------------------------------


def parse_weekdays(values: list[int] | str) -> str:
    if isinstance(values, str):
        try:
            values = [int(v) for v in values.replace(" ", "").split(",") if v]
        except ValueError:
            raise ResourceError(f"hari operasi tidak sah: {values[:40]!r} "
                                "(angka 0=Senin … 6=Minggu, dipisah koma)") from None
    bad = [v for v in values if not 0 <= v <= 6]
    if bad or not values:
        raise ResourceError(f"hari operasi tidak sah: {bad or 'kosong'} (0=Senin … 6=Minggu)")
    return ",".join(str(v) for v in sorted(set(values)))


def parse_minutes(values: dict[str, int]) -> str:
    minutes = {str(c): DEFAULT_SERVICE_MINUTES[c] for c in p.Category}
    for key, value in values.items():
        if key not in minutes:
            raise ResourceError(f"kategori tidak dikenal: {key[:30]!r} "
                                f"(pilih: {', '.join(minutes)})")
        if not isinstance(value, int) or not 1 <= value <= 480:
            raise ResourceError(f"waktu layanan {key}: {value!r} menit tidak sah (1–480)")
        minutes[key] = value
    return json.dumps(minutes, sort_keys=True)


def save_programme(
    *, session: Session, user: User, area_code: str, name: str, kind: str,
    service_minutes: dict[str, int], setup_minutes: int, weekdays: list[int] | str,
    programme_id: int | None = None,
) -> Programme:
    """Create or change a programme of an area in the user's scope."""
    area_code = _area(session, user, area_code)
    name = name.strip()
    if not name or len(name) > 120:
        raise ResourceError("nama program wajib diisi (paling panjang 120)")
    if kind not in set(p.ProgrammeKind):
        raise ResourceError(f"jenis program tidak dikenal: {kind[:20]!r} "
                            f"(pilih: {', '.join(p.ProgrammeKind)})")
    if not 0 <= setup_minutes <= 240:
        raise ResourceError(f"waktu persiapan {setup_minutes} menit tidak sah (0–240)")
    row = (_managed(session, user, Programme, programme_id) if programme_id
           else Programme(area_code=area_code))
    row.area_code, row.name, row.kind = area_code, name, kind
    row.service_minutes = parse_minutes(service_minutes)
    row.setup_minutes, row.weekdays = setup_minutes, parse_weekdays(weekdays)
    session.add(row)
    session.flush()
    return row


def save_team(
    *, session: Session, user: User, area_code: str, name: str, members: list[str],
    skills: list[str], kits: int, vehicle: str = "", base_name: str = "",
    base_latitude: float | None = None, base_longitude: float | None = None,
    team_id: int | None = None,
) -> Team:
    """Create or change a field team of an area in the user's scope."""
    area_code = _area(session, user, area_code)
    name = name.strip()
    if not name or len(name) > 60:
        raise ResourceError("nama tim wajib diisi (paling panjang 60)")
    unknown = sorted(set(skills) - set(p.Skill))
    if unknown:
        raise ResourceError(f"keahlian tidak dikenal: {', '.join(u[:30] for u in unknown)} "
                            f"(pilih: {', '.join(p.Skill)})")
    if not 0 <= kits <= 20:
        raise ResourceError(f"jumlah alat rekam {kits} tidak sah (0–20)")
    if (base_latitude is None) != (base_longitude is None) or (
            base_latitude is not None and not (-90 <= base_latitude <= 90
                                               and -180 <= (base_longitude or 0) <= 180)):
        raise ResourceError("titik pangkalan: isi lintang dan bujur yang sah, atau kosongkan")
    clash = session.scalar(select(Team).where(Team.name == name))
    if clash is not None and clash.id != team_id:
        raise ResourceError(f"nama tim {name!r} sudah dipakai")
    row = _managed(session, user, Team, team_id) if team_id else Team(area_code=area_code)
    row.area_code, row.name = area_code, name
    row.members = ",".join(m.strip()[:60] for m in members if m.strip())
    row.skills = ",".join(s for s in p.Skill if s in skills)
    row.kits, row.vehicle, row.base_name = kits, vehicle.strip()[:60], base_name.strip()[:120]
    row.base_latitude, row.base_longitude = base_latitude, base_longitude
    session.add(row)
    session.flush()
    return row


# --- calendar ---------------------------------------------------------------------------


def save_calendar(
    *, session: Session, user: User, area_code: str, office_opens: int, office_closes: int,
    school_opens: int, school_closes: int, friday_break_starts: int, friday_break_ends: int,
    kits: int, queue_threshold: int | None = None, queue_weeks: int = 8,
    ramadan_starts: date | None = None, ramadan_ends: date | None = None,
    ramadan_friday_ends: int | None = None,
) -> CalendarSettings:
    """Create or replace the calendar of an area in the user's scope."""
    area_code = _area(session, user, area_code)
    for what, opens, closes in (("jam kantor", office_opens, office_closes),
                                ("jam sekolah", school_opens, school_closes),
                                ("istirahat Jumat", friday_break_starts, friday_break_ends)):
        if not 0 <= opens < closes <= 24 * 60:
            raise ResourceError(f"{what}: {hhmm(opens)}–{hhmm(closes)} tidak sah "
                                "(mulai harus sebelum selesai)")
    if not 0 <= kits <= 100:
        raise ResourceError(f"jumlah alat rekam kantor {kits} tidak sah (0–100)")
    if queue_threshold is not None and queue_threshold < 0:
        raise ResourceError(f"ambang antrean {queue_threshold} tidak sah (0 atau lebih)")
    if not 1 <= queue_weeks <= 52:
        raise ResourceError(f"minggu pembanding {queue_weeks} tidak sah (1–52)")
    if (ramadan_starts is None) != (ramadan_ends is None) or (
            ramadan_starts and ramadan_ends and ramadan_starts > ramadan_ends):
        raise ResourceError("Ramadan: isi tanggal mulai dan selesai (mulai sebelum selesai)")
    row = session.scalar(select(CalendarSettings).where(CalendarSettings.area_code == area_code))
    row = row or CalendarSettings(area_code=area_code)
    row.office_opens, row.office_closes = office_opens, office_closes
    row.school_opens, row.school_closes = school_opens, school_closes
    row.friday_break_starts, row.friday_break_ends = friday_break_starts, friday_break_ends
    row.kits, row.queue_threshold, row.queue_weeks = kits, queue_threshold, queue_weeks
    row.ramadan_starts, row.ramadan_ends = ramadan_starts, ramadan_ends
    row.ramadan_friday_ends = ramadan_friday_ends
    session.add(row)
    session.flush()
    return row


def add_holiday(*, session: Session, user: User, area_code: str, day: date,
                name: str) -> Holiday:
    """Add (or rename) a public holiday of an area in the user's scope."""
    area_code = _area(session, user, area_code)
    name = name.strip()
    if not name or len(name) > 120:
        raise ResourceError(f"hari libur {day}: nama wajib diisi (paling panjang 120)")
    row = session.scalar(select(Holiday).where(Holiday.area_code == area_code, Holiday.day == day))
    row = row or Holiday(area_code=area_code, day=day)
    row.name = name
    session.add(row)
    session.flush()
    return row


def import_counts(*, session: Session, user: User, area_code: str, text: str) -> int:
    """Store daily office counts from CSV `date,count`; every line valid or nothing stored."""
    area_code = _area(session, user, area_code)
    parsed: dict[date, int] = {}
    rows = list(csv.reader(io.StringIO(text)))
    if len(rows) > MAX_COUNT_ROWS:
        raise ResourceError(f"terlalu banyak baris: {len(rows)} (paling banyak {MAX_COUNT_ROWS})")
    for number, row in enumerate(rows, start=1):
        if not row or not "".join(row).strip():
            continue
        if number == 1 and row[0].strip().lower() in ("date", "tanggal"):
            continue  # a header
        if len(row) != 2:
            raise ResourceError(f"baris {number}: harus 2 kolom (tanggal,jumlah), ada {len(row)}")
        try:
            day = date.fromisoformat(row[0].strip())
        except ValueError:
            raise ResourceError(f"baris {number}, kolom 1: tanggal tidak sah "
                                f"{row[0][:20]!r} (tulis YYYY-MM-DD)") from None
        try:
            count = int(row[1].strip())
        except ValueError:
            count = -1
        if not 0 <= count <= 100_000:
            raise ResourceError(f"baris {number}, kolom 2: jumlah tidak sah {row[1][:20]!r}")
        parsed[day] = count
    existing = {c.day: c for c in session.scalars(select(OfficeCount).where(
        OfficeCount.area_code == area_code, OfficeCount.day.in_(list(parsed))))}
    for day, count in parsed.items():
        stored = existing.get(day) or OfficeCount(area_code=area_code, day=day)
        stored.count = count
        session.add(stored)
    session.flush()
    return len(parsed)


def calendar_for(*, session: Session, area_code: str) -> CalendarSettings | None:
    """Return the most specific calendar whose area contains `area_code`."""
    parts = area_code.split(".")
    areas = [".".join(parts[:n]) for n in range(len(parts), 0, -1)]
    found = {c.area_code: c for c in session.scalars(
        select(CalendarSettings).where(CalendarSettings.area_code.in_(areas)))}
    return next((found[a] for a in areas if a in found), None)


def expected_queue(*, session: Session, calendar: CalendarSettings, day: date) -> float | None:
    """Mean of the counts on `day`'s weekday in the `queue_weeks` weeks before it."""
    earlier = [day - timedelta(weeks=w) for w in range(1, calendar.queue_weeks + 1)]
    counts = list(session.scalars(select(OfficeCount.count).where(
        OfficeCount.area_code == calendar.area_code, OfficeCount.day.in_(earlier))))
    return sum(counts) / len(counts) if counts else None


def holidays_for(*, session: Session, area_code: str, starts: date,
                 ends: date) -> dict[date, str]:
    parts = area_code.split(".")
    areas = [".".join(parts[:n]) for n in range(1, len(parts) + 1)]
    return {h.day: h.name for h in session.scalars(select(Holiday).where(
        Holiday.area_code.in_(areas), and_(Holiday.day >= starts, Holiday.day <= ends)))}


def day_calendar(
    *, session: Session, area_code: str, starts: date, ends: date,
    programmes: list[Programme],
) -> tuple[list[p.WorkDay], list[tuple[date, str]]]:
    """Return the work days of a period for `programmes`, and each other day with why not."""
    calendar = calendar_for(session=session, area_code=area_code)
    if calendar is None:
        raise ResourceError(f"wilayah {area_code} belum punya kalender kerja "
                            "(jam kantor, istirahat Jumat): isi di halaman Sumber daya")
    holidays = holidays_for(session=session, area_code=area_code, starts=starts, ends=ends)
    days, skipped = [], []
    day = starts
    while day <= ends:
        kinds = frozenset(p.ProgrammeKind(pr.kind) for pr in programmes
                          if day.weekday() in ids(pr.weekdays))
        queue = expected_queue(session=session, calendar=calendar, day=day)
        if day in holidays:
            skipped.append((day, f"hari libur: {holidays[day]}"))
        elif not kinds:
            skipped.append((day, f"{DAY_NAMES[day.weekday()]}: bukan hari operasi program"))
        elif (calendar.queue_threshold is not None and queue is not None
              and queue > calendar.queue_threshold):
            skipped.append((day, f"perkiraan antrean kantor {queue:.0f} > ambang "
                                 f"{calendar.queue_threshold}"))
        else:
            days.append(_work_day(calendar, day, kinds))
        day += timedelta(days=1)
    return days, skipped


def _work_day(calendar: CalendarSettings, day: date, kinds: frozenset[p.ProgrammeKind]
              ) -> p.WorkDay:
    ends, breaks = calendar.office_closes, tuple[p.Break, ...]()
    if day.weekday() == FRIDAY:
        in_ramadan = (calendar.ramadan_starts is not None and calendar.ramadan_ends is not None
                      and calendar.ramadan_starts <= day <= calendar.ramadan_ends)
        if in_ramadan and calendar.ramadan_friday_ends is not None:
            # Ramadan Fridays: service ends before the long prayer break (DOMAIN.md §9).
            ends = min(ends, calendar.ramadan_friday_ends)
        if calendar.friday_break_starts < ends:
            breaks = (p.Break(calendar.friday_break_starts,
                              min(calendar.friday_break_ends, ends)),)
    return p.WorkDay(day=day, starts=calendar.office_opens, ends=ends, breaks=breaks,
                     programmes=kinds)


def work_days(*, session: Session, area_code: str, starts: date, ends: date,
              programmes: list[Programme]) -> list[p.WorkDay]:
    """Return the WorkDays of a campaign period for its programmes (planning/problem.py)."""
    return day_calendar(session=session, area_code=area_code, starts=starts, ends=ends,
                        programmes=programmes)[0]


def to_problem_programme(row: Programme) -> p.Programme:
    minutes = json.loads(row.service_minutes)
    return p.Programme(kind=p.ProgrammeKind(row.kind),
                       service_minutes={p.Category(k): int(v) for k, v in minutes.items()},
                       setup_minutes=row.setup_minutes, weekdays=frozenset(ids(row.weekdays)))


# --- reading ----------------------------------------------------------------------------


def visible(*, session: Session, user: User, model: Any) -> list[Any]:
    require_role(user, *READERS)
    return list(session.scalars(select(model).where(covering(user, model.area_code))
                                .order_by(model.area_code, model.id)))


def usable(*, session: Session, user: User, model: Any, area_code: str,
           wanted: list[int]) -> list[Any]:
    """Return the rows of `wanted` a campaign in `area_code` may use; refuse any other."""
    rows = {r.id: r for r in visible(session=session, user=user, model=model)}
    chosen = []
    for row_id in wanted:
        row = rows.get(row_id)
        if row is None or not serves_area(row.area_code, area_code):
            raise ResourceError(f"{model.__tablename__.split('_')[-1]} #{row_id} tidak ada "
                                f"atau tidak melayani wilayah {area_code}")
        chosen.append(row)
    return chosen
