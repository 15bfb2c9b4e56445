"""`giamngheo classify INPUT -o OUTPUT [--standard ID]`: classify a survey spreadsheet (survey-format.md).
`giamngheo classify --template OUT.xlsx [--standard ID]`: write a blank workbook to fill in for that standard
(`giamngheo.survey.template`).

Exit codes: 0 every row classified (or the template written); 1 some rows carry `loi` (the output is still written,
with every row); 2 the file itself is unusable or the arguments do not fit together (message on stderr, no output
written).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from giamngheo.engine.facts import CLASS_LABELS_VI
from giamngheo.lib.formatting import format_percent_vi
from giamngheo.survey import SurveyFileError, SurveyReport, classify_file, resolve_standard
from giamngheo.survey.template import write_template

EXIT_ROW_ERRORS = 1
EXIT_UNUSABLE = 2
ERRORS_LISTED = 20


class Command(BaseCommand):
    help = (
        "Phân loại các hộ trong tệp Excel (.xlsx) hoặc CSV theo chuẩn nghèo và ghi kết quả ra tệp .xlsx "
        "hoặc .csv. Mã thoát: 0 tất cả các dòng đã phân loại; 1 có dòng lỗi (xem cột loi); 2 tệp không dùng được. "
        "Với --template TỆP.xlsx: ghi bảng tính mẫu để điền theo chuẩn nghèo."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("input", nargs="?", help=_("tệp khảo sát .xlsx hoặc .csv"))
        parser.add_argument("-o", "--output", help=_("tệp kết quả .xlsx hoặc .csv"))
        parser.add_argument(
            "--template",
            metavar="OUT.xlsx",
            help=_("ghi bảng tính mẫu (.xlsx) để điền theo chuẩn nghèo, thay vì phân loại"),
        )
        parser.add_argument(
            "--standard",
            help=_("mã chuẩn nghèo, ví dụ ND07-2021; mặc định: chuẩn có hiệu lực hôm nay"),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        self._check_arguments(options)
        try:
            standard = resolve_standard(
                options["standard"], today=timezone.localdate(), data_dir=settings.GIAMNGHEO_STANDARDS_DIR
            )
            if options["template"]:
                write_template(Path(options["template"]), standard)
                self.stdout.write(
                    _("Đã ghi bảng tính mẫu theo chuẩn %(id)s (%(instrument)s) vào %(output)s")
                    % {"id": standard.id, "instrument": standard.instrument, "output": options["template"]}
                )
                return
            report = classify_file(Path(options["input"]), Path(options["output"]), standard=standard)
        except SurveyFileError as exc:
            raise CommandError(str(exc), returncode=EXIT_UNUSABLE) from None
        self._print_summary(report)
        errors = report.error_rows
        if errors:
            for number, household_code, message in errors[:ERRORS_LISTED]:
                code = _(" (mã hộ %(code)s)") % {"code": household_code} if household_code else ""
                self.stderr.write(
                    _("dòng %(row)d%(code)s: %(message)s") % {"row": number, "code": code, "message": message}
                )
            if len(errors) > ERRORS_LISTED:
                self.stderr.write(
                    _("... và %(count)d dòng lỗi khác") % {"count": len(errors) - ERRORS_LISTED}
                )
            raise CommandError(
                _("%(count)d dòng có lỗi, chưa được phân loại; xem cột loi trong %(output)s")
                % {"count": len(errors), "output": report.output},
                returncode=EXIT_ROW_ERRORS,
            )

    def _check_arguments(self, options: dict[str, Any]) -> None:
        if options["template"]:
            if options["input"] or options["output"]:
                raise CommandError(
                    _("--template chỉ ghi bảng tính mẫu; không dùng cùng tệp khảo sát hay -o"),
                    returncode=EXIT_UNUSABLE,
                )
        elif not options["input"] or not options["output"]:
            raise CommandError(
                _("cần tệp khảo sát và -o TỆP_KẾT_QUẢ (hoặc --template TỆP_MẪU.xlsx để ghi bảng tính mẫu)"),
                returncode=EXIT_UNUSABLE,
            )

    def _print_summary(self, report: SurveyReport) -> None:
        standard, overall = report.standard, report.summary.overall
        self.stdout.write(
            _("Chuẩn nghèo: %(id)s — %(name)s (%(instrument)s)")
            % {"id": standard.id, "name": standard.name_vi, "instrument": standard.instrument}
        )
        self.stdout.write(
            _("Số dòng: %(rows)d; đã phân loại: %(classified)d; dòng lỗi: %(errors)d")
            % {"rows": overall.rows, "classified": overall.classified, "errors": overall.errors}
        )
        for poverty_class, label in CLASS_LABELS_VI.items():
            self.stdout.write(
                f"  {label[0].upper()}{label[1:]}: {overall.counts[poverty_class]} "
                f"({format_percent_vi(overall.rate(poverty_class))})"
            )
        self.stdout.write(_("Đã ghi kết quả vào %(output)s") % {"output": report.output})
