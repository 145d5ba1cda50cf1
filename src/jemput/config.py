"""One typed settings object, read from JEMPUT_* variables and an optional .env."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_SECRET = "dev-only-change-me"  # noqa: S105 - refused outside development


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="JEMPUT_", env_file=".env", extra="ignore")

    environment: str = "development"
    database_url: str = "sqlite:///var/jemput.sqlite"
    # Where import reports, exports and generated demo files go.
    data_dir: Path = Path("var")
    secret_key: SecretStr = SecretStr(DEFAULT_SECRET)
    # Keys the audit log's hash chain (auth/audit.py). Keep it out of the database and
    # back it up apart from it; unset, it is derived from secret_key, which then must
    # never change.
    audit_key: SecretStr | None = None
    # The regency this instance serves; a file whose desa names carry no codes
    # (the "Data Penduduk" XLS) is resolved inside it.
    regency_code: str = "33.06"
    # Uploads larger than this are refused before they are read.
    max_upload_mb: int = 200
    session_hours: int = 8

    @model_validator(mode="after")
    def _refuse_default_secret_outside_development(self) -> Settings:
        if self.environment != "development" and self.secret_key.get_secret_value() == (
            DEFAULT_SECRET
        ):
            raise ValueError("JEMPUT_SECRET_KEY must be set outside development")
        return self


@lru_cache
def get_settings() -> Settings:
    return Settings()
