"""Loading Kemendagri regions from idn-area-data files."""

from __future__ import annotations

from sqlalchemy import select
from typer.testing import CliRunner

from jemput.cli import app
from jemput.db import unit_of_work
from jemput.regions.models import Region

runner = CliRunner()


def test_demo_regency_ships_with_its_kecamatan_and_desa():
    with unit_of_work() as session:
        kecamatan = session.scalars(select(Region).where(Region.parent_code == "33.06")).all()
        desa = session.scalars(select(Region).where(Region.level == "desa")).all()
    assert len(kecamatan) == 16
    assert len(desa) == 494
    assert {d.village_kind for d in desa} == {"desa", "kelurahan"}
    assert all(d.latitude is not None for d in desa)


def test_import_reads_idn_area_data_files_in_any_order(tmp_path):
    (tmp_path / "villages.csv").write_text(
        "code,district_code,name\n35.07.01.2001,35.07.01,Desa Contoh\n"
        "35.07.01.1001,35.07.01,Kelurahan Contoh\n"
    )
    (tmp_path / "districts.csv").write_text("code,regency_code,name\n35.07.01,35.07,Kec\n")
    (tmp_path / "regencies.csv").write_text("code,province_code,name\n35.07,35,Kab\n")
    (tmp_path / "provinces.csv").write_text("code,name\n35,Jawa Timur\n")
    files = [str(tmp_path / n) for n in ("villages.csv", "districts.csv", "regencies.csv",
                                         "provinces.csv")]
    result = runner.invoke(app, ["regions", "import", *files])
    assert result.exit_code == 0, result.output
    with unit_of_work() as session:
        kelurahan = session.get(Region, "35.07.01.1001")
        desa = session.get(Region, "35.07.01.2001")
    assert kelurahan.village_kind == "kelurahan"
    assert desa.village_kind == "desa"
    assert desa.parent_code == "35.07.01"


def test_malformed_region_file_changes_nothing(tmp_path):
    (tmp_path / "districts.csv").write_text(
        "code,regency_code,name\n33.06.01,33.06,Grabag Baru\n33.06,33,Bukan kecamatan\n"
    )
    result = runner.invoke(app, ["regions", "import", str(tmp_path / "districts.csv")])
    assert result.exit_code == 1
    assert "baris 3" in result.output
    with unit_of_work() as session:
        assert session.get(Region, "33.06.01").name == "Grabag"
