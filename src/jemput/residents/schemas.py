"""Pydantic shapes of the registry's JSON API; the pages render the same objects."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel


class ResidentHit(BaseModel):
    id: int
    nik_masked: str
    name: str
    age: int
    # With dusun and RT/RW: enough to tell apart namesakes (27 "SRI RAHAYU") without a NIK.
    birth_year: int
    sex: str
    desa_code: str
    desa_name: str | None
    dusun: str | None
    rt: str | None
    rw: str | None
    ktp_status: str | None
    ktp_status_label: str
    life_status: str


class SearchOut(BaseModel):
    query: str
    # nik | nama | kosong (nothing typed) | nik_salah (digits, but not 16)
    kind: str
    # Every match in the user's scope; `results` holds at most the best 50 of them.
    total: int = 0
    results: list[ResidentHit]
    # More candidates than can be ranked: the query should be more specific.
    too_many: bool = False


class HouseholdMember(BaseModel):
    id: int
    nik_masked: str
    name: str
    age: int
    household_relation: str | None


class StatusChangeOut(BaseModel):
    changed_at: datetime
    data_date: date  # the day the status is known to hold; history is in this order
    old_status: str | None
    old_label: str | None
    new_status: str | None
    new_label: str | None
    source: str
    import_id: int | None
    note: str | None


class Vulnerability(BaseModel):
    disability: int | None
    disability_label: str | None
    bedridden: bool
    odgj: bool
    lansia: bool
    vulnerable: bool
    needs_home_visit: bool
    # True when the family or desa said so; False when derived from age and condition.
    needs_home_visit_stated: bool


class DerivedFacts(BaseModel):
    on: date
    wajib_ktp: bool
    may_record: bool
    recorded: bool
    pemula: bool
    due_for_deactivation: bool
    # Recorded but stuck (duplicate, failed enrolment): the office must act.
    follow_up: bool


class Address(BaseModel):
    address: str | None
    rt: str | None
    rw: str | None
    dusun: str | None
    desa_code: str
    desa_name: str | None
    kecamatan_code: str
    kecamatan_name: str | None


class ResidentOut(BaseModel):
    id: int
    nik_masked: str
    kk_number: str | None
    name: str
    sex: str
    birth_place: str | None
    birth_date: date
    age: int
    religion: str | None
    marital_status: str
    household_relation: str | None
    citizenship: str
    life_status: str
    missing_since_import_id: int | None
    nik_warning: str | None
    address: Address
    vulnerability: Vulnerability
    facts: DerivedFacts
    ktp_status: str | None
    ktp_status_label: str
    history: list[StatusChangeOut]
    household: list[HouseholdMember]
    may_reveal_nik: bool
    updated_at: datetime


class NikOut(BaseModel):
    id: int
    nik: str


class ImportJobOut(BaseModel):
    id: int
    kind: str
    status: str
    status_label: str
    file_name: str | None
    progress_done: int
    progress_total: int
    percent: int
    message: str | None
    result: dict[str, object] | None
    created_by: str
    created_at: datetime
    claimed_at: datetime | None
    finished_at: datetime | None
    report_url: str | None
    disappeared_url: str | None


class ImportJobsOut(BaseModel):
    jobs: list[ImportJobOut]
