"""Care profiles and incidents: read through the access rules, every note read audited."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from jemput.auth import audit
from jemput.auth.access import Forbidden, NotFound, has_role, region_filter
from jemput.auth.models import User
from jemput.regions import service as regions
from jemput.residents.models import Resident
from jemput.residents.nik import mask_nik
from jemput.vulnerable import access, codes
from jemput.vulnerable.models import CareIncident, CareProfile
from jemput.vulnerable.schemas import (
    CareNotes,
    Coded,
    IncidentIn,
    IncidentOut,
    ProfileIn,
    ProfileOut,
    ProfilesOut,
    ProfileSummary,
)
from jemput.vulnerable.strings import label

LIST_LIMIT = 500


class ProfileRefused(ValueError):
    """A profile or incident the office would not want stored: the message says why."""


def _region_name(session: Session, code: str) -> str | None:
    region = regions.get_region(session=session, code=code)
    return region.name if region else None


def coded(table: str, stored: str, locale: str) -> list[Coded]:
    """Return stored codes with their labels in `locale`."""
    return [Coded(code=code, label=label(table, code, locale))
            for code in codes.split_codes(stored)]


def access_care_resident(
    *, session: Session, user: User, resident_id: int, write: bool = False
) -> Resident:
    """Return the resident if the user may see (or `write`) their profile; else raise."""
    roles = access.PROFILE_WRITERS if write else (*access.LIST_READERS, *access.ASSIGNED_ROLES)
    if not has_role(user, *roles):
        raise Forbidden(user.role)
    resident = session.get(Resident, resident_id)
    if resident is None:
        raise NotFound(resident_id)
    allowed = (access.may_write_profile(user, resident.desa_code) if write
               else access.may_open_profile(user, resident))
    if not allowed:
        raise NotFound(resident_id)
    return resident


def get_profile(*, session: Session, resident: Resident) -> CareProfile | None:
    """Return the resident's care profile, if there is one."""
    return session.scalar(select(CareProfile).where(CareProfile.resident_id == resident.id))


def incidents(*, session: Session, profile: CareProfile) -> list[CareIncident]:
    """Return the profile's incidents, newest first: the next team reads the latest first."""
    return list(session.scalars(
        select(CareIncident).where(CareIncident.profile_id == profile.id)
        .order_by(CareIncident.happened_on.desc(), CareIncident.id.desc())
    ))


def _summary(session: Session, profile: CareProfile, resident: Resident, count: int,
             locale: str) -> ProfileSummary:
    return ProfileSummary(
        resident_id=resident.id, name=resident.name, nik_masked=mask_nik(resident.nik),
        desa_code=resident.desa_code, desa_name=_region_name(session, resident.desa_code),
        needs=coded("need", profile.needs, locale),
        approaches=coded("approach", profile.approaches, locale),
        consent=Coded(code=profile.consent, label=label("consent", profile.consent, locale)),
        incident_count=count, updated_at=profile.updated_at,
    )


def list_profiles(*, session: Session, user: User, region: str | None = None) -> ProfilesOut:
    """Return the profiles in the user's scope (optionally one region inside it), no notes."""
    if not has_role(user, *access.LIST_READERS):
        raise Forbidden(user.role)
    return profiles_in(session=session, within=access.list_filter(user), region=region,
                       locale=user.locale)


def profiles_in(
    *, session: Session, within: ColumnElement[bool], region: str | None, locale: str
) -> ProfilesOut:
    """Return the profiles of residents matching `within` (and inside `region`), no notes."""
    counts = (select(CareIncident.profile_id, func.count().label("n"))
              .group_by(CareIncident.profile_id).subquery())
    statement = (
        select(CareProfile, Resident, func.coalesce(counts.c.n, 0))
        .join(Resident, Resident.id == CareProfile.resident_id)
        .outerjoin(counts, counts.c.profile_id == CareProfile.id)
        .where(within)
        .order_by(Resident.desa_code, Resident.name, Resident.id)
    )
    if region:
        statement = statement.where(region_filter(region, Resident.desa_code))
    rows = session.execute(statement.limit(LIST_LIMIT + 1)).all()
    total = len(rows) if len(rows) <= LIST_LIMIT else session.scalar(
        select(func.count()).select_from(statement.subquery())) or 0
    return ProfilesOut(total=total, profiles=[
        _summary(session, profile, resident, count, locale)
        for profile, resident, count in rows[:LIST_LIMIT]
    ])


def _notes(session: Session, profile: CareProfile) -> CareNotes:
    return CareNotes(
        need_notes=profile.need_notes, approach_notes=profile.approach_notes,
        guardian_name=profile.guardian_name, guardian_relation=profile.guardian_relation,
        guardian_phone=profile.guardian_phone, consent_on=profile.consent_on,
        consent_by=profile.consent_by, safety_notes=profile.safety_notes,
        incidents=[IncidentOut.model_validate(incident, from_attributes=True)
                   for incident in incidents(session=session, profile=profile)],
    )


def read_care_notes(
    *, session: Session, user: User, resident: Resident, profile: CareProfile, ip: str | None,
    where: str,
) -> CareNotes | None:
    """Return the profile's care notes if the user may read them, logging the read; else None."""
    if not access.may_read_care_notes(user, resident):
        return None
    audit.record(session=session, actor=user, action="care.read_notes", object_type="resident",
                 object_id=resident.id, ip=ip, region=resident.desa_code,
                 detail={"halaman": where})
    return _notes(session, profile)


def describe_profile(
    *, session: Session, user: User, resident: Resident, ip: str | None
) -> ProfileOut:
    """Build the profile page's data; care notes only for those who may read them."""
    profile = get_profile(session=session, resident=resident)
    notes = None
    summary = None
    if profile is not None:
        notes = read_care_notes(session=session, user=user, resident=resident,
                                profile=profile, ip=ip, where="profil")
        count = len(notes.incidents) if notes else len(incidents(session=session,
                                                                 profile=profile))
        summary = _summary(session, profile, resident, count, user.locale)
    return ProfileOut(
        resident_id=resident.id, name=resident.name, nik_masked=mask_nik(resident.nik),
        desa_code=resident.desa_code, desa_name=_region_name(session, resident.desa_code),
        exists=profile is not None, profile=summary, notes=notes,
        may_read_notes=access.may_read_care_notes(user, resident),
        may_write=access.may_write_profile(user, resident.desa_code),
    )


def care_alert(
    *, session: Session, user: User, resident: Resident, ip: str | None
) -> CareNotes | None:
    """Return what the resident page's "Perhatian" block shows the user (audited), or None."""
    profile = get_profile(session=session, resident=resident)
    if profile is None or not (profile.safety_notes or incidents(session=session,
                                                                 profile=profile)):
        return None
    return read_care_notes(session=session, user=user, resident=resident, profile=profile,
                           ip=ip, where="penduduk")


def _codes(values: list[str], table: tuple[str, ...], what: str) -> str:
    try:
        return codes.parse_codes(values, table, what)
    except codes.CodeRefused as error:
        raise ProfileRefused(str(error)) from None


def save_profile(
    *, session: Session, user: User, resident: Resident, data: ProfileIn, ip: str | None
) -> CareProfile:
    """Create or replace the resident's care profile; a home visit marks needs_home_visit."""
    if not access.may_write_profile(user, resident.desa_code):
        raise NotFound(resident.id)
    needs = _codes(data.needs, codes.NEEDS, "Kebutuhan")
    approaches = _codes(data.approaches, codes.APPROACHES, "Pendekatan")
    if not needs:
        raise ProfileRefused("Pilih paling sedikit satu jenis kebutuhan.")
    if data.consent not in codes.CONSENT:
        raise ProfileRefused(f"Persetujuan '{data.consent[:20]}' tidak dikenal.")
    now = datetime.now(UTC)
    profile = get_profile(session=session, resident=resident)
    created = profile is None
    if profile is None:
        profile = CareProfile(resident_id=resident.id, created_at=now, created_by=user.username)
        session.add(profile)
    profile.needs, profile.approaches = needs, approaches
    for field in ("need_notes", "approach_notes", "guardian_name", "guardian_relation",
                  "guardian_phone", "consent", "consent_on", "consent_by", "safety_notes"):
        value = getattr(data, field)
        setattr(profile, field, value if value != "" else None)
    profile.updated_at, profile.updated_by = now, user.username
    if "kunjungan_rumah" in codes.split_codes(approaches):
        mark_home_visit(resident=resident, now=now)
    session.flush()
    # The log says that and by whom, never what: the notes are specific personal data.
    audit.record(session=session, actor=user,
                 action="care.profile_created" if created else "care.profile_updated",
                 object_type="resident", object_id=resident.id, ip=ip,
                 region=resident.desa_code, detail={"kebutuhan": needs})
    return profile


def mark_home_visit(*, resident: Resident, now: datetime) -> None:
    """Record, as the family or desa stated it, that the resident needs a home visit."""
    if resident.needs_home_visit is not True:
        resident.needs_home_visit = True
        resident.updated_at = now


def add_incident(
    *, session: Session, user: User, resident: Resident, data: IncidentIn, ip: str | None
) -> CareIncident:
    """Attach an incident to the resident's profile (created bare if there is none yet)."""
    if not access.may_write_profile(user, resident.desa_code):
        raise NotFound(resident.id)
    now = datetime.now(UTC)
    if data.happened_on > now.date():
        raise ProfileRefused("Tanggal kejadian tidak boleh di masa depan.")
    profile = get_profile(session=session, resident=resident)
    if profile is None:
        raise ProfileRefused("Buat profil penduduk rentan dulu, lalu catat kejadiannya.")
    incident = CareIncident(
        profile_id=profile.id, happened_on=data.happened_on, what=data.what,
        who_present=data.who_present or None, follow_up=data.follow_up or None,
        recorded_at=now, recorded_by=user.username,
    )
    session.add(incident)
    profile.updated_at, profile.updated_by = now, user.username
    session.flush()
    audit.record(session=session, actor=user, action="care.incident_added",
                 object_type="resident", object_id=resident.id, ip=ip,
                 region=resident.desa_code, detail={"kejadian": incident.id})
    return incident
