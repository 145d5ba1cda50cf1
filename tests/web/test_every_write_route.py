"""Every write route refuses every role that may not use it, read from the app's route table.

The rule for each route is written once, in WRITE_RULES. A route added without a rule
fails `test_every_write_route_has_a_rule`, so nobody ships a write nobody thought about.
Each refused request carries a valid CSRF token and a well-formed body: the refusal must
come from the role check, not from a missing field or token.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlalchemy import select

from jemput.auth.models import User
from jemput.config import Settings
from jemput.db import unit_of_work
from jemput.outreach.models import Campaign
from jemput.residents.models import Resident
from jemput.targets.models import TargetList, TargetMember
from jemput.vulnerable.models import Referral
from jemput.web import create_app
from tests.personas import PERSONAS, page_csrf

WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
ANYONE_SIGNED_IN = frozenset(persona.role for persona in PERSONAS.values())
ADMIN = frozenset({"admin"})
IMPORTERS = frozenset({"operator", "admin"})
NIK_REVEALERS = frozenset({"kepala", "operator", "desa"})
TARGET_MANAGERS = frozenset({"operator"})
TARGET_WORKERS = frozenset({"operator", "desa", "sekolah", "mitra", "petugas"})
# JSON bodies of the target-list API, well-formed so a refusal comes from the role check.
TARGET_BODIES = {
    "/api/sasaran": {"name": "Belum rekam", "rule": "belum-rekam", "area_code": "33.06"},
    "/api/sasaran/cepat": {"rule": "luar-sekolah", "area_code": "33.06",
                           "params": {"date": "2026-08-01"}},
    "/api/sasaran/{list_id}/tugaskan": {"username": "desa"},
    "/api/sasaran/{list_id}/anggota/{member_id}/status": {"state": "contacted"},
}
# Campaigns (outreach/): the office plans and records outcomes, kepala approves.
OUTREACH_MANAGERS = frozenset({"operator"})
CAMPAIGN_APPROVERS = frozenset({"kepala"})
CAMPAIGN_BODIES = {
    "/api/kampanye": {"name": "Kampanye", "area_code": "33.06.01", "starts": "2026-12-04",
                      "ends": "2026-12-12", "programme_ids": [1], "team_ids": [1],
                      "list_ids": [1]},
    "/api/kampanye/{campaign_id}/rencana": {"iterations": 10},
    "/api/kampanye/{campaign_id}/hasil": {"entry_id": 1, "outcome": "recorded"},
}
CARE_WRITERS = frozenset({"operator", "desa"})  # vulnerable/access.py
REFERRERS = frozenset({"desa", "mitra"})
REFERRAL_REVIEWERS = frozenset({"operator"})

# path pattern (as in the route table) -> the roles that may use it (within their scope).
WRITE_RULES: dict[str, frozenset[str]] = {
    "/masuk": frozenset(),  # public: signing in is how one becomes a persona
    "/keluar": ANYONE_SIGNED_IN,
    "/akun/sandi": ANYONE_SIGNED_IN,
    "/akun/bahasa": ANYONE_SIGNED_IN,
    # One's own sessions and tokens: anyone signed in, and only their own (404 otherwise).
    "/akun/sesi/keluar-semua": ANYONE_SIGNED_IN,
    "/api/akun/sesi/keluar-semua": ANYONE_SIGNED_IN,
    "/akun/sesi/{session_id}/akhiri": ANYONE_SIGNED_IN,
    "/akun/token": ANYONE_SIGNED_IN,
    "/api/akun/token": ANYONE_SIGNED_IN,
    "/akun/token/{token_id}/cabut": ANYONE_SIGNED_IN,
    "/api/akun/token/{token_id}": ANYONE_SIGNED_IN,
    "/api/users": ADMIN,
    "/admin/pengguna": ADMIN,
    "/admin/pengguna/{user_id}/nonaktifkan": ADMIN,
    "/admin/pengguna/{user_id}/reset-sandi": ADMIN,
    "/admin/pengguna/{user_id}/ubah": ADMIN,
    "/api/users/{user_id}": ADMIN,
    "/api/tokens": ADMIN,
    "/api/tokens/{token_id}": ADMIN,
    "/admin/perangkat": ADMIN,
    "/admin/perangkat/{token_id}/cabut": ADMIN,
    "/api/penduduk/{resident_id}/nik": NIK_REVEALERS,
    "/penduduk/{resident_id}/nik": NIK_REVEALERS,
    "/api/impor": IMPORTERS,
    "/impor": IMPORTERS,
    "/api/daftar": IMPORTERS,
    "/daftar": IMPORTERS,
    # Accept or reject a link in review: operators, for residents inside their scope.
    "/daftar/tinjau/{roster_row_id}/terima": frozenset({"operator"}),
    "/daftar/tinjau/{roster_row_id}/tolak": frozenset({"operator"}),
    "/api/daftar/tinjau/{roster_row_id}/terima": frozenset({"operator"}),
    "/api/daftar/tinjau/{roster_row_id}/tolak": frozenset({"operator"}),
    # Target lists: the office builds, refreshes and assigns; whoever a member is given to
    # moves them (only their own: tests/targets/test_assignment.py).
    "/api/sasaran": TARGET_MANAGERS,
    "/sasaran": TARGET_MANAGERS,
    # One click on a roster page: the list of the people the page counts.
    "/api/sasaran/cepat": TARGET_MANAGERS,
    "/sasaran/cepat": TARGET_MANAGERS,
    "/api/sasaran/{list_id}/perbarui": TARGET_MANAGERS,
    "/sasaran/{list_id}/perbarui": TARGET_MANAGERS,
    "/api/sasaran/{list_id}/tugaskan": TARGET_MANAGERS,
    "/sasaran/{list_id}/tugaskan": TARGET_MANAGERS,
    "/api/sasaran/{list_id}/anggota/{member_id}/status": TARGET_WORKERS,
    "/sasaran/{list_id}/anggota/{member_id}/status": TARGET_WORKERS,
    "/rentan/{resident_id}": CARE_WRITERS,
    "/api/rentan/{resident_id}": CARE_WRITERS,
    "/rentan/{resident_id}/kejadian": CARE_WRITERS,
    "/api/rentan/{resident_id}/kejadian": CARE_WRITERS,
    "/rujukan": REFERRERS,
    "/api/rujukan": REFERRERS,
    "/rujukan/{referral_id}/terima": REFERRAL_REVIEWERS,
    "/api/rujukan/{referral_id}/terima": REFERRAL_REVIEWERS,
    "/rujukan/{referral_id}/tolak": REFERRAL_REVIEWERS,
    "/api/rujukan/{referral_id}/tolak": REFERRAL_REVIEWERS,
    "/kampanye/sumber-daya/program": OUTREACH_MANAGERS,
    "/kampanye/sumber-daya/tim": OUTREACH_MANAGERS,
    "/kampanye/sumber-daya/kalender": OUTREACH_MANAGERS,
    "/kampanye/sumber-daya/libur": OUTREACH_MANAGERS,
    "/kampanye/sumber-daya/tidak-tersedia": OUTREACH_MANAGERS,
    "/kampanye/sumber-daya/tidak-tersedia/hapus": OUTREACH_MANAGERS,
    "/kampanye/sumber-daya/kontak": OUTREACH_MANAGERS,
    "/kampanye/sumber-daya/antrean": OUTREACH_MANAGERS,
    "/kampanye": OUTREACH_MANAGERS,
    "/api/kampanye": OUTREACH_MANAGERS,
    "/kampanye/{campaign_id}/rencana": OUTREACH_MANAGERS,
    "/api/kampanye/{campaign_id}/rencana": OUTREACH_MANAGERS,
    "/kampanye/{campaign_id}/hasil": OUTREACH_MANAGERS,
    "/api/kampanye/{campaign_id}/hasil": OUTREACH_MANAGERS,
    "/kampanye/{campaign_id}/setujui": CAMPAIGN_APPROVERS,
    "/api/kampanye/{campaign_id}/setujui": CAMPAIGN_APPROVERS,
}
PUBLIC_WRITES = {"/masuk"}

SIAK_FILE = (
    "NIK,NO_KK,NAMA_LGKP,JENIS_KLMIN,TMPT_LHR,TGL_LHR,STAT_KWN,NO_PROP,NO_KAB,NO_KEC,NO_KEL\n"
    "3306014107900001,3306010101900001,SITI AMINAH,2,PURWOREJO,1990-07-01,2,33,6,1,2001\n"
)


def _api_routes(routes: list) -> list[APIRoute]:
    found = []
    for route in routes:
        if isinstance(route, APIRoute):
            found.append(route)
        elif hasattr(route, "original_router"):  # FastAPI wraps included routers
            found += _api_routes(route.original_router.routes)
    return found


def _write_routes() -> list[tuple[str, str]]:
    app = create_app(Settings(environment="development"))
    return sorted(
        {(method, route.path) for route in _api_routes(app.routes)
         for method in route.methods & WRITE_METHODS}
    )


WRITE_ROUTES = _write_routes()


def _request(client: TestClient, method: str, pattern: str, ids: dict[str, int]):
    """Send a well-formed request for `pattern`, with the session's CSRF token if any."""
    path = re.sub(r"\{(\w+)(:[^}]*)?\}", lambda m: str(ids.get(m.group(1), 1)), pattern)
    csrf = ""
    if client.cookies.get("jemput_session"):
        csrf = page_csrf(client)
    headers = {"X-CSRF-Token": csrf} if csrf else {}
    if pattern in ("/api/impor", "/impor", "/api/daftar", "/daftar"):
        files = {"file": ("siak.csv", SIAK_FILE.encode(), "text/csv")}
        return client.request(method, path, files=files, data={"csrf_token": csrf},
                              headers=headers, follow_redirects=False)
    if pattern == "/api/users":
        body = {"username": "baru", "role": "kepala", "full_name": "Baru",
                "password": "Sungai-Serayu-berkelok-9", "scope_region": "33.06"}
        return client.request(method, path, json=body, headers=headers, follow_redirects=False)
    if pattern == "/api/tokens":
        body = {"username": "kepala", "name": "laptop lapangan"}
        return client.request(method, path, json=body, headers=headers, follow_redirects=False)
    if pattern in TARGET_BODIES:
        return client.request(method, path, json=TARGET_BODIES[pattern], headers=headers,
                              follow_redirects=False)
    if pattern in CAMPAIGN_BODIES:
        return client.request(method, path, json=CAMPAIGN_BODIES[pattern], headers=headers,
                              follow_redirects=False)
    form = {"csrf_token": csrf, "username": "baru", "role": "kepala", "name": "laptop",
            "current_password": "x", "new_password": "Sungai-Serayu-berkelok-9",
            "locale": "en"}
    return client.request(method, path, data=form, headers=headers, follow_redirects=False)


@pytest.fixture
def target_ids(personas, migrated_database: str) -> dict[str, int]:
    """Real rows for the routes' ids, so a refusal is not just 'no such row'."""
    with unit_of_work(migrated_database) as session:
        resident = Resident(nik="3306014107900002", name="SARI", sex=2,
                            birth_date=date(1990, 7, 1), marital_status=1,
                            desa_code="33.06.01.2001", life_status="hidup",
                            updated_at=datetime.now(UTC))
        session.add(resident)
        session.flush()
        kepala = session.scalars(select(User).where(User.username == "kepala")).one()
        operator = session.scalars(select(User).where(User.username == "operator")).one()
        target = TargetList(name="Sasaran", rule="belum-rekam", params="{}",
                            area_code="33.06.01.2001", owner_id=operator.id,
                            created_at=datetime.now(UTC))
        session.add(target)
        session.flush()
        member = TargetMember(list_id=target.id, resident_id=resident.id,
                              desa_code=resident.desa_code, reason_id="x", reason_en="x",
                              state="open", in_rule=True, joined_at=datetime.now(UTC),
                              updated_at=datetime.now(UTC))
        session.add(member)
        session.flush()
        campaign = Campaign(name="Kampanye", area_code="33.06.01", starts=date(2026, 12, 4),
                            ends=date(2026, 12, 12), programme_ids="", team_ids="",
                            list_ids=str(target.id), weights="{}", status="draft",
                            created_by="operator", created_at=datetime.now(UTC))
        session.add(campaign)
        session.flush()
        return {"resident_id": resident.id, "user_id": kepala.id, "token_id": 1,
                "list_id": target.id, "member_id": member.id, "campaign_id": campaign.id}
        referral = Referral(resident_id=resident.id, desa_code=resident.desa_code,
                            needs="terbaring", approaches="", referred_by_user_id=kepala.id,
                            referred_by="desa", referred_at=datetime.now(UTC),
                            status="menunggu")
        session.add(referral)
        session.flush()
        return {"resident_id": resident.id, "user_id": kepala.id, "token_id": 1,
                "referral_id": referral.id}


def test_the_write_routes_were_read():
    assert len(WRITE_ROUTES) >= 15


def test_every_write_route_has_a_rule():
    missing = [path for _, path in WRITE_ROUTES if path not in WRITE_RULES]
    assert not missing, f"write routes without a rule in WRITE_RULES: {missing}"


# One signed-in client per persona tries every route it must be refused: the sign-in, the
# personas and the rows are made once per persona instead of once per route (522 tests
# became 12, the same requests), and a failure lists every route that let the persona in.
@pytest.mark.parametrize("persona", ["outsider"])
def test_outsider_cannot_write(persona, client_for, target_ids):
    client = client_for(persona)
    let_in = []
    for method, pattern in WRITE_ROUTES:
        if pattern in PUBLIC_WRITES:
            continue
        response = _request(client, method, pattern, target_ids)
        if pattern.startswith("/api/"):
            refused = response.status_code == 401
        else:
            refused = response.status_code in (303, 307, 401, 403) and (
                response.status_code not in (303, 307)
                or response.headers["location"].startswith("/masuk"))
        if not refused:
            let_in.append((method, pattern, response.status_code))
    assert not let_in, let_in


REFUSALS = [
    (method, pattern, persona)
    for method, pattern in WRITE_ROUTES
    if pattern not in PUBLIC_WRITES
    for persona in sorted(PERSONAS)
    if PERSONAS[persona].role not in WRITE_RULES.get(pattern, frozenset())
]


@pytest.mark.parametrize("persona", sorted({persona for _, _, persona in REFUSALS}))
def test_wrong_role_is_refused(persona, client_for, target_ids):
    client: TestClient = client_for(persona)
    let_in = []
    for method, pattern, refused_persona in REFUSALS:
        if refused_persona != persona:
            continue
        response = _request(client, method, pattern, target_ids)
        if response.status_code not in (403, 404):
            let_in.append((method, pattern, response.status_code))
    assert not let_in, (persona, let_in)


def test_matrix_is_not_empty() -> None:
    # Eight personas, most of them refused by the admin routes alone.
    assert len(REFUSALS) > 60



# Scope: a role that may use a route still may not use it outside its area. The write
# routes that act on one resident are tried by every narrow persona on a resident just
# outside its scope; imports, users and tokens have their own scope tests in
# tests/security/ (test_import_scope, test_auth_admin_reach).
OUTSIDE = {"desa": "33.06.01.2002", "kecamatan_operator": "33.06.02.2001"}
RESIDENT_WRITES = [(m, p) for m, p in WRITE_ROUTES if "{resident_id}" in p]


@pytest.mark.parametrize("persona", sorted(OUTSIDE))
def test_narrow_scope_cannot_write_outside_it(persona, client_for, migrated_database: str,
                                              personas):
    with unit_of_work(migrated_database) as session:
        neighbour = Resident(nik="3306015107900003", name="TETANGGA", sex=2,
                             birth_date=date(1990, 7, 11), marital_status=1,
                             desa_code=OUTSIDE[persona], life_status="hidup",
                             updated_at=datetime.now(UTC))
        session.add(neighbour)
        session.flush()
        resident_id = neighbour.id
    client = client_for(persona)
    let_in = []
    for method, pattern in RESIDENT_WRITES:
        response = _request(client, method, pattern, {"resident_id": resident_id})
        if response.status_code != 404 or "3306015107900003" in response.text:
            let_in.append((method, pattern, response.status_code))
    assert not let_in, (persona, let_in)


def test_every_resident_write_route_is_tried_for_scope():
    assert len(RESIDENT_WRITES) >= 2
