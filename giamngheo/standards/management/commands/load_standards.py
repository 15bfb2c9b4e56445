"""`giamngheo load-standards`: bring the database's record of the poverty standards in step with the data files."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from giamngheo.engine.standard import StandardError
from giamngheo.standards.models import PovertyStandard
from giamngheo.standards.services import sync_standards


class Command(BaseCommand):
    help = "Nạp các chuẩn nghèo từ tệp dữ liệu vào cơ sở dữ liệu (chạy lại nhiều lần cũng không sao)."

    def handle(self, *args: Any, **options: Any) -> None:
        before = dict(PovertyStandard.objects.values_list("code", "source_sha256"))
        try:
            standards = sync_standards()
        except StandardError as exc:
            raise CommandError(_("tệp chuẩn nghèo không hợp lệ: %(error)s") % {"error": exc}) from None
        for row in standards:
            if row.code not in before:
                state = _("mới nạp")
            elif before[row.code] != row.source_sha256:
                state = _("đã cập nhật")
            else:
                state = _("không đổi")
            self.stdout.write(
                f"{row.code}: {row.name} ({row.instrument}, "
                f"{row.valid_from:%d/%m/%Y}–{row.valid_to:%d/%m/%Y}) — {state}"
            )
        self.stdout.write(_("Đã đồng bộ %(count)d chuẩn nghèo.") % {"count": len(standards)})
