"""Password hashing (Argon2id) and the password policy."""

from __future__ import annotations

import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

MIN_LENGTH = 10

# The passwords people actually pick first; a short list, checked case-insensitively.
COMMON_PASSWORDS = frozenset(
    {
        "1234567890",
        "12345678910",
        "password123",
        "password1234",
        "passwordku1",
        "qwertyuiop",
        "qwerty12345",
        "1q2w3e4r5t",
        "iloveyou123",
        "admin12345",
        "administrator",
        "bismillah123",
        "indonesia123",
        "indonesia45",
        "merdeka1945",
        "rahasia123",
        "rahasiaku1",
        "sayangku123",
        "katasandi123",
        "disdukcapil",
        "disdukcapil1",
        "purworejo123",
        "jemput12345",
        "ktpel12345",
        "abcdefghij",
        "abc1234567",
    }
)

# PasswordHasher's defaults are Argon2id with the RFC 9106 "low memory" profile.
_hasher = PasswordHasher()
# Verified against when the username is unknown, so both failures take as long.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


class PasswordPolicyError(ValueError):
    """The proposed password breaks the policy; args hold Indonesian messages."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def policy_problems(password: str, *, username: str) -> list[str]:
    """Return what is wrong with `password` for `username`, in Indonesian."""
    problems = []
    if len(password) < MIN_LENGTH:
        problems.append(f"Kata sandi minimal {MIN_LENGTH} karakter.")
    if password.isdigit():
        problems.append("Kata sandi tidak boleh hanya angka.")
    if username and username.lower() in password.lower():
        problems.append("Kata sandi tidak boleh memuat nama pengguna.")
    if password.lower() in COMMON_PASSWORDS:
        problems.append("Kata sandi terlalu umum; pilih yang lain.")
    return problems


def check_policy(password: str, *, username: str) -> None:
    """Raise PasswordPolicyError if `password` breaks the policy."""
    problems = policy_problems(password, username=username)
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
        if not policy_problems(candidate, username=username):
            return candidate
