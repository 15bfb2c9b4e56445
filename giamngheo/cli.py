"""The `giamngheo` command line.

Each command is a Django management command; this module gives them their public, hyphenated names and a short
help listing. Any other Django command (`migrate`, `createsuperuser`, ...) passes straight through.
"""

from __future__ import annotations

import os
import sys

# Public name -> (management command, one-line help).
COMMANDS: dict[str, tuple[str, str]] = {
    "classify": (
        "classify",
        "Phân loại hộ từ tệp Excel/CSV theo chuẩn nghèo / classify a survey spreadsheet",
    ),
    "load-units": ("load_units", "Nạp đơn vị hành chính và bảng chuyển đổi 2025 / load administrative units"),
    "load-standards": ("load_standards", "Nạp các chuẩn nghèo từ tệp dữ liệu / load poverty standards"),
    "evidence": (
        "evidence",
        "Các giá trị của chuẩn nghèo chưa đối chiếu văn bản gốc / what is not verified against the decrees",
    ),
    "demo": ("demo", "Tạo dữ liệu mẫu huyện Kông Chro (--serve để chạy máy chủ) / load the demo"),
    "stats": ("stats", "Số liệu hộ nghèo theo địa bàn và năm / poverty figures by area and year"),
    "backup": ("backup", "Sao lưu cơ sở dữ liệu và tệp tải lên (-o TỆP) / back up the database and uploads"),
    "restore": ("restore", "Khôi phục từ bản sao lưu (restore TỆP [--force]) / restore a backup"),
    "token": ("token", "Tạo / thu hồi mã truy cập API (token create USERNAME) / create or revoke API tokens"),
    "worker": ("worker", "Chạy tiến trình xử lý công việc nền / run the background job worker"),
    "serve": ("serve", "Chạy máy chủ web (gunicorn) / run the production web server"),
}

USAGE = """Cách dùng / usage: giamngheo COMMAND [OPTIONS]

Các lệnh / commands:
{commands}

`giamngheo COMMAND --help` giải thích từng lệnh / explains each command.
Mọi lệnh quản trị Django khác (migrate, createsuperuser, ...) cũng dùng được / other Django commands pass through.
"""


def usage() -> str:
    width = max(len(name) for name in COMMANDS)
    lines = [f"  {name.ljust(width)}  {text}" for name, (_, text) in COMMANDS.items()]
    return USAGE.format(commands="\n".join(lines))


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in {"-h", "--help", "help"}:
        print(usage())
        return 0
    if args[0] == "--version":
        from giamngheo import __version__

        print(__version__)
        return 0
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "giamngheo.settings")
    name = args[0]
    command = COMMANDS[name][0] if name in COMMANDS else name.replace("-", "_")

    # The settings refuse to load without SECRET_KEY; the demo makes its own key once, before they load.
    if name == "demo":
        from giamngheo.server.secret_key import ensure_key

        ensure_key()
    problem = _settings_problem()
    if problem is not None:
        print(problem, file=sys.stderr)
        return 2

    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(["giamngheo", command, *args[1:]])
    except SystemExit as exc:
        code = exc.code
        return code if isinstance(code, int) else (0 if code is None else 1)
    return 0


def _settings_problem() -> str | None:
    """The message of a configuration the settings refuse (no SECRET_KEY, a malformed variable), shown as it is
    rather than as a traceback; None when the settings load."""
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured

    try:
        settings.INSTALLED_APPS  # noqa: B018  # loads the settings module
    except ImproperlyConfigured as exc:
        return f"giamngheo: {exc}"
    return None


if __name__ == "__main__":
    sys.exit(main())
