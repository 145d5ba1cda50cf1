"""The stable identity of a roster row across re-imports of the same list."""

from __future__ import annotations

import hashlib
from datetime import date


def row_key(
    *, kind: str, owner: str, nik: str | None, nisn: str | None, name: str,
    birth_date: date | None,
) -> str:
    """Return a key for "this person on this list" that a re-import reproduces.

    `owner` is the school's NPSN or the voter list's desa code. NISN and NIK identify a
    person when the source has them; otherwise the name (spacing and case folded) and
    birth date do. A typo fixed in the next export makes a new key: the row is then
    linked afresh, which is the safe way round.
    """
    identity = nisn or nik or f"{' '.join(name.upper().split())}|{birth_date or ''}"
    return hashlib.sha256(f"{kind}|{owner}|{identity}".encode()).hexdigest()
