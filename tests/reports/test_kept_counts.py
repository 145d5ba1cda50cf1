"""The coverage counts kept per desa always equal a count from scratch.

Hypothesis plays short histories on a registry of a few residents in three desas of two
kecamatan: imports of whole or partial files through `jemput residents import` (people
moving desa, dropping out of the export, changing status, a later data date that moves
ages across 16, 17 and 22), and the writes made through the ORM between them (a field
outcome via set_ktp_status, a death, a move, a marriage). After every step, every kept
row must hold for the registry's date and equal a fresh grouped count of the residents.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from sqlalchemy import insert, select
from typer.testing import CliRunner

from jemput import db, migrate
from jemput.cli import app
from jemput.db import unit_of_work
from jemput.regions import service as regions
from jemput.reports.coverage import compute_coverage
from jemput.reports.coverage_counts import COUNTS, fresh_counts, registry_date
from jemput.reports.models import CoverageDesaCounts
from jemput.residents import service
from jemput.residents.codes import KtpStatus
from jemput.residents.models import Resident
from tests.conftest import _truncate
from tests.residents.siak_files import Person, write_siak

runner = CliRunner()
DESAS = ("33.06.01.2001", "33.06.01.2002", "33.06.02.2001")
# Data dates a month apart, with births that cross 16, 17 and 22 between them.
DATES = ("2026-06-01", "2026-07-01")
IDENTITIES = [
    Person("A", date(2009, 6, 15), 1, 1), Person("B", date(2010, 6, 15), 2, 2),
    Person("C", date(2004, 6, 15), 1, 3), Person("D", date(1950, 1, 1), 2, 4),
    Person("E", date(1990, 3, 3), 1, 5), Person("F", date(2011, 1, 1), 2, 6),
]
STATUSES = ("UNREGISTERED", "CARD_ISSUED", "PRINT_READY_RECORD", "DUPLICATE_RECORD",
            "CARD_PRINTED", "BIO_CAPTURED")

rows = st.lists(
    st.tuples(st.integers(0, len(IDENTITIES) - 1), st.sampled_from(DESAS),
              st.sampled_from(STATUSES), st.sampled_from((1, 2)), st.sampled_from(("", "1"))),
    min_size=1, max_size=len(IDENTITIES), unique_by=lambda row: row[0],
)
imports = st.tuples(st.just("import"), rows, st.sampled_from(DATES))
edits = st.tuples(
    st.sampled_from(("status", "death", "move", "marry")),
    st.integers(0, len(IDENTITIES) - 1),
    st.sampled_from(STATUSES), st.sampled_from(DESAS),
)
histories = st.tuples(imports, st.lists(st.one_of(imports, edits), max_size=4))


def _import(tmp_path: Path, step: int, chosen: list[tuple[int, str, str, int, str]],
            when: str) -> None:
    people = [IDENTITIES[i].but(desa=desa, status=status, marital=marital, disability=dis)
              for i, desa, status, marital, dis in chosen]
    result = runner.invoke(app, ["residents", "import",
                                 str(write_siak(tmp_path / f"{step}.csv", people)),
                                 "--data-date", when])
    assert result.exit_code == 0, result.output


def _edit(kind: str, who: int, status: str, desa: str) -> None:
    with unit_of_work() as session:
        try:
            resident = service.get_resident_by_nik(session=session, nik=IDENTITIES[who].nik)
        except service.ResidentNotFound:
            return
        if kind == "status":
            service.set_ktp_status(session=session, resident=resident, status=KtpStatus(status))
        elif kind == "death":
            resident.life_status = "mati"
        elif kind == "move":
            resident.desa_code = desa
        else:
            resident.marital_status = 2


def _kept_equal_fresh() -> None:
    with unit_of_work() as session:
        on = registry_date(session=session)
        kept = session.scalars(select(CoverageDesaCounts)).all()
        assert {row.as_of for row in kept} <= {on}
        as_kept = {row.desa_code: {key: getattr(row, key) for key in COUNTS} for row in kept}
        assert as_kept == fresh_counts(session=session, on=on)


# No shrinking: a failing history of at most five steps is short enough to read as is.
@settings(max_examples=12, deadline=None, derandomize=True,
          phases=[Phase.explicit, Phase.generate],
          suppress_health_check=[HealthCheck.function_scoped_fixture,
                                 HealthCheck.too_slow])
@given(history=histories)
def test_kept_counts_equal_a_fresh_count_after_any_history(tmp_path, jemput_env, history):
    first, rest = history
    _truncate(jemput_env)
    latest = first[2]
    for step, action in enumerate([first, *rest]):
        if action[0] == "import":
            # Data dates never go back: an older export is refused whole (data_dates.py).
            latest = max(latest, action[2])
            _import(tmp_path, step, action[1], latest)
        else:
            _edit(*action)
        _kept_equal_fresh()


def test_recount_repairs_counts_changed_behind_the_registrys_back(tmp_path):
    _import(tmp_path, 0, [(0, DESAS[0], "UNREGISTERED", 1, ""), (4, DESAS[1], "CARD_ISSUED",
                                                                 2, "")], DATES[1])
    with unit_of_work() as session:
        session.execute(CoverageDesaCounts.__table__.update().values(recorded=99))
    result = runner.invoke(app, ["coverage", "--recount"])
    assert result.exit_code == 0, result.output
    assert "2 desa" in result.output
    _kept_equal_fresh()
    shown = runner.invoke(app, ["coverage", "--json", "--region", DESAS[1]])
    assert '"numerator": 1' in shown.output


def test_residents_loaded_before_migration_0021_are_counted_by_the_upgrade(
        fresh_database_url):
    url = fresh_database_url
    migrate.upgrade(url, "0020")
    with db.unit_of_work(url) as session:
        regions.load_packaged_regions(session=session)
        session.execute(insert(Resident.__table__).values(
            nik=IDENTITIES[4].nik, name="E", sex=1, birth_date=date(1990, 3, 3),
            marital_status=2, citizenship="WNI", has_itap=False, bedridden=False, odgj=False,
            life_status="hidup", ktp_status="CARD_ISSUED", desa_code=DESAS[0],
            updated_at=datetime.now(UTC)))
    migrate.upgrade(url, "0021")
    with db.unit_of_work(url) as session:
        kept = session.scalars(select(CoverageDesaCounts)).all()
        # Not counted yet: a reader counts that desa afresh rather than trust a zero.
        assert [(row.desa_code, row.as_of) for row in kept] == [(DESAS[0], None)]
        area = compute_coverage(session=session, region_code="33.06")
        assert (area.counts["population"], area.counts["recorded"]) == (1, 1)
    migrate.upgrade(url)
    with db.unit_of_work(url) as session:
        kept = session.scalars(select(CoverageDesaCounts)).all()
        assert [(row.desa_code, row.as_of, row.recorded) for row in kept] == [
            (DESAS[0], registry_date(session=session), 1)]
        area = compute_coverage(session=session, region_code="33.06")
        assert (area.counts["population"], area.counts["recorded"]) == (1, 1)
    db.get_engine(url).dispose()
