"""`giamngheo evidence`: the items of the poverty standards not yet checked against an instrument's own text."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from giamngheo.standards.evidence import markdown, open_items


class Command(BaseCommand):
    help = "Liệt kê các giá trị của chuẩn nghèo chưa đối chiếu với văn bản gốc (bảng Markdown như trong README.md)."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(markdown(open_items()))
