"""Contact persons of session sites: the desa official for a balai desa session, the
school's coordinator for a school session. The day sheet prints them (sheets.py).

Jemput's accounts carry no phone number, and the registry none for a desa office or a
school, so the office enters them on the resources page (or in the settings file). A
site without one falls back to the Jemput accounts of that desa or school, by name.
"""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from jemput.auth.access import NotFound, has_role, region_in_scope
from jemput.auth.models import User
from jemput.outreach.models import SiteContact
from jemput.outreach.resources import MANAGERS, READERS, ResourceError, covering
from jemput.regions.models import Region
from jemput.schools.models import School

PHONE = re.compile(r"^\+?[0-9][0-9 -]{5,18}$")


def desa_of_site(session: Session, site_key: str) -> tuple[str, str]:
    """The desa code and the name of a site key; NotFound if there is no such site."""
    kind, _, key = site_key.partition(":")
    if kind == "desa":
        region = session.get(Region, key)
        if region is not None and region.level == "desa":
            return region.code, f"Balai Desa {region.name}"
    elif kind == "sekolah":
        school = session.scalar(select(School).where(School.npsn == key))
        if school is not None:
            return school.desa_code, school.name
    raise NotFound(site_key)


def save_contact(*, session: Session, user: User, site_key: str, name: str,
                 phone: str = "") -> SiteContact | None:
    """Set a site's contact; an empty name removes it. Only for sites in the user's scope."""
    site_key = site_key.strip()
    if not re.fullmatch(r"(desa|sekolah):[0-9.]{1,30}", site_key):
        raise ResourceError(f"tempat {site_key[:40]!r} tidak sah (tulis desa:KODE atau "
                            "sekolah:NPSN)")
    desa_code, _ = desa_of_site(session, site_key)
    if not has_role(user, *MANAGERS) or not region_in_scope(user, desa_code):
        raise NotFound(site_key)
    name, phone = name.strip(), phone.strip()
    row = session.scalar(select(SiteContact).where(SiteContact.site_key == site_key))
    if not name:
        if row is not None:
            session.delete(row)
            session.flush()
        return None
    if len(name) > 120:
        raise ResourceError("nama kontak paling panjang 120 huruf")
    if phone and not PHONE.match(phone):
        raise ResourceError(f"nomor telepon {phone[:20]!r} tidak sah (angka, boleh diawali +, "
                            "7–19 digit)")
    row = row or SiteContact(site_key=site_key, desa_code=desa_code)
    row.name, row.phone = name, phone
    session.add(row)
    session.flush()
    return row


def contact_words(row: SiteContact) -> str:
    return f"{row.name} ({row.phone})" if row.phone else row.name


def contacts_for(session: Session, site_keys: set[str]) -> dict[str, str]:
    """The entered contact of each site, in words (name and phone)."""
    return {row.site_key: contact_words(row) for row in session.scalars(
        select(SiteContact).where(SiteContact.site_key.in_(sorted(site_keys) or [""])))}


def contact_rows(*, session: Session, user: User) -> list[dict[str, object]]:
    """The resources page's list: contacts of the sites the user sees."""
    if not has_role(user, *READERS):
        return []
    rows = session.scalars(select(SiteContact).where(covering(user, SiteContact.desa_code))
                           .order_by(SiteContact.site_key))
    # covering() lets a reader see the areas around theirs; a contact is a person's phone:
    # shown only inside the scope.
    return [{"site_key": r.site_key, "desa_code": r.desa_code, "name": r.name,
             "phone": r.phone, "may_manage": has_role(user, *MANAGERS)}
            for r in rows if region_in_scope(user, r.desa_code)]
