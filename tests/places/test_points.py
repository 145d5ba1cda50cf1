"""Desa and dusun points from a CSV, and the best known point of a resident."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from jemput.auth.access import NotFound
from jemput.auth.models import User
from jemput.cli import app
from jemput.config import get_settings
from jemput.db import unit_of_work
from jemput.places import service
from jemput.places.models import DusunPoint, PointOrigin
from jemput.planning.problem import PointSource
from jemput.regions.models import Region
from jemput.regions.service import load_packaged_regions
from jemput.residents.models import Resident
from tests.residents.siak_files import Person, write_siak

runner = CliRunner()
GRABAG_DESA = "33.06.01.2001"
OTHER_DESA = "33.06.01.2002"
FAR_DESA = "33.06.16.2001"  # Bener, in the hills: another kecamatan


@pytest.fixture(autouse=True)
def packaged_points_restored():
    """Regions survive between tests: put the packaged desa points back afterwards."""
    yield
    with unit_of_work() as session:
        load_packaged_regions(session=session)


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def desa_point(code: str) -> tuple[float | None, float | None]:
    with unit_of_work() as session:
        region = session.get(Region, code)
        assert region is not None
        return region.latitude, region.longitude


def test_import_points_sets_desa_and_dusun_points(tmp_path):
    path = write(tmp_path / "titik.csv",
                 "code,lat,lng\n"
                 f"{GRABAG_DESA},-7.8041,109.8752\n"
                 f"{GRABAG_DESA}/Krajan,-7.8050,109.8760\n"
                 f"{GRABAG_DESA}/dusun  Sidomulyo,-7.8100,109.8700\n")
    result = runner.invoke(app, ["regions", "import-points", str(path)])
    assert result.exit_code == 0, result.output
    assert "1 titik desa dan 2 titik dusun" in result.output
    assert desa_point(GRABAG_DESA) == (-7.8041, 109.8752)
    with unit_of_work() as session:
        dusun = {p.name: (p.lat, p.lng, p.source)
                 for p in session.scalars(select(DusunPoint))}
    assert dusun == {"KRAJAN": (-7.805, 109.876, "titik.csv"),
                     "SIDOMULYO": (-7.81, 109.87, "titik.csv")}


def test_a_second_import_moves_a_dusun_instead_of_adding_one(tmp_path):
    for lat in ("-7.8050", "-7.8060"):
        path = write(tmp_path / "titik.csv", f"code,lat,lng\n{GRABAG_DESA}/KRAJAN,{lat},109.876\n")
        assert runner.invoke(app, ["regions", "import-points", str(path)]).exit_code == 0
    with unit_of_work() as session:
        assert [(p.name, p.lat) for p in session.scalars(select(DusunPoint))] == [
            ("KRAJAN", -7.806)]


def test_bad_rows_are_named_by_line_column_value_and_nothing_is_written(tmp_path):
    before = desa_point(GRABAG_DESA)
    path = write(tmp_path / "titik.csv",
                 "code,lat,lng\n"
                 f"{GRABAG_DESA},-7.80,109.87\n"            # line 2: fine on its own
                 f"{OTHER_DESA},-97.5,109.87\n"             # 3: latitude out of range
                 "33.06.01.9999,-7.80,109.87\n"             # 4: unknown desa
                 f"{OTHER_DESA}/KRAJAN,109.87,-7.80\n"      # 5: swapped: out of range
                 f"{OTHER_DESA}/GUNUNG,-6.20,106.82\n"      # 6: Jakarta: far outside
                 f"{FAR_DESA},abc,110.05\n"                 # 7: not a number
                 f"{GRABAG_DESA},-7.81,109.88\n")           # 8: the same desa twice
    result = runner.invoke(app, ["regions", "import-points", str(path)])
    assert result.exit_code == 1
    output = " ".join(result.output.split())
    for expected in (
        "baris 3, kolom lat, nilai '-97.5': koordinat di luar rentang -90 sampai 90",
        "baris 4, kolom code, nilai '33.06.01.9999': kode desa tidak dikenal",
        "baris 5, kolom lat, nilai '109.87': koordinat di luar rentang",
        "baris 6, kolom lat,lng, nilai '-6.2,106.82': titik lebih dari 15 km di luar "
        "kabupaten 33.06",
        "baris 7, kolom lat, nilai 'abc': bukan angka koordinat",
        "baris 8, kolom code, nilai '33.06.01.2001': kode sudah ada di baris 2",
        "Tidak ada yang diubah",
    ):
        assert expected in output, (expected, output)
    assert "baris 2" not in output.replace("di baris 2", "")
    assert desa_point(GRABAG_DESA) == before
    with unit_of_work() as session:
        assert session.scalars(select(DusunPoint)).all() == []


def test_a_desa_outside_the_office_regency_is_refused(tmp_path, monkeypatch):
    monkeypatch.setenv("JEMPUT_REGENCY_CODE", "33.07")
    get_settings.cache_clear()
    path = write(tmp_path / "titik.csv", f"code,lat,lng\n{GRABAG_DESA},-7.80,109.87\n")
    result = runner.invoke(app, ["regions", "import-points", str(path)])
    get_settings.cache_clear()
    assert result.exit_code == 1
    assert "desa di luar kabupaten 33.07" in result.output


def test_a_file_without_the_columns_is_refused(tmp_path):
    path = write(tmp_path / "titik.csv", "kode,x,y\n33.06.01.2001,1,2\n")
    result = runner.invoke(app, ["regions", "import-points", str(path)])
    assert result.exit_code == 1
    assert "code,lat,lng" in result.output


# --- the best known point of a resident --------------------------------------------------


@pytest.fixture
def residents(tmp_path) -> dict[str, int]:
    """Four residents: own coordinates in the desa's file, a dusun with a point, a dusun
    without one, and a desa of its own."""
    people = [
        Person("PUNYA TITIK", date(1980, 1, 1), 1, 1, extra={"LAT": "-7.79", "LNG": "109.86",
                                                              "DUSUN": "KRAJAN"}),
        Person("DI DUSUN", date(1980, 1, 1), 1, 2, extra={"DUSUN": "Dsn. Krajan"}),
        Person("DUSUN TANPA TITIK", date(1980, 1, 1), 1, 3, extra={"DUSUN": "LOR"}),
        Person("DESA LAIN", date(1980, 1, 1), 1, 4, desa=FAR_DESA,
               extra={"DUSUN": "KRAJAN"}),
    ]
    path = write_siak(tmp_path / "siak.csv", people)
    result = runner.invoke(app, ["residents", "import", str(path), "--data-date", "2026-06-30"])
    assert result.exit_code == 0, result.output
    points = write(tmp_path / "dusun.csv", f"code,lat,lng\n{GRABAG_DESA}/KRAJAN,-7.805,109.876\n")
    assert runner.invoke(app, ["regions", "import-points", str(points)]).exit_code == 0
    with unit_of_work() as session:
        return dict(session.execute(select(Resident.name, Resident.id)).all())


def user(session, username: str) -> User:
    found = session.scalar(select(User).where(User.username == username))
    assert found is not None
    return found


def test_a_resident_is_found_at_their_own_point_else_their_dusun_else_their_desa(
        residents, personas, session):
    operator = user(session, "operator")
    found = service.points_for(session=session, user=operator, resident_ids=residents.values())
    by_name = {name: found[i] for name, i in residents.items()}
    own = by_name["PUNYA TITIK"]
    assert (own.point.lat, own.point.lng, own.source, own.origin) == (
        -7.79, 109.86, PointSource.OWN, "data_desa")
    hamlet = by_name["DI DUSUN"]
    assert (hamlet.point.lat, hamlet.point.lng, hamlet.source) == (
        -7.805, 109.876, PointSource.DUSUN)
    desa_lat = session.get(Region, GRABAG_DESA).latitude
    assert (by_name["DUSUN TANPA TITIK"].point.lat, by_name["DUSUN TANPA TITIK"].source) == (
        desa_lat, PointSource.DESA)
    # Another desa's KRAJAN is another dusun: its own desa's point.
    other = by_name["DESA LAIN"]
    far = session.get(Region, FAR_DESA)
    assert (other.point.lat, other.point.lng, other.source) == (
        far.latitude, far.longitude, PointSource.DESA)


def test_a_point_captured_on_a_visit_beats_the_desa_data_however_old(
        residents, personas, session):
    operator = user(session, "operator")
    rid = residents["PUNYA TITIK"]
    service.add_resident_point(session=session, resident_id=rid, lat=-7.7901, lng=109.8601,
                               origin=PointOrigin.VISIT,
                               captured_at=datetime(2024, 1, 5, 9, tzinfo=UTC))
    service.add_resident_point(session=session, resident_id=rid, lat=-7.70, lng=109.80,
                               origin=PointOrigin.DESA_DATA,
                               captured_at=datetime(2026, 1, 5, 9, tzinfo=UTC))
    service.add_resident_point(session=session, resident_id=rid, lat=-7.7902, lng=109.8602,
                               origin=PointOrigin.VISIT,
                               captured_at=datetime(2025, 3, 1, 9, tzinfo=UTC))
    session.flush()
    found = service.point_for(session=session, user=operator, resident_id=rid)
    assert (found.point.lat, found.point.lng, found.source, found.origin) == (
        -7.7902, 109.8602, PointSource.OWN, "kunjungan")
    assert found.captured_at == datetime(2025, 3, 1, 9, tzinfo=UTC)


def test_a_village_official_gets_no_point_outside_their_desa(residents, personas, session):
    desa = user(session, "desa")
    assert service.point_for(session=session, user=desa,
                             resident_id=residents["DI DUSUN"]).source == PointSource.DUSUN
    with pytest.raises(NotFound):
        service.point_for(session=session, user=desa, resident_id=residents["DESA LAIN"])
    found = service.points_for(session=session, user=desa, resident_ids=residents.values())
    assert residents["DESA LAIN"] not in found and len(found) == 3


def test_resident_points_load_all_or_nothing(residents, tmp_path, session):
    nik = session.scalar(select(Resident.nik).where(Resident.name == "DI DUSUN"))
    bad = write(tmp_path / "bad.csv", "nik,lat,lng,source,captured_at\n"
                f"{nik},-7.80,109.87,kunjungan,2025-06-01T09:00:00+07:00\n"
                "3306019999990001,-7.80,109.87,kunjungan,2025-06-01T09:00:00+07:00\n")
    with pytest.raises(service.ResidentPointFileError) as error:
        service.import_resident_points(session=session, path=bad)
    assert [(p.line, p.column) for p in error.value.problems] == [(3, "nik")]
