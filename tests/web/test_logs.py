"""The server's access log never carries a NIK or a search query."""

from __future__ import annotations

import logging

from jemput.logs import AccessLogScrubber, scrub


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
