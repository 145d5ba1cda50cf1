"""Production is the default: a deployment that forgets JEMPUT_ENVIRONMENT runs safely."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError

from jemput.auth.dependencies import SESSION_COOKIE
from jemput.config import Settings, get_settings
from jemput.web import create_app
from tests.personas import csrf_from

SECRET = "s3cr3t-for-the-hardening-tests-only"


@pytest.fixture
def deployment_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An environment as a careless deployment leaves it: no JEMPUT_ENVIRONMENT, no .env."""
    monkeypatch.delenv("JEMPUT_ENVIRONMENT", raising=False)
    monkeypatch.delenv("JEMPUT_SECRET_KEY", raising=False)
    monkeypatch.chdir(tmp_path)  # no .env from the developer's checkout
    get_settings.cache_clear()
    return tmp_path


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_app_creation_without_environment_or_secret_refuses_with_the_reason(deployment_env):
    with pytest.raises(ValidationError) as refused:
        create_app()
    assert "JEMPUT_SECRET_KEY belum diisi" in str(refused.value)


def test_serve_without_environment_or_secret_refuses_to_start(deployment_env):
    env = {k: v for k, v in os.environ.items()
           if k not in {"JEMPUT_ENVIRONMENT", "JEMPUT_SECRET_KEY"}}
    jemput = Path(sys.executable).with_name("jemput")
    # The timeout only stops a server that wrongly started; nothing is measured.
    finished = subprocess.run([str(jemput), "serve", "--port", str(_free_port())], env=env,
                              cwd=deployment_env, capture_output=True, text=True, timeout=120,
                              check=False)
    assert finished.returncode == 2, finished.stdout + finished.stderr
    assert "JEMPUT_SECRET_KEY belum diisi" in finished.stderr
    assert "JEMPUT_ENVIRONMENT=development" in finished.stderr
    assert "Jemput siap" not in finished.stdout


def test_with_a_secret_the_default_is_production_with_secure_cookies_and_no_api_docs(
    deployment_env, monkeypatch, migrated_database, personas
):
    monkeypatch.setenv("JEMPUT_SECRET_KEY", SECRET)
    settings = Settings(database_url=migrated_database)
    assert settings.environment == "production"
    app = create_app(settings)
    app.state.job_worker = False
    # https: the client, like a browser, sends Secure cookies back only over TLS.
    with TestClient(app, base_url="https://testserver") as client:
        form = client.get("/masuk")
        assert "secure" in form.headers["set-cookie"].lower()
        response = client.post("/masuk", follow_redirects=False, data={
            "username": "operator", "password": personas["operator"].password,
            "csrf_token": csrf_from(form.text)})
        assert response.status_code == 303, response.text
        session_cookie = next(c for c in response.headers.get_list("set-cookie")
                              if c.startswith(SESSION_COOKIE + "="))
        assert "secure" in session_cookie.lower()
        assert client.get("/api/dasbor").status_code == 200
        assert client.get("/api/docs").status_code == 404
        assert client.get("/api/openapi.json").status_code == 200
