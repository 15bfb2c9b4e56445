"""`giamngheo stats --area CODE --year YYYY [--json] [--current]`: poverty figures of an area for a year."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from giamngheo.areas.models import UnitLevel
from giamngheo.areas.selectors import UnitAmbiguous, UnitNotFound, resolve_unit
from giamngheo.reviews.stats import area_stats, format_vi

EXIT_UNKNOWN_AREA = 2


class Command(BaseCommand):
    help = (
        "Số liệu hộ nghèo, cận nghèo của một địa bàn theo kết quả rà soát định kỳ một năm, so với năm trước. "
        "Mã địa bàn được hiểu theo đơn vị hành chính có hiệu lực ngày 31/12 của năm đó (năm 2023: 630 là huyện "
        "Kông Chro cũ); --current: theo đơn vị hiện hành (xã mới gồm cả các xã cũ trước đó)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--area", required=True, help="Mã đơn vị hành chính (tỉnh 2 số, huyện 3 số, xã 5 số)"
        )
        parser.add_argument("--year", required=True, type=int, help="Năm rà soát định kỳ, ví dụ 2023")
        parser.add_argument("--json", action="store_true", help="In kết quả dạng JSON")
        parser.add_argument("--current", action="store_true", help="Hiểu mã theo đơn vị hành chính hiện hành")
        parser.add_argument(
            "--level", choices=UnitLevel.values, help="Cấp đơn vị khi một mã trùng ở nhiều cấp"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        year: int = options["year"]
        on = timezone.localdate() if options["current"] else date(year, 12, 31)
        try:
            unit = resolve_unit(options["area"], on=on, level=options["level"])
        except (UnitNotFound, UnitAmbiguous) as exc:
            raise CommandError(str(exc), returncode=EXIT_UNKNOWN_AREA) from exc
        stats = area_stats(unit, year=year)
        if options["json"]:
            self.stdout.write(json.dumps(stats.as_json(), ensure_ascii=False, indent=2))
        else:
            self.stdout.write(format_vi(stats))
