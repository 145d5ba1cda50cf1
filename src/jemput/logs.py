"""Logging set-up that keeps personal data out of the server's logs.

A search for a NIK or a name travels in the query string (`/api/penduduk?q=...`);
uvicorn's access log would write it verbatim. We log the path only, and mask any
16-digit number that still appears (a NIK in a path segment) in every record of every
handler: the console, journald through it, and the optional log file.

JEMPUT_LOG_FORMAT=json writes one JSON object a line (python-json-logger: a stdlib
logging.Formatter, so uvicorn's records and ours go through the same handlers).
JEMPUT_LOG_FILE adds a file that rotates by size; under systemd, stdout to journald is
the default and journald rotates it.
"""

from __future__ import annotations

import copy
import logging
import re
from typing import Any

from jemput.config import Settings

_NIK = re.compile(r"\d{16}")


def _mask(text: str) -> str:
    return _NIK.sub(lambda m: m.group(0)[:4] + "•" * 8 + m.group(0)[12:], text)


def scrub(text: str) -> str:
    """Drop the query string and mask 16-digit numbers."""
    return _mask(text.split("?", 1)[0])


class AccessLogScrubber(logging.Filter):
    """Scrub the request path of uvicorn access records (args: client, method, path, ...).

    The request's parts are also set as record attributes, so a JSON line carries them
    as fields (method, path, status) rather than only inside the message.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        # The file handler sees every logger's records: only the access log's args are a
        # request line (uvicorn's "running on %s://%s:%d" has three args too).
        if (record.name == "uvicorn.access" and isinstance(record.args, tuple)
                and len(record.args) >= 3):
            args = list(record.args)
            args[2] = scrub(str(args[2]))
            record.args = tuple(args)
            record.http_method = str(args[1])
            record.http_path = args[2]
            if len(args) >= 5:
                record.http_status = args[4]
        return True


class PersonalDataScrubber(logging.Filter):
    """Mask NIKs in any record's final message: the last guard on every handler."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = _mask(message)
        if masked != message:
            record.msg, record.args = masked, None
        return True


JSON_FIELDS = "%(asctime)s %(levelname)s %(name)s %(process)d %(message)s"
PLAIN_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def uvicorn_log_config(settings: Settings | None = None) -> dict[str, Any]:
    """Return uvicorn's logging config with the scrubbers on every handler.

    Jemput's own loggers (the root) write through the same handlers as uvicorn's error
    log. With `settings`, JEMPUT_LOG_FORMAT and JEMPUT_LOG_FILE apply.
    """
    from uvicorn.config import LOGGING_CONFIG

    config = copy.deepcopy(LOGGING_CONFIG)
    config.setdefault("filters", {})["scrub"] = {"()": AccessLogScrubber}
    config["filters"]["personal_data"] = {"()": PersonalDataScrubber}
    config["formatters"]["plain"] = {"format": PLAIN_FORMAT}
    as_json = settings is not None and settings.log_format == "json"
    if as_json:
        json_formatter = {"()": "pythonjsonlogger.json.JsonFormatter", "fmt": JSON_FIELDS,
                          "rename_fields": {"levelname": "level", "name": "logger"}}
        config["formatters"]["default"] = json_formatter
        config["formatters"]["access"] = json_formatter
    config["handlers"]["access"]["filters"] = ["scrub", "personal_data"]
    config["handlers"]["default"]["filters"] = ["personal_data"]
    everywhere = ["default"]
    if settings is not None and settings.log_file is not None:
        config["handlers"]["file"] = _file_handler(settings, as_json)
        everywhere.append("file")
        config["loggers"]["uvicorn"]["handlers"] = everywhere
        config["loggers"]["uvicorn.access"]["handlers"] = ["access", "file"]
    # Warnings and errors of Jemput and its libraries, as Python's last-resort handler
    # wrote them before: a library's info lines (splink's, say) may quote data.
    config["loggers"][""] = {"handlers": everywhere, "level": "WARNING"}
    return config


def _file_handler(settings: Settings, as_json: bool) -> dict[str, Any]:
    assert settings.log_file is not None
    settings.log_file.parent.mkdir(parents=True, exist_ok=True)
    # Access records keep their scrubber; the file sees both kinds through one handler.
    handler: dict[str, Any] = {
        "formatter": "default" if as_json else "plain",
        "filters": ["scrub", "personal_data"], "filename": str(settings.log_file),
        "encoding": "utf-8",
    }
    if settings.workers > 1:
        # Several worker processes rotating one file would each rename it under the
        # others. They append to it and reopen it when it is moved: rotate it with
        # logrotate (README), not in-process.
        handler["class"] = "logging.handlers.WatchedFileHandler"
    else:
        handler["class"] = "logging.handlers.RotatingFileHandler"
        handler["maxBytes"] = int(settings.log_file_max_mb * 1024 * 1024)
        handler["backupCount"] = settings.log_file_backups
    return handler
