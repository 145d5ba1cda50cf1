"""The server's access log never carries a NIK or a search query."""

from __future__ import annotations

import json
import logging

import httpx

from jemput.logs import AccessLogScrubber, scrub
from tests.web.test_serve import REQUEST_TIMEOUT, serve  # noqa: F401 - the fixture


def test_query_strings_and_niks_are_scrubbed():
    assert scrub("/api/penduduk?q=3306011203850001") == "/api/penduduk"
    assert scrub("/x/3306011203850001/y") == "/x/3306••••••••0001/y"


def test_access_record_is_scrubbed_before_it_is_written():
    record = logging.LogRecord(
        "uvicorn.access", logging.INFO, __file__, 1, '%s - "%s %s HTTP/%s" %d',
        ("127.0.0.1:5000", "GET", "/penduduk?q=SITI+AMINAH", "1.1", 200), None,
    )
    AccessLogScrubber().filter(record)
    assert "SITI" not in record.getMessage()
    assert "/penduduk" in record.getMessage()


NIK = "3306011203850001"


def test_json_log_file_holds_no_nik_or_query_and_rotates_past_its_size(serve, tmp_path):  # noqa: F811
    log_file = tmp_path / "log" / "jemput.log"
    server = serve(workers=1, log_format="json", log_file=str(log_file),
                   log_file_max_mb="0.002", log_file_backups="3")  # 2 KB a file
    for number in range(30):
        httpx.get(f"{server.base}/penduduk/{NIK}?q={NIK}&nama=SITI+AMINAH&n={number}",
                  timeout=REQUEST_TIMEOUT)
    assert server.stop() == 0
    files = sorted(log_file.parent.glob("jemput.log*"))
    assert log_file.with_name("jemput.log.1") in files  # rotated past 2 KB
    assert all(f.stat().st_size <= 2048 + 1024 for f in files)  # one line over at most
    records = [json.loads(line) for f in files
               for line in f.read_text(encoding="utf-8").splitlines()]
    access = [r for r in records if r.get("logger") == "uvicorn.access"]
    assert access and all(r["http_path"] == "/penduduk/3306••••••••0001" for r in access)
    assert {r["level"] for r in records} >= {"INFO"}
    written = "".join(f.read_text(encoding="utf-8") for f in files)
    assert NIK not in written and "SITI" not in written and "nama=" not in written
