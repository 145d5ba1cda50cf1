"""Page views read side by side with a writer; they never wait for SQLite's write lock."""

from __future__ import annotations

from sqlalchemy import update

from jemput.db import unit_of_work
from jemput.regions.models import Region


def test_dashboard_answers_while_another_transaction_is_writing(client_for):
    operator = client_for("operator")
    operator.get("/api/dasbor")  # sign-in bookkeeping done before the writer starts
    with unit_of_work() as writer:
        # An open write transaction (on SQLite: the one write lock) for the whole request.
        writer.execute(update(Region).where(Region.code == "33.06").values(name="Purworejo"))
        writer.flush()
        response = operator.get("/api/dasbor")
        writer.rollback()
    assert response.status_code == 200
