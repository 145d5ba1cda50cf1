"""Finding residents by NIK and by a name spelt another way, inside the user's scope."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import select, text
from typer.testing import CliRunner

from jemput.auth.models import AuditEntry, User
from jemput.cli import app as cli
from jemput.db import get_engine, unit_of_work
from jemput.residents.models import Resident
from jemput.residents.search import (
    ResidentNameKey,
    candidate_statement,
    name_keys,
    parse_query,
    word_key,
)
from tests.personas import OTHER_DESA_CODE
from tests.residents.siak_files import Person, family, write_siak

runner = CliRunner()

JUSUF = Person("MOCHAMMAD JUSUF", date(1980, 3, 14), 1, 7, kk="3306010101200007")
YUSUF = Person("MUHAMAD YUSUF", date(1990, 6, 2), 1, 8, kk="3306010101200008")
ELSEWHERE = Person("SITI AMINAH", date(1975, 1, 20), 2, 9, desa=OTHER_DESA_CODE,
                   kk="3306010101200009")


def load(tmp_path, people: list[Person], name: str = "siak.csv") -> None:
    result = runner.invoke(cli, ["residents", "import", str(write_siak(tmp_path / name, people))])
    assert result.exit_code == 0, result.output


def names(response) -> list[str]:
    assert response.status_code == 200, response.text
    return [hit["name"] for hit in response.json()["results"]]


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Mochammad", "Muhamad"), ("Mohamad", "Muhammad"), ("Jusuf", "Yusuf"),
        ("Soekarno", "Sukarno"), ("Djoko", "Joko"), ("Tjipto", "Cipto"),
        ("Achmad", "Ahmad"), ("Akhmad", "Ahmat"), ("Sity", "Siti"), ("Yanti", "Ianti"),
        ("Thomas", "Tomas"), ("Dhani", "Dani"), ("Sjahrir", "Syahrir"),
        ("Njoman", "Nyoman"), ("Chairul", "Khairul"), ("Zaenal", "Zainal"),
        ("Nu'man", "Numan"), ("Abdullah", "Abdulah"),
    ],
)
def test_spellings_of_one_name_share_a_key(one, other):
    assert word_key(one) == word_key(other)


# Jaka and Joko were here once: they are one Javanese name, written as said and as spelt.
@pytest.mark.parametrize(("one", "other"), [("Siti", "Sari"), ("Budi", "Bayu"),
                                            ("Suparmi", "Suparmo"), ("Ahmad", "Hamid"),
                                            ("Wahyuni", "Wahyono")])
def test_different_names_keep_different_keys(one, other):
    assert word_key(one) != word_key(other)


def test_name_keys_skip_punctuation_and_empty_words():
    # "H." (Haji) folds to nothing; "Moch." and "S.Pd" keep their letters.
    assert name_keys("H. MOCH. JUSUF, S.Pd") == ["mu", "iusuf", "s", "pt"]
    assert name_keys("MOCHAMMAD  JUSUF") == [word_key("Muhamad"), word_key("Yusuf")]
    assert name_keys("'-. ,") == []


def test_a_query_is_a_nik_only_with_sixteen_digits():
    assert parse_query("3306 0145.0572-0001").nik == "3306014505720001"
    assert parse_query("33060145").kind == "nik_salah"
    assert parse_query("   ").kind == "kosong"
    query = parse_query("Muhamad Yus")
    assert query.kind == "nama" and query.keys[0] == word_key("Mochammad")
    assert query.last_prefix == "ius"


def test_misspelled_name_finds_the_old_spelling(tmp_path, client_for):
    load(tmp_path, family() + [JUSUF])
    operator = client_for("operator")
    assert names(operator.get("/api/penduduk", params={"q": "Muhamad Yusuf"})) == [JUSUF.name]
    assert names(operator.get("/api/penduduk", params={"q": "jusuf mochamad"})) == [JUSUF.name]
    # The last word may be unfinished: people type while they think.
    assert names(operator.get("/api/penduduk", params={"q": "Muhammad Yu"})) == [JUSUF.name]
    assert names(operator.get("/api/penduduk", params={"q": "Sity Amina"})) == ["SITI AMINAH"]


def test_the_spelling_typed_ranks_first(tmp_path, client_for):
    load(tmp_path, family() + [JUSUF, YUSUF])
    found = names(client_for("operator").get("/api/penduduk", params={"q": "Muhamad Yusuf"}))
    assert found == [YUSUF.name, JUSUF.name]


def test_search_by_nik_ignores_spaces_and_dots(tmp_path, client_for):
    load(tmp_path, family() + [JUSUF])
    nik = JUSUF.nik
    spaced = f"{nik[:4]} {nik[4:8]}.{nik[8:12]} {nik[12:]}"
    response = client_for("operator").get("/api/penduduk", params={"q": spaced})
    assert names(response) == [JUSUF.name]
    hit = response.json()["results"][0]
    assert hit["nik_masked"] == nik[:4] + "••••••••" + nik[12:]
    assert nik not in response.text
    assert hit["age"] >= 46 and hit["ktp_status_label"] == "Kartu diserahkan"


def test_village_official_finds_only_their_own_village(tmp_path, client_for):
    load(tmp_path, family() + [ELSEWHERE])
    desa = client_for("desa")
    # Two SITI AMINAHs: the family's, in the official's desa, and one next door.
    assert names(desa.get("/api/penduduk", params={"q": "Siti Aminah"})) == ["SITI AMINAH"]
    hit = desa.get("/api/penduduk", params={"q": "Siti Aminah"}).json()["results"][0]
    assert hit["desa_code"] != OTHER_DESA_CODE
    operator = client_for("operator")
    assert len(names(operator.get("/api/penduduk", params={"q": "Siti Aminah"}))) == 2


def test_other_village_nik_looks_exactly_like_an_unknown_nik(tmp_path, client_for):
    load(tmp_path, family() + [ELSEWHERE])
    desa = client_for("desa")
    theirs = desa.get("/api/penduduk", params={"q": ELSEWHERE.nik})
    unknown = desa.get("/api/penduduk", params={"q": "3306019999990001"})
    assert theirs.status_code == unknown.status_code == 200
    assert theirs.json()["results"] == unknown.json()["results"] == []
    assert theirs.json()["kind"] == unknown.json()["kind"] == "nik"


@pytest.mark.parametrize("role", ["admin", "auditor", "mitra", "petugas", "sekolah"])
def test_roles_outside_the_registry_cannot_search(role, tmp_path, client_for):
    load(tmp_path, family())
    response = client_for(role).get("/api/penduduk", params={"q": "Siti"})
    assert response.status_code == 403
    assert "SITI" not in response.text


def test_kepala_searches_the_whole_regency(tmp_path, client_for):
    load(tmp_path, family() + [ELSEWHERE])
    assert len(names(client_for("kepala").get("/api/penduduk", params={"q": "aminah"}))) == 2


def test_search_without_signing_in_is_refused(anonymous):
    assert anonymous.get("/api/penduduk", params={"q": "Siti"}).status_code == 401
    page = anonymous.get("/penduduk", params={"q": "Siti"}, follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"].startswith("/masuk")


def test_search_is_audited_with_the_nik_masked(tmp_path, client_for):
    load(tmp_path, family() + [JUSUF])
    client_for("operator").get("/api/penduduk", params={"q": JUSUF.nik})
    with unit_of_work() as session:
        entry = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "resident.search")
        ).one()
        detail = json.loads(entry.detail)
    assert detail["hasil"] == 1 and detail["jenis"] == "nik"
    assert JUSUF.nik not in entry.detail


def test_search_page_escapes_names(tmp_path, client_for):
    load(tmp_path, [Person("<script>alert(1)</script> SLAMET", date(1980, 1, 1), 1, 3)])
    page = client_for("operator").get("/penduduk", params={"q": "slamet"})
    assert page.status_code == 200
    assert "<script>alert(1)</script>" not in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt; SLAMET" in page.text


def test_search_page_says_when_a_nik_is_too_short(client_for):
    page = client_for("desa").get("/penduduk", params={"q": "330601"})
    assert page.status_code == 200 and "NIK harus 16 digit" in page.text


def test_a_renamed_resident_is_found_by_the_new_name_only(tmp_path, client_for):
    load(tmp_path, family() + [JUSUF])
    load(tmp_path, family() + [JUSUF.but(name="JOKO WIDODO")], name="again.csv")
    operator = client_for("operator")
    assert names(operator.get("/api/penduduk", params={"q": "Djoko Widodo"})) == ["JOKO WIDODO"]
    assert names(operator.get("/api/penduduk", params={"q": "Muhamad Yusuf"})) == []
    with unit_of_work() as session:
        keys = session.scalars(select(ResidentNameKey.key).order_by(ResidentNameKey.key)).all()
    assert word_key("Jusuf") not in keys


def test_name_search_uses_the_key_index(tmp_path):
    load(tmp_path, family() + [JUSUF])
    user = User(role="desa", scope_region="33.06.01.2001", is_active=True)
    statement = candidate_statement(user=user, query=parse_query("Muhamad Yus"))
    engine = get_engine()
    compiled = str(statement.compile(engine, compile_kwargs={"literal_binds": True}))
    with engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            plan = " ".join(str(row) for row in connection.exec_driver_sql(
                "EXPLAIN QUERY PLAN " + compiled))
        else:
            # Tiny test tables make a sequential scan cheapest; forbid it to see
            # whether the index can answer at all, as it must at regency scale.
            connection.execute(text("SET enable_seqscan = off"))
            plan = " ".join(row[0] for row in connection.exec_driver_sql(
                "EXPLAIN " + compiled))
    assert "ix_resident_name_keys_key" in plan
    assert "SCAN residents" not in plan and "Seq Scan on residents" not in plan


# --- vowels, namesakes and counts -------------------------------------------------------


@pytest.mark.parametrize(("one", "other"), [
    ("Rahman", "Rohman"), ("Rachman", "Rohman"), ("Rahman", "Ruhman"), ("Wijaya", "Wijoyo"),
    ("Mustafa", "Mustofa"), ("Jaka", "Joko"), ("Arief", "Arif"), ("Syarief", "Syarif"),
])
def test_javanese_vowel_spellings_share_a_key(one, other):
    assert word_key(one) == word_key(other)


def test_abdul_rahman_and_abdul_rachman_find_every_abdul_rohman(tmp_path, client_for):
    rohmans = [Person("ABDUL ROHMAN", date(1960 + i, 1, 5), 1, 20 + i) for i in range(4)]
    load(tmp_path, family() + rohmans + [Person("ABDUL ROCHMAN", date(1970, 2, 2), 1, 30)])
    operator = client_for("operator")
    for typed in ("Abdul Rahman", "Abdul Rachman", "abdul rohman"):
        response = operator.get("/api/penduduk", params={"q": typed})
        assert sorted(names(response)) == ["ABDUL ROCHMAN"] + ["ABDUL ROHMAN"] * 4, typed
        assert response.json()["total"] == 5


def _sri_rahayus() -> list[Person]:
    return [Person("SRI RAHAYU", date(1950 + i, 4, 4), 2, 40 + i,
                   extra={"DUSUN": f"DUSUN {i % 5 + 1}", "NO_RT": str(i % 9 + 1)})
            for i in range(27)]


def test_twenty_seven_namesakes_are_counted_and_told_apart(tmp_path, client_for):
    namesakes = _sri_rahayus()
    load(tmp_path, family() + namesakes)
    operator = client_for("operator")
    data = operator.get("/api/penduduk", params={"q": "Sri Rahayu"}).json()
    assert data["total"] == 27 and len(data["results"]) == 27
    told_apart = {(hit["birth_year"], hit["dusun"], hit["rt"]) for hit in data["results"]}
    assert len(told_apart) == 27
    page = operator.get("/penduduk", params={"q": "Sri Rahayu"}).text
    assert 'data-total="27"' in page and "27 penduduk cocok" in page
    assert "1976" in page and "DUSUN 3" in page and "RT 009/RW 002" in page
    for person in namesakes:
        assert person.nik not in page  # masked NIK only
        assert person.nik[:4] + "••••••••" + person.nik[12:] in page


def test_a_vague_search_counts_every_match_beyond_those_it_ranks(tmp_path, client_for):
    sitis = [Person(f"SITI {word}", date(1980, 1, 1), 2, i + 1)
             for i, word in enumerate(f"W{n:03d}" for n in range(520))]
    load(tmp_path, sitis)
    operator = client_for("operator")
    data = operator.get("/api/penduduk", params={"q": "Siti"}).json()
    assert data["too_many"] is True
    assert data["total"] == 520 and len(data["results"]) == 50
    page = operator.get("/penduduk", params={"q": "Siti"}).text
    assert "520 penduduk cocok; 50 yang paling mirip ditampilkan." in page


def test_db_upgrade_reindexes_names_keyed_by_older_rules(tmp_path, client_for):
    load(tmp_path, family() + [Person("ABDUL ROHMAN", date(1960, 1, 5), 1, 20)])
    # Keys as the rules before a/o/u folding wrote them: a registry upgraded in place.
    with unit_of_work() as session:
        rohman = session.scalars(select(ResidentNameKey).join(
            Resident, Resident.id == ResidentNameKey.resident_id).where(
            Resident.name == "ABDUL ROHMAN").order_by(ResidentNameKey.position)).all()
        rohman[0].key, rohman[1].key = "abdul", "ruman"
    operator = client_for("operator")
    assert names(operator.get("/api/penduduk", params={"q": "Abdul Rahman"})) == []
    result = runner.invoke(cli, ["db", "upgrade"])
    assert result.exit_code == 0, result.output
    assert names(operator.get("/api/penduduk", params={"q": "Abdul Rahman"})) == ["ABDUL ROHMAN"]
