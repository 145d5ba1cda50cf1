"""The demo regency ships points for every desa and dusun, some homes, and outlines."""

from __future__ import annotations

import csv
import json

from sqlalchemy import func, select
from typer.testing import CliRunner

from jemput.cli import app
from jemput.db import unit_of_work
from jemput.places.models import DusunPoint, RegionOutline, ResidentPoint
from jemput.places.outlines import SYNTHETIC_SOURCE
from jemput.regions.models import Region
from jemput.residents.models import Resident
from jemput.rosters.models import Roster


def test_demo_load_brings_dusun_points_visits_and_synthetic_outlines(tmp_path):
    folder = tmp_path / "demo"
    # Without the rosters (--tanpa-daftar): places come before them and do not need them.
    result = CliRunner().invoke(app, ["demo", "load", "--seed", "3", "--scale", "0.003",
                                      "--tanpa-daftar", "--output", str(folder)])
    assert result.exit_code == 0, result.output
    assert "batas kecamatan sintetis" in result.output
    assert "DPT tidak dimuat (--tanpa-daftar)" in result.output
    with (folder / "points" / "dusun.csv").open(encoding="utf-8") as handle:
        dusun_rows = list(csv.DictReader(handle))
    with unit_of_work() as session:
        desa = session.scalars(select(Region).where(Region.level == "desa")).all()
        dusun = session.scalars(select(DusunPoint)).all()
        visits = session.scalar(select(func.count()).select_from(ResidentPoint))
        with_own = session.scalar(select(func.count()).where(Resident.latitude.is_not(None)))
        residents = session.scalar(select(func.count()).select_from(Resident))
        # Every resident's dusun has a point: the planner never falls back to the desa.
        resident_dusun = set(session.execute(select(Resident.desa_code, Resident.dusun)).all())
        outlines = session.scalars(select(RegionOutline)).all()
        rosters = session.scalar(select(func.count()).select_from(Roster))
    assert all(d.latitude is not None for d in desa)
    assert len(dusun) == len(dusun_rows) >= 2 * len(desa)
    assert {(p.desa_code, p.name) for p in dusun} >= resident_dusun
    assert 0 < visits < residents and 0 < with_own < residents
    assert len(outlines) == 16 and {o.source for o in outlines} == {SYNTHETIC_SOURCE}
    assert rosters == 0
    for outline in outlines:
        geometry = json.loads(outline.geometry)
        ring = geometry["coordinates"][0]
        assert geometry["type"] == "Polygon" and ring[0] == ring[-1] and len(ring) >= 4
