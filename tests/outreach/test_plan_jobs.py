"""A plan asked for on the page is solved as a background job: queued, followed, shown."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from jemput.db import unit_of_work
from jemput.jobs.models import Job
from tests.outreach.conftest import (
    ITERATIONS,
    create_campaign,
    plan,
    post_form,
    post_json,
    run_jobs,
)
from tests.outreach.test_campaigns import planned_people


@pytest.fixture
def campaign(kecamatan: dict[str, Any], client_for) -> int:
    return int(create_campaign(client_for("operator"), kecamatan["list_id"]).json()["id"])


def plan_jobs() -> list[Job]:
    with unit_of_work() as session:
        return list(session.scalars(select(Job).where(Job.kind == "rencana").order_by(Job.id)))


def test_the_page_queues_the_plan_and_shows_it_when_the_worker_is_done(campaign, client_for):
    operator = client_for("operator")
    queued = post_json(operator, f"/api/kampanye/{campaign}/rencana",
                       {"iterations": ITERATIONS, "seed": 1})
    assert queued.status_code == 202, queued.text
    job = queued.json()
    assert job["status"] == "queued" and job["active"] is True
    page = operator.get(f"/kampanye/{campaign}")
    assert "Menunggu giliran" in page.text and "/static/kampanye.js" in page.text
    assert "Belum ada rencana" in page.text
    # While the job waits there is no button to ask again.
    assert f'action="/kampanye/{campaign}/rencana"' not in page.text

    assert run_jobs(in_child=True) == [job["id"]]  # the worker's own path: a child process
    state = operator.get(f"/api/kampanye/{campaign}/pekerjaan").json()["job"]
    assert state["status"] == "done" and state["percent"] == 100
    assert state["message"] == "Rencana versi 1 selesai disusun."
    data = operator.get(f"/api/kampanye/{campaign}").json()
    assert data["plan"]["version"] == 1 and data["job"] is None
    assert planned_people(data)
    page = operator.get(f"/kampanye/{campaign}")
    assert "Rencana versi 1" in page.text and 'id="pekerjaan"' not in page.text


def test_a_second_click_while_a_plan_is_under_way_starts_nothing(campaign, client_for):
    operator = client_for("operator")
    first = post_form(operator, f"/kampanye/{campaign}/rencana", {})
    assert first.status_code == 303 and first.headers["location"].endswith("#pekerjaan")
    job_id = plan_jobs()[0].id
    again = post_form(operator, f"/kampanye/{campaign}/rencana", {})
    assert again.status_code == 409
    assert f"sedang disusun (pekerjaan #{job_id})" in again.text
    api = post_json(operator, f"/api/kampanye/{campaign}/rencana", {"iterations": 10})
    assert api.status_code == 409 and "Tunggu sampai selesai" in api.json()["detail"]
    assert [j.id for j in plan_jobs()] == [job_id]


def test_a_failed_solve_says_why_and_the_plan_stays(campaign, client_for):
    operator = client_for("operator")
    first = plan(operator, campaign).json()
    entry = planned_people(first)[0]
    # Queued while the plan has no outcome; by the time it runs, the field has recorded one.
    assert post_json(operator, f"/api/kampanye/{campaign}/rencana",
                     {"iterations": ITERATIONS}).status_code == 202
    recorded = post_json(operator, f"/api/kampanye/{campaign}/hasil",
                         {"entry_id": entry["id"], "outcome": "recorded"})
    assert recorded.status_code == 200, recorded.text
    run_jobs()
    job = operator.get(f"/api/kampanye/{campaign}/pekerjaan").json()["job"]
    assert job["status"] == "failed"
    assert job["message"].startswith("Rencana gagal disusun: rencana ini sudah punya hasil "
                                     "kunjungan: gunakan rancang ulang")
    page = operator.get(f"/kampanye/{campaign}")
    assert "Rencana gagal disusun" in page.text and "Rencana versi 1" in page.text
    # The buttons are back: the office replans instead.
    assert f'action="/kampanye/{campaign}/rencana"' in page.text
    replanned = plan(operator, campaign, replan=True).json()
    assert replanned["plan"]["version"] == 2 and replanned["job"] is None


def test_a_request_the_campaign_rules_out_is_refused_before_anything_is_queued(
        campaign, client_for):
    operator = client_for("operator")
    response = post_form(operator, f"/kampanye/{campaign}/rencana", {"replan": "1"})
    assert response.status_code == 400 and "belum punya rencana" in response.text
    assert plan_jobs() == []


@pytest.mark.parametrize("persona", ["kepala", "desa", "petugas", "kecamatan_operator",
                                     "outsider"])
def test_only_a_managing_office_may_queue_a_plan(persona, kecamatan, client_for):
    operator = client_for("operator")
    # A regency campaign: the Grabag office may read none of it.
    teams = {t["name"]: t["id"] for t in operator.get("/api/kampanye/sumber-daya")
             .json()["teams"]}
    campaign = create_campaign(operator, kecamatan["list_id"], area_code="33.06",
                               team_ids=[teams["Tim 1"]]).json()["id"]
    client = client_for(persona)
    if persona == "outsider":
        response = client.post(f"/api/kampanye/{campaign}/rencana", json={})
        assert response.status_code in (401, 403)
        assert client.get(f"/api/kampanye/{campaign}/pekerjaan").status_code in (401, 403)
    else:
        assert post_json(client, f"/api/kampanye/{campaign}/rencana", {}).status_code in (
            403, 404)
        assert post_form(client, f"/kampanye/{campaign}/rencana", {}).status_code in (403, 404)
    with unit_of_work() as session:
        assert session.scalar(select(func.count()).select_from(Job)) == 0
