"""One typed settings object, read from JEMPUT_* variables and an optional .env."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_SECRET = "dev-only-change-me"  # noqa: S105 - refused outside development
NO_KEY_MESSAGE = (
    "JEMPUT_SECRET_KEY belum diisi: di luar mode pengembangan Jemput tidak mau berjalan "
    "dengan kunci bawaan. Isi JEMPUT_SECRET_KEY dengan rahasia acak (mis. keluaran "
    "`python3 -c 'import secrets; print(secrets.token_urlsafe(32))'`), atau setel "
    "JEMPUT_ENVIRONMENT=development untuk mencoba di laptop sendiri. / "
    "JEMPUT_SECRET_KEY is not set: outside development Jemput refuses the default key. "
    "Set JEMPUT_SECRET_KEY to a random secret, or JEMPUT_ENVIRONMENT=development to try "
    "it out locally."
)


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="JEMPUT_", env_file=".env", extra="ignore")

    # Safe unless told otherwise: a deployment that forgets this variable must not run
    # with the development secret, cookies without Secure and the API docs open.
    # `make run` and the test suite ask for "development" explicitly.
    environment: str = "production"
    database_url: str = "sqlite:///var/jemput.sqlite"
    # Where import reports, exports and generated demo files go.
    data_dir: Path = Path("var")
    secret_key: SecretStr = SecretStr(DEFAULT_SECRET)
    # Keys the audit log's hash chain (auth/audit.py). Keep it out of the database and
    # back it up apart from it; unset, it is derived from secret_key, which then must
    # never change.
    audit_key: SecretStr | None = None
    # `jemput backup` encrypts to this age public key ("age1..."); its identity (private
    # key) is kept off the server and is needed only to restore (backup/keys.py).
    backup_recipient: str | None = None
    # Or a passphrase (age scrypt) instead of a key pair: for restore, or when no recipient
    # is set. Never a command-line argument, so it shows in no process list or history.
    backup_passphrase: SecretStr | None = None
    # The regency this instance serves; a file whose desa names carry no codes
    # (the "Data Penduduk" XLS) is resolved inside it.
    regency_code: str = "33.06"
    # Uploads larger than this are refused before they are read.
    max_upload_mb: int = 200
    session_hours: int = 8
    # Requests inside one worker process at once (admission.py). Each holds one database
    # connection and one of the worker's 40 threads; the pool's size lowers it further.
    max_active_requests: int = Field(default=30, ge=1, le=38)
    # Database connections of the whole server, all worker processes together: each gets
    # an equal share as a fixed pool. PostgreSQL allows 100 by default; the rest is left
    # for the job processes, `jemput` commands and the administrator's psql.
    db_connections: int = Field(default=80, ge=1, le=1000)
    # Worker processes of `jemput serve` (it sets this for its workers): divides the above.
    workers: int = Field(default=1, ge=1, le=64)
    # How long a request waits for its turn (admission) or a pooled connection before it
    # is answered 503 with Retry-After: a short queue, never a 500 after a minute.
    queue_seconds: float = Field(default=5.0, gt=0, le=60)
    # On SIGTERM, how long in-flight requests may run before they are abandoned and the
    # server exits (`jemput serve --grace`).
    shutdown_grace: float = Field(default=10.0, ge=0, le=600)
    # Each background job (an uploaded import) runs in a child process that may use at
    # most this much memory (address space): a hostile file kills its job, never the server.
    job_memory_mb: int = Field(default=2048, ge=384)
    # The office's time zone (IANA name): "today" for ages and imports, and the times
    # pages show. WIB offices keep the default; WITA is Asia/Makassar, WIT Asia/Jayapura.
    time_zone: str = "Asia/Jakarta"
    # A map tile server (e.g. the office's own, or one whose terms it has accepted),
    # as Leaflet reads it: "https://tiles.example.go.id/{z}/{x}/{y}.png". None: the
    # maps draw only Jemput's own layers on a plain background, and no page asks
    # another host for anything. Its origin is added to the pages' img-src.
    map_tile_url: str | None = None
    # Shown in the map's corner when tiles are drawn: their licence asks for it.
    map_tile_attribution: str = ""
    # Travel times for the planner (planning/travel.py): an OSRM-compatible table service
    # when set, else straight-line distance x road factor at a fixed speed.
    osrm_url: str | None = None
    travel_speed_kmh: float = Field(default=30.0, gt=0)
    road_factor: float = Field(default=1.3, ge=1)
    # Logs (logs.py): "json" writes one JSON object a line for a log collector. A log
    # file is optional: under systemd, stdout goes to journald, which rotates it.
    log_format: Literal["text", "json"] = "text"
    log_file: Path | None = None
    log_file_max_mb: float = Field(default=20.0, gt=0)
    log_file_backups: int = Field(default=10, ge=0, le=1000)
    # A Prometheus scraper's bearer token for /metrics (an admin's session also reads it).
    # Unset: only a signed-in admin can.
    metrics_token: SecretStr | None = None

    @field_validator("time_zone")
    @classmethod
    def _known_time_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(
                f"JEMPUT_TIME_ZONE '{value}' is not an IANA time zone (e.g. Asia/Jakarta)"
            ) from None
        return value

    @field_validator("map_tile_url")
    @classmethod
    def _tile_url_template(cls, value: str | None) -> str | None:
        if not value:
            return None
        parts = urlsplit(value)
        if (parts.scheme not in ("https", "http") or not parts.netloc
                or any(f"{{{key}}}" not in value for key in "zxy")
                or any(c in value for c in " ;'\"")):
            raise ValueError(
                f"JEMPUT_MAP_TILE_URL '{value}' harus alamat http(s) dengan {{z}}, {{x}} dan "
                "{y}, mis. https://ubin.contoh.go.id/{z}/{x}/{y}.png"
            )
        return value

    @property
    def pool_size(self) -> int:
        """This process's fixed share of the server's database connections."""
        return max(1, self.db_connections // self.workers)

    @property
    def map_tile_origin(self) -> str | None:
        """The scheme and host the tiles come from (for the pages' img-src), or None."""
        if not self.map_tile_url:
            return None
        parts = urlsplit(self.map_tile_url)
        # {s} subdomains ("{s}.tile.example.org") are allowed by a wildcard on that host.
        return f"{parts.scheme}://{parts.netloc.replace('{s}', '*')}"

    @model_validator(mode="after")
    def _refuse_default_secret_outside_development(self) -> Settings:
        if self.environment != "development" and self.secret_key.get_secret_value() == (
            DEFAULT_SECRET
        ):
            raise ValueError(NO_KEY_MESSAGE)
        return self


@lru_cache
def get_settings() -> Settings:
    return Settings()


def settings_problem() -> str | None:
    """Return why the settings from the environment cannot be used, or None if they can."""
    try:
        get_settings()
    except ValidationError as error:
        return "; ".join(
            str(e["ctx"]["error"]) if not e["loc"] and "error" in e.get("ctx", {})
            else f"JEMPUT_{'_'.join(map(str, e['loc'])).upper()}: {e['msg']}"
            for e in error.errors()
        )
    return None
