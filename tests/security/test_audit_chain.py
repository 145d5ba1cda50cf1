"""The audit trail can be neither trimmed nor rewritten without `jemput audit verify` saying so.

Issue 7: deleting the newest entries (a NIK reveal among them) left verify saying the
chain was intact, and anyone who could write the database could edit an entry and
recompute every later hash. The chain is now keyed with a secret kept outside the
database, and a checkpoint kept outside it anchors the head.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import select, text
from typer.testing import CliRunner

from jemput.auth import audit
from jemput.auth.audit_cli import audit_app
from jemput.auth.models import AuditEntry
from jemput.config import get_settings
from jemput.db import unit_of_work

runner = CliRunner()


def _write(count: int, action: str = "resident.view") -> None:
    with unit_of_work() as session:
        for number in range(count):
            audit.record(session=session, actor="operator", action=action,
                         object_type="resident", object_id=number + 1, detail={"n": number},
                         region="33.06.01.2001")


def _checkpoint(tmp_path: Path) -> Path:
    path = tmp_path / "checkpoint.txt"
    result = runner.invoke(audit_app, ["checkpoint", "--output", str(path)])
    assert result.exit_code == 0, result.output
    return path


def _verify(*args: str) -> tuple[int, str]:
    result = runner.invoke(audit_app, ["verify", *args])
    return result.exit_code, result.output


def _rehash(from_id: int, digest: Callable[[AuditEntry], str]) -> None:
    """Recompute every hash from `from_id` on, as someone with write access could."""
    with unit_of_work() as session:
        previous = session.scalar(select(AuditEntry.hash).where(AuditEntry.id == from_id - 1))
        entries = session.scalars(
            select(AuditEntry).where(AuditEntry.id >= from_id).order_by(AuditEntry.id)
        )
        for entry in entries:
            entry.prev_hash = previous or audit.GENESIS_HASH
            entry.hash = previous = digest(entry)


def _guessed_key(entry: AuditEntry) -> str:
    return audit.compute_hash(entry, key=b"dev-only-change-me")


def test_deleting_the_newest_entries_fails_verify_against_a_checkpoint(tmp_path):
    _write(3)
    _write(1, action="resident.reveal_nik")
    checkpoint = _checkpoint(tmp_path)  # entry #5 is the checkpoint itself
    with unit_of_work() as session:
        session.execute(text("DELETE FROM audit_log WHERE id >= 4"))
    # On its own the shorter chain is whole: this is what the checkpoint is for.
    assert _verify()[0] == 0
    code, output = _verify("--checkpoint", str(checkpoint))
    assert code == 1
    assert "3 entri" in output and "#4–#5 telah dihapus" in output


def test_an_intact_log_verifies_against_an_older_checkpoint(tmp_path):
    _write(3)
    checkpoint = _checkpoint(tmp_path)
    _write(2)
    code, output = _verify("--checkpoint", str(checkpoint))
    assert code == 0, output
    assert "6 entri" in output and "Cocok dengan checkpoint" in output


@pytest.mark.parametrize("digest", [audit.unkeyed_hash, _guessed_key],
                         ids=["old-unkeyed-formula", "guessed-key"])
def test_an_entry_edited_and_rehashed_without_the_key_fails_verify(digest):
    _write(5)
    with unit_of_work() as session:
        session.execute(text("UPDATE audit_log SET detail = '{}' WHERE id = 2"))
    _rehash(2, digest)
    code, output = _verify()
    assert code == 1
    assert "#2" in output


def test_a_log_rewritten_whole_in_the_old_unkeyed_form_fails_verify():
    _write(4)
    with unit_of_work() as session:
        session.execute(text("UPDATE audit_log SET detail = '{}' WHERE id = 3"))
    _rehash(1, audit.unkeyed_hash)
    code, output = _verify()
    assert code == 1
    assert "hash lama tanpa kunci" in output


def test_a_rewrite_with_the_key_itself_is_caught_by_the_checkpoint(tmp_path):
    _write(4)
    checkpoint = _checkpoint(tmp_path)
    with unit_of_work() as session:
        session.execute(text("UPDATE audit_log SET actor_name = 'orang lain' WHERE id = 2"))
    _rehash(2, audit.compute_hash)  # an insider holding the key
    assert _verify()[0] == 0
    code, output = _verify("--checkpoint", str(checkpoint))
    assert code == 1
    assert "#5 tidak sama dengan checkpoint" in output


def test_verify_under_another_key_names_the_key(tmp_path, monkeypatch):
    _write(2)
    checkpoint = _checkpoint(tmp_path)
    monkeypatch.setenv("JEMPUT_AUDIT_KEY", "kunci-lain-yang-bukan-milik-kantor")
    get_settings.cache_clear()
    code, output = _verify()
    assert code == 1 and "#1" in output and "JEMPUT_AUDIT_KEY" in output
    code, output = _verify("--checkpoint", str(checkpoint))
    assert code == 1 and "bukan kunci yang dipakai saat checkpoint dibuat" in output


def test_the_audit_key_setting_keys_the_chain(monkeypatch):
    monkeypatch.setenv("JEMPUT_AUDIT_KEY", "kunci-audit-kantor-disimpan-terpisah")
    get_settings.cache_clear()
    _write(1)
    with unit_of_work() as session:
        entry = session.get(AuditEntry, 1)
        assert entry is not None
        assert entry.hash == audit.compute_hash(entry, key=b"kunci-audit-kantor-disimpan-terpisah")
    assert _verify()[0] == 0


def test_a_printed_checkpoint_can_be_typed_back_and_verified(tmp_path):
    _write(2)
    printed = runner.invoke(audit_app, ["checkpoint"])
    assert printed.exit_code == 0, printed.output
    assert "entries: 3" in printed.output and "last_hash: " in printed.output
    typed = tmp_path / "dari-kertas.txt"
    typed.write_text("\n".join(line for line in printed.output.splitlines()
                               if not line.startswith("#")))
    code, output = _verify("--checkpoint", str(typed))
    assert code == 0, output


def test_a_checkpoint_with_a_mistyped_hash_is_refused_or_fails(tmp_path):
    _write(2)
    checkpoint = _checkpoint(tmp_path)
    good = checkpoint.read_text()
    garbled = tmp_path / "salah.txt"
    garbled.write_text(good.replace("last_hash: ", "last_hash: zz"))
    code, output = _verify("--checkpoint", str(garbled))
    assert code == 2 and "last_hash" in output
    head = next(line for line in good.splitlines() if line.startswith("last_hash: "))
    flipped = head[:-1] + ("0" if head[-1] != "0" else "1")
    garbled.write_text(good.replace(head, flipped))
    code, output = _verify("--checkpoint", str(garbled))
    assert code == 1 and "tidak sama dengan checkpoint" in output


def test_a_broken_chain_is_not_anchored(tmp_path):
    _write(3)
    with unit_of_work() as session:
        session.execute(text("UPDATE audit_log SET actor_name = 'orang lain' WHERE id = 2"))
    result = runner.invoke(audit_app, ["checkpoint", "--output", str(tmp_path / "c.txt")])
    assert result.exit_code == 1 and "#2" in result.output
    assert not (tmp_path / "c.txt").exists()


def _legacy_log(count: int) -> None:
    """Entries as the app wrote them before the chain was keyed (plain SHA-256)."""
    _write(count)
    _rehash(1, audit.unkeyed_hash)


def test_an_old_unkeyed_log_is_sealed_once_under_the_key():
    _legacy_log(3)
    _write(1)  # written by the upgraded app, linked to the old head
    code, output = _verify()
    assert code == 1 and "jemput audit seal" in output
    sealed = runner.invoke(audit_app, ["seal"])
    assert sealed.exit_code == 0, sealed.output
    assert "3 entri lama" in sealed.output
    code, output = _verify()
    assert code == 0, output
    assert "5 entri" in output  # the seal is on the log too
    again = runner.invoke(audit_app, ["seal"])
    assert again.exit_code == 0 and "Tidak ada yang perlu" in again.output


def test_an_old_log_that_was_tampered_with_is_not_sealed():
    _legacy_log(3)
    with unit_of_work() as session:
        session.execute(text("UPDATE audit_log SET detail = '{}' WHERE id = 2"))
    sealed = runner.invoke(audit_app, ["seal"])
    assert sealed.exit_code == 1 and "#2" in sealed.output
    with unit_of_work() as session:
        stored = session.get(AuditEntry, 3)
        assert stored is not None
        # The old form stays in place, unlaundered, for whoever investigates.
        assert hmac.compare_digest(stored.hash, audit.unkeyed_hash(stored))
