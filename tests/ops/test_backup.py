"""`giamngheo backup` and `giamngheo restore` on the database the suite runs on (SQLite, or PostgreSQL when
DATABASE_URL names one).

The main test backs up a database with households and an uploaded file, restores the archive with the real
command line into an EMPTY database (a new SQLite file, or a PostgreSQL database created for the test) and a new
data folder, and compares every table's row count, a checksum of the households and the file. The backup tests run
with `transaction=True`: pg_dump reads through its own connection and sees committed rows only.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import sqlite3
import subprocess
import sys
import tarfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from giamngheo.registry.models import Household
from tests.registry.factories import make_household

GIAMNGHEO = Path(sys.executable).with_name("giamngheo")
MEDIA_FILE = Path("jobs") / "7" / "danh-sách hộ.xlsx"
MEDIA_BYTES = b"PK\x03\x04 not really a workbook \xe1\xbb\x99"


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _household_columns() -> list[str]:
    return [field.column for field in Household._meta.concrete_fields]


def counts_and_checksum(cursor: Any, tables: list[str]) -> tuple[dict[str, int], str]:
    """Every table's row count, and sha256 over the households' rows (every column as text, ordered by id)."""
    counts = {}
    for table in sorted(tables):
        cursor.execute(f"SELECT COUNT(*) FROM {_quote(table)}")
        counts[table] = cursor.fetchone()[0]
    columns = ", ".join(f"CAST({_quote(c)} AS TEXT)" for c in _household_columns())
    cursor.execute(f"SELECT {columns} FROM {_quote(Household._meta.db_table)} ORDER BY {_quote('id')}")
    digest = hashlib.sha256()
    for row in cursor.fetchall():
        digest.update(repr(tuple(row)).encode())
    return counts, digest.hexdigest()


def source_state() -> tuple[dict[str, int], str]:
    with connection.cursor() as cursor:
        tables = [t for t in connection.introspection.table_names(cursor) if not t.startswith("sqlite_")]
        return counts_and_checksum(cursor, tables)


@contextmanager
def empty_database(tmp_path: Path) -> Iterator[tuple[str, Callable[[], tuple[dict[str, int], str]]]]:
    """An empty database of the suite's vendor: (its DATABASE_URL, a function reading its counts and checksum)."""
    if connection.vendor == "sqlite":
        path = tmp_path / "restored.sqlite3"

        def read_sqlite() -> tuple[dict[str, int], str]:
            with closing(sqlite3.connect(path)) as target:
                cursor = target.cursor()
                cursor.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
                )
                return counts_and_checksum(cursor, [row[0] for row in cursor.fetchall()])

        yield f"sqlite:///{path}", read_sqlite
        return

    import psycopg

    params = connection.settings_dict
    name = f"wt_ops_restore_{uuid.uuid4().hex[:12]}"
    server = {
        "host": params["HOST"] or None, "port": params["PORT"] or None, "user": params["USER"] or None,
        "password": params["PASSWORD"] or None,
    }  # fmt: skip
    with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    try:

        def read_postgresql() -> tuple[dict[str, int], str]:
            with psycopg.connect(dbname=name, **server) as target, target.cursor() as cursor:
                cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
                return counts_and_checksum(cursor, [row[0] for row in cursor.fetchall()])

        auth = params["USER"] + (f":{params['PASSWORD']}" if params["PASSWORD"] else "")
        yield f"postgres://{auth}@{params['HOST']}:{params['PORT'] or 5432}/{name}", read_postgresql
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def giamngheo_command(*args: str, database_url: str, data_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "GIAMNGHEO_DATA_DIR": str(data_dir),
        "SECRET_KEY": "tests-ops-restore-" + uuid.uuid4().hex,
        "DJANGO_SETTINGS_MODULE": "giamngheo.settings",
    }
    return subprocess.run([str(GIAMNGHEO), *args], env=env, capture_output=True, text=True, check=False)


def read_manifest(archive: Path) -> dict[str, Any]:
    with tarfile.open(archive) as tar:
        member = tar.extractfile("manifest.json")
        assert member is not None
        return json.loads(member.read())


@pytest.fixture
def media(settings, tmp_path: Path) -> Path:
    root = tmp_path / "source" / "media"
    (root / MEDIA_FILE).parent.mkdir(parents=True)
    (root / MEDIA_FILE).write_bytes(MEDIA_BYTES)
    settings.MEDIA_ROOT = root
    return root


@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_into_an_empty_database_whole(personas, media: Path, tmp_path: Path) -> None:
    make_household(code="H-SAOLUU", members=[{"full_name": "Kpă Thị Hiền", "citizen_id": "064190009999"}])
    archive = tmp_path / "sao-luu.tar.gz"
    out = io.StringIO()
    call_command("backup", "-o", str(archive), stdout=out)
    assert str(archive) in out.getvalue()
    assert oct(archive.stat().st_mode & 0o777) == "0o600"

    counts, checksum = source_state()
    assert counts[Household._meta.db_table] == 4
    manifest = read_manifest(archive)
    assert manifest["database_vendor"] == connection.vendor
    assert manifest["tables"] == counts  # the manifest describes exactly what was dumped
    assert ["registry", "0001_initial"] in manifest["migrations"]
    assert manifest["media_files"] == 1

    target_dir = tmp_path / "target"
    with empty_database(tmp_path) as (url, read_target):
        done = giamngheo_command("restore", str(archive), database_url=url, data_dir=target_dir)
        assert done.returncode == 0, done.stderr
        assert "Đã khôi phục" in done.stdout
        restored_counts, restored_checksum = read_target()
        assert restored_counts == counts
        assert restored_checksum == checksum
        assert (target_dir / "media" / MEDIA_FILE).read_bytes() == MEDIA_BYTES

        again = giamngheo_command("restore", str(archive), database_url=url, data_dir=target_dir)
        assert again.returncode != 0
        assert "--force" in again.stderr  # a database with data is not overwritten unasked
        assert read_target() == (counts, checksum)


@pytest.mark.django_db(transaction=True)
def test_restore_with_force_puts_back_the_backed_up_state(personas, media: Path, tmp_path: Path) -> None:
    archive = tmp_path / "truoc.tar.gz"
    call_command("backup", "-o", str(archive), stdout=io.StringIO())
    before = source_state()

    make_household(code="H-SAU-SAO-LUU")
    (media / "jobs" / "8").mkdir()
    (media / "jobs" / "8" / "moi.csv").write_text("ma_ho\n1\n")
    (media / MEDIA_FILE).write_bytes(b"changed")
    assert source_state() != before

    with pytest.raises(CommandError, match="--force"):
        call_command("restore", str(archive), stdout=io.StringIO())
    assert Household.objects.filter(code="H-SAU-SAO-LUU").exists()  # refused: nothing touched

    call_command("restore", str(archive), "--force", stdout=io.StringIO())
    assert source_state() == before
    assert not Household.objects.filter(code="H-SAU-SAO-LUU").exists()
    assert (media / MEDIA_FILE).read_bytes() == MEDIA_BYTES
    assert not (media / "jobs" / "8").exists()


def _archive_with(tmp_path: Path, members: dict[str, bytes], links: dict[str, str] | None = None) -> Path:
    path = tmp_path / "crafted.tar.gz"
    with tarfile.open(path, "w:gz") as tar:
        for name, content in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(content)
            tar.addfile(info, io.BytesIO(content))
        for name, target in (links or {}).items():
            info = tarfile.TarInfo(name)
            info.type = tarfile.SYMTYPE
            info.linkname = target
            tar.addfile(info)
    return path


@pytest.mark.django_db
def test_restore_refuses_an_archive_with_a_link(settings, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    archive = _archive_with(tmp_path, {"manifest.json": b"{}"}, links={"media/passwd": "/etc/passwd"})
    with pytest.raises(CommandError, match=r"không an toàn.*media/passwd"):
        call_command("restore", str(archive), "--force")
    assert not (tmp_path / "media").exists()


def _manifest_bytes(**changes: Any) -> bytes:
    manifest = {
        "format_version": 1, "app": "giamngheo", "app_version": "0.1.0", "created_at": "2026-11-20T09:00:00+07:00",
        "database_vendor": connection.vendor, "migrations": [], "tables": {}, "media_files": 0,
    }  # fmt: skip
    manifest.update(changes)
    return json.dumps(manifest).encode()


@pytest.mark.django_db
def test_restore_refuses_an_archive_from_the_other_database_vendor(settings, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    other = "postgresql" if connection.vendor == "sqlite" else "sqlite"
    archive = _archive_with(tmp_path, {"manifest.json": _manifest_bytes(database_vendor=other)})
    with pytest.raises(CommandError) as refused:
        call_command("restore", str(archive), "--force")
    message = str(refused.value)
    assert f"cơ sở dữ liệu {other}" in message and connection.vendor in message
    assert Household.objects.count() == 0 and connection.introspection.table_names()  # nothing dropped


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("members", "expected"),
    [
        ({"manifest.json": b"{}", "../ngoai.txt": b"x"}, "không an toàn"),
        ({"manifest.json": b"{}", "/etc/giamngheo-ops-test": b"x"}, "không an toàn"),
        ({"database.sqlite3": b"x"}, "không có manifest.json"),
        ({"manifest.json": b"{not json"}, "bị hỏng"),
        ({"manifest.json": b'{"app": "khac"}'}, "không phải bản sao lưu của giamngheo"),
    ],
)
def test_restore_refuses_a_crafted_archive(
    settings, tmp_path: Path, members: dict[str, bytes], expected: str
) -> None:
    inside = tmp_path / "inside"
    inside.mkdir()
    settings.MEDIA_ROOT = inside / "media"
    archive = _archive_with(inside, members)
    with pytest.raises(CommandError, match=expected):
        call_command("restore", str(archive), "--force")
    assert not (tmp_path / "ngoai.txt").exists() and not (inside / "ngoai.txt").exists()
    assert not Path("/etc/giamngheo-ops-test").exists()
    assert connection.introspection.table_names()  # refused before the database was touched


@pytest.mark.django_db
def test_restore_refuses_a_file_that_is_not_an_archive(settings, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    bogus = tmp_path / "hong.tar.gz"
    bogus.write_bytes(b"\x1f\x8b this is not gzip at all")
    with pytest.raises(CommandError, match=r"Không đọc được tệp hong\.tar\.gz: đây không phải bản sao lưu"):
        call_command("restore", str(bogus))
    with pytest.raises(CommandError, match="Không tìm thấy tệp sao lưu"):
        call_command("restore", str(tmp_path / "khong-co.tar.gz"))


@pytest.mark.django_db(transaction=True)
def test_keep_days_removes_only_old_archives_of_this_command(settings, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    folder = tmp_path / "backups"
    folder.mkdir()
    old, recent, unrelated = (folder / n for n in ("giamngheo-20261101-020000.tar.gz",
                                                    "giamngheo-20261118-020000.tar.gz", "khac.tar.gz"))  # fmt: skip
    for path, days in ((old, 19), (recent, 2), (unrelated, 30)):
        path.write_bytes(b"x")
        stamp = time.time() - days * 86400
        os.utime(path, (stamp, stamp))
    out = io.StringIO()
    call_command(
        "backup", "-o", str(folder / "giamngheo-20261120-020000.tar.gz"), "--keep-days", "7", stdout=out
    )
    assert sorted(p.name for p in folder.iterdir()) == [
        "giamngheo-20261118-020000.tar.gz", "giamngheo-20261120-020000.tar.gz", "khac.tar.gz",
    ]  # fmt: skip
    assert "giamngheo-20261101-020000.tar.gz" in out.getvalue()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_dump is used on PostgreSQL only")
@pytest.mark.django_db(transaction=True)
def test_a_missing_pg_dump_is_named(settings, tmp_path: Path, monkeypatch) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(CommandError, match=r"Không tìm thấy chương trình pg_dump.*postgresql-client"):
        call_command("backup", "-o", str(tmp_path / "b.tar.gz"))
    assert not (tmp_path / "b.tar.gz").exists()
