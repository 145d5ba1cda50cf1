"""The ways a roster disagrees with SIAK about the same person (FORMATS.md, issue 8).

School operators, pesantren clerks and KPU's coklit officers type names and dates as
they hear them: old spellings (OE for U, DJ for J), a/o/u vowel variants (SUTRISNO /
SUTRISNA), slips of the keyboard, a day and month swapped, a NIK left out or one digit
wrong. Each roster writer draws from these with its own rates.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date

# Spelling variants school operators and SIAK clerks disagree on.
SPELLING_VARIANTS = (
    ("MUHAMMAD", "MUHAMAD"), ("MUHAMMAD", "MOCHAMMAD"), ("AHMAD", "ACHMAD"),
    ("KH", "K"), ("DH", "D"), ("TH", "T"), ("Y", "I"), ("U", "OE"), ("SY", "S"),
    ("NUR", "NOER"), ("PUTRI", "PUTERI"), ("SS", "S"), ("A", "AH"),
)
# Javanese names written with a, o or u at the same place (SUTRISNO / SUTRISNA).
VOWEL_SWAPS = {"A": "O", "O": "A", "U": "O"}


@dataclass(frozen=True)
class Rates:
    """How often each kind of noise hits a row."""

    misspell: float = 0.03  # an old spelling, or two letters swapped
    vowel: float = 0.02  # a/o/u variant of one word's last vowel
    typo: float = 0.01  # one letter dropped or doubled
    day_month: float = 0.01  # birth day and month swapped (day <= 12)
    nik_missing: float = 0.01
    nik_mistyped: float = 0.01


def noisy_name(rng: random.Random, name: str, rates: Rates) -> str:
    """Return the name as a clerk might write it, by `rates`."""
    if rng.random() < rates.misspell:
        name = misspell(rng, name)
    if rng.random() < rates.vowel:
        name = vowel_variant(rng, name)
    if rng.random() < rates.typo:
        name = typo(rng, name)
    return name


def noisy_date(rng: random.Random, born: date, rates: Rates) -> date:
    """Return the birth date, its day and month swapped now and then."""
    if rng.random() < rates.day_month and born.day <= 12 and born.day != born.month:
        return born.replace(day=born.month, month=born.day)
    return born


def noisy_nik(rng: random.Random, nik: str, rates: Rates) -> str:
    """Return the NIK, left out or mistyped now and then."""
    r = rng.random()
    if r < rates.nik_missing:
        return ""
    if r < rates.nik_missing + rates.nik_mistyped:
        return mistype(rng, nik)
    return nik


def vowel_variant(rng: random.Random, name: str) -> str:
    """Swap the last a/o/u of one word (SUTRISNO -> SUTRISNA, WAHYU -> WAHYO)."""
    words = name.split()
    index = rng.randrange(len(words))
    word = words[index]
    for i in range(len(word) - 1, 0, -1):
        if word[i] in VOWEL_SWAPS:
            words[index] = word[:i] + VOWEL_SWAPS[word[i]] + word[i + 1:]
            break
    return " ".join(words)


def typo(rng: random.Random, name: str) -> str:
    """Drop or double one letter inside the name."""
    positions = [i for i in range(1, len(name) - 1) if name[i].isalpha()]
    if not positions:
        return name
    i = rng.choice(positions)
    return name[:i] + name[i + 1:] if rng.random() < 0.5 else name[:i] + name[i] + name[i:]


def misspell(rng: random.Random, name: str) -> str:
    """Return a plausible misspelling of `name`: a known variant or two swapped letters."""
    variants = [(a, b) for a, b in SPELLING_VARIANTS if a in name]
    if variants:
        old, new = rng.choice(variants)
        return name.replace(old, new, 1)
    positions = [i for i in range(len(name) - 1) if name[i].isalpha() and name[i + 1].isalpha()
                 and name[i] != name[i + 1]]
    if not positions:
        return name + "H"
    i = rng.choice(positions)
    return name[:i] + name[i + 1] + name[i] + name[i + 2:]


def mistype(rng: random.Random, nik: str) -> str:
    """Return `nik` with one digit changed, as a typing slip would."""
    i = rng.randrange(6, 16)
    digit = str((int(nik[i]) + rng.randint(1, 9)) % 10)
    return nik[:i] + digit + nik[i + 1:]
