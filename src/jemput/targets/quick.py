"""One click on a roster page builds the target list of the people it counts.

The page sends the rule and its place (a school and session date, a desa and TPS, an
area); the list's name is written here, in Indonesian, from the same facts, so the
office can tell its lists apart: "Siswa 16+ belum rekam — SMA N 1 — sesi 10-12-2026".
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from jemput.auth.access import has_role, require_role
from jemput.auth.models import User
from jemput.regions.models import Region
from jemput.schools.models import School
from jemput.targets import rules as rule_registry
from jemput.targets import service
from jemput.targets.models import TargetList

SEPARATOR = " — "
# belum-padan names the list it came from: voters, students or santri.
UNMATCHED_TITLES = {"dpt": "Pemilih tidak dikenal SIAK", "sekolah": "Siswa tidak dikenal SIAK",
                    "dapodik": "Siswa tidak dikenal SIAK",
                    "pesantren": "Santri tidak dikenal SIAK"}


def may_build(user: User) -> bool:
    """Whether the user sees the one-click buttons: those who may create target lists."""
    return has_role(user, *service.MANAGERS)


def list_name(
    *, session: Session, rule: rule_registry.Rule, params: dict[str, Any], area_code: str,
    institution_npsn: str | None,
) -> str:
    """The Indonesian name of a list built with one click: what, where, when."""
    title = rule.title or rule.label[0]
    if rule.key == "belum-padan" and params.get("kind"):
        title = UNMATCHED_TITLES[params["kind"]]
    place = None
    if institution_npsn:
        place = session.scalar(select(School.name).where(School.npsn == institution_npsn))
    if place is None:
        region = session.get(Region, area_code)
        place = f"{region.name} ({area_code})" if region else area_code
    parts = [title, place]
    if params.get("tps"):
        parts.append(f"TPS {params['tps']}")
    if params.get("date"):
        day = f"{params['date']:%d-%m-%Y}"
        parts.append(f"sesi {day}" if institution_npsn else day)
    if params.get("before"):
        parts.append(f"17 sebelum {params['before']:%d-%m-%Y}")
    name = SEPARATOR.join(parts)
    if len(name) <= service.NAME_LENGTH:
        return name
    return name[:service.NAME_LENGTH - 1] + "…"


def create_with_one_click(
    *, session: Session, user: User, rule: str, params: dict[str, str], area_code: str,
    institution_npsn: str | None = None,
) -> TargetList:
    """Create the list a roster page's button stands for, named after what it holds."""
    require_role(user, *service.MANAGERS)
    chosen = rule_registry.get_rule(rule)
    parsed = rule_registry.parse_params(chosen, params)
    name = list_name(session=session, rule=chosen, params=parsed, area_code=area_code,
                     institution_npsn=institution_npsn or None)
    return service.create_list(session=session, user=user, name=name, rule=rule,
                               params=params, area_code=area_code,
                               institution_npsn=institution_npsn or None)
