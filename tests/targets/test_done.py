"""Issue 8's "Done means", through HTTP: a list per kind, parts given out, each works theirs.

An operator builds a target list of every kind (six registry rules, the unmatched of
the voter list, a school's students on its session date, a TPS's voters without a
recording, the out-of-school), gives part of one to the desa official and part to the
school coordinator, and each of them sees and moves only their part.
"""

from __future__ import annotations

from tests.targets.helpers import create, member_id, names, post_json, rows
from tests.targets.rostered import DESA, NPSN, SESSION

KINDS = {
    "belum-rekam": {}, "rekam-16": {}, "pemula-sebelum": {"before": "2027-01-01"},
    "kunjungan-rumah": {}, "cetak-tindak-lanjut": {}, "nonaktif": {},
    "belum-padan": {"kind": "dpt"},
    "siswa-16": {"date": SESSION, "institution_npsn": NPSN},
    "pemilih-belum-rekam": {"tps": "001"},
    "luar-sekolah": {"date": SESSION},
}


def _move(client, list_id: int, member: int, state: str, outcome: str | None = None):
    return post_json(client, f"/api/sasaran/{list_id}/anggota/{member}/status",
                     {"state": state, "outcome": outcome})


def _assign(client, list_id: int, **body) -> int:
    response = post_json(client, f"/api/sasaran/{list_id}/tugaskan", body)
    assert response.status_code == 200, response.text
    return int(response.json()["assigned"])


def test_an_operator_builds_a_list_of_every_kind_and_each_assignee_works_their_part(
        rostered, client_for):
    operator, desa, sekolah = (client_for(p) for p in ("operator", "desa", "sekolah"))
    built = {}
    for rule, params in KINDS.items():
        params = dict(params)
        npsn = params.pop("institution_npsn", None)
        area = DESA if rule in ("belum-padan", "siswa-16", "pemilih-belum-rekam") else "33.06"
        built[rule] = create(operator, rule, area=area, institution_npsn=npsn, **params)
        assert rows(operator, built[rule]), f"{rule} selected nobody"
    listed = {item["rule"] for item in operator.get("/api/sasaran").json()["lists"]}
    assert listed == set(KINDS)

    # rekam-16 of the regency: the desa's people to the desa official, then two of them,
    # the school's pupils, to the school coordinator.
    shared = built["rekam-16"]
    assert _assign(operator, shared, desa=DESA, username="desa") >= 4
    pupils = [member_id(operator, shared, name) for name in ("ADI", "RINI")]
    assert _assign(operator, shared, member_ids=pupils, username="sekolah") == 2
    assert names(sekolah, shared) == {"ADI", "RINI"}
    desa_part = names(desa, shared)
    assert "BUDI SANTOSO" in desa_part and not desa_part & {"ADI", "RINI", "LAIN DESA"}

    # The school's own list, all of it to the school; the unknown voters to the desa.
    assert _assign(operator, built["siswa-16"], username="sekolah") == 2
    assert _assign(operator, built["belum-padan"], desa=DESA, username="desa") == 1

    # Each moves their own members through the follow-up states...
    adi = member_id(sekolah, shared, "ADI")
    budi = member_id(desa, shared, "BUDI SANTOSO")
    assert _move(sekolah, shared, adi, "scheduled").status_code == 200
    assert _move(sekolah, shared, adi, "reached", "recorded").status_code == 200
    assert _move(desa, shared, budi, "contacted").status_code == 200
    sri = member_id(desa, built["belum-padan"], "SRI WAHYUNI")
    assert _move(desa, built["belum-padan"], sri, "closed", "moved").status_code == 200
    rini = member_id(sekolah, built["siswa-16"], "RINI")
    assert _move(sekolah, built["siswa-16"], rini, "contacted").status_code == 200
    by_name = {row["name"]: row for row in rows(operator, shared)}
    assert (by_name["ADI"]["state"], by_name["ADI"]["outcome"]) == ("reached", "recorded")
    assert by_name["BUDI SANTOSO"]["state"] == "contacted"

    # ...and is refused on the other's: the same 404 as a member that does not exist.
    assert _move(desa, shared, adi, "contacted").status_code == 404
    assert _move(sekolah, shared, budi, "closed", "moved").status_code == 404
    assert _move(desa, built["siswa-16"], rini, "scheduled").status_code == 404
    assert _move(sekolah, built["belum-padan"], sri, "contacted").status_code == 404
    assert desa.get(f"/api/sasaran/{built['siswa-16']}").status_code == 404
    assert sekolah.get(f"/api/sasaran/{built['belum-padan']}").status_code == 404
    # Neither sees a list they were given nothing of.
    assert desa.get(f"/api/sasaran/{built['nonaktif']}").status_code == 404
    assert {item["id"] for item in sekolah.get("/api/sasaran").json()["lists"]} == {
        shared, built["siswa-16"]}
    # Their landing page shows their part, with the moves they may make.
    home = sekolah.get("/")
    assert home.status_code == 200 and "RINI" in home.text and "BUDI SANTOSO" not in home.text
