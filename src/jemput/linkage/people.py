"""What linkage compares of a person, and what a scored pair is: no Splink needed here.

Kept apart from model.py so that the web app and every `jemput` command can use the
linkage service without loading Splink, pandas and DuckDB (a few seconds and a hundred
megabytes or more); only a linkage run loads them.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True, slots=True)
class Person:
    """What linkage compares of one roster row or one resident."""

    id: int
    nik: str | None
    name: str
    sex: int | None
    birth_date: date | None
    desa_code: str | None


@dataclass(frozen=True, slots=True)
class Candidate:
    """One scored pair: the Splink match weight (log2 odds, prior included)."""

    row_id: int
    resident_id: int
    match_weight: float


def probabilities(weights: Sequence[float]) -> list[float]:
    """Turn one row's candidates' match weights into probabilities that each is the one.

    A row is at most one resident, so the candidates compete: with odds o_i = 2^w_i,
    P(i) = o_i / (1 + sum o_j). A twin scoring nearly as well as the best candidate
    pulls the best one down into review instead of letting a coin flip decide.
    """
    if not weights:
        return []
    top = max(weights)
    # Scaled by the best odds so that 2^w cannot overflow.
    scaled = [math.pow(2.0, w - top) for w in weights]
    rest = math.pow(2.0, -top) if top < 1000 else 0.0
    total = rest + sum(scaled)
    return [value / total for value in scaled]
