"""Referrals: a desa official or partner agency reports a person; the office decides."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import case, select
from sqlalchemy.orm import Session

from jemput.auth import audit
from jemput.auth.access import Forbidden, NotFound, has_role, region_in_scope, scope_filter
from jemput.auth.models import User
from jemput.regions import service as regions
from jemput.residents import search
from jemput.residents import service as residents
from jemput.residents.models import Resident
from jemput.residents.nik import mask_nik
from jemput.vulnerable import access, codes
from jemput.vulnerable.models import Referral
from jemput.vulnerable.schemas import (
    Coded,
    ProfileIn,
    ReferralCandidate,
    ReferralIn,
    ReferralOut,
    ReferralsOut,
)
from jemput.vulnerable.service import ProfileRefused, coded, get_profile, mark_home_visit
from jemput.vulnerable.service import save_profile as _save_profile
from jemput.vulnerable.strings import label

LIST_LIMIT = 200


def _resident_in_scope(session: Session, user: User, resident_id: int) -> Resident:
    resident = session.get(Resident, resident_id)
    if resident is None or not region_in_scope(user, resident.desa_code):
        raise NotFound(resident_id)
    return resident


def find_candidates(*, session: Session, user: User, text: str,
                    ip: str | None) -> list[ReferralCandidate]:
    """Search residents in the referrer's scope by NIK or name (masked), and log the search."""
    if not has_role(user, *access.REFERRERS):
        raise Forbidden(user.role)
    found = search.search(session=session, user=user, text=text.strip())
    if found.query.kind in ("nik", "nama"):
        audit.record(session=session, actor=user, action="referral.search",
                     detail={"jenis": found.query.kind, "hasil": len(found.residents)}, ip=ip)
    return [
        ReferralCandidate(
            id=r.id, name=r.name, nik_masked=mask_nik(r.nik), birth_year=r.birth_date.year,
            desa_code=r.desa_code, desa_name=_region_name(session, r.desa_code),
            dusun=r.dusun, rt=r.rt, rw=r.rw,
        )
        for r in found.residents
    ]


def _region_name(session: Session, code: str) -> str | None:
    region = regions.get_region(session=session, code=code)
    return region.name if region else None


def create_referral(
    *, session: Session, user: User, data: ReferralIn, ip: str | None
) -> Referral:
    """Record a referral of a resident in the user's scope, or of a person not registered."""
    if not has_role(user, *access.REFERRERS):
        raise Forbidden(user.role)
    try:
        needs = codes.parse_codes(data.needs, codes.NEEDS, "Kebutuhan")
        approaches = codes.parse_codes(data.approaches, codes.APPROACHES, "Pendekatan")
    except codes.CodeRefused as error:
        raise ProfileRefused(str(error)) from None
    if not needs:
        raise ProfileRefused("Pilih paling sedikit satu jenis kebutuhan.")
    referral = Referral(needs=needs, approaches=approaches, notes=data.notes or None,
                        referred_by_user_id=user.id, referred_by=user.username,
                        referred_at=datetime.now(UTC), status=codes.PENDING)
    if data.resident_id is not None:
        resident = _resident_in_scope(session, user, data.resident_id)
        _refuse_unreferrable(session, resident)
        referral.resident_id, referral.desa_code = resident.id, resident.desa_code
    else:
        if not data.person_name or not (data.person_address or data.person_phone):
            raise ProfileRefused("Pilih warga dari pencarian, atau isi nama dan alamat atau "
                                 "telepon warga yang belum terdaftar.")
        # A desa official's person lives in their own desa; a partner names the desa.
        desa_code = data.desa_code or (user.scope_region if _is_desa(user.scope_region)
                                       else None)
        if desa_code is None:
            raise ProfileRefused("Isi kode desa tempat warga tinggal (mis. 33.06.01.2001).")
        if not region_in_scope(user, desa_code) or desa_code not in regions.village_codes(
                session=session):
            raise ProfileRefused(f"Desa {desa_code} tidak ada di wilayah Anda.")
        referral.desa_code = desa_code
        referral.person_name = data.person_name
        referral.person_address = data.person_address or None
        referral.person_phone = data.person_phone or None
    session.add(referral)
    session.flush()
    audit.record(session=session, actor=user, action="referral.created",
                 object_type="referral", object_id=referral.id, ip=ip,
                 region=referral.desa_code,
                 detail={"terdaftar": referral.resident_id is not None, "kebutuhan": needs})
    return referral


def _refuse_unreferrable(session: Session, resident: Resident) -> None:
    if resident.life_status != "hidup":
        status = residents.LIFE_STATUS_ID.get(resident.life_status, resident.life_status)
        raise ProfileRefused(f"{resident.name} tercatat {status.lower()} di data "
                             "kependudukan; rujukan kunjungan tidak dibuat.")
    waiting = session.scalar(select(Referral.id).where(
        Referral.resident_id == resident.id, Referral.status == codes.PENDING).limit(1))
    if waiting is not None:
        # One queue entry per person: a second referral would be reviewed twice.
        raise ProfileRefused(f"{resident.name} sudah dirujuk (rujukan #{waiting}) dan "
                             "menunggu tinjauan kantor.")


def _is_desa(code: str | None) -> bool:
    return bool(code) and len(code or "") == 13


def list_referrals(*, session: Session, user: User, ip: str | None) -> ReferralsOut:
    """Return the office's review queue in its scope, or the referrer's own referrals."""
    if has_role(user, *access.REVIEWERS):
        statement = select(Referral).where(scope_filter(user, Referral.desa_code))
        view = "review"
    elif has_role(user, *access.REFERRERS):
        statement = select(Referral).where(Referral.referred_by_user_id == user.id)
        view = "own"
    else:
        raise Forbidden(user.role)
    waiting_first = case((Referral.status == codes.PENDING, 0), else_=1)
    rows = list(session.scalars(
        statement.order_by(waiting_first, Referral.referred_at.desc(), Referral.id.desc())
        .limit(LIST_LIMIT)
    ))
    if view == "review" and rows:
        # The queue shows what referrers wrote about each person's condition: a care-note read.
        audit.record(session=session, actor=user, action="referral.list", ip=ip,
                     detail={"jumlah": len(rows)}, region=user.scope_region)
    return ReferralsOut(view=view, referrals=[_describe(session, r, user.locale) for r in rows])


def _describe(session: Session, referral: Referral, locale: str) -> ReferralOut:
    resident = session.get(Resident, referral.resident_id) if referral.resident_id else None
    return ReferralOut(
        id=referral.id, resident_id=referral.resident_id,
        name=resident.name if resident else (referral.person_name or ""),
        nik_masked=mask_nik(resident.nik) if resident else None,
        person_address=referral.person_address, person_phone=referral.person_phone,
        desa_code=referral.desa_code, desa_name=_region_name(session, referral.desa_code),
        needs=coded("need", referral.needs, locale),
        approaches=coded("approach", referral.approaches, locale),
        notes=referral.notes, referred_by=referral.referred_by,
        referred_at=referral.referred_at,
        status=Coded(code=referral.status, label=label("status", referral.status, locale)),
        decided_at=referral.decided_at, decided_by=referral.decided_by,
        decision_reason=referral.decision_reason,
    )


def describe_referral(*, session: Session, referral: Referral, locale: str) -> ReferralOut:
    """Return the referral as the API shows it."""
    return _describe(session, referral, locale)


def access_referral(*, session: Session, user: User, referral_id: int) -> Referral:
    """Return a referral the user may review; NotFound if missing or out of scope."""
    if not has_role(user, *access.REVIEWERS):
        raise Forbidden(user.role)
    referral = session.get(Referral, referral_id)
    if referral is None or not access.may_review_referral(user, referral.desa_code):
        raise NotFound(referral_id)
    return referral


def _pending(referral: Referral) -> None:
    if referral.status != codes.PENDING:
        raise ProfileRefused(f"Rujukan #{referral.id} sudah "
                             f"{label('status', referral.status, 'id').lower()}.")


def accept_referral(
    *, session: Session, user: User, referral: Referral, resident_id: int | None,
    ip: str | None,
) -> Referral:
    """Accept a referral: the resident's profile takes its needs, and a home visit is due."""
    _pending(referral)
    if referral.resident_id is None and resident_id is not None:
        resident = _resident_in_scope(session, user, resident_id)
        referral.resident_id = resident.id
    now = datetime.now(UTC)
    if referral.resident_id is not None:
        resident = _resident_in_scope(session, user, referral.resident_id)
        _merge_into_profile(session, user, resident, referral, ip)
        mark_home_visit(resident=resident, now=now)
    referral.status, referral.decided_at, referral.decided_by = codes.ACCEPTED, now, user.username
    session.flush()
    audit.record(session=session, actor=user, action="referral.accepted",
                 object_type="referral", object_id=referral.id, ip=ip,
                 region=referral.desa_code, detail={"penduduk": referral.resident_id})
    return referral


def _merge_into_profile(session: Session, user: User, resident: Resident, referral: Referral,
                        ip: str | None) -> None:
    # What the office already knows stays; the referral adds its needs and approaches,
    # and its notes go under the desa's report with who sent them.
    profile = get_profile(session=session, resident=resident)
    approaches = set(codes.split_codes(referral.approaches)) | {"kunjungan_rumah"}
    note = f"[Rujukan #{referral.id}, {referral.referred_by}] {referral.notes}" \
        if referral.notes else None
    if profile is None:
        data = ProfileIn.model_construct(needs=codes.split_codes(referral.needs),
                                         approaches=sorted(approaches), need_notes=note)
    else:
        # Constructed, not validated: the merged report may outgrow one form's limit.
        data = ProfileIn.model_construct(
            needs=sorted(set(codes.split_codes(profile.needs))
                         | set(codes.split_codes(referral.needs))),
            approaches=sorted(set(codes.split_codes(profile.approaches)) | approaches),
            need_notes="\n\n".join(n for n in (profile.need_notes, note) if n) or None,
            approach_notes=profile.approach_notes, guardian_name=profile.guardian_name,
            guardian_relation=profile.guardian_relation,
            guardian_phone=profile.guardian_phone, consent=profile.consent,
            consent_on=profile.consent_on, consent_by=profile.consent_by,
            safety_notes=profile.safety_notes,
        )
    _save_profile(session=session, user=user, resident=resident, data=data, ip=ip)


def decline_referral(
    *, session: Session, user: User, referral: Referral, reason: str, ip: str | None
) -> Referral:
    """Decline a referral with the reason the referrer will read."""
    _pending(referral)
    referral.status, referral.decision_reason = codes.DECLINED, reason
    referral.decided_at, referral.decided_by = datetime.now(UTC), user.username
    session.flush()
    audit.record(session=session, actor=user, action="referral.declined",
                 object_type="referral", object_id=referral.id, ip=ip,
                 region=referral.desa_code)
    return referral
