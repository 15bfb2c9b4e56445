"""`giamngheo serve [--host H] [--port N] [--workers N] [--threads N]`: the production web server.

Collects the static files (WhiteNoise serves them from every worker), then replaces this process with gunicorn
(gthread workers) configured by giamngheo/server/gunicorn_conf.py from the environment; the options given here win
over the environment. The process keeps its id, so a service manager or `giamngheo demo --serve` that started
`giamngheo serve` stops gunicorn by signalling it: SIGTERM (graceful) or SIGINT (Ctrl+C, at once). The background
jobs run in another process, `giamngheo worker`.
"""

from __future__ import annotations

import os
import sys
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections

from giamngheo.server.config import ServerConfigError, ServerOptions


class Command(BaseCommand):
    help = (
        "Chạy máy chủ web (gunicorn, tệp tĩnh qua WhiteNoise); cấu hình bằng HOST, PORT, WEB_WORKERS, WEB_THREADS, "
        "WEB_TIMEOUT. / Run the production web server."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", help="Địa chỉ lắng nghe (mặc định HOST hoặc 127.0.0.1)")
        parser.add_argument("--port", type=int, help="Cổng (mặc định PORT hoặc 8000)")
        parser.add_argument(
            "--workers", type=int, help="Số tiến trình (mặc định WEB_WORKERS hoặc 2 × số lõi CPU)"
        )
        parser.add_argument(
            "--threads", type=int, help="Số luồng mỗi tiến trình (mặc định WEB_THREADS hoặc 4)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            server = ServerOptions.from_environment().override(
                host=options["host"],
                port=options["port"],
                workers=options["workers"],
                threads=options["threads"],
            )
        except ServerConfigError as exc:
            raise CommandError(str(exc)) from exc
        # Incremental: copies only what changed since the last run, then makes the gzip copies.
        call_command("collectstatic", interactive=False, verbosity=0)
        connections.close_all()  # nothing of this process's state should reach gunicorn's workers
        self.stdout.write(
            f"Máy chủ web: http://{server.bind}/ — gunicorn, {server.workers} tiến trình × {server.threads} luồng "
            "(Ctrl+C để dừng)."
        )
        self.stdout.flush()
        sys.stderr.flush()
        os.execv(sys.executable, gunicorn_argv(server))  # noqa: S606  # fixed program, arguments built here


def gunicorn_argv(server: ServerOptions) -> list[str]:
    """The command line that runs gunicorn with giamngheo's configuration and these options."""
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "--config",
        "python:giamngheo.server.gunicorn_conf",
        "--bind",
        server.bind,
        "--workers",
        str(server.workers),
        "--threads",
        str(server.threads),
        "--timeout",
        str(server.timeout),
        "giamngheo.wsgi:application",
    ]
