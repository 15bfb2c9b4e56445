"""Request ids and structured logs: the id is taken from a safe X-Request-ID or generated, returned on the
response, and carried by every log line written while the request is handled; JSON lines parse."""

from __future__ import annotations

import io
import json
import logging
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from datetime import datetime

import pytest

from giamngheo.ops.logs import JsonFormatter, RequestIdFilter, TextFormatter
from giamngheo.ops.middleware import request_id_from

HEX_ID = re.compile(r"[0-9a-f]{32}")


class Captured:
    def __init__(self, formatter: logging.Formatter) -> None:
        self.stream = io.StringIO()
        self.handler = logging.StreamHandler(self.stream)
        self.handler.setFormatter(formatter)
        self.handler.addFilter(RequestIdFilter())

    def lines(self) -> list[str]:
        return self.stream.getvalue().splitlines()


@pytest.fixture
def capture() -> Iterator[dict[str, Captured]]:
    """Formatted output of every record reaching the root logger, once as JSON and once as text."""
    root = logging.getLogger()
    captured = {"json": Captured(JsonFormatter()), "text": Captured(TextFormatter())}
    level = root.level
    root.setLevel(logging.INFO)
    for each in captured.values():
        root.addHandler(each.handler)
    try:
        yield captured
    finally:
        for each in captured.values():
            root.removeHandler(each.handler)
        root.setLevel(level)


def test_a_safe_incoming_id_is_kept_and_returned(client, db) -> None:
    response = client.get("/dang-nhap/", HTTP_X_REQUEST_ID="nginx-5f2a.77_b")
    assert response["X-Request-ID"] == "nginx-5f2a.77_b"


def test_without_an_id_each_request_gets_a_new_one(client, db) -> None:
    first = client.get("/dang-nhap/")["X-Request-ID"]
    second = client.get("/dang-nhap/")["X-Request-ID"]
    assert HEX_ID.fullmatch(first) and HEX_ID.fullmatch(second)
    assert first != second


@pytest.mark.parametrize(
    "hostile",
    [
        "",
        "a b",
        "x" * 65,
        "id\nforged line",
        "<script>alert(1)</script>",
        "../../etc",
        "-starts-with-dash",
        "ñ",
    ],
)
def test_a_hostile_id_is_replaced(client, db, hostile: str) -> None:
    response = client.get("/dang-nhap/", HTTP_X_REQUEST_ID=hostile)
    assert HEX_ID.fullmatch(response["X-Request-ID"])
    assert request_id_from(hostile) != hostile


def test_every_line_of_a_request_carries_its_id_as_json(client, personas, capture) -> None:
    client.force_login(personas.owner)
    response = client.get("/ho/987654321/?q=064080001234&ten=Đinh+Văn+Súy", HTTP_X_REQUEST_ID="req-404-test")
    assert response.status_code == 404

    entries = [json.loads(line) for line in capture["json"].lines()]  # every line is one JSON object
    during = [e for e in entries if e["logger"] in {"django.request", "giamngheo.request"}]
    assert {e["logger"] for e in during} == {"django.request", "giamngheo.request"}
    assert all(e["request_id"] == "req-404-test" for e in during)

    (access,) = [e for e in entries if e["logger"] == "giamngheo.request"]
    assert access["method"] == "GET"
    assert access["path"] == "/ho/987654321/"
    assert access["status"] == 404
    assert access["user_id"] == personas.owner.pk
    assert isinstance(access["duration_ms"], float) and access["duration_ms"] >= 0
    assert access["level"] == "INFO"
    stamp = datetime.fromisoformat(access["time"])
    assert stamp.utcoffset() is not None and stamp.utcoffset().total_seconds() == 7 * 3600  # Asia/Ho_Chi_Minh
    raw = capture["json"].stream.getvalue()
    for personal in ("064080001234", "Đinh", "owner", personas.owner.username):
        assert personal not in raw  # neither the query string nor the user's name reaches the log


def test_a_line_outside_any_request_has_no_id(capture) -> None:
    logging.getLogger("giamngheo.test").warning("một dòng ngoài yêu cầu")
    (entry,) = [json.loads(line) for line in capture["json"].lines()]
    assert entry["request_id"] == "-"
    assert entry["message"] == "một dòng ngoài yêu cầu"
    assert entry["level"] == "WARNING"


def test_an_anonymous_request_logs_no_user_and_a_forged_newline_stays_on_one_line(
    client, db, capture
) -> None:
    client.get("/khong-co%0A2026-11-20T09:00:00+07:00 INFO [x] giamngheo.request: GET /admin/ 200")
    access_line, not_found_line = capture["text"].lines()  # two records, two lines: no forged third line
    assert "] giamngheo.request: GET /khong-co\\n2026-11-20" in access_line  # the newline is written escaped
    assert "] django.request: Not Found: /khong-co\\n2026-11-20" in not_found_line
    (access,) = [json.loads(line) for line in capture["json"].lines() if '"giamngheo.request"' in line]
    assert access["user_id"] is None
    assert access["status"] == 404


def test_an_exception_goes_into_the_json_line(capture) -> None:
    try:
        raise ValueError("hỏng")
    except ValueError:
        logging.getLogger("giamngheo.test").exception("lỗi khi xử lý")
    (entry,) = [json.loads(line) for line in capture["json"].lines()]
    assert entry["level"] == "ERROR"
    assert "ValueError: hỏng" in entry["exception"]


def test_log_format_json_in_the_environment_configures_json_lines() -> None:
    """The LOGGING block in settings: LOG_FORMAT=json makes every line on stderr a JSON object."""
    code = (
        "import django, logging; django.setup(); "
        "logging.getLogger('giamngheo.test').warning('xin chào %s', 'máy chủ')"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "giamngheo.settings",
        "LOG_FORMAT": "json",
        "LOG_LEVEL": "INFO",
    }
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    (entry,) = [json.loads(line) for line in done.stderr.splitlines()]
    assert entry["message"] == "xin chào máy chủ"
    assert entry["logger"] == "giamngheo.test"
    assert entry["request_id"] == "-"
    env["LOG_FORMAT"] = "xml"
    refused = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False
    )
    assert refused.returncode != 0
    assert "LOG_FORMAT must be text or json" in refused.stderr
