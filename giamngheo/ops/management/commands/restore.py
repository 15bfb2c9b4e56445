"""`giamngheo restore FILE [--force]`: put back the database and the uploaded files from a `giamngheo backup`.

Stop the web server and the worker first. Without `--force` a database that already has tables, or a media
folder that already has files, is left alone with a message; the archive must come from the same database vendor.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from giamngheo.ops.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = "Khôi phục cơ sở dữ liệu và các tệp tải lên từ một bản sao lưu / restore a backup."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path, help="Tệp do `giamngheo backup` tạo")
        parser.add_argument(
            "--force", action="store_true", help="Ghi đè cơ sở dữ liệu và thư mục tệp tải lên đang có dữ liệu"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = restore_backup(options["archive"], force=options["force"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Đã khôi phục {result.tables} bảng ({result.rows} dòng) và {result.media_files} tệp tải lên từ bản sao "
            f"lưu ngày {result.manifest.get('created_at')} (giamngheo {result.manifest.get('app_version')})."
        )
        for note in result.notes:
            self.stderr.write(note)
