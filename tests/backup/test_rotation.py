"""`jemput backup --simpan N` keeps the newest N of Jemput's backups and nothing else goes."""

from __future__ import annotations

from pathlib import Path

from tests.backup.conftest import jemput


def test_backup_keeps_the_newest_backups_and_leaves_other_files_alone(
    tmp_path: Path, recipient: str,
) -> None:
    folder = tmp_path / "cadangan"
    folder.mkdir()
    older = [folder / f"jemput-cadangan-2026010{day}T013000Z.age" for day in (1, 2, 3)]
    for path in older:
        path.write_bytes(b"cadangan lama")
    unrelated = folder / "catatan-petugas.txt"
    unrelated.write_text("jangan dihapus")

    result = jemput("backup", "--ke", folder, "--simpan", "2")

    assert result.exit_code == 0, result.output
    kept = sorted(p.name for p in folder.glob("jemput-cadangan-*.age"))
    assert len(kept) == 2 and kept[0] == older[-1].name  # the new one sorts last
    assert unrelated.read_text() == "jangan dihapus"
    assert "dihapus" in result.output
