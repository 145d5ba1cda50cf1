"""The review queue in pages: a queue of thousands stays usable, decisions work from any page."""

from __future__ import annotations

import re

from tests.linkage.test_cli import links_csv
from tests.personas import page_csrf


def queue(client, **params) -> dict:
    response = client.get("/api/daftar/tinjau", params=params)
    assert response.status_code == 200, response.text
    return response.json()


def test_the_queue_comes_in_pages_with_its_total_in_a_stable_order(linked_roster, client_for):
    operator = client_for("operator")
    whole = queue(operator)
    assert whole["total"] == len(whole["pairs"]) >= 2
    assert (whole["page"], whole["pages"]) == (1, 1)
    # Highest score first; equal scores by roster row, so a page never reshuffles.
    keys = [(-pair["score"], pair["roster_row_id"]) for pair in whole["pairs"]]
    assert keys == sorted(keys)
    pages = [queue(operator, per_page=1, page=number) for number in range(1, whole["total"] + 1)]
    assert [page["pairs"][0]["roster_row_id"] for page in pages] == [
        pair["roster_row_id"] for pair in whole["pairs"]]
    assert {(page["total"], page["pages"], page["per_page"]) for page in pages} == {
        (whole["total"], whole["total"], 1)}
    # Asked past the end: the last page, saying which it is.
    past = queue(operator, per_page=1, page=999)
    assert past["page"] == whole["total"]
    assert past["pairs"] == pages[-1]["pairs"]


def test_page_and_page_size_outside_their_bounds_are_refused(linked_roster, client_for):
    operator = client_for("operator")
    for params in ({"page": 0}, {"per_page": 0}, {"per_page": 10_000}, {"page": "x"}):
        assert operator.get("/api/daftar/tinjau", params=params).status_code == 422


def test_the_page_shows_where_it_is_and_links_to_the_next(linked_roster, client_for):
    operator = client_for("operator")
    total = queue(operator)["total"]
    first = operator.get("/daftar/tinjau?per_page=1")
    assert first.status_code == 200
    assert f"1 / {total}" in first.text
    assert re.search(r'href="/daftar/tinjau\?page=2&amp;per_page=1"', first.text)
    second = operator.get("/daftar/tinjau?page=2&per_page=1")
    assert f"2 / {total}" in second.text
    assert 'rel="prev"' in second.text


def test_a_decision_on_a_later_page_is_made_and_returns_to_that_page(linked_roster,
                                                                     client_for):
    operator = client_for("operator")
    before = queue(operator, per_page=1, page=2)
    row_id = before["pairs"][0]["roster_row_id"]
    line = before["pairs"][0]["line"]
    page = operator.get("/daftar/tinjau?page=2&per_page=1")
    action = f"/daftar/tinjau/{row_id}/tolak?page=2&amp;per_page=1"
    assert action in page.text
    response = operator.post(action.replace("&amp;", "&"),
                             data={"csrf_token": page_csrf(operator)}, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/daftar/tinjau?page=2&per_page=1"
    assert {row["line"]: row["decision"] for row in links_csv(linked_roster)}[
        str(line)] == "none"
    after = queue(operator, per_page=1)
    assert after["total"] == before["total"] - 1
    assert row_id not in {pair["roster_row_id"] for pair in queue(operator)["pairs"]}
    # The page it returns to may now be past the end: the last page is shown instead.
    assert operator.get(response.headers["location"]).status_code == 200
