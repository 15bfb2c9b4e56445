"""`giamngheo demo [--serve] [--port N] [--seed N]`: the Kông Chro demo district, ready to explore.

Migrates the database, loads the administrative units and the poverty standards, generates the demo district
(illustrative data; see giamngheo/demo/targets.py for the published figures it reproduces, and for the demo's own
choices for the end-2026 review of new Xã Kông Chro, recorded as far as the day of the build allows) unless it is
already there, creates the demo login and prints the logins and the district's figures. With --serve it then runs the
production web server (`giamngheo serve`: gunicorn, static files through WhiteNoise) on 127.0.0.1 and, beside it,
the background-job worker (`giamngheo worker`), stopped with it.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from datetime import date
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from giamngheo.demo import targets
from giamngheo.demo.build import DemoBuildError, build_district
from giamngheo.demo.models import DemoRun
from giamngheo.demo.planner import DEFAULT_SEED, PlanError, build_plan, district_config
from giamngheo.demo.rollup import RollupError, check_rollup
from giamngheo.demo.summary import later_summary, poor_flows
from giamngheo.demo.users import DEMO_PASSWORD, ensure_demo_users
from giamngheo.lib.formatting import group_thousands


class Command(BaseCommand):
    help = (
        "Tạo dữ liệu mẫu huyện Kông Chro (Gia Lai) — 12.681 hộ rà soát cuối năm 2022, 12.836 hộ cuối năm 2023, "
        "rà soát cuối năm 2026 của xã Kông Chro theo chuẩn nghèo NĐ 351/2025 — rồi in tài khoản đăng nhập và số "
        "liệu hộ nghèo; --serve chạy luôn máy chủ web trên 127.0.0.1."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--serve", action="store_true", help="Chạy máy chủ web sau khi tạo dữ liệu")
        parser.add_argument("--port", type=int, default=8000, help="Cổng của máy chủ web (mặc định 8000)")
        parser.add_argument(
            "--seed", type=int, default=DEFAULT_SEED, help=f"Hạt giống ngẫu nhiên (mặc định {DEFAULT_SEED})"
        )

    def say(self, message: str) -> None:
        self.stdout.write(message)

    def handle(self, *args: Any, **options: Any) -> None:
        port: int = options["port"]
        if not 1 <= port <= 65535:
            raise CommandError(f"Cổng {port} không hợp lệ (1–65535).")
        started = time.perf_counter()
        call_command("migrate", interactive=False, verbosity=0)
        run = DemoRun.objects.filter(district=targets.DISTRICT_CODE).first()
        if run is not None:
            self.say(
                f"Dữ liệu mẫu huyện Kông Chro đã có (tạo lúc {timezone.localtime(run.created_at):%d/%m/%Y %H:%M}, "
                f"hạt giống {run.seed}): "
                "không tạo lại."
            )
            if options["seed"] != run.seed:
                self.say(f"  (Bỏ qua --seed {options['seed']}: muốn tạo lại thì dùng cơ sở dữ liệu mới.)")
        else:
            run = self._generate(options["seed"])
        self._summary(run)
        self._logins()
        self.say(f"Xong trong {_seconds(time.perf_counter() - started)}.")
        if options["serve"]:
            self._serve(port)

    def _serve(self, port: int) -> None:
        """Run the production web server (`giamngheo serve`, gunicorn) on 127.0.0.1 with the background-job worker
        beside it (same settings and database), and stop the worker when the server stops."""
        if not _port_free(port):
            # Checked first: a server that cannot bind would leave at once, after the worker was started for nothing.
            raise CommandError(f"Cổng {port} đang được dùng; chọn cổng khác, ví dụ --port {port + 1}.")
        worker = _start_worker()
        self.say(
            f"\nĐã chạy tiến trình xử lý công việc nền (giamngheo worker, PID {worker.pid}) bên cạnh máy chủ web; "
            "nó dừng cùng máy chủ."
        )
        self.say(f"Mở http://127.0.0.1:{port}/ trong trình duyệt (Ctrl+C để dừng).")
        # Ctrl+C reaches the server (same process group) and this process; SIGTERM or SIGHUP sent to this process
        # alone becomes the same interruption, and the server is then stopped from here.
        previous = {number: signal.signal(number, _interrupt) for number in _STOP_SIGNALS}
        server: subprocess.Popen[bytes] | None = None
        interrupted = False
        try:
            server = _start_server(port)
            server.wait()
        except KeyboardInterrupt:
            interrupted = True
        finally:
            for number, handler in previous.items():
                signal.signal(number, handler)
            if server is not None:
                _stop_server(server)
            self.say("Đang dừng tiến trình xử lý công việc nền ...")
            _stop_worker(worker)
            self.say(f"Đã dừng tiến trình xử lý công việc nền (mã thoát {worker.returncode}).")
        if not interrupted and server is not None and server.returncode != 0:
            raise CommandError(f"Máy chủ web dừng với mã thoát {server.returncode}.")

    def _generate(self, seed: int) -> DemoRun:
        from giamngheo.areas.loader import load_units
        from giamngheo.standards.services import sync_standards

        self.say("Nạp đơn vị hành chính và chuẩn nghèo ...")
        load_units()
        sync_standards()
        self.say(f"Lập kế hoạch dữ liệu mẫu huyện Kông Chro (hạt giống {seed}) ...")
        step = time.perf_counter()
        try:
            plan = build_plan(district_config(seed, today=timezone.localdate()))
        except PlanError as exc:
            raise CommandError(f"Không lập được dữ liệu mẫu: {exc}") from exc
        self.say(f"  xong trong {_seconds(time.perf_counter() - step)}; ghi vào cơ sở dữ liệu ...")
        if plan.today is None:
            self.say(
                f"  (Chưa đến đợt khảo sát rà soát cuối năm {targets.REVIEW_2026.year} "
                f"(từ {targets.SURVEY_2026[0]:%d/%m/%Y}): dữ liệu mẫu dừng ở năm {targets.REVIEW_2023.year}.)"
            )
        try:
            run, report = build_district(plan, say=self.say)
        except (DemoBuildError, ValidationError) as exc:
            raise CommandError(f"Không ghi được dữ liệu mẫu: {_message(exc)}") from exc
        timings = ", ".join(f"{label} {_seconds(seconds)}" for label, seconds in report.timings.items())
        self.say(f"  Thời gian: {timings}.")
        return run

    def _logins(self) -> None:
        self.say("")
        self.say(f"Tài khoản mẫu (chỉ dùng cho bản chạy thử; mật khẩu: {DEMO_PASSWORD}):")
        for spec, created in ensure_demo_users():
            kept = "" if created else " — đã có từ trước, mật khẩu giữ nguyên"
            self.say(f"  {spec.username:<12} {spec.description}{kept}")

    def _summary(self, run: DemoRun) -> None:
        from giamngheo.areas.selectors import commune_ids_within, resolve_unit
        from giamngheo.reviews.stats import area_stats, format_vi

        self.say("")
        self.say(
            f"Dữ liệu mẫu (minh họa, không phải số liệu thật của từng hộ): {group_thousands(run.households)} hộ, "
            f"{group_thousands(run.persons)} nhân khẩu, {group_thousands(run.events)} biến động sau đợt rà soát "
            f"đầu tiên, "
            f"{group_thousands(run.assessments)} phiếu rà soát."
        )
        district = resolve_unit(
            targets.DISTRICT_CODE, on=date(targets.REVIEW_2023.year, 12, 31), level="district"
        )
        self.say("")
        self.say(format_vi(area_stats(district, year=targets.REVIEW_2023.year)))
        try:
            rollup = check_rollup(year=targets.REVIEW_2023.year)
        except RollupError as exc:
            raise CommandError(str(exc)) from exc
        self.say(
            f"  Theo 6 xã mới của tỉnh Gia Lai (từ 01/07/2025): {rollup.describe()} — khớp với số liệu của huyện."
        )
        flows = poor_flows(targets.REVIEW_2023.year, commune_ids_within(district))
        self.say(f"  {flows.describe()}")
        later = later_summary()
        if later is not None:
            self.say("")
            self.say(later)


# How long a stopping worker may take to finish the job it is running before it is killed.
WORKER_STOP_SECONDS = 30
# How long the web server may take to finish the requests in flight (gunicorn's graceful timeout is 30 s).
SERVER_STOP_SECONDS = 35


_STOP_SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name))


def _interrupt(number: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def _port_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as gunicorn does: TIME_WAIT is free
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _child_environment() -> dict[str, str]:
    # SETTINGS_MODULE is None while settings are overridden (tests); the environment then names the module.
    module = settings.SETTINGS_MODULE or os.environ.get("DJANGO_SETTINGS_MODULE") or "giamngheo.settings"
    return {**os.environ, "DJANGO_SETTINGS_MODULE": module}


def _start_server(port: int) -> subprocess.Popen[bytes]:
    """`giamngheo serve` on 127.0.0.1 in a child process with this process's settings and environment. In this
    process's group, so that Ctrl+C in the terminal stops it at once."""
    command = [sys.executable, "-m", "giamngheo.cli", "serve", "--host", "127.0.0.1", "--port", str(port)]
    return subprocess.Popen(command, env=_child_environment())  # noqa: S603  # fixed arguments


def _stop_server(server: subprocess.Popen[bytes]) -> None:
    """Stop gunicorn gracefully (SIGTERM: requests in flight finish), then for good if it takes too long."""
    _stop_child(server, SERVER_STOP_SECONDS)


def _start_worker() -> subprocess.Popen[bytes]:
    """`giamngheo worker` (django-tasks' db_worker) in a child process with this process's settings and
    environment (so the same database). In its own session, so that Ctrl+C in the terminal reaches only the
    server; the worker is then stopped here, gracefully."""
    command = [
        sys.executable,
        "-m",
        "giamngheo.cli",
        "worker",
        "--no-reload",
        "--no-startup-delay",
        "--interval",
        "1",
    ]
    return subprocess.Popen(command, env=_child_environment(), start_new_session=True)  # noqa: S603  # fixed arguments


def _stop_worker(worker: subprocess.Popen[bytes]) -> None:
    """SIGTERM: the worker finishes the task it is running, then exits; killed if it takes too long."""
    _stop_child(worker, WORKER_STOP_SECONDS)


def _stop_child(child: subprocess.Popen[bytes], seconds: float) -> None:
    if child.poll() is not None:
        return
    child.terminate()
    try:
        child.wait(timeout=seconds)
    except (subprocess.TimeoutExpired, KeyboardInterrupt):
        child.kill()
        child.wait()


def _seconds(value: float) -> str:
    return f"{value:.1f} giây".replace(".", ",")


def _message(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "; ".join(exc.messages[:10])
    return str(exc)
