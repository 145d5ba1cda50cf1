"""Fuzz the JSON API with schemathesis against our own OpenAPI document.

Two properties over every operation: a signed-in operator never gets a server error,
and a caller without credentials never gets data.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from sqlalchemy import select

from jemput.auth import sessions
from jemput.auth.models import User
from jemput.config import Settings
from jemput.db import unit_of_work
from jemput.web import create_app
from tests.personas import Persona
from tests.residents.siak_files import family, write_siak

# Per operation and property, on both databases (about 2,100 requests a run). 20 took
# nearly two minutes of a two-core CI machine per database, a tenth of the whole suite.
MAX_EXAMPLES = 8


# The OpenAPI document does not depend on the database, so the schema is read from an
# app built at import time (schemathesis' fixture loader does not run on pytest 9).
# Each test then points that app at the test database before any call.
APP = create_app(Settings(environment="development"))
APP.state.job_worker = False  # its lifespan starts here, before the test database exists
schema = schemathesis.openapi.from_asgi("/api/openapi.json", APP)


@pytest.fixture(autouse=True)
def app_on_test_database(migrated_database: str, tmp_path) -> Iterator[None]:
    APP.state.settings = Settings(database_url=migrated_database, environment="development",
                                  data_dir=tmp_path / "var")
    yield


@pytest.fixture
def operator_headers(personas: dict[str, Persona], tmp_path) -> dict[str, str]:
    from typer.testing import CliRunner

    from jemput.cli import app as cli

    # Some residents to find, loaded the way an office loads them.
    CliRunner().invoke(cli, ["residents", "import", str(write_siak(tmp_path / "s.csv",
                                                                    family()))])
    with unit_of_work() as session:
        operator = session.scalar(select(User).where(User.username == "operator"))
        token, _ = sessions.create_token(session=session, user=operator, name="fuzz",
                                         actor=operator)
    return {"Authorization": f"Bearer {token}"}


FUZZ = settings(max_examples=MAX_EXAMPLES, deadline=None,
                suppress_health_check=list(HealthCheck))


@schema.include(path_regex="^/api/").parametrize()
@FUZZ
def test_operator_never_gets_a_server_error(case, operator_headers):
    response = case.call(headers=operator_headers)
    assert response.status_code < 500, (case.method, case.formatted_path, response.text[:300])


@schema.include(path_regex="^/api/").parametrize()
@FUZZ
def test_no_data_without_credentials(case):
    response = case.call()
    # Refusals only: 401 in the normal case, or a 4xx about the request itself (an
    # unparseable body is turned away before anyone is asked who they are).
    assert 400 <= response.status_code < 500, (
        case.method, case.formatted_path, response.status_code, response.text[:300]
    )
