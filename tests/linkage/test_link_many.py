"""`jemput rosters link ID [ID ...]` and `--all`: many rosters in one linkage run."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select, update
from typer.testing import CliRunner

from jemput.cli import app
from jemput.db import unit_of_work
from jemput.linkage.models import RosterLink
from jemput.rosters.models import Roster, RosterRow
from tests.linkage.conftest import ROSTER, Line, add_roster, registry, run
from tests.linkage.test_cli import links_csv
from tests.linkage.test_review import BAYU_LINE, pair_for_line
from tests.personas import page_csrf
from tests.residents.siak_files import write_siak


def load_registry(tmp_path: Path) -> None:
    run("residents", "import", str(write_siak(tmp_path / "siak.csv", registry())),
        "--data-date", "2026-06-30")


def links_count(url: str) -> int:
    with unit_of_work(url) as session:
        return session.scalar(select(func.count()).select_from(RosterLink)) or 0


def test_two_rosters_link_in_one_run_exactly_as_each_would_alone(tmp_path, migrated_database):
    load_registry(tmp_path)
    first = add_roster(migrated_database, ROSTER)
    second = add_roster(migrated_database, ROSTER[:3], file_name="daftar_pd_sma.csv")
    output = run("rosters", "link", str(first), str(second))
    assert f"Daftar {first}: 7 baris" in output and f"Daftar {second}: 3 baris" in output
    assert "2 daftar, 10 baris" in output
    together = links_csv(first)
    run("rosters", "link", str(first))
    assert links_csv(first) == together
    # Siti Aminah and Muhammad Hasan are on both lists: each list has them once, so both
    # links are sure; the rule "one resident, one row" holds within a list, not across.
    assert [row["decision"] for row in links_csv(second)] == ["auto", "auto", "auto"]
    assert [row["nik"] for row in links_csv(second)] == [row["nik"] for row in together[:3]]


def test_all_links_every_current_roster_and_leaves_a_replaced_one_alone(tmp_path,
                                                                         migrated_database):
    load_registry(tmp_path)
    old = add_roster(migrated_database, ROSTER, file_name="daftar_pd_ganjil.csv")
    new = add_roster(migrated_database, ROSTER, file_name="daftar_pd_genap.csv")
    voters = add_roster(migrated_database, ROSTER[:2], file_name="dpt.csv")
    with unit_of_work(migrated_database) as session:
        session.execute(update(Roster).where(Roster.id == old).values(replaced_by_id=new))
    output = run("rosters", "link", "--all")
    assert "2 daftar, 9 baris" in output
    with unit_of_work(migrated_database) as session:
        linked_rosters = set(session.scalars(
            select(RosterRow.roster_id).join(RosterLink,
                                             RosterLink.roster_row_id == RosterRow.id)))
    assert linked_rosters == {new, voters}
    assert {row["decision"] for row in links_csv(new)} == {"auto", "review", "none"}


def test_all_keeps_every_reviewers_decision(linked_roster, client_for):
    operator = client_for("operator")
    pair = pair_for_line(operator, BAYU_LINE)
    response = operator.post(f"/api/daftar/tinjau/{pair['roster_row_id']}/tolak",
                             headers={"X-CSRF-Token": page_csrf(operator)})
    assert response.status_code == 200, response.text
    before = {row["line"]: row for row in links_csv(linked_roster)}
    assert before[str(BAYU_LINE)]["decision"] == "none"
    run("rosters", "link", "--all")
    after = {row["line"]: row for row in links_csv(linked_roster)}
    assert after[str(BAYU_LINE)]["decision"] == "none"
    # The rejected resident is offered no more: only the score of "no one" may change.
    assert ({line: (row["nik"], row["decision"]) for line, row in after.items()}
            == {line: (row["nik"], row["decision"]) for line, row in before.items()})


def test_an_unknown_roster_among_several_stops_the_run_and_writes_nothing(tmp_path,
                                                                           migrated_database):
    load_registry(tmp_path)
    known = add_roster(migrated_database, [Line(None, "BAYU SAPUTRA", 1, ROSTER[5].born)])
    result = CliRunner().invoke(app, ["rosters", "link", str(known), "999"])
    assert result.exit_code == 1
    assert "daftar 999 tidak ada" in result.output
    assert links_count(migrated_database) == 0


def test_ids_and_all_together_or_neither_are_refused(migrated_database):
    both = CliRunner().invoke(app, ["rosters", "link", "1", "--all"])
    assert both.exit_code == 2 and "--all" in both.output
    neither = CliRunner().invoke(app, ["rosters", "link"])
    assert neither.exit_code == 2 and "--all" in neither.output


def test_all_with_no_roster_says_so(migrated_database):
    output = run("rosters", "link", "--all")
    assert "Belum ada daftar" in output
