"""`giamngheo report --list`; `giamngheo report NAME --area CODE --year YYYY [--month M] [--format json|xlsx] [-o FILE]`:
a statutory report of the official lists (`decisions.reports`); `giamngheo report summary --area CODE --year YYYY
--format json|html|docx|pdf [-o FILE]`: the year-end summary report (`yearend`)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from giamngheo.areas.models import UnitLevel
from giamngheo.areas.selectors import UnitAmbiguous, UnitNotFound, resolve_unit
from giamngheo.decisions.excel import write_report
from giamngheo.decisions.reports import REPORTS, build_report, last_day

SUMMARY = "summary"


class Command(BaseCommand):
    help = (
        "Báo cáo theo danh sách hộ nghèo, hộ cận nghèo đã được công nhận. --list: các báo cáo có sẵn. Mã địa bàn được "
        "hiểu theo đơn vị hành chính có hiệu lực ngày cuối kỳ báo cáo (năm 2023: 630 là huyện Kông Chro cũ); "
        "--current: theo đơn vị hiện hành."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", nargs="?", choices=[*sorted(REPORTS), SUMMARY], help="Tên báo cáo")
        parser.add_argument("--list", action="store_true", help="Liệt kê các báo cáo")
        parser.add_argument("--area", help="Mã đơn vị hành chính (tỉnh 2 số, huyện 3 số, xã 5 số)")
        parser.add_argument("--year", type=int, help="Năm báo cáo, ví dụ 2023")
        parser.add_argument(
            "--month", type=int, choices=range(1, 13), metavar="M", help="Tháng (báo cáo tháng)"
        )
        parser.add_argument(
            "--format",
            choices=("json", "xlsx", "html", "docx", "pdf"),
            default="json",
            help="Định dạng: json hoặc xlsx; báo cáo tổng kết: json, html, docx hoặc pdf",
        )
        parser.add_argument("-o", "--output", help="Ghi ra tệp thay vì màn hình")
        parser.add_argument("--current", action="store_true", help="Hiểu mã theo đơn vị hành chính hiện hành")
        parser.add_argument(
            "--level", choices=UnitLevel.values, help="Cấp đơn vị khi một mã trùng ở nhiều cấp"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["list"]:
            for name, kind in sorted(REPORTS.items()):
                self.stdout.write(f"{name}\t{kind.title}")
            self.stdout.write(f"{SUMMARY}\tBáo cáo tổng kết chương trình giảm nghèo của năm")
            return
        name, code, year, month = options["name"], options["area"], options["year"], options["month"]
        if not name or not code or not year:
            raise CommandError("Cần tên báo cáo, --area và --year (hoặc --list).")
        on = timezone.localdate() if options["current"] else last_day(year, month)
        try:
            area = resolve_unit(code, on=on, level=options["level"])
        except (UnitNotFound, UnitAmbiguous) as exc:
            raise CommandError(str(exc)) from exc
        if name == SUMMARY:
            self._summary(area, year, options["format"], options["output"])
            return
        if options["format"] not in {"json", "xlsx"}:
            raise CommandError("Báo cáo thống kê chỉ có định dạng json hoặc xlsx.")
        report = build_report(REPORTS[name], area, year, month)
        if options["format"] == "xlsx":
            if not options["output"]:
                raise CommandError("Định dạng xlsx cần tệp ghi ra (-o TỆP.xlsx).")
            with Path(options["output"]).open("wb") as target:
                write_report(target, report, today=timezone.localdate())
            return
        text = json.dumps(report.to_json(), ensure_ascii=False, indent=2)
        if options["output"]:
            Path(options["output"]).write_text(text + "\n", encoding="utf-8")
        else:
            self.stdout.write(text)

    def _summary(self, area: Any, year: int, file_format: str, output: str | None) -> None:
        from giamngheo.yearend.build import build_summary
        from giamngheo.yearend.render import summary_docx, summary_page_html, summary_pdf

        if file_format not in {"json", "html", "docx", "pdf"}:
            raise CommandError("Báo cáo tổng kết có định dạng json, html, docx hoặc pdf.")
        summary = build_summary(area, year)
        if file_format in {"docx", "pdf"}:
            if not output:
                raise CommandError(f"Định dạng {file_format} cần tệp ghi ra (-o TỆP.{file_format}).")
            Path(output).write_bytes(summary_docx(summary) if file_format == "docx" else summary_pdf(summary))
            return
        if file_format == "html":
            text = summary_page_html(summary)
        else:
            text = json.dumps(summary.to_json(), ensure_ascii=False, indent=2)
        if output:
            Path(output).write_text(text + "\n", encoding="utf-8")
        else:
            self.stdout.write(text)
