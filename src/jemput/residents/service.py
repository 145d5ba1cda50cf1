"""Registry operations other domains use: look residents up, change a status."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from jemput import clock
from jemput.auth import audit
from jemput.auth.access import (
    Forbidden,
    NotFound,
    has_role,
    may_reveal_nik,
    region_in_scope,
    require_role,
    scope_filter,
)
from jemput.auth.models import Role, User
from jemput.regions import service as regions
from jemput.residents import eligibility, search
from jemput.residents.codes import DISABILITY_LABELS_ID, KTP_STATUS_LABELS_ID, KtpStatus
from jemput.residents.models import DesaDataDate, ImportRun, Resident, StatusChange
from jemput.residents.nik import mask_nik
from jemput.residents.schemas import (
    Address,
    DerivedFacts,
    HouseholdMember,
    ResidentHit,
    ResidentOut,
    SearchOut,
    StatusChangeOut,
    Vulnerability,
)


class ResidentNotFound(LookupError):
    """No resident with that NIK or id (or none the caller may see)."""


def get_resident_by_nik(*, session: Session, nik: str) -> Resident:
    """Return the resident with this NIK or raise ResidentNotFound."""
    resident = session.scalar(select(Resident).where(Resident.nik == nik))
    if resident is None:
        raise ResidentNotFound(nik)
    return resident


def set_ktp_status(
    *, session: Session, resident: Resident, status: KtpStatus, note: str | None = None,
    data_date: date | None = None,
) -> StatusChange | None:
    """Change a resident's KTP-el status and write its history row in the same transaction.

    The one place besides the bulk import (merge.apply) that changes a status; both
    write history with the change, so the history cannot miss one. `data_date` is the
    day the new status is known to hold (a field visit's date); by default, today.
    """
    if resident.ktp_status == status.value:
        return None
    now = datetime.now(UTC)
    change = StatusChange(
        resident_id=resident.id, old_status=resident.ktp_status, new_status=status.value,
        changed_at=now, data_date=data_date or now.date(), source="manual", note=note,
    )
    resident.ktp_status = status.value
    resident.updated_at = now
    session.add(change)
    session.flush()
    return change


def status_history(*, session: Session, resident: Resident) -> list[StatusChange]:
    """Return the resident's status changes in the order they happened, oldest first."""
    # By the date each change is known to hold, not by when it was entered: a field
    # visit entered late still comes before the export that already shows its result.
    return list(
        session.scalars(
            select(StatusChange)
            .where(StatusChange.resident_id == resident.id)
            .order_by(StatusChange.data_date, StatusChange.changed_at, StatusChange.id)
        )
    )


def latest_applied_import(*, session: Session) -> ImportRun | None:
    """Return the applied import the registry's data date comes from (see data_dates.py)."""
    # The import behind the newest desa data date, not the last one run: an older export
    # of desas not loaded before must not move the registry's date backwards.
    current = session.scalar(
        select(ImportRun).join(DesaDataDate, DesaDataDate.import_id == ImportRun.id)
        .order_by(DesaDataDate.data_date.desc(), ImportRun.id.desc()).limit(1)
    )
    return current or session.scalar(
        select(ImportRun).where(ImportRun.outcome == "applied")
        .order_by(ImportRun.data_date.desc(), ImportRun.id.desc()).limit(1)
    )


def list_imports(*, session: Session, limit: int = 50) -> list[ImportRun]:
    """Return recent import runs, newest first."""
    return list(session.scalars(select(ImportRun).order_by(ImportRun.id.desc()).limit(limit)))


# --- reading one resident (the resident page) -------------------------------------------

# Who reads the registry person by person. admin manages accounts, auditor reads the
# audit log, mitra sees only escort requests addressed to it, and sekolah and petugas
# work from their own rosters and visit lists, not from this page.
REGISTRY_READERS = (Role.OPERATOR, Role.KEPALA, Role.DESA)

SEX_ID = {1: "Laki-laki", 2: "Perempuan"}
RELIGION_ID = {1: "Islam", 2: "Kristen", 3: "Katolik", 4: "Hindu", 5: "Buddha",
               6: "Khonghucu", 7: "Kepercayaan/lainnya"}
MARITAL_ID = {1: "Belum kawin", 2: "Kawin", 3: "Cerai hidup", 4: "Cerai mati"}
RELATION_ID = {1: "Kepala keluarga", 2: "Suami", 3: "Istri", 4: "Anak", 5: "Menantu",
               6: "Cucu", 7: "Orang tua", 8: "Mertua", 9: "Famili lain", 10: "Pembantu",
               11: "Lainnya"}
LIFE_STATUS_ID = {"hidup": "Hidup", "mati": "Meninggal", "pindah": "Pindah",
                  "hilang": "Hilang"}
HOUSEHOLD_LIMIT = 30


def ktp_status_label(status: str | None) -> str:
    """Return the Indonesian label of a national KTP-el status."""
    if status is None:
        return "Tidak diketahui"
    return KTP_STATUS_LABELS_ID.get(status, status)


def require_registry_reader(user: User) -> None:
    """Raise Forbidden unless the user's role reads residents one by one."""
    require_role(user, *REGISTRY_READERS)


def reads_registry(user: User) -> bool:
    """Whether the user's role may open resident pages (a page links there only if so)."""
    return has_role(user, *REGISTRY_READERS)


def access_resident(*, session: Session, user: User, resident_id: int) -> Resident:
    """Return the resident if the user may read them; NotFound if missing or out of scope."""
    require_registry_reader(user)
    resident = session.get(Resident, resident_id)
    if resident is None:
        raise NotFound(resident_id)
    if not region_in_scope(user, resident.desa_code):
        raise NotFound(resident_id)
    return resident


def today() -> date:
    """Return today's date for age rules: the office's calendar day (see jemput.clock)."""
    return clock.today()


def household(*, session: Session, user: User, resident: Resident) -> list[Resident]:
    """Return the other members of the resident's KK that the user may see."""
    if not resident.kk_number:
        return []
    return list(
        session.scalars(
            select(Resident)
            .where(
                Resident.kk_number == resident.kk_number,
                Resident.id != resident.id,
                scope_filter(user, Resident.desa_code),
            )
            .order_by(Resident.household_relation, Resident.birth_date, Resident.id)
            .limit(HOUSEHOLD_LIMIT)
        )
    )


def _region_name(session: Session, code: str) -> str | None:
    region = regions.get_region(session=session, code=code)
    return region.name if region else None


def describe_resident(
    *, session: Session, user: User, resident: Resident, on: date | None = None
) -> ResidentOut:
    """Build the resident page's data (NIK masked) for a resident the user may read."""
    on = on or today()
    born = resident.birth_date
    stated = resident.needs_home_visit
    return ResidentOut(
        id=resident.id, nik_masked=mask_nik(resident.nik), kk_number=resident.kk_number,
        name=resident.name, sex=SEX_ID.get(resident.sex, str(resident.sex)),
        birth_place=resident.birth_place, birth_date=born, age=eligibility.age_on(born, on),
        religion=RELIGION_ID.get(resident.religion) if resident.religion else None,
        marital_status=MARITAL_ID.get(resident.marital_status, str(resident.marital_status)),
        household_relation=_relation(resident.household_relation),
        citizenship=resident.citizenship,
        life_status=LIFE_STATUS_ID.get(resident.life_status, resident.life_status),
        missing_since_import_id=resident.missing_since_import_id,
        nik_warning=resident.nik_warning,
        address=Address(
            address=resident.address, rt=resident.rt, rw=resident.rw, dusun=resident.dusun,
            desa_code=resident.desa_code,
            desa_name=_region_name(session, resident.desa_code),
            kecamatan_code=resident.desa_code[:8],
            kecamatan_name=_region_name(session, resident.desa_code[:8]),
        ),
        vulnerability=Vulnerability(
            disability=resident.disability,
            disability_label=DISABILITY_LABELS_ID.get(resident.disability)
            if resident.disability else None,
            bedridden=resident.bedridden, odgj=resident.odgj,
            lansia=eligibility.is_lansia(person=resident, on=on),
            vulnerable=eligibility.is_vulnerable(person=resident, on=on),
            needs_home_visit=eligibility.needs_home_visit(person=resident, on=on),
            needs_home_visit_stated=stated is not None,
        ),
        facts=DerivedFacts(
            on=on,
            wajib_ktp=eligibility.is_wajib_ktp(person=resident, on=on),
            may_record=eligibility.may_record(person=resident, on=on),
            recorded=eligibility.is_recorded(person=resident, on=on),
            pemula=eligibility.is_pemula(person=resident, on=on),
            due_for_deactivation=eligibility.is_due_for_deactivation(person=resident, on=on),
            follow_up=eligibility.needs_follow_up(person=resident, on=on),
        ),
        ktp_status=resident.ktp_status, ktp_status_label=ktp_status_label(resident.ktp_status),
        history=[
            StatusChangeOut(
                changed_at=change.changed_at, data_date=change.data_date,
                old_status=change.old_status,
                old_label=ktp_status_label(change.old_status) if change.old_status else None,
                new_status=change.new_status,
                new_label=ktp_status_label(change.new_status) if change.new_status else None,
                source=change.source, import_id=change.import_id, note=change.note,
            )
            for change in status_history(session=session, resident=resident)
        ],
        household=[
            HouseholdMember(
                id=member.id, nik_masked=mask_nik(member.nik), name=member.name,
                age=eligibility.age_on(member.birth_date, on),
                household_relation=_relation(member.household_relation),
            )
            for member in household(session=session, user=user, resident=resident)
        ],
        may_reveal_nik=may_reveal_nik(user, resident.desa_code),
        updated_at=resident.updated_at,
    )


def _relation(code: int | None) -> str | None:
    return RELATION_ID.get(code, str(code)) if code else None


def reveal_nik(*, session: Session, user: User, resident: Resident, ip: str | None) -> str:
    """Return the full NIK if the user may see it, and log that they did; else Forbidden."""
    if not may_reveal_nik(user, resident.desa_code):
        raise Forbidden(user.role)
    audit.record(session=session, actor=user, action="resident.reveal_nik",
                 object_type="resident", object_id=resident.id, ip=ip,
                 region=resident.desa_code)
    return resident.nik


def record_view(*, session: Session, user: User, resident: Resident, ip: str | None) -> None:
    """Log that the user opened the resident's full record."""
    audit.record(session=session, actor=user, action="resident.view",
                 object_type="resident", object_id=resident.id, ip=ip,
                 region=resident.desa_code)


# --- search -----------------------------------------------------------------------------


def search_residents(
    *, session: Session, user: User, text: str, ip: str | None = None
) -> SearchOut:
    """Search by NIK or name inside the user's scope (masked NIKs), and log the search."""
    require_registry_reader(user)
    found = search.search(session=session, user=user, text=text)
    on = today()
    hits = [
        ResidentHit(
            id=r.id, nik_masked=mask_nik(r.nik), name=r.name,
            age=eligibility.age_on(r.birth_date, on), birth_year=r.birth_date.year,
            sex="L" if r.sex == 1 else "P", desa_code=r.desa_code,
            desa_name=_region_name(session, r.desa_code), dusun=r.dusun, rt=r.rt, rw=r.rw,
            ktp_status=r.ktp_status,
            ktp_status_label=ktp_status_label(r.ktp_status), life_status=r.life_status,
        )
        for r in found.residents
    ]
    if found.query.kind in ("nik", "nama"):
        # The audit log masks NIKs; a typed name stays out of it, the count does not.
        audit.record(session=session, actor=user, action="resident.search",
                     detail={"jenis": found.query.kind, "nik": found.query.nik,
                             "hasil": len(hits)}, ip=ip)
    return SearchOut(query=text, kind=found.query.kind, total=found.total, results=hits,
                     too_many=found.too_many)

