"""What the resource and campaign pages show, as plain data (the JSON twins return it as is)."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from jemput.auth.access import has_role, region_in_scope, require_role
from jemput.auth.models import User
from jemput.outreach import availability, campaigns, contacts, plans, resources
from jemput.outreach.models import CalendarSettings, Holiday, OfficeCount, Programme, Team
from jemput.outreach.resources import codes, hhmm
from jemput.planning import problem as p
from jemput.targets import service as targets


def _may_manage(user: User, area_code: str) -> bool:
    return has_role(user, *resources.MANAGERS) and region_in_scope(user, area_code)


def resources_context(*, session: Session, user: User) -> dict[str, Any]:
    """Programmes, teams, calendars, holidays and recent office counts the user may see."""
    programmes = resources.visible(session=session, user=user, model=Programme)
    teams = resources.visible(session=session, user=user, model=Team)
    calendars = resources.visible(session=session, user=user, model=CalendarSettings)
    holidays = resources.visible(session=session, user=user, model=Holiday)
    counts = list(session.scalars(select(OfficeCount).where(
        resources.covering(user, OfficeCount.area_code))
        .order_by(OfficeCount.day.desc()).limit(60)))
    return {
        "may_manage": has_role(user, *resources.MANAGERS),
        "scope": user.scope_region,
        "kinds": [str(k) for k in p.ProgrammeKind],
        "categories": [str(c) for c in p.Category],
        "skills": [str(s) for s in p.Skill],
        "day_names": list(resources.DAY_NAMES),
        "programmes": [{"id": r.id, "area_code": r.area_code, "name": r.name, "kind": r.kind,
                        "service_minutes": json.loads(r.service_minutes),
                        "setup_minutes": r.setup_minutes, "weekdays": resources.ids(r.weekdays),
                        "may_manage": _may_manage(user, r.area_code)} for r in programmes],
        "teams": [{"id": r.id, "area_code": r.area_code, "name": r.name,
                   "members": codes(r.members), "skills": codes(r.skills), "kits": r.kits,
                   "vehicle": r.vehicle, "base_name": r.base_name,
                   "base": [r.base_latitude, r.base_longitude]
                   if r.base_latitude is not None else None,
                   "may_manage": _may_manage(user, r.area_code)} for r in teams],
        "calendars": [{"area_code": c.area_code, "office_hours": [hhmm(c.office_opens),
                                                                  hhmm(c.office_closes)],
                       "school_hours": [hhmm(c.school_opens), hhmm(c.school_closes)],
                       "friday_break": [hhmm(c.friday_break_starts), hhmm(c.friday_break_ends)],
                       "ramadan": [c.ramadan_starts.isoformat(), c.ramadan_ends.isoformat()]
                       if c.ramadan_starts and c.ramadan_ends else None,
                       "ramadan_friday_ends": hhmm(c.ramadan_friday_ends)
                       if c.ramadan_friday_ends is not None else None,
                       "kits": c.kits, "queue_threshold": c.queue_threshold,
                       "queue_weeks": c.queue_weeks} for c in calendars],
        "holidays": [{"area_code": h.area_code, "day": h.day.isoformat(), "name": h.name}
                     for h in sorted(holidays, key=lambda h: h.day)],
        "absences": availability.absence_rows(session=session, user=user),
        "contacts": contacts.contact_rows(session=session, user=user),
        "office_counts": [{"area_code": c.area_code, "day": c.day.isoformat(), "count": c.count}
                          for c in counts],
    }


def campaigns_context(*, session: Session, user: User, locale: str = "id") -> dict[str, Any]:
    """The campaigns the user sees, and what a manager may build a new one from."""
    require_role(user, *campaigns.READERS)
    visible = campaigns.visible_campaigns(session=session, user=user)
    data: dict[str, Any] = {"campaigns": [plans.campaign_summary(c, locale) for c in visible],
                            "may_create": has_role(user, *campaigns.MANAGERS)}
    if data["may_create"]:
        data["programmes"] = [{"id": r.id, "name": r.name, "area_code": r.area_code}
                              for r in resources.visible(session=session, user=user,
                                                         model=Programme)]
        data["teams"] = [{"id": r.id, "name": r.name, "area_code": r.area_code}
                         for r in resources.visible(session=session, user=user, model=Team)]
        data["lists"] = [{"id": t.id, "name": t.name, "area_code": t.area_code}
                         for t in targets.visible_lists(session=session, user=user)]
    return data
