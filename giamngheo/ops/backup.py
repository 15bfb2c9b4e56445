"""Backup and restore of the whole site: the database and the uploaded files, in one `.tar.gz` archive.

The archive holds `manifest.json`, the database (`database.pgdump` from `pg_dump --format=custom`, or
`database.sqlite3`) and `media/` (MEDIA_ROOT: uploaded workbooks and job results). The manifest says what the
archive is — format version, when it was made, by which version of giamngheo, from which database vendor, the
Django migrations applied, and the row count of every table — so a restore can refuse an archive it cannot use
before touching anything, and check afterwards that every table came back whole.

Consistency while the site runs:
- PostgreSQL: the row counts are read in a REPEATABLE READ transaction whose snapshot `pg_dump --snapshot` then
  dumps, so the counts describe exactly the rows in the dump. The connection (host, port, user, password, SSL
  mode) goes to `pg_dump`/`pg_restore` through PG* environment variables, never on the command line, where any
  user of the machine could read it.
- SQLite: SQLite's online backup API copies the database page by page under its own locks, so a server writing
  meanwhile cannot leave a torn copy (copying the file could). Restoring goes through the same API into the live
  database: it replaces the content in one transaction and knows about the WAL file, where renaming a file over
  a database that has a `-wal` beside it would let SQLite replay stale pages into the restored copy.

A restore refuses a database that already holds tables, or a media folder that holds files, unless `force` is
given; an archive with anything but plain files and folders under relative paths is refused before unpacking
(no absolute paths, no `..`, no links, no devices), and unpacked with tarfile's "data" filter besides.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path, PurePosixPath
from typing import Any

from django.conf import settings
from django.db import connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

import giamngheo

FORMAT_VERSION = 1
MANIFEST = "manifest.json"
MEDIA = "media"
DATABASE_FILES = {"postgresql": "database.pgdump", "sqlite": "database.sqlite3"}
ARCHIVE_PREFIX = "giamngheo-"
ARCHIVE_SUFFIX = ".tar.gz"


class BackupError(Exception):
    """A backup or restore that cannot go on; the message (Vietnamese) says why and what to do."""


@dataclass
class RestoreResult:
    manifest: dict[str, Any]
    tables: int
    rows: int
    media_files: int
    notes: list[str] = field(default_factory=list)


# --- shared helpers ------------------------------------------------------------------------------------------------


def default_archive_path(now: datetime | None = None) -> Path:
    stamp = timezone.localtime(now or timezone.now()).strftime("%Y%m%d-%H%M%S")
    return Path(settings.DATA_DIR) / "backups" / f"{ARCHIVE_PREFIX}{stamp}{ARCHIVE_SUFFIX}"


def _vendor(connection: BaseDatabaseWrapper) -> str:
    if connection.vendor not in DATABASE_FILES:
        raise BackupError(
            f"Chưa hỗ trợ sao lưu cơ sở dữ liệu loại {connection.vendor}: chỉ PostgreSQL và SQLite."
        )
    return connection.vendor


def _count_rows(cursor: Any, tables: Sequence[str], quote: Any) -> dict[str, int]:
    counts: dict[str, int] = {}
    for table in sorted(tables):
        cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")
        counts[table] = int(cursor.fetchone()[0])
    return counts


def _applied_migrations(cursor: Any, tables: Sequence[str]) -> list[list[str]]:
    if "django_migrations" not in tables:
        return []
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
    return [[str(app), str(name)] for app, name in cursor.fetchall()]


def _manifest(vendor: str, counts: dict[str, int], migrations: list[list[str]]) -> dict[str, Any]:
    media_root = Path(settings.MEDIA_ROOT)
    media = [p for p in media_root.rglob("*") if p.is_file()] if media_root.is_dir() else []
    return {
        "format_version": FORMAT_VERSION,
        "app": "giamngheo",
        "app_version": giamngheo.__version__,
        "created_at": timezone.localtime().isoformat(timespec="seconds"),
        "database_vendor": vendor,
        "database_file": DATABASE_FILES[vendor],
        "migrations": migrations,
        "tables": counts,
        "media_files": len(media),
        "media_bytes": sum(p.stat().st_size for p in media),
    }


def _program(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            f"Không tìm thấy chương trình {name}. Cài gói postgresql-client cùng phiên bản với máy chủ "
            f"PostgreSQL (apt install postgresql-client) rồi chạy lại."
        )
    return path


def _pg_environment(connection: BaseDatabaseWrapper) -> dict[str, str]:
    """The connection for pg_dump/pg_restore as PG* variables (the password never appears on a command line)."""
    from django.db.backends.postgresql.client import DatabaseClient

    params = connection.settings_dict
    _args, extra = DatabaseClient.settings_to_cmd_args_env(params, [])  # PGPASSWORD, PGSSLMODE, PGSERVICE...
    env = {**os.environ, **(extra or {})}
    for variable, key in (("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER"), ("PGDATABASE", "NAME")):
        value = params.get(key)
        if value:
            env[variable] = str(value)
        else:
            env.pop(variable, None)
    return env


def _run(command: list[str], env: dict[str, str], what: str) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        detail = (done.stderr or done.stdout).strip()[-2000:]
        raise BackupError(f"{what} không thành công (mã lỗi {done.returncode}): {detail}")


# --- backup --------------------------------------------------------------------------------------------------------


def _backup_postgresql(connection: BaseDatabaseWrapper, target: Path) -> dict[str, Any]:
    pg_dump = _program("pg_dump")
    outermost = not connection.in_atomic_block
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        if outermost:
            # First statement of the transaction: the counts and the dump then read one and the same snapshot.
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        tables = connection.introspection.table_names(cursor)
        counts = _count_rows(cursor, tables, connection.ops.quote_name)
        migrations = _applied_migrations(cursor, tables)
        command = [
            pg_dump, "--format=custom", "--no-owner", "--no-privileges",
            f"--snapshot={snapshot}", f"--file={target}",
        ]  # fmt: skip
        _run(command, _pg_environment(connection), "pg_dump")
    return _manifest("postgresql", counts, migrations)


def _sqlite_tables(cursor: Any) -> list[str]:
    cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    return [row[0] for row in cursor.fetchall()]


def _backup_sqlite(connection: BaseDatabaseWrapper, target: Path) -> dict[str, Any]:
    connection.ensure_connection()
    with closing(sqlite3.connect(target)) as copy:
        connection.connection.backup(copy)
        copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, whatever the source's mode
        cursor = copy.cursor()
        tables = _sqlite_tables(cursor)
        counts = _count_rows(cursor, tables, connection.ops.quote_name)
        migrations = _applied_migrations(cursor, tables)
    return _manifest("sqlite", counts, migrations)


def create_backup(output: Path, *, using: str = "default") -> dict[str, Any]:
    """Write the archive to `output` (made under a temporary name, then renamed: never a half-written archive)."""
    connection = connections[using]
    vendor = _vendor(connection)
    output = output.expanduser().resolve()
    output.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=output.parent, prefix=".backup-") as work:
        os.chmod(work, 0o700)
        database = Path(work) / DATABASE_FILES[vendor]
        if vendor == "postgresql":
            manifest = _backup_postgresql(connection, database)
        else:
            manifest = _backup_sqlite(connection, database)
        (Path(work) / MANIFEST).write_text(
            json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8"
        )
        partial = Path(work) / "archive.tar.gz"
        partial.touch(mode=0o600)  # household records: readable by the service's user only
        with tarfile.open(partial, "w:gz") as archive:
            archive.add(Path(work) / MANIFEST, arcname=MANIFEST)
            archive.add(database, arcname=DATABASE_FILES[vendor])
            media_root = Path(settings.MEDIA_ROOT)
            if media_root.is_dir():
                archive.add(media_root, arcname=MEDIA)
        os.replace(partial, output)
    return manifest


def prune_archives(folder: Path, keep_days: int, *, keep: Path) -> list[Path]:
    """Delete this command's archives (giamngheo-*.tar.gz) older than `keep_days` in `folder`, never `keep`."""
    cutoff = timezone.now().timestamp() - timedelta(days=keep_days).total_seconds()
    removed = []
    for path in sorted(folder.glob(f"{ARCHIVE_PREFIX}*{ARCHIVE_SUFFIX}")):
        if path.resolve() != keep.resolve() and path.is_file() and path.stat().st_mtime < cutoff:
            path.unlink()
            removed.append(path)
    return removed


# --- restore -------------------------------------------------------------------------------------------------------


def _check_members(tar: tarfile.TarFile, archive: Path) -> None:
    """Only plain files and folders under relative paths: a backup never holds links, devices or `..`."""
    for member in tar.getmembers():
        parts = PurePosixPath(member.name).parts
        if member.name.startswith("/") or ".." in parts or not (member.isfile() or member.isdir()):
            raise BackupError(
                f"Tệp {archive.name} chứa đường dẫn không an toàn ({member.name!r}); không khôi phục từ tệp này."
            )


@contextmanager
def _unpacked(archive: Path, work_parent: Path) -> Iterator[Path]:
    if not archive.is_file():
        raise BackupError(f"Không tìm thấy tệp sao lưu {archive}.")
    work_parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=work_parent, prefix=".restore-") as work:
        os.chmod(work, 0o700)
        try:
            with tarfile.open(archive, "r:*") as tar:
                _check_members(tar, archive)
                if hasattr(tarfile, "data_filter"):
                    tar.extractall(work, filter="data")
                else:  # Python before 3.11.4 (the members were checked above)
                    tar.extractall(work)  # noqa: S202
        except tarfile.FilterError as exc:
            raise BackupError(
                f"Tệp {archive.name} chứa đường dẫn không an toàn ({exc}); không khôi phục từ tệp này."
            ) from exc
        except (tarfile.TarError, EOFError, OSError) as exc:
            raise BackupError(
                f"Không đọc được tệp {archive.name}: đây không phải bản sao lưu của giamngheo hoặc tệp đã hỏng "
                f"({str(exc).splitlines()[0] if str(exc) else type(exc).__name__})."
            ) from exc
        yield Path(work)


def _read_manifest(folder: Path, archive: Path) -> dict[str, Any]:
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise BackupError(
            f"Tệp {archive.name} không có {MANIFEST}: đây không phải bản sao lưu của giamngheo."
        ) from exc
    except (ValueError, UnicodeDecodeError) as exc:
        raise BackupError(f"{MANIFEST} trong tệp {archive.name} bị hỏng ({exc}).") from exc
    if not isinstance(manifest, dict) or manifest.get("app") != "giamngheo":
        raise BackupError(f"Tệp {archive.name} không phải bản sao lưu của giamngheo.")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(
            f"Bản sao lưu có định dạng phiên bản {manifest.get('format_version')!r}, phiên bản giamngheo này chỉ "
            f"đọc được định dạng {FORMAT_VERSION}."
        )
    if not isinstance(manifest.get("tables"), dict) or not isinstance(manifest.get("migrations"), list):
        raise BackupError(f"{MANIFEST} trong tệp {archive.name} thiếu danh sách bảng hoặc migration.")
    return manifest


def _migration_gaps(manifest: dict[str, Any]) -> tuple[list[str], list[str]]:
    """(migrations in the archive this code does not know, migrations of this code the archive lacks)."""
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    applied = {(app, name) for app, name in manifest["migrations"]}
    unknown = sorted(f"{app}.{name}" for app, name in applied - known)
    missing = sorted(f"{app}.{name}" for app, name in known - applied)
    return unknown, missing


def _database_contents(connection: BaseDatabaseWrapper) -> tuple[list[str], int]:
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        rows = sum(_count_rows(cursor, tables, connection.ops.quote_name).values())
    return tables, rows


def _restore_postgresql(connection: BaseDatabaseWrapper, dump: Path, tables: list[str]) -> None:
    pg_restore = _program("pg_restore")
    env = _pg_environment(connection)
    _run([pg_restore, "--list", str(dump)], env, "Đọc bản sao PostgreSQL (pg_restore --list)")
    if tables:  # --force: what the archive does not know must not survive beside it
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            for table in tables:
                cursor.execute(f"DROP TABLE IF EXISTS {connection.ops.quote_name(table)} CASCADE")
    connection.close()
    command = [
        pg_restore, "--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction",
        "--exit-on-error", f"--dbname={connection.settings_dict['NAME']}", str(dump),
    ]  # fmt: skip
    _run(command, env, "pg_restore")


def _restore_sqlite(connection: BaseDatabaseWrapper, copy: Path) -> None:
    with closing(sqlite3.connect(f"file:{copy}?mode=ro", uri=True)) as source:
        try:
            verdict = source.execute("PRAGMA quick_check").fetchone()[0]
        except sqlite3.DatabaseError as exc:
            verdict = str(exc)
        if verdict != "ok":
            raise BackupError(f"Tệp cơ sở dữ liệu SQLite trong bản sao lưu bị hỏng: {verdict}.")
        connection.ensure_connection()
        # One transaction on the live database, WAL-aware: all of the copy or nothing.
        source.backup(connection.connection)


def _media_has_files(media_root: Path) -> bool:
    return media_root.is_dir() and any(p.is_file() for p in media_root.rglob("*"))


def _restore_media(unpacked: Path, media_root: Path) -> int:
    """Put the archive's media folder in place of MEDIA_ROOT (renames within one file system)."""
    restored = unpacked / MEDIA
    if not restored.is_dir():
        restored.mkdir()
    count = sum(1 for p in restored.rglob("*") if p.is_file())
    if media_root.exists():
        os.replace(media_root, unpacked / "media.replaced")
    os.replace(restored, media_root)
    return count


def restore_backup(archive: Path, *, force: bool = False, using: str = "default") -> RestoreResult:
    connection = connections[using]
    vendor = _vendor(connection)
    media_root = Path(settings.MEDIA_ROOT)
    with _unpacked(archive.expanduser().resolve(), media_root.parent) as unpacked:
        manifest = _read_manifest(unpacked, archive)
        source_vendor = manifest.get("database_vendor")
        if source_vendor != vendor:
            raise BackupError(
                f"Bản sao lưu lấy từ cơ sở dữ liệu {source_vendor}, còn cơ sở dữ liệu đang cấu hình "
                f"(DATABASE_URL) là {vendor}: chỉ khôi phục được vào cùng loại cơ sở dữ liệu."
            )
        database = unpacked / DATABASE_FILES[vendor]
        if not database.is_file():
            raise BackupError(f"Bản sao lưu thiếu tệp cơ sở dữ liệu {database.name}.")
        unknown, missing = _migration_gaps(manifest)
        if unknown and not force:
            raise BackupError(
                f"Bản sao lưu do giamngheo {manifest.get('app_version')} tạo, có {len(unknown)} migration mà mã "
                f"nguồn này chưa có (ví dụ {unknown[0]}): hãy cập nhật giamngheo trước khi khôi phục, hoặc "
                f"dùng --force nếu chắc chắn."
            )
        tables, rows = _database_contents(connection)
        if not force and tables:
            raise BackupError(
                f"Cơ sở dữ liệu đích đã có {len(tables)} bảng và {rows} dòng dữ liệu. Khôi phục sẽ xoá toàn bộ "
                f"dữ liệu này; dùng --force nếu đúng là muốn ghi đè."
            )
        if not force and _media_has_files(media_root):
            raise BackupError(
                f"Thư mục tệp tải lên {media_root} đã có tệp. Khôi phục sẽ thay thế thư mục này; dùng --force "
                f"nếu đúng là muốn ghi đè."
            )
        if vendor == "postgresql":
            _restore_postgresql(connection, database, tables)
        else:
            _restore_sqlite(connection, database)
        media_files = _restore_media(unpacked, media_root)

    expected: dict[str, int] = manifest["tables"]
    with connection.cursor() as cursor:
        present = set(connection.introspection.table_names(cursor))
        counts = _count_rows(cursor, [t for t in expected if t in present], connection.ops.quote_name)
    wrong = [
        f"{table}: {counts.get(table, 'không có bảng')} thay vì {rows_expected}"
        for table, rows_expected in sorted(expected.items())
        if counts.get(table) != rows_expected
    ]
    if wrong:
        raise BackupError("Đã khôi phục nhưng số dòng không khớp với bản sao lưu: " + "; ".join(wrong[:10]))
    notes = []
    if missing:
        notes.append(
            f"Mã nguồn này có {len(missing)} migration mới hơn bản sao lưu: chạy `giamngheo migrate` để cập nhật."
        )
    if unknown:
        notes.append(
            f"Bản sao lưu có {len(unknown)} migration mà mã nguồn này chưa có: hãy cập nhật giamngheo."
        )
    return RestoreResult(
        manifest=manifest,
        tables=len(expected),
        rows=sum(counts.values()),
        media_files=media_files,
        notes=notes,
    )
