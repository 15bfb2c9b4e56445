"""`giamngheo backup [-o FILE] [--keep-days N]`: the database and the uploaded files in one archive.

Without `-o` the archive goes to `GIAMNGHEO_DATA_DIR/backups/giamngheo-YYYYMMDD-HHMMSS.tar.gz`. `--keep-days N`
then deletes this command's archives older than N days in the same folder (the nightly timer uses it); only after
the new archive is complete, so a failing backup never removes the last good one.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from giamngheo.ops.backup import BackupError, create_backup, default_archive_path, prune_archives


class Command(BaseCommand):
    help = "Sao lưu cơ sở dữ liệu và các tệp tải lên vào một tệp .tar.gz / back up the database and uploaded files."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "-o",
            "--output",
            type=Path,
            help="Tệp sao lưu (mặc định: GIAMNGHEO_DATA_DIR/backups/giamngheo-NGÀY.tar.gz)",
        )
        parser.add_argument(
            "--keep-days", type=int, default=None, metavar="N",
            help="Xoá các bản sao lưu giamngheo-*.tar.gz cũ hơn N ngày trong cùng thư mục (sau khi sao lưu xong)",
        )  # fmt: skip

    def handle(self, *args: Any, **options: Any) -> None:
        keep_days = options["keep_days"]
        if keep_days is not None and keep_days < 1:
            raise CommandError("--keep-days phải là số ngày từ 1 trở lên.")
        output: Path = options["output"] or default_archive_path()
        try:
            manifest = create_backup(output)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        output = output.expanduser().resolve()
        tables = manifest["tables"]
        self.stdout.write(
            f"Đã sao lưu {len(tables)} bảng ({sum(tables.values())} dòng) và {manifest['media_files']} tệp tải lên "
            f"vào {output}"
        )
        if keep_days is not None:
            for removed in prune_archives(output.parent, keep_days, keep=output):
                self.stdout.write(f"Đã xoá bản sao lưu cũ {removed.name}")
