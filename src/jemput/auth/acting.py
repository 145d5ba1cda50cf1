"""Which credential the current request acts with, so the audit log can name it.

Set once per request by the auth dependency; read by `audit.record` when it writes an
entry for that same user. A context variable, because the services that write audit
entries are handed the user, not the request, and should stay that way.
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class Credential:
    """A bearer token and who minted it (None for a browser session)."""

    user_id: int
    token_id: int
    token_name: str
    created_by: str | None


_current: ContextVar[Credential | None] = ContextVar("jemput_credential", default=None)


def act_with(credential: Credential | None) -> None:
    """Declare the credential of the current request (None: a browser session)."""
    _current.set(credential)


def audit_detail(user_id: int) -> dict[str, object]:
    """Return what the audit log adds to an entry by `user_id` about how they acted."""
    credential = _current.get()
    if credential is None or credential.user_id != user_id:
        return {}
    # Keys without "token" in them: the audit scrubber hides any field so named.
    detail: dict[str, object] = {"api_key_id": credential.token_id,
                                 "api_key_name": credential.token_name}
    # A token minted by someone else (on the server's command line) names both people.
    if credential.created_by is not None:
        detail["api_key_minted_by"] = credential.created_by
    return detail
