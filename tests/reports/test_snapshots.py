"""Every applied import records the coverage it left: the points of the trend."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import func, select

from jemput.db import unit_of_work
from jemput.reports.coverage import compute_coverage
from jemput.reports.models import CoverageSnapshot
from jemput.residents.models import ImportRun
from tests.personas import TestClient
from tests.reports.conftest import import_people, people
from tests.residents.siak_files import write_siak

Clients = Callable[[str], TestClient]


def snapshots(url: str) -> list[CoverageSnapshot]:
    with unit_of_work(url) as session:
        return list(session.scalars(
            select(CoverageSnapshot).order_by(CoverageSnapshot.import_id,
                                              CoverageSnapshot.region_code)
        ))


def test_an_import_records_the_regency_and_every_kecamatan(tmp_path, migrated_database):
    import_people(tmp_path, people())
    rows = snapshots(migrated_database)
    assert len(rows) == 1 + 16
    by_code = {row.region_code: row for row in rows}
    with unit_of_work(migrated_database) as session:
        regency = compute_coverage(session=session, region_code="33.06")
        run_id = session.scalar(select(func.max(ImportRun.id)))
    assert {row.import_id for row in rows} == {run_id}
    for area in [regency, *regency.children]:
        row = by_code[area.code]
        assert row.data_date.isoformat() == "2026-06-30"
        for key in ("wajib_ktp", "recorded", "print_ready", "printed", "issued",
                    "not_recorded", "due_for_deactivation"):
            assert getattr(row, key) == area.counts[key], (area.code, key)
    assert by_code["33.06"].recorded == 4
    assert by_code["33.06"].wajib_ktp == 11


def test_a_reimport_without_changes_is_a_new_point(tmp_path, migrated_database):
    import_people(tmp_path, people(), "v1.csv")
    import_people(tmp_path, people(), "v2.csv")
    regency = [row for row in snapshots(migrated_database) if row.region_code == "33.06"]
    assert len(regency) == 2
    assert regency[0].import_id != regency[1].import_id
    assert regency[0].recorded == regency[1].recorded


def test_a_rejected_import_records_nothing(tmp_path, migrated_database):
    from typer.testing import CliRunner

    from jemput.cli import app

    bad = people()[0].but(name="")
    path = write_siak(tmp_path / "bad.csv", [bad])
    result = CliRunner().invoke(app, ["residents", "import", str(path)])
    assert result.exit_code != 0
    assert snapshots(migrated_database) == []


def test_the_dashboard_trend_shows_one_point_per_import(tmp_path, client_for: Clients):
    residents = people()
    import_people(tmp_path, residents, "v1.csv")
    recorded = [p.but(status="CARD_ISSUED") if p.name == "JAUH" else p for p in residents]
    import_people(tmp_path, recorded, "v2.csv")
    kepala = client_for("kepala")
    trend = kepala.get("/api/dasbor").json()["trend"]
    assert [(p["numerator"], p["denominator"]) for p in trend] == [(4, 11), (5, 11)]
    page = kepala.get("/").text
    assert page.count('class="point"') == 2
    kecamatan = kepala.get("/api/wilayah/33.06.02").json()["trend"]
    assert [p["numerator"] for p in kecamatan] == [0, 1]
