"""`jemput rosters link` and `jemput rosters links --format csv`."""

from __future__ import annotations

import csv
import io

from tests.linkage.conftest import ROSTER, run
from tests.residents.siak_files import make_nik


def links_csv(roster_id: int) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(run("rosters", "links", str(roster_id),
                                               "--format", "csv"))))


def test_links_csv_has_one_line_per_row_with_the_fixed_columns(linked_roster):
    output = run("rosters", "links", str(linked_roster), "--format", "csv")
    assert output.splitlines()[0] == "line,nik,score,decision"
    rows = links_csv(linked_roster)
    assert [row["line"] for row in rows] == [str(n) for n in range(2, 2 + len(ROSTER))]
    for row in rows:
        assert 0.0 <= float(row["score"]) <= 1.0
        assert row["decision"] in ("auto", "review", "none")
        assert (row["nik"] != "") == (row["decision"] == "auto")


def test_links_csv_names_the_resident_each_row_was_linked_to(linked_roster):
    by_line = {row["line"]: row for row in links_csv(linked_roster)}
    hasan = make_nik(born=ROSTER[1].born, sex=1, serial=2)
    assert (by_line["2"]["nik"], by_line["2"]["score"], by_line["2"]["decision"]) == (
        "3306014107080001", "1.0", "auto")
    assert (by_line["3"]["nik"], by_line["3"]["decision"]) == (hasan, "auto")
    assert by_line["4"]["decision"] == "auto"  # Djoko Soesanto, spelt anew
    assert by_line["5"]["decision"] == "auto"  # day and month swapped
    assert (by_line["6"]["nik"], by_line["6"]["decision"]) == ("", "none")
    assert by_line["7"]["decision"] == "review"


def test_link_says_what_it_decided(linked_roster):
    output = run("rosters", "link", str(linked_roster))
    assert "7 baris" in output and "perlu diperiksa" in output


def test_an_unknown_roster_is_refused_with_a_message():
    from typer.testing import CliRunner

    from jemput.cli import app

    result = CliRunner().invoke(app, ["rosters", "links", "999", "--format", "csv"])
    assert result.exit_code == 1
    assert "daftar 999 tidak ada" in result.output
