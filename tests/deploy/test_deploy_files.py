"""The install files agree with the code they run: the systemd unit, Caddyfile, Dockerfile,
compose.yaml and the env files deploy/make-env writes.

Cheap checks only (no install, no server): deploy/ci-check-install runs the install path
itself. Command lines are parsed by `jemput serve`'s own option parser, the env file by
Jemput's own Settings, and the unit and Caddyfile by systemd's and Caddy's own tools
where this machine has them.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
import typer.main
import yaml

from jemput.cli import app
from jemput.config import DEFAULT_SECRET, Settings
from jemput.serving import WATCHDOG_MARGIN_SECONDS

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
UNIT = DEPLOY / "systemd" / "jemput.service"


def _unit_values(text: str) -> dict[str, str]:
    values: dict[str, str] = {}
    for line in text.splitlines():
        if "=" in line and not line.startswith(("#", "[")):
            key, _, value = line.partition("=")
            assert key not in values, f"{key} twice in the unit"
            values[key] = value
    return values


def _serve_options(argv: list[str]) -> dict[str, object]:
    """Parse a `jemput serve ...` command line with the CLI's own parser; return its values."""
    assert argv[:2] == ["jemput", "serve"], argv
    serve = typer.main.get_command(app).commands["serve"]  # type: ignore[attr-defined]
    return dict(serve.make_context("serve", argv[2:]).params)


def _render(function: str, *args: str) -> str:
    """Run one of deploy/lib.sh's functions, the ones the installer runs."""
    script = f'. "{DEPLOY}/lib.sh"; {function} "$@"'
    return subprocess.run(["bash", "-c", script, "render", *args], check=True,
                          capture_output=True, text=True).stdout


def test_unit_serves_on_loopback_hardened_and_waits_out_the_grace(tmp_path: Path) -> None:
    unit = _unit_values(UNIT.read_text())
    argv = shlex.split(unit["ExecStart"])
    assert argv[0] == "/opt/jemput/venv/bin/jemput"
    options = _serve_options(["jemput", *argv[1:]])
    # Only Caddy, on this machine, may reach it; it must not die before its grace ends.
    assert options["host"] == "127.0.0.1"
    assert float(unit["TimeoutStopSec"]) >= float(str(options["grace"])) + WATCHDOG_MARGIN_SECONDS
    assert unit["KillMode"] == "mixed"  # SIGTERM to the server, which stops its workers
    assert unit["Restart"] == "on-failure"
    assert unit["EnvironmentFile"] == "/etc/jemput/jemput.env"
    assert unit["ReadWritePaths"] == unit["WorkingDirectory"] == "/var/lib/jemput"
    assert unit["User"] == "jemput"
    for key, value in {"NoNewPrivileges": "yes", "ProtectSystem": "strict",
                       "PrivateTmp": "yes", "ProtectHome": "yes"}.items():
        assert unit[key] == value, key

    # The installer's rendering for other paths and cores changes those and nothing else.
    rendered = _unit_values(_render("render_unit", str(UNIT), str(tmp_path / "opt"),
                                    "/srv/jemput-data", "/srv/etc/jemput.env", "3"))
    assert shlex.split(rendered["ExecStart"]) == [
        str(tmp_path / "opt" / "venv/bin/jemput"), *argv[1:argv.index("--workers") + 1], "3",
        *argv[argv.index("--workers") + 2:]]
    assert rendered["ReadWritePaths"] == rendered["WorkingDirectory"] == "/srv/jemput-data"
    assert rendered["EnvironmentFile"] == "/srv/etc/jemput.env"
    assert {k: v for k, v in rendered.items() if k not in {
        "ExecStart", "ReadWritePaths", "WorkingDirectory", "EnvironmentFile",
        "Documentation"}} == {k: v for k, v in unit.items() if k not in {
        "ExecStart", "ReadWritePaths", "WorkingDirectory", "EnvironmentFile",
        "Documentation"}}

    if shutil.which("systemd-analyze"):
        # systemd's own parser: unknown keys, bad values, a missing executable.
        opt = tmp_path / "opt" / "venv" / "bin"
        opt.mkdir(parents=True)
        (opt / "jemput").symlink_to(Path(sys.executable).with_name("jemput"))
        unit_file = tmp_path / "jemput.service"
        unit_file.write_text(_render("render_unit", str(UNIT), str(tmp_path / "opt"),
                                     str(tmp_path), str(tmp_path / "jemput.env"), "2"))
        check = subprocess.run(["systemd-analyze", "verify", str(unit_file)],
                               capture_output=True, text=True)
        assert check.returncode == 0 and not check.stderr.strip(), check.stderr


def test_backup_unit_runs_the_installed_jemput_with_the_services_settings() -> None:
    service = _unit_values(UNIT.read_text())
    backup = _unit_values((DEPLOY / "systemd" / "jemput-backup.service").read_text())
    argv = shlex.split(backup["ExecStart"])
    # The same program, settings and user as the server, as the installer renders both.
    assert argv[0] == shlex.split(service["ExecStart"])[0]
    for key in ("EnvironmentFile", "User", "WorkingDirectory"):
        assert backup[key] == service[key], key
    # Its own options, parsed by `jemput backup`'s own parser.
    backup_command = typer.main.get_command(app).commands["backup"]  # type: ignore[attr-defined]
    params = backup_command.make_context("backup", argv[2:]).params
    assert argv[1] == "backup" and params["keep"] == 14
    writable = {str(params["destination"]), service["ReadWritePaths"]}
    assert set(backup["ReadWritePaths"].split()) == writable


def test_make_env_writes_secrets_that_settings_accept_and_keeps_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env_file = tmp_path / "etc" / "jemput.env"
    command = [str(DEPLOY / "make-env"), "server", str(env_file), "--data-dir",
               "/var/lib/jemput", "--db-name", "jemput", "--db-user", "jemput"]
    subprocess.run(command, check=True, capture_output=True)
    assert stat.S_IMODE(env_file.stat().st_mode) == 0o640
    written = env_file.read_text()

    # Only the file speaks (the suite's own JEMPUT_ENVIRONMENT=development would win).
    for key in [key for key in os.environ if key.startswith("JEMPUT_")]:
        monkeypatch.delenv(key)
    settings = Settings(_env_file=env_file)  # type: ignore[call-arg]
    assert settings.environment == "production"
    secret = settings.secret_key.get_secret_value()
    audit = settings.audit_key.get_secret_value() if settings.audit_key else ""
    assert secret != DEFAULT_SECRET and len(secret) >= 40 and len(audit) >= 40
    assert secret != audit
    assert re.fullmatch(r"postgresql\+psycopg://jemput:[\w-]{40,}@127\.0\.0\.1:5432/jemput",
                        settings.database_url)
    assert str(settings.data_dir) == "/var/lib/jemput"
    password = subprocess.run([str(DEPLOY / "make-env"), "db-password", str(env_file)],
                              check=True, capture_output=True, text=True).stdout.strip()
    assert f":{password}@" in settings.database_url

    # Re-running (an upgrade) keeps every value and the administrator's own lines; a
    # second install elsewhere gets other secrets.
    with env_file.open("a") as out:
        out.write("JEMPUT_TIME_ZONE=Asia/Makassar\n")
    run = subprocess.run(command, check=True, capture_output=True, text=True)
    assert env_file.read_text() == written + "JEMPUT_TIME_ZONE=Asia/Makassar\n"
    assert "tidak berubah" in run.stdout and secret not in run.stdout
    other = tmp_path / "other.env"
    subprocess.run([*command[:2], str(other), *command[3:]], check=True, capture_output=True)
    assert secret not in other.read_text()


def test_compose_takes_every_secret_from_make_env_and_bakes_none_in(tmp_path: Path) -> None:
    compose_text = (ROOT / "compose.yaml").read_text()
    compose = yaml.safe_load(compose_text)
    assert set(compose["services"]) == {"postgres", "jemput", "caddy"}
    required = set(re.findall(r"\$\{(\w+):\?", compose_text))
    env_file = tmp_path / ".env"
    subprocess.run([str(DEPLOY / "make-env"), "compose", str(env_file), "--hostname",
                    "jemput.kantor.lan, 192.168.1.10"], check=True, capture_output=True)
    generated = dict(line.split("=", 1) for line in env_file.read_text().splitlines()
                     if line and not line.startswith("#"))
    assert required == set(generated) == {
        "POSTGRES_PASSWORD", "JEMPUT_SECRET_KEY", "JEMPUT_AUDIT_KEY", "JEMPUT_HOSTNAME"}
    # Nothing secret has a default in compose.yaml; the jemput port is not published.
    assert not re.search(r"\$\{\w*(PASSWORD|KEY)\w*:-", compose_text)
    assert "ports" not in compose["services"]["jemput"]
    assert "ports" not in compose["services"]["postgres"]

    dockerfile = (ROOT / "Dockerfile").read_text()
    final_stage = dockerfile.rsplit("\nFROM ", 1)[1]
    assert final_stage.startswith("python:3.11-slim")
    assert "\nUSER jemput" in final_stage
    assert not re.search(r"(SECRET|PASSWORD|AUDIT_KEY)", final_stage.split("HEALTHCHECK")[0])
    assert "/healthz" in final_stage.split("HEALTHCHECK", 1)[1].splitlines()[1]
    cmd = json.loads(re.search(r"^CMD (\[.*\])$", final_stage, re.M).group(1))  # type: ignore[union-attr]
    assert _serve_options(cmd)["grace"] == 10
    assert compose["services"]["jemput"]["stop_grace_period"] == "30s"


def test_caddyfile_terminates_https_with_its_own_ca_and_forwards_to_jemput() -> None:
    caddy = shutil.which("caddy")
    if caddy is None:
        # Like Chromium for the browser tests: scripts/test installs it; never a silent skip.
        pytest.fail("Caddy is not installed: run scripts/install-test-packages")
    rendered = _render("render_caddyfile", str(DEPLOY / "caddy" / "Caddyfile"),
                       "jemput.kantor.lan, 192.168.1.10")
    environment = {key: value for key, value in os.environ.items()
                   if not key.startswith("JEMPUT_")}
    adapted = subprocess.run([caddy, "adapt", "--adapter", "caddyfile", "--config",
                              "/dev/stdin"], input=rendered, capture_output=True, text=True,
                             check=True, env=environment)
    config = json.loads(adapted.stdout)
    server = config["apps"]["http"]["servers"]["srv0"]
    assert server["listen"] == [":443"]
    route = server["routes"][0]
    assert route["match"] == [{"host": ["jemput.kantor.lan", "192.168.1.10"]}]
    handlers = json.dumps(route["handle"])
    assert '"dial": "127.0.0.1:8000"' in handlers
    assert "encode" not in handlers  # see the Caddyfile: no compression (BREACH)
    assert "logs" not in server  # no access log: URLs can carry a searched NIK
    policy = config["apps"]["tls"]["automation"]["policies"][0]
    assert policy["issuers"] == [{"module": "internal"}]
