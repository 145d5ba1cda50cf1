"""The security tests run queued jobs themselves (run_once), one at a time."""

from __future__ import annotations

import pytest
from fastapi import FastAPI

from jemput.config import Settings
from jemput.web import create_app


@pytest.fixture
def app(settings: Settings) -> FastAPI:
    app = create_app(settings)
    app.state.job_worker = False  # no worker thread racing the test for the queue
    return app
