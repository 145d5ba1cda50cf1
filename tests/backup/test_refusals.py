"""Damaged, foreign and wrongly keyed backups are refused, and the target stays empty."""

from __future__ import annotations

import io
import json
import tarfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyrage
import pytest
import zstandard

from jemput.config import get_settings
from tests.backup.conftest import jemput, new_key, point_at, table_names
from tests.reports.conftest import import_people, people


def _age_of(data: bytes, recipient: str) -> bytes:
    return pyrage.encrypt(data, [pyrage.x25519.Recipient.from_str(recipient)])


def _tar_zst(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return zstandard.ZstdCompressor().compress(buffer.getvalue())


def test_damaged_foreign_and_wrongly_keyed_backups_are_refused_and_nothing_is_restored(
    tmp_path: Path, recipient: str, fresh_database_url: str, jemput_env: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import_people(tmp_path, people())
    # Without a key nothing is written: Jemput writes no unencrypted backup.
    monkeypatch.delenv("JEMPUT_BACKUP_RECIPIENT")
    get_settings.cache_clear()
    unkeyed = jemput("backup", "--ke", tmp_path / "tanpa-kunci")
    assert unkeyed.exit_code == 1 and "tanpa enkripsi" in unkeyed.output
    assert not list((tmp_path / "tanpa-kunci").glob("*"))
    monkeypatch.setenv("JEMPUT_BACKUP_RECIPIENT", recipient)
    get_settings.cache_clear()
    assert jemput("backup", "--ke", tmp_path / "cadangan.age").exit_code == 0
    good = (tmp_path / "cadangan.age").read_bytes()
    key = tmp_path / "kunci.txt"

    # Restoring over the running registry is refused: it is not empty.
    busy = jemput("restore", tmp_path / "cadangan.age", "--identitas", key)
    assert busy.exit_code == 1 and "tidak kosong" in busy.output

    point_at(monkeypatch, database_url=fresh_database_url, data_dir=tmp_path / "baru")
    flipped = bytearray(good)
    flipped[len(good) // 2] ^= 0x01
    other_key = tmp_path / "kunci-lain.txt"
    new_key(other_key)
    cases = {
        "rusak.age": (bytes(flipped), key, "RUSAK"),
        "terpotong.age": (good[: len(good) - 100], key, "RUSAK"),
        "kunci-lain.age": (good, other_key, "Kunci salah"),
        "bukan-age.txt": (b"NIK,NAMA\n3306010101010001,SIAPA\n", key, "bukan cadangan Jemput"),
        "age-lain.age": (_age_of(b"catatan rahasia", recipient), key, "bukan cadangan Jemput"),
        "tanpa-manifest.age": (_age_of(_tar_zst({"database.sqlite": b"x"}), recipient), key,
                               "bukan cadangan Jemput"),
    }
    for name, (content, identity, reason) in cases.items():
        path = tmp_path / name
        path.write_bytes(content)
        for command in (["restore"], ["backup", "periksa"]):
            result = jemput(*command, path, "--identitas", identity)
            assert result.exit_code == 1, (name, command, result.output)
            assert reason in result.output, (name, command, result.output)
        assert table_names(fresh_database_url) == [], name
    assert not (tmp_path / "baru" / "laporan-impor").exists()

    # The undamaged file, with its own key, restores into the same untouched database.
    checked = jemput("backup", "periksa", tmp_path / "cadangan.age", "--identitas", key)
    assert checked.exit_code == 0, checked.output
    restored = jemput("restore", tmp_path / "cadangan.age", "--identitas", key)
    assert restored.exit_code == 0, restored.output
    assert "residents" in table_names(fresh_database_url)
    assert list((tmp_path / "baru" / "laporan-impor").iterdir())


def test_a_passphrase_backup_restores_only_with_its_passphrase(
    tmp_path: Path, fresh_database_url: str, monkeypatch: pytest.MonkeyPatch,
) -> None:
    import_people(tmp_path, people())
    monkeypatch.setenv("JEMPUT_BACKUP_PASSPHRASE", "kuda lumping tujuh belas")
    get_settings.cache_clear()
    assert jemput("backup", "--ke", tmp_path / "cadangan.age").exit_code == 0
    point_at(monkeypatch, database_url=fresh_database_url, data_dir=tmp_path / "baru")
    monkeypatch.setenv("JEMPUT_BACKUP_PASSPHRASE", "salah")
    get_settings.cache_clear()
    wrong = jemput("restore", tmp_path / "cadangan.age")
    assert wrong.exit_code == 1 and "Frasa sandi salah" in wrong.output
    assert table_names(fresh_database_url) == []
    monkeypatch.setenv("JEMPUT_BACKUP_PASSPHRASE", "kuda lumping tujuh belas")
    get_settings.cache_clear()
    restored = jemput("restore", tmp_path / "cadangan.age")
    assert restored.exit_code == 0, restored.output
    assert "kuda lumping" not in restored.output


def _repacked(backup: bytes, identity: Path, recipient: str,
              change: Callable[[dict[str, Any]], None]) -> bytes:
    """The backup opened with the standard tools, its manifest changed, sealed again."""
    key = pyrage.x25519.Identity.from_str(identity.read_text().splitlines()[-1])
    plain = zstandard.ZstdDecompressor().stream_reader(io.BytesIO(pyrage.decrypt(backup, [key])))
    members: dict[str, bytes] = {}
    with tarfile.open(fileobj=io.BytesIO(plain.read()), mode="r") as tar:
        for member in tar.getmembers():
            handle = tar.extractfile(member)
            assert handle is not None
            members[member.name] = handle.read()
    manifest = json.loads(members["manifest.json"])
    change(manifest)
    members["manifest.json"] = json.dumps(manifest).encode()
    return _age_of(_tar_zst(members), recipient)


def test_a_backup_whose_rows_do_not_match_or_whose_schema_is_newer_leaves_the_target_empty(
    tmp_path: Path, recipient: str, fresh_database_url: str, monkeypatch: pytest.MonkeyPatch,
) -> None:
    import_people(tmp_path, people())
    assert jemput("backup", "--ke", tmp_path / "cadangan.age").exit_code == 0
    good, key = (tmp_path / "cadangan.age").read_bytes(), tmp_path / "kunci.txt"
    point_at(monkeypatch, database_url=fresh_database_url, data_dir=tmp_path / "baru")

    def one_more_resident(manifest: dict[str, Any]) -> None:
        manifest["tables"]["residents"] += 1

    def from_the_future(manifest: dict[str, Any]) -> None:
        manifest["alembic_revision"] = "0999_masa_depan"
        manifest["jemput_version"] = "9.0.0"

    cases = {"baris-beda.age": (one_more_resident, "Jumlah baris tabel residents"),
             "skema-baru.age": (from_the_future, "lebih baru dari Jemput ini")}
    for name, (change, reason) in cases.items():
        path = tmp_path / name
        path.write_bytes(_repacked(good, key, recipient, change))
        result = jemput("restore", path, "--identitas", key)
        assert result.exit_code == 1 and reason in result.output, (name, result.output)
        # Restored, counted, found wrong and taken away again (PostgreSQL), or never
        # renamed into place (SQLite): the database is as empty as before.
        assert table_names(fresh_database_url) == [], name
        assert not (tmp_path / "baru" / "laporan-impor").exists()
        # Nor is anything decrypted left lying about.
        assert not list(tmp_path.glob("**/.cadangan-kerja-*")) + list(tmp_path.glob("*.pulih"))
