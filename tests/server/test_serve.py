"""`giamngheo serve` is gunicorn with static files through WhiteNoise and no `Server` header naming the software;
`giamngheo demo --serve` runs the same server with the background-job worker beside it and stops them together."""

from __future__ import annotations

import gzip
import http.client
import io
import secrets
import signal
import subprocess
import sys
import time
import types
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from giamngheo.server.config import ServerOptions
from giamngheo.server.management.commands import serve
from tests.server.conftest import child_environment, free_port


def test_options_come_from_the_environment_and_the_command_line_wins(monkeypatch) -> None:
    for name in ("HOST", "PORT", "WEB_WORKERS", "WEB_THREADS", "WEB_TIMEOUT"):
        monkeypatch.delenv(name, raising=False)
    default = ServerOptions.from_environment()
    assert (default.host, default.port, default.threads, default.timeout) == ("127.0.0.1", 8000, 4, 60)
    assert default.workers >= 2
    monkeypatch.setenv("PORT", "9001")
    monkeypatch.setenv("WEB_WORKERS", "3")
    monkeypatch.setenv("WEB_THREADS", "8")
    options = ServerOptions.from_environment()
    assert (options.port, options.workers, options.threads) == (9001, 3, 8)
    assert options.override(port=9002, workers=None).port == 9002
    assert options.override(port=9002, workers=None).workers == 3
    assert ServerOptions("::1", 80, 1, 1, 60).bind == "[::1]:80"


def test_a_bad_value_is_refused_with_its_name(monkeypatch) -> None:
    monkeypatch.setenv("WEB_WORKERS", "nhieu")
    with pytest.raises(CommandError, match="WEB_WORKERS='nhieu' không phải số nguyên"):
        call_command("serve")
    monkeypatch.setenv("WEB_WORKERS", "2")
    with pytest.raises(CommandError, match="--port=0 nằm ngoài khoảng 1–65535"):
        call_command("serve", "--port", "0")


def test_serve_collects_the_static_files_then_becomes_gunicorn(monkeypatch, settings, tmp_path: Path) -> None:
    settings.STATIC_ROOT = tmp_path / "static"
    started: list[tuple[str, list[str]]] = []
    monkeypatch.setattr(serve.os, "execv", lambda program, argv: started.append((program, argv)))
    out = io.StringIO()
    call_command(
        "serve", "--host", "0.0.0.0", "--port", "8123", "--workers", "3", "--threads", "2", stdout=out
    )
    assert (tmp_path / "static" / "web" / "app.css").is_file()
    assert (tmp_path / "static" / "web" / "app.css.gz").is_file()  # compressed once, at collect time
    [(program, argv)] = started
    assert program == sys.executable
    assert argv[1:5] == ["-m", "gunicorn", "--config", "python:giamngheo.server.gunicorn_conf"]
    assert argv[argv.index("--bind") + 1] == "0.0.0.0:8123"
    assert argv[argv.index("--workers") + 1] == "3" and argv[argv.index("--threads") + 1] == "2"
    assert argv[-1] == "giamngheo.wsgi:application"
    assert "http://0.0.0.0:8123/ — gunicorn, 3 tiến trình × 2 luồng" in out.getvalue()


def get(port: int, path: str, **headers: str) -> tuple[int, dict[str, str], list[str], bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        names = [name for name, _ in response.getheaders()]
        return response.status, {k.lower(): v for k, v in response.getheaders()}, names, response.read()
    finally:
        connection.close()


def wait_until_listening(server: subprocess.Popen[str], port: int, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert server.poll() is None, server.communicate()[0]
        try:
            get(port, "/dang-nhap/")
            return
        except OSError:
            time.sleep(0.3)
    raise AssertionError("the server did not answer in time")


@pytest.mark.slow
def test_a_real_server_answers_with_the_headers_and_serves_the_static_files(tmp_path: Path) -> None:
    port = free_port()
    env = child_environment(tmp_path, SECRET_KEY=secrets.token_urlsafe(50))
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "giamngheo.cli",
            "serve",
            "--port",
            str(port),
            "--workers",
            "1",
            "--threads",
            "2",
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        wait_until_listening(server, port)
        status, headers, names, body = get(port, "/dang-nhap/")
        assert status == 200 and "<form" in body.decode()
        assert "server" not in {name.lower() for name in names}  # gunicorn's own header is gone
        assert not any("gunicorn" in value.lower() for value in headers.values())
        assert "script-src 'self'" in headers["content-security-policy"]
        assert headers["x-content-type-options"] == "nosniff" and headers["x-frame-options"] == "DENY"
        status, headers, names, body = get(port, "/static/web/app.css", **{"Accept-Encoding": "gzip"})
        assert status == 200 and headers["content-type"].startswith("text/css")
        assert headers["content-encoding"] == "gzip" and b".htmx-indicator" in gzip.decompress(body)
        assert "server" not in {name.lower() for name in names}
        status, *_ = get(port, "/static/web/nothing-here.css")
        assert status == 404
    finally:
        server.send_signal(signal.SIGTERM)
        output = server.communicate(timeout=40)[0]
    assert server.returncode == 0, output
    assert "Using worker: gthread" in output


def test_demo_serve_runs_the_server_and_the_worker_and_stops_both(monkeypatch) -> None:
    from giamngheo.demo.management.commands import demo

    events: list[str] = []

    class Child:
        def __init__(self, name: str, pid: int, wait: Any = None) -> None:
            self.name, self.pid, self.returncode, self._wait = name, pid, None, wait

        def wait(self, timeout: float | None = None) -> int:
            if self._wait is not None:
                self._wait()
            self.returncode = 0
            return 0

    worker = Child("worker", 4242)

    def interrupted() -> None:
        raise KeyboardInterrupt  # Ctrl+C while the server runs

    server = Child("server", 4343, wait=interrupted)
    monkeypatch.setattr(demo, "_port_free", lambda port: True)
    monkeypatch.setattr(demo, "_start_worker", lambda: events.append("worker started") or worker)
    monkeypatch.setattr(
        demo, "_start_server", lambda port: events.append(f"server started on {port}") or server
    )
    monkeypatch.setattr(demo, "_stop_server", lambda child: events.append(f"{child.name} stopped"))
    monkeypatch.setattr(demo, "_stop_worker", lambda child: events.append(f"{child.name} stopped"))
    command = demo.Command(stdout=io.StringIO())
    command._serve(8765)
    assert events == ["worker started", "server started on 8765", "server stopped", "worker stopped"]
    output = command.stdout._out.getvalue()  # type: ignore[attr-defined]
    assert "http://127.0.0.1:8765/" in output and "giamngheo worker, PID 4242" in output


def test_demo_starts_the_production_server_not_a_development_one(monkeypatch) -> None:
    from giamngheo.demo.management.commands import demo

    started: list[list[str]] = []
    monkeypatch.setattr(
        demo.subprocess, "Popen", lambda argv, **kwargs: started.append(argv) or types.SimpleNamespace()
    )
    demo._start_server(8765)
    assert started == [
        [sys.executable, "-m", "giamngheo.cli", "serve", "--host", "127.0.0.1", "--port", "8765"]
    ]


def test_no_development_server_anywhere_in_the_product() -> None:
    import giamngheo

    package = Path(giamngheo.__file__).parent
    sources = [path for path in package.rglob("*.py") if "migrations" not in path.parts]
    assert len(sources) > 50
    for path in sources:
        text = path.read_text(encoding="utf-8")
        assert '"runserver"' not in text and "insecure_serving" not in text, path


def test_a_failing_server_stops_the_worker_and_says_so(monkeypatch) -> None:
    from giamngheo.demo.management.commands import demo

    stopped: list[Any] = []
    worker = types.SimpleNamespace(pid=1, returncode=0)
    server = types.SimpleNamespace(returncode=None)

    def fail(timeout: float | None = None) -> int:
        server.returncode = 1
        return 1

    server.wait = fail
    monkeypatch.setattr(demo, "_port_free", lambda port: True)
    monkeypatch.setattr(demo, "_start_worker", lambda: worker)
    monkeypatch.setattr(demo, "_start_server", lambda port: server)
    monkeypatch.setattr(demo, "_stop_server", lambda child: None)
    monkeypatch.setattr(demo, "_stop_worker", stopped.append)
    with pytest.raises(CommandError, match="Máy chủ web dừng với mã thoát 1"):
        demo.Command(stdout=io.StringIO())._serve(8765)
    assert stopped == [worker]
