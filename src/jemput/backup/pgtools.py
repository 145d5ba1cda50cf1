"""pg_dump and pg_restore: found, version-checked, and given the connection safely."""

from __future__ import annotations

import glob
import os
import re
import shutil
import subprocess
from pathlib import Path

from sqlalchemy.engine import make_url

from jemput.backup.errors import BackupRefused

_VERSION = re.compile(r"\(PostgreSQL\)\s+(\d+)(?:\.(\d+))?")


def _major(tool: Path) -> int | None:
    try:
        output = subprocess.run([str(tool), "--version"], capture_output=True, text=True,  # noqa: S603
                                timeout=30, check=False).stdout
    except OSError:
        return None
    match = _VERSION.search(output)
    return int(match.group(1)) if match else None


def find_tool(name: str, *, at_least: int) -> tuple[Path, int]:
    """Return the newest `name` (pg_dump, pg_restore) on PATH or in Debian's folders.

    It must be of major version `at_least` or newer: pg_dump refuses a newer server,
    and pg_restore a dump written by a newer pg_dump.
    """
    found: dict[Path, int] = {}
    for candidate in [shutil.which(name), *glob.glob(f"/usr/lib/postgresql/*/bin/{name}")]:
        if candidate and (major := _major(Path(candidate))) is not None:
            found[Path(candidate)] = major
    if not found:
        raise BackupRefused(
            f"Program {name} tidak ditemukan (dicari di PATH dan /usr/lib/postgresql/*/bin). "
            f"Pasang paket klien PostgreSQL versi {at_least} atau lebih baru, mis. "
            f"`apt install postgresql-client-{at_least}`.")
    path, major = max(found.items(), key=lambda item: item[1])
    if major < at_least:
        raise BackupRefused(
            f"{name} yang terpasang versi {major}, lebih lama dari yang dibutuhkan "
            f"(versi {at_least}: versi server PostgreSQL atau pembuat cadangan). Pasang "
            f"`postgresql-client-{at_least}` atau yang lebih baru.")
    return path, major


def libpq_environment(url: str) -> dict[str, str]:
    """The environment that points libpq tools at `url`: the password never in argv."""
    parsed = make_url(url)
    environment = dict(os.environ)
    for variable, value in (("PGHOST", parsed.host), ("PGPORT", parsed.port),
                            ("PGUSER", parsed.username), ("PGPASSWORD", parsed.password),
                            ("PGDATABASE", parsed.database),
                            ("PGSSLMODE", parsed.query.get("sslmode"))):
        if value:
            environment[variable] = str(value)
    return environment


def run_tool(arguments: list[str], *, url: str, what: str) -> None:
    """Run a libpq tool against `url`; BackupRefused with its message if it fails."""
    completed = subprocess.run(arguments, env=libpq_environment(url), capture_output=True,  # noqa: S603
                               text=True, check=False)
    if completed.returncode != 0:
        detail = completed.stderr.strip().splitlines()[-3:]
        raise BackupRefused(f"{what} gagal: {' / '.join(detail) or completed.returncode}")
