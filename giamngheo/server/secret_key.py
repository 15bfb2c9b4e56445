"""Where the settings find `SECRET_KEY`, and the key file the demo and the tests create once.

The key signs sessions, password-reset links and CSRF tokens: a key anyone can read (such as one written in the
code) lets anyone forge them. So no key is written in the code, and the settings look, in this order, at:

1. the environment variable `SECRET_KEY`;
2. the file named by `SECRET_KEY_FILE` (for example a systemd credential or /etc/giamngheo/secret-key);
3. the file `secret-key` in the data folder (`GIAMNGHEO_DATA_DIR`, by default `var/`), if it exists.

Nothing is found and `DEBUG` is off: every command refuses to start, with `MISSING_KEY_MESSAGE`. `giamngheo demo`,
the test run (giamngheo.server.pytest_plugin), `make` and `DEBUG=1` create the data folder's file once — 64
random characters, readable by its owner only — and then reuse it, so sessions survive a restart.

This module imports nothing from Django: the command line and the pytest plugin use it before the settings load.
`python -m giamngheo.server.secret_key` creates the data folder's key file (when no other key is configured) and
prints its path.
"""

from __future__ import annotations

import os
import secrets
import sys
from pathlib import Path

KEY_FILE_NAME = "secret-key"

MISSING_KEY_MESSAGE = """Chưa có khóa bí mật SECRET_KEY nên giamngheo không chạy (DEBUG đang tắt).
Cách đặt khóa — một trong ba cách:
  - biến môi trường SECRET_KEY: một chuỗi ngẫu nhiên dài, ví dụ
      SECRET_KEY="$(python3 -c 'import secrets; print(secrets.token_urlsafe(50))')"
  - biến môi trường SECRET_KEY_FILE: đường dẫn tới tệp chứa khóa (chỉ người chạy giamngheo đọc được);
  - tệp {path}: tạo bằng `python -m giamngheo.server.secret_key`.
No SECRET_KEY, so giamngheo will not start (DEBUG is off). Set the environment variable SECRET_KEY to a long random
string, or SECRET_KEY_FILE to a file holding it, or create {path} with `python -m giamngheo.server.secret_key`."""


class SecretKeyError(Exception):
    """The configured key cannot be used; the message says why and how to fix it (Vietnamese, then English)."""


def data_dir() -> Path:
    """The data folder, as the settings compute it: `GIAMNGHEO_DATA_DIR`, or `var/` beside the package."""
    default = Path(__file__).resolve().parent.parent.parent / "var"
    return Path(os.environ.get("GIAMNGHEO_DATA_DIR") or default)


def default_key_file() -> Path:
    return data_dir() / KEY_FILE_NAME


def configured_key() -> str | None:
    """The key from the environment or a key file (in the order of the module docstring); None when there is none.

    Raises SecretKeyError when a key is configured but unusable (a named file missing or empty). A short key is left
    to `giamngheo check --deploy`, which warns about it."""
    from_environment = os.environ.get("SECRET_KEY", "")
    if from_environment:
        return from_environment
    named = os.environ.get("SECRET_KEY_FILE", "")
    if named:
        path = Path(named)
        if not path.is_file():
            raise SecretKeyError(
                f"SECRET_KEY_FILE={named}: không có tệp này. / SECRET_KEY_FILE={named}: no such file."
            )
        return _read(path)
    default = default_key_file()
    if default.is_file():
        return _read(default)
    return None


def ensure_key_file(path: Path | None = None) -> Path:
    """Create the key file with a new random key unless it exists (then it is kept as it is); return its path.

    The file is created with O_EXCL and mode 0600, so two processes starting at once cannot both write one, and
    no other user can read it."""
    path = default_key_file() if path is None else path
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path
    with os.fdopen(descriptor, "w", encoding="ascii") as handle:
        handle.write(secrets.token_urlsafe(48) + "\n")  # 64 characters from a CSPRNG
    return path


def _set_in_environment() -> bool:
    return bool(os.environ.get("SECRET_KEY") or os.environ.get("SECRET_KEY_FILE"))


def ensure_key() -> None:
    """Create the data folder's key file when no key is configured (the demo's and the tests' path)."""
    if not _set_in_environment():
        ensure_key_file()


def _read(path: Path) -> str:
    key = path.read_text(encoding="utf-8").strip()
    if not key:
        raise SecretKeyError(f"Tệp khóa {path} rỗng. / The key file {path} is empty.")
    return key


def main() -> int:
    if _set_in_environment():
        print(
            "SECRET_KEY hoặc SECRET_KEY_FILE đã được đặt: không tạo tệp khóa. / A key is already configured."
        )
        return 0
    print(ensure_key_file())
    return 0


if __name__ == "__main__":
    sys.exit(main())
