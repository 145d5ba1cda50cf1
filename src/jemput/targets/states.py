"""A member's follow-up states and the moves allowed between them, in one place.

open -> contacted -> scheduled -> reached (recorded | exception), or closed with a
reason at any open step. `left` is the registry's move, never a person's: the rule no
longer selects them (kept for the list's history). A person may step back from
scheduled to contacted (the visit was called off) but nothing leaves reached or closed
except the registry's refresh.
"""

from __future__ import annotations

OPEN, CONTACTED, SCHEDULED, REACHED, CLOSED, LEFT = (
    "open", "contacted", "scheduled", "reached", "closed", "left")
STATES = (OPEN, CONTACTED, SCHEDULED, REACHED, CLOSED, LEFT)
ACTIVE = frozenset({OPEN, CONTACTED, SCHEDULED})

MOVES: dict[str, frozenset[str]] = {
    OPEN: frozenset({CONTACTED, SCHEDULED, REACHED, CLOSED}),
    CONTACTED: frozenset({SCHEDULED, REACHED, CLOSED}),
    SCHEDULED: frozenset({CONTACTED, REACHED, CLOSED}),
    REACHED: frozenset(),
    CLOSED: frozenset(),
    LEFT: frozenset(),
}
# The outcome each final state needs.
OUTCOMES: dict[str, tuple[str, ...]] = {
    REACHED: ("recorded", "exception"),
    CLOSED: ("refused", "moved", "died", "not_found", "duplicate"),
}
NO_LONGER_MATCHES = "no_longer_matches"

LABELS: dict[str, tuple[str, str]] = {
    OPEN: ("Terbuka", "Open"),
    CONTACTED: ("Sudah dihubungi", "Contacted"),
    SCHEDULED: ("Terjadwal", "Scheduled"),
    REACHED: ("Terjangkau", "Reached"),
    CLOSED: ("Ditutup", "Closed"),
    LEFT: ("Keluar dari daftar", "Left the list"),
    "recorded": ("sudah rekam", "recorded"),
    "exception": ("pengecualian", "exception"),
    "refused": ("menolak", "refused"),
    "moved": ("pindah", "moved"),
    "died": ("meninggal", "died"),
    "not_found": ("tidak ditemukan", "not found"),
    "duplicate": ("data ganda", "duplicate"),
    NO_LONGER_MATCHES: ("tidak lagi memenuhi aturan", "no longer matches the rule"),
    "linked": ("sudah ditautkan ke SIAK", "now linked to the registry"),
}


class InvalidMove(ValueError):
    """A state change the follow-up does not allow; the message says what and why."""


def label(key: str | None, locale: str = "id") -> str:
    if key is None:
        return ""
    words = LABELS.get(key, (key, key))
    return words[1] if locale == "en" else words[0]


def check_move(*, current: str, new: str, outcome: str | None) -> str | None:
    """Return the outcome to store for moving `current` -> `new`, or raise InvalidMove."""
    if new not in STATES or new == LEFT:
        raise InvalidMove(f"status tidak dikenal: {new!r} (pilih: {', '.join(MOVES[OPEN])})")
    if new not in MOVES[current]:
        allowed = ", ".join(sorted(MOVES[current])) or "tidak ada"
        raise InvalidMove(f"status {label(current)} tidak bisa diubah menjadi {label(new)} "
                          f"(yang boleh: {allowed})")
    if new in OUTCOMES:
        if outcome not in OUTCOMES[new]:
            raise InvalidMove(f"status {label(new)} perlu alasan: "
                              f"{', '.join(OUTCOMES[new])}")
        return outcome
    return None
