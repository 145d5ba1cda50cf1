"""Load an office's outreach settings (calendar, holidays, programmes, teams and the days
they are unavailable) from TOML.

The demo ships src/jemput/demo/data/outreach.toml; an office can keep its own file under
version control and load it with `jemput campaigns load-settings FILE --as USER`. Every
entry goes through the same service functions as the pages, so the same checks apply;
the whole file is one unit of work (all of it or nothing).
"""

from __future__ import annotations

import tomllib
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from jemput.auth.models import User
from jemput.outreach import availability, contacts, resources
from jemput.outreach.models import Programme, Team
from jemput.outreach.resources import ResourceError, parse_time

DEMO_FILE = Path(__file__).resolve().parent.parent / "demo" / "data" / "outreach.toml"


def _span(value: str, what: str) -> tuple[int, int]:
    try:
        opens, closes = value.split("-")
    except ValueError:
        raise ResourceError(f"{what}: {value[:20]!r} tidak sah (tulis JJ:MM-JJ:MM)") from None
    return parse_time(opens, what), parse_time(closes, what)


def _date(value: Any, what: str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ResourceError(f"{what}: tanggal tidak sah {str(value)[:20]!r}") from None


def read_file(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise ResourceError(f"{path.name}: TOML tidak sah ({error})") from None


def load_file(*, session: Session, user: User, path: Path) -> dict[str, int]:
    return load_settings(session=session, user=user, data=read_file(path))


def configured(*, session: Session, user: User, path: Path) -> bool:
    """Whether the file's area already has a calendar, a programme or a team.

    `make run` loads the demo settings on every start (`--if-empty`): once the office has
    any of its own, the file must not add holidays twice or undo an operator's changes.
    """
    area = str(read_file(path).get("area") or user.scope_region or "")
    inside = (Programme.area_code == area) | Programme.area_code.like(area + ".%")
    teams = (Team.area_code == area) | Team.area_code.like(area + ".%")
    return (resources.calendar_for(session=session, area_code=area) is not None
            or session.scalar(select(Programme.id).where(inside).limit(1)) is not None
            or session.scalar(select(Team.id).where(teams).limit(1)) is not None)


def load_settings(*, session: Session, user: User, data: dict[str, Any]) -> dict[str, int]:
    """Store the settings of `data`; return how many of each were stored."""
    area = str(data.get("area") or user.scope_region or "")
    counts = {"kalender": 0, "libur": 0, "program": 0, "tim": 0, "tidak_tersedia": 0, "kontak": 0}
    if "calendar" in data:
        c = data["calendar"]
        office = _span(c.get("office_hours", "08:00-15:00"), "calendar.office_hours")
        school = _span(c.get("school_hours", "07:30-13:00"), "calendar.school_hours")
        friday = _span(c.get("friday_break", "11:30-13:00"), "calendar.friday_break")
        ramadan = c.get("ramadan") or [None, None]
        resources.save_calendar(
            session=session, user=user, area_code=area, office_opens=office[0],
            office_closes=office[1], school_opens=school[0], school_closes=school[1],
            friday_break_starts=friday[0], friday_break_ends=friday[1],
            kits=int(c.get("kits", 1)), queue_threshold=c.get("queue_threshold"),
            queue_weeks=int(c.get("queue_weeks", 8)),
            ramadan_starts=_date(ramadan[0], "calendar.ramadan") if ramadan[0] else None,
            ramadan_ends=_date(ramadan[1], "calendar.ramadan") if ramadan[1] else None,
            ramadan_friday_ends=parse_time(c["ramadan_friday_ends"], "ramadan_friday_ends")
            if c.get("ramadan_friday_ends") else None)
        counts["kalender"] += 1
    for number, h in enumerate(data.get("holidays", []), start=1):
        resources.add_holiday(session=session, user=user, area_code=str(h.get("area", area)),
                              day=_date(h.get("day"), f"holidays[{number}]"),
                              name=str(h.get("name", "")))
        counts["libur"] += 1
    for item in data.get("programmes", []):
        existing = session.scalar(select(Programme).where(
            Programme.area_code == area, Programme.name == item.get("name")))
        resources.save_programme(
            session=session, user=user, area_code=str(item.get("area", area)),
            name=str(item.get("name", "")), kind=str(item.get("kind", "")),
            service_minutes=dict(item.get("service_minutes", {})),
            setup_minutes=int(item.get("setup_minutes", 10)),
            weekdays=list(item.get("weekdays", [])),
            programme_id=existing.id if existing else None)
        counts["program"] += 1
    for item in data.get("teams", []):
        team = session.scalar(select(Team).where(Team.name == item.get("name")))
        base = item.get("base") or [None, None]
        saved = resources.save_team(
            session=session, user=user, area_code=str(item.get("area", area)),
            name=str(item.get("name", "")), members=list(item.get("members", [])),
            skills=list(item.get("skills", [])), kits=int(item.get("kits", 1)),
            vehicle=str(item.get("vehicle", "")), base_name=str(item.get("base_name", "")),
            base_latitude=base[0], base_longitude=base[1],
            team_id=team.id if team else None)
        counts["tim"] += 1
        for number, away in enumerate(item.get("unavailable", []), start=1):
            # [[teams.unavailable]] from = 2026-12-11, to = ..., member = "...", reason = "cuti"
            what = f"teams[{item.get('name')}].unavailable[{number}]"
            starts = _date(away.get("from"), what)
            availability.mark_unavailable(
                session=session, user=user, team_id=saved.id, starts=starts,
                ends=_date(away["to"], what) if away.get("to") else starts,
                member=str(away.get("member", "")), reason=str(away.get("reason", "")))
            counts["tidak_tersedia"] += 1
    for item in data.get("contacts", []):
        # [[contacts]] site = "desa:33.06.01.2001", name = "...", phone = "..."
        contacts.save_contact(session=session, user=user, site_key=str(item.get("site", "")),
                              name=str(item.get("name", "")), phone=str(item.get("phone", "")))
        counts["kontak"] += 1
    return counts
