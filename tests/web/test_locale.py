"""English is the second locale: a user who switches sees the resident pages in English."""

from __future__ import annotations

from sqlalchemy import update

from jemput.auth.models import User
from jemput.db import unit_of_work


def test_search_page_follows_the_users_locale(client_for):
    operator = client_for("operator")
    assert "Cari penduduk" in operator.get("/penduduk").text
    with unit_of_work() as session:
        session.execute(update(User).where(User.username == "operator").values(locale="en"))
    page = operator.get("/penduduk").text
    assert "Find a resident" in page
    assert "Cari penduduk" not in page
