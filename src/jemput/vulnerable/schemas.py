"""Pydantic shapes of the care profile and referral API; the pages render the same objects."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, Field, StringConstraints

CONTROL = frozenset(chr(c) for c in range(32)) - {"\n", "\r", "\t"} | {"\x7f"}


def _printable(value: str) -> str:
    # PostgreSQL refuses NUL in text, and no note needs control characters.
    if any(char in CONTROL for char in value):
        raise ValueError("teks berisi karakter kendali")
    return value


Printable = AfterValidator(_printable)
Note = Annotated[str, StringConstraints(strip_whitespace=True, max_length=4000), Printable]
Name = Annotated[str, StringConstraints(strip_whitespace=True, max_length=120), Printable]
Short = Annotated[str, StringConstraints(strip_whitespace=True, max_length=60), Printable]
Phone = Annotated[str, StringConstraints(strip_whitespace=True, max_length=20,
                                         pattern=r"^[0-9+()\- ]*$")]
Address = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200), Printable]
Reason = Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=1000),
                   Printable]


class ProfileIn(BaseModel):
    needs: list[str] = Field(min_length=1, max_length=20)
    approaches: list[str] = Field(default_factory=list, max_length=20)
    need_notes: Note | None = None
    approach_notes: Note | None = None
    guardian_name: Name | None = None
    guardian_relation: Short | None = None
    guardian_phone: Phone | None = None
    consent: str = "belum_ditanya"
    consent_on: date | None = None
    consent_by: Name | None = None
    safety_notes: Note | None = None


class IncidentIn(BaseModel):
    happened_on: date
    what: Annotated[str, StringConstraints(strip_whitespace=True, min_length=3,
                                           max_length=4000), Printable]
    who_present: Note | None = None
    follow_up: Note | None = None


class Coded(BaseModel):
    code: str
    label: str


class IncidentOut(BaseModel):
    id: int
    happened_on: date
    what: str
    who_present: str | None
    follow_up: str | None
    recorded_at: datetime
    recorded_by: str


class CareNotes(BaseModel):
    """What only `access.may_read_care_notes` may see; every read is audited."""

    need_notes: str | None
    approach_notes: str | None
    guardian_name: str | None
    guardian_relation: str | None
    guardian_phone: str | None
    consent_on: date | None
    consent_by: str | None
    safety_notes: str | None
    incidents: list[IncidentOut]


class ProfileSummary(BaseModel):
    """A row of the list: who needs what kind of help and approach; no notes."""

    resident_id: int
    name: str
    nik_masked: str
    desa_code: str
    desa_name: str | None
    needs: list[Coded]
    approaches: list[Coded]
    consent: Coded
    incident_count: int
    updated_at: datetime


class ProfilesOut(BaseModel):
    total: int
    profiles: list[ProfileSummary]


class ProfileOut(BaseModel):
    resident_id: int
    name: str
    nik_masked: str
    desa_code: str
    desa_name: str | None
    exists: bool
    profile: ProfileSummary | None
    # None when the reader may not see them: the page says so instead of showing nothing.
    notes: CareNotes | None
    may_read_notes: bool
    may_write: bool


class ReferralIn(BaseModel):
    # Either a resident chosen by search, or a person the registry does not know.
    resident_id: int | None = Field(default=None, ge=1, le=2_147_483_647)
    person_name: Name | None = None
    person_address: Address | None = None
    person_phone: Phone | None = None
    desa_code: Annotated[str, StringConstraints(pattern=r"^\d{2}\.\d{2}\.\d{2}\.\d{4}$")] | None \
        = None
    needs: list[str] = Field(min_length=1, max_length=20)
    approaches: list[str] = Field(default_factory=list, max_length=20)
    notes: Note | None = None


class AcceptIn(BaseModel):
    # For a person not yet linked: the resident they turned out to be, if found.
    resident_id: int | None = Field(default=None, ge=1, le=2_147_483_647)


class DeclineIn(BaseModel):
    reason: Reason


class ReferralOut(BaseModel):
    id: int
    resident_id: int | None
    name: str
    nik_masked: str | None
    person_address: str | None
    person_phone: str | None
    desa_code: str
    desa_name: str | None
    needs: list[Coded]
    approaches: list[Coded]
    notes: str | None
    referred_by: str
    referred_at: datetime
    status: Coded
    decided_at: datetime | None
    decided_by: str | None
    decision_reason: str | None


class ReferralsOut(BaseModel):
    # "own": the referrer's own referrals; "review": the office's queue in its scope.
    view: str
    referrals: list[ReferralOut]


class ReferralCandidate(BaseModel):
    id: int
    name: str
    nik_masked: str
    birth_year: int
    desa_code: str
    desa_name: str | None
    dusun: str | None
    rt: str | None
    rw: str | None
