"""The password policy and Argon2id hashing."""

from __future__ import annotations

import pytest
from argon2 import Parameters, extract_parameters
from argon2.profiles import RFC_9106_LOW_MEMORY

from jemput.auth import passwords
from tests.conftest import PRODUCTION_HASHER, QUICK_HASHER


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("Pendek-1", "minimal 12 karakter"),
        ("12345678901234", "hanya angka"),
        ("xx-operator-2024", "nama pengguna"),
        ("Password123", "terlalu umum"),
        ("merdeka1945", "terlalu umum"),
    ],
)
def test_weak_password_is_refused_with_an_indonesian_reason(password: str, message: str) -> None:
    problems = passwords.policy_problems(password, username="operator")
    assert any(message in problem for problem in problems)
    with pytest.raises(passwords.PasswordPolicyError):
        passwords.check_policy(password, username="operator")


def test_good_password_passes_the_policy() -> None:
    assert passwords.policy_problems("Kuda-lumping-7", username="operator") == []


def test_hash_is_argon2id_and_verifies_only_the_right_password() -> None:
    hashed = passwords.hash_password("Kuda-lumping-7")
    assert hashed.startswith("$argon2id$")
    assert passwords.verify_password(hashed, "Kuda-lumping-7")
    assert not passwords.verify_password(hashed, "kuda-lumping-7")
    assert not passwords.verify_password(None, "Kuda-lumping-7")
    assert not passwords.verify_password("not-a-hash", "Kuda-lumping-7")


def test_generated_passwords_pass_the_policy() -> None:
    for _ in range(20):
        generated = passwords.generate_password(username="demo-admin")
        assert passwords.policy_problems(generated, username="demo-admin") == []


def test_production_hashes_with_the_rfc_9106_low_memory_profile(monkeypatch) -> None:
    # The suite signs in with a cheaper hasher (tests/conftest.py); the app's own is this.
    monkeypatch.setattr(passwords, "_hasher", PRODUCTION_HASHER)
    hashed = passwords.hash_password("Kuda-lumping-7")
    used: Parameters = extract_parameters(hashed)
    assert (used.time_cost, used.memory_cost, used.parallelism) == (
        RFC_9106_LOW_MEMORY.time_cost, RFC_9106_LOW_MEMORY.memory_cost,
        RFC_9106_LOW_MEMORY.parallelism)
    assert passwords.verify_password(hashed, "Kuda-lumping-7")
    # A hash made with another (the suite's) profile is upgraded at the next sign-in.
    assert passwords.needs_rehash(QUICK_HASHER.hash("Kuda-lumping-7"))
