"""/metrics: Prometheus' text format by route template, for an admin or the scraper only."""

from __future__ import annotations

import httpx
import pytest
from fastapi.testclient import TestClient

from jemput.config import Settings
from jemput.db import unit_of_work
from jemput.jobs import service as jobs
from jemput.web import create_app
from tests.web.test_serve import REQUEST_TIMEOUT, serve  # noqa: F401 - the fixture

TOKEN = "scraper-token-4b1f"
NIK = "3306011203850001"


def _sample(exposition: str, name: str, **labels: str) -> float:
    """The value of the one sample of `name` whose labels include `labels`."""
    wanted = [f'{key}="{value}"' for key, value in labels.items()]
    values = [float(line.rsplit(" ", 1)[1]) for line in exposition.splitlines()
              if line.startswith(name + "{") and all(w in line for w in wanted)]
    assert len(values) == 1, (name, labels, values)
    return values[0]


def test_an_admin_reads_requests_by_route_template_and_jobs_by_state(client_for):
    with unit_of_work() as session:
        jobs.enqueue(session=session, kind="import", payload={}, created_by="test")
    admin = client_for("admin")
    # The counters are the process's: earlier tests in this run have counted too.
    route = {"method": "GET", "route": "/api/wilayah/{code}", "status": "200"}
    before = admin.get("/metrics").text
    earlier = (_sample(before, "jemput_http_requests_total", **route)
               if 'route="/api/wilayah/{code}",status="200"' in before else 0)
    assert admin.get(f"/api/wilayah/33.06.01.2001?q={NIK}").status_code == 200
    admin.get(f"/tidak-ada/{NIK}")
    response = admin.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    text = response.text
    assert _sample(text, "jemput_http_requests_total", **route) == earlier + 1
    assert _sample(text, "jemput_http_requests_total", route="(tidak dikenal)",
                   status="404") >= 1
    assert _sample(text, "jemput_http_request_duration_seconds_count", method="GET",
                   route="/api/wilayah/{code}") >= 1
    # The app's job worker may have claimed it by now: one job, in whichever state.
    states = [line for line in text.splitlines() if line.startswith('jemput_jobs{kind="import"')]
    assert len(states) == 1 and states[0].endswith(" 1.0"), states
    assert "jemput_requests_active" in text and "jemput_db_pool_checked_out" in text
    # Labels are templates: no NIK, no region code, no query from any path.
    assert NIK not in text and "33.06.01.2001" not in text


@pytest.mark.parametrize("persona", ["operator", "desa", "petugas", "outsider"])
def test_anyone_but_an_admin_is_told_there_is_no_metrics_page(client_for, persona):
    response = client_for(persona).get("/metrics")
    assert response.status_code == 404
    assert "jemput_http_requests" not in response.text


def test_the_scraper_reads_with_its_token_and_a_wrong_one_is_refused(migrated_database):
    app = create_app(Settings(database_url=migrated_database, environment="development",
                              metrics_token=TOKEN))
    with TestClient(app) as client:
        assert client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"}
                          ).status_code == 200
        for wrong in (f"Bearer {TOKEN}x", "Bearer ", TOKEN, f"Basic {TOKEN}"):
            assert client.get("/metrics", headers={"Authorization": wrong}).status_code == 404
        assert client.get("/metrics").status_code == 404
    # Without a token configured, no bearer opens it (not even an empty one).
    unset = create_app(Settings(database_url=migrated_database, environment="development"))
    with TestClient(unset) as client:
        assert client.get("/metrics", headers={"Authorization": "Bearer "}).status_code == 404


def test_several_workers_count_into_one_scrape(serve):  # noqa: F811 - the fixture
    server = serve(workers=2, metrics_token=TOKEN)
    bearer = {"Authorization": f"Bearer {TOKEN}"}

    def scrape() -> str:
        # A new connection each time (no keep-alive): any of the workers may answer.
        response = httpx.get(f"{server.base}/metrics", headers=bearer, timeout=REQUEST_TIMEOUT)
        assert response.status_code == 200
        return response.text

    before = _sample(scrape(), "jemput_http_requests_total", route="/healthz")
    for _ in range(30):
        assert httpx.get(f"{server.base}/healthz", timeout=REQUEST_TIMEOUT).status_code == 200
    totals = {_sample(scrape(), "jemput_http_requests_total", route="/healthz")
              for _ in range(6)}
    # One worker's own count would differ from scrape to scrape; the sum is the same.
    assert totals == {before + 30}
    assert server.stop() == 0
