"""Option parsing shared by the domains' Typer sub-apps."""

from __future__ import annotations

from datetime import date

import typer


def parse_date_option(value: str | None) -> date | None:
    """Read a YYYY-MM-DD option; a wrong one is a usage error in Indonesian, not a traceback."""
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"'{value}' bukan tanggal YYYY-MM-DD") from None
