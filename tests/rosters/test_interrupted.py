"""An interrupted roster import leaves the database as it was."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from jemput.db import unit_of_work
from jemput.rosters.models import Roster, RosterRow
from tests.residents.test_import import _CHILD, _watch_progress
from tests.rosters.roster_files import DPT_HEADER, DPT_ROWS, GRABAG_DESA, import_roster, write


def counts() -> tuple[int, int]:
    with unit_of_work() as session:
        return (session.scalar(select(func.count()).select_from(Roster)) or 0,
                session.scalar(select(func.count()).select_from(RosterRow)) or 0)


@pytest.mark.parametrize("how", [signal.SIGINT, signal.SIGKILL], ids=["ctrl-c", "kill"])
def test_an_interrupted_voter_list_import_leaves_the_database_as_before(
    tmp_path: Path, jemput_env: str, how: signal.Signals
):
    first = write(tmp_path / "dpt.csv", DPT_HEADER, DPT_ROWS)
    assert import_roster(str(first), "--kind", "dpt", "--desa", GRABAG_DESA).exit_code == 0
    voters = [[DPT_ROWS[0][0], "", f"PEMILIH {i}", "PURWOREJO",
               f"{1 + i % 28:02d}-{1 + i % 12:02d}-{1940 + i % 60}", "L", "B", "DUSUN", "1",
               "1", str(1 + i % 30), "0"] for i in range(80_000)]
    path = write(tmp_path / "big.csv", DPT_HEADER, voters)
    env = os.environ | {"JEMPUT_DATABASE_URL": jemput_env, "JEMPUT_DATA_DIR": str(tmp_path),
                        "TTY_COMPATIBLE": "1", "TTY_INTERACTIVE": "1", "TERM": "xterm",
                        "COLUMNS": "200"}
    with subprocess.Popen(
        [sys.executable, "-c", _CHILD, "rosters", "import", str(path), "--kind", "dpt",
         "--desa", GRABAG_DESA],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    ) as process:
        # Interrupt it once rows are being read; the bound only keeps a hung child from
        # hanging the run.
        seen, chunks, reader = _watch_progress(process)
        seen.wait(timeout=300)
        assert process.poll() is None, b"".join(chunks)[-2000:]
        process.send_signal(how)
        process.wait()
        reader.join()
    stderr = b"".join(chunks)
    if how == signal.SIGKILL:
        assert process.returncode == -signal.SIGKILL
    else:
        assert b"Aborted" in stderr or process.returncode in (-signal.SIGINT, 130), stderr
    assert counts() == (1, 3)
    with unit_of_work() as session:
        assert session.scalars(select(Roster.replaced_by_id)).one() is None
