"""Log lines that say which request they belong to: one JSON object per line for machines, or readable text.

The request id lives in a context variable set by `giamngheo.ops.middleware.RequestIdMiddleware` for the time a
request is handled, so every line logged meanwhile — by this project, Django or a library — carries it without
being passed around. `RequestIdFilter` (on the handler) copies it onto each record; the formatters write it.

`LOG_FORMAT=json` (production, read by journald or a log shipper) writes one object per line with `time` (ISO
8601, with the offset of the site's time zone), `level`, `logger`, `message`, `request_id` and the plain values
the caller passed in `extra=` (the access log passes method, path, status, duration_ms and user_id).
`LOG_FORMAT=text` (development) writes the same facts on one readable line.
"""

from __future__ import annotations

import json
import logging
from contextvars import ContextVar
from datetime import datetime, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

# "-" outside a request (commands, the worker).
NO_REQUEST = "-"
request_id_var: ContextVar[str] = ContextVar("giamngheo_request_id", default=NO_REQUEST)

# Attributes every LogRecord has; anything else on a record came from `extra=` and goes into the JSON object.
_RECORD_ATTRIBUTES = frozenset(
    vars(logging.LogRecord("", logging.INFO, "", 0, "", None, None)).keys()
    | {"message", "asctime", "request_id", "taskName"}
)


def current_request_id() -> str:
    return request_id_var.get()


class RequestIdFilter(logging.Filter):
    """Stamps each record with the id of the request being handled (or "-"); never drops a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", None):
            record.request_id = request_id_var.get()
        return True


def _site_zone() -> tzinfo:
    try:
        from django.conf import settings

        return ZoneInfo(settings.TIME_ZONE)
    except Exception:  # settings not configured (a plain script): fall back to the machine's zone
        return datetime.now().astimezone().tzinfo or ZoneInfo("UTC")


class _Formatter(logging.Formatter):
    def __init__(self) -> None:
        super().__init__()
        self.zone = _site_zone()

    def timestamp(self, record: logging.LogRecord) -> str:
        return datetime.fromtimestamp(record.created, tz=self.zone).isoformat(timespec="milliseconds")

    @staticmethod
    def extras(record: logging.LogRecord) -> dict[str, Any]:
        """Plain values passed in `extra=`. Objects are left out: Django passes the request itself to
        `django.request`, and its text holds the query string (searches by name or citizen ID)."""
        return {
            key: value
            for key, value in vars(record).items()
            if key not in _RECORD_ATTRIBUTES
            and (value is None or isinstance(value, str | int | float | bool))
        }

    @staticmethod
    def request_id(record: logging.LogRecord) -> str:
        return getattr(record, "request_id", None) or request_id_var.get()


class JsonFormatter(_Formatter):
    """One JSON object per line; newlines inside a message or a traceback stay escaped within the line."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": self.timestamp(record),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": self.request_id(record),
        }
        entry.update(self.extras(record))
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


class TextFormatter(_Formatter):
    """`2026-11-20T09:00:00.000+07:00 INFO [request id] logger: message`, then any traceback."""

    def format(self, record: logging.LogRecord) -> str:
        line = (
            f"{self.timestamp(record)} {record.levelname} [{self.request_id(record)}] {record.name}: "
            f"{record.getMessage()}"
        )
        if record.exc_info:
            line += "\n" + self.formatException(record.exc_info)
        if record.stack_info:
            line += "\n" + self.formatStack(record.stack_info)
        return line
