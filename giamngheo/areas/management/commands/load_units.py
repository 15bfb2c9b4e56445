"""`giamngheo load-units`: load the administrative units and the 2025 succession table."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from giamngheo.areas.loader import LoadReport, load_units
from giamngheo.areas.models import REFORM_DATE
from giamngheo.areas.source import SourceDataError
from giamngheo.lib.formatting import group_thousands as n


class Command(BaseCommand):
    help = "Nạp đơn vị hành chính trước và sau 01/07/2025 cùng bảng chuyển đổi từ gói vietnamadminunits."

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        try:
            report = load_units(stdout=self.stdout if options["verbosity"] >= 2 else None)
        except SourceDataError as exc:
            raise CommandError(str(exc)) from exc
        for line in summary_lines(report):
            self.stdout.write(line)
        for warning in report.warnings:
            self.stderr.write(_("Cảnh báo: %(warning)s") % {"warning": warning})
        self.stdout.write(
            _("Thời gian: %(seconds)s giây.")
            % {"seconds": f"{time.perf_counter() - started:.1f}".replace(".", ",")}
        )


def summary_lines(report: LoadReport) -> list[str]:
    day = f"{REFORM_DATE:%d/%m/%Y}"
    by_level = report.successions_by_level
    lines = [
        _("Nguồn: %(source)s.") % {"source": report.source},
        _("Trước %(day)s: %(provinces)s tỉnh, %(districts)s huyện, %(communes)s xã.")
        % {
            "day": day,
            "provinces": n(report.legacy_provinces),
            "districts": n(report.legacy_districts),
            "communes": n(report.legacy_communes),
        },
        _("Từ %(day)s: %(provinces)s tỉnh, %(communes)s xã.")
        % {"day": day, "provinces": n(report.new_provinces), "communes": n(report.new_communes)},
        _("Chuyển đổi: %(total)s dòng (tỉnh cũ %(p)s, huyện cũ %(d)s, xã cũ %(c)s).")
        % {
            "total": n(report.successions),
            "p": n(by_level.get("province", 0)),
            "d": n(by_level.get("district", 0)),
            "c": n(by_level.get("commune", 0)),
        },
    ]
    if report.changed:
        lines.append(
            _(
                "Đã ghi: %(uc)s đơn vị tạo mới, %(uu)s đơn vị cập nhật; "
                "%(sc)s chuyển đổi tạo mới, %(su)s cập nhật, %(sd)s xoá."
            )
            % {
                "uc": n(report.units_created),
                "uu": n(report.units_updated),
                "sc": n(report.successions_created),
                "su": n(report.successions_updated),
                "sd": n(report.successions_deleted),
            }
        )
    else:
        lines.append(_("Không có thay đổi: dữ liệu đã khớp với nguồn."))
    return lines
