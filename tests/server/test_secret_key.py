"""No key in the code: with DEBUG off and no SECRET_KEY every command refuses to start, saying how to set one; the
demo (and DEBUG) make a random key once in the data folder and reuse it (giamngheo/server/secret_key.py)."""

from __future__ import annotations

import stat
from pathlib import Path

from giamngheo.server import secret_key
from tests.server.conftest import child_environment, free_port, run_giamngheo


def assert_refused(result, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    assert result.returncode != 0
    assert "Chưa có khóa bí mật SECRET_KEY" in result.stderr  # Vietnamese first ...
    assert "No SECRET_KEY, so giamngheo will not start" in result.stderr  # ... then English
    assert (
        "SECRET_KEY_FILE" in result.stderr and str(data_dir / "secret-key") in result.stderr
    )  # how to set it
    assert "Traceback" not in result.stderr


def test_no_key_with_debug_off_refuses_every_command(tmp_path: Path) -> None:
    env = child_environment(tmp_path, DEBUG="0")
    for command in (["check"], ["migrate"], ["stats", "--area", "630", "--year", "2023"]):
        assert_refused(run_giamngheo(*command, env=env), tmp_path)
    assert not (tmp_path / "secret-key").exists()  # refusing makes no key behind the operator's back
    assert not (tmp_path / "giamngheo.sqlite3").exists()


def test_the_server_refuses_to_start_without_a_key(tmp_path: Path) -> None:
    result = run_giamngheo("serve", "--port", str(free_port()), env=child_environment(tmp_path))
    assert_refused(result, tmp_path)
    assert "gunicorn" not in result.stdout + result.stderr  # refused before the server was started


def test_a_named_key_file_that_is_missing_or_empty_is_refused(tmp_path: Path) -> None:
    missing = tmp_path / "khong-co"
    result = run_giamngheo("check", env=child_environment(tmp_path, SECRET_KEY_FILE=str(missing)))
    assert result.returncode != 0 and f"SECRET_KEY_FILE={missing}: không có tệp này" in result.stderr
    empty = tmp_path / "rong"
    empty.write_text("\n")
    result = run_giamngheo("check", env=child_environment(tmp_path, SECRET_KEY_FILE=str(empty)))
    assert result.returncode != 0 and f"Tệp khóa {empty} rỗng" in result.stderr


def test_the_demo_creates_the_key_once_and_reuses_it(tmp_path: Path) -> None:
    env = child_environment(tmp_path, DEBUG="0")
    first = run_giamngheo("demo", "--help", env=env)
    assert first.returncode == 0, first.stderr
    key_file = tmp_path / "secret-key"
    key = key_file.read_text()
    assert len(key.strip()) >= 50
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600  # readable by its owner only
    again = run_giamngheo("demo", "--help", env=env)
    assert again.returncode == 0 and key_file.read_text() == key  # kept, not replaced
    # Every other command now finds the demo's key in the data folder.
    check = run_giamngheo("check", env=env)
    assert check.returncode == 0, check.stderr
    assert "no issues" in check.stdout


def test_a_key_from_the_environment_or_a_named_file_wins_over_the_data_folder(
    tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setenv("GIAMNGHEO_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("SECRET_KEY_FILE", raising=False)
    assert secret_key.configured_key() is None
    made = secret_key.ensure_key_file()
    assert made == tmp_path / "secret-key" and secret_key.configured_key() == made.read_text().strip()
    named = tmp_path / "khoa-rieng"
    named.write_text("k" * 60 + "\n")
    monkeypatch.setenv("SECRET_KEY_FILE", str(named))
    assert secret_key.configured_key() == "k" * 60
    monkeypatch.setenv("SECRET_KEY", "tu-bien-moi-truong")
    assert secret_key.configured_key() == "tu-bien-moi-truong"


def test_debug_on_makes_the_key_file_itself(tmp_path: Path) -> None:
    result = run_giamngheo("check", env=child_environment(tmp_path, DEBUG="1"))
    assert result.returncode == 0, result.stderr
    assert len((tmp_path / "secret-key").read_text().strip()) >= 50


def test_two_keys_made_for_two_folders_differ(tmp_path: Path) -> None:
    first = secret_key.ensure_key_file(tmp_path / "a" / "secret-key").read_text()
    second = secret_key.ensure_key_file(tmp_path / "b" / "secret-key").read_text()
    assert first != second
