"""Password hashing (Argon2id) and the password policy.

The policy follows NIST SP 800-63B: length, a list of passwords people really use,
words an attacker would try first for this office, and no composition rules. The
list is zxcvbn's 30,000 most common leaked passwords plus Indonesian favourites;
zxcvbn's estimate catches what the list misses (a common word with a year).
"""

from __future__ import annotations

import itertools
import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from jemput.auth import strings as _strings  # noqa: F401 - registers the policy messages
from jemput.i18n import DEFAULT_LOCALE, translate

MIN_LENGTH = 12
# zxcvbn score 3: about 10^8 guesses, beyond any online attack that throttling allows.
MIN_SCORE = 3
# Always part of the context: the app and the office every account belongs to.
OFFICE_WORDS = ("jemput", "disdukcapil", "dukcapil")
# Words too generic to refuse inside a password (parts of region and person names).
_NOT_CONTEXT = frozenset({"kabupaten", "kota", "kecamatan", "desa", "kelurahan", "demo"})

# The passwords Indonesian offices pick first; zxcvbn's list is English-heavy.
_INDONESIAN_COMMON = frozenset(
    {
        "passwordku", "katasandi", "katasandiku", "rahasia", "rahasiaku", "bismillah",
        "alhamdulillah", "assalamualaikum", "indonesia", "indonesiaraya", "merdeka",
        "merdeka1945", "sayang", "sayangku", "cintaku", "kucing", "garuda", "pancasila",
        "jakarta", "semarang", "yogyakarta", "jawatengah", "admin", "administrator",
        "ktpel", "ktp-el", "penduduk", "kependudukan", "pelayanan", "operator", "kantor",
        "qwertyuiop", "1q2w3e4r5t", "iloveyou", "abc1234567", "bangsa", "sukses",
    }
)
_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t",
                       "8": "b", "@": "a", "$": "s", "!": "i", "|": "l"})
_EDGES = re.compile(r"^[\W\d_]+|[\W\d_]+$")

# PasswordHasher's defaults are Argon2id with the RFC 9106 "low memory" profile.
_hasher = PasswordHasher()
# Verified against when the username is unknown, so both failures take as long.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


@dataclass(frozen=True)
class Problem:
    """One broken rule: `rule` names it, `word` is the context word that matched."""

    rule: str
    word: str = ""

    def text(self, locale: str = DEFAULT_LOCALE) -> str:
        return translate(f"password.{self.rule}", locale).format(min=MIN_LENGTH, word=self.word)


class PasswordPolicyError(ValueError):
    """The proposed password breaks the policy; str() is Indonesian, messages() any locale."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(" ".join(problem.text() for problem in problems))
        self.rules = problems
        self.problems = [problem.text() for problem in problems]

    def messages(self, locale: str = DEFAULT_LOCALE) -> list[str]:
        return [problem.text(locale) for problem in self.rules]


@cache
def common_passwords() -> frozenset[str]:
    """Return the bundled list of common passwords, lower-cased."""
    # Imported here: the lists are large and only password changes need them.
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(FREQUENCY_LISTS["passwords"]) | _INDONESIAN_COMMON


def context_words(*texts: str | None) -> list[str]:
    """Split names (of the person, the region) into words worth refusing in a password."""
    words = []
    for text in texts:
        for word in re.split(r"[\W_]+", (text or "").lower()):
            if len(word) >= 4 and word not in _NOT_CONTEXT and not word.isdigit():
                words.append(word)
    return words


def _repetitive(password: str) -> bool:
    if len(set(password)) < 5:
        return True
    size = len(password)
    # "passwordpassword", "abcabcabcabc": the whole is one short unit repeated.
    if any(size % unit == 0 and password[:unit] * (size // unit) == password
           for unit in range(1, size // 2 + 1)):
        return True
    # "abcdefghijkl", "987654321098": every step the same +1 or -1.
    steps = {ord(b) - ord(a) for a, b in itertools.pairwise(password)}
    if password.isdigit():  # "1234567890123" wraps from 9 to 0
        return steps <= {1, -9} or steps <= {-1, 9}
    return steps in ({1}, {-1})


def find_problems(
    password: str, *, username: str, context: Iterable[str] = ()
) -> list[Problem]:
    """Return every rule `password` breaks for `username` with these context words."""
    problems = []
    lowered = password.lower()
    normalised = lowered.translate(_LEET)
    if len(password) < MIN_LENGTH:
        problems.append(Problem("length"))
    if _repetitive(lowered):
        problems.append(Problem("repetitive"))
    if password.isdigit():
        problems.append(Problem("digits_only"))
    name = username.lower()
    if name and (name in lowered or name in normalised):
        problems.append(Problem("username"))
    words = [*OFFICE_WORDS, *context_words(*context)]
    for word in dict.fromkeys(words):
        if word not in name and (word in lowered or word in normalised):
            problems.append(Problem("context", word))
            break
    common = common_passwords()
    base = _EDGES.sub("", lowered)
    if {lowered, normalised} & common or (len(base) >= 4 and base in common):
        problems.append(Problem("common"))
    if not problems and _score(password, [name, *words]) < MIN_SCORE:
        problems.append(Problem("guessable"))
    return problems


def _score(password: str, user_inputs: list[str]) -> int:
    from zxcvbn import zxcvbn  # large lists; loaded on the first password check

    # zxcvbn's cost grows with length; past 100 characters nobody is guessing.
    return int(zxcvbn(password[:100], user_inputs=user_inputs)["score"])


def policy_problems(password: str, *, username: str, context: Iterable[str] = ()) -> list[str]:
    """Return what is wrong with `password` for `username`, in Indonesian."""
    return [p.text() for p in find_problems(password, username=username, context=context)]


def check_policy(password: str, *, username: str, context: Iterable[str] = ()) -> None:
    """Raise PasswordPolicyError if `password` breaks the policy."""
    problems = find_problems(password, username=username, context=context)
    if problems:
        raise PasswordPolicyError(problems)


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Check `password` against `password_hash`; None burns the same time and fails."""
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


def generate_password(*, username: str = "") -> str:
    """Return a random password that passes the policy (for demo users and resets)."""
    # token_urlsafe(12) gives 16 characters of ~96 bits; retry the rare draw that fails.
    while True:
        candidate = secrets.token_urlsafe(12)
        if not find_problems(candidate, username=username):
            return candidate
