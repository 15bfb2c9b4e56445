"""The household list as an Excel workbook, written row by row.

XlsxWriter's constant-memory mode flushes each row to disk as it is written, so the memory used does not grow with
the number of households. Every value is written explicitly as a string or a number (`write_string`,
`write_number`), never through `write`, which would turn a text starting with "=" into a live formula, and every
text goes through `giamngheo.lib.spreadsheet_safety.neutralise`: a name or an address typed as `=HYPERLINK(...)`
is written `'=HYPERLINK(...)` and stays plain text even after a user edits the cell (OWASP's CSV-injection rule).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import IO, Any

import xlsxwriter
from django.utils import timezone
from django.utils.translation import gettext as _

from giamngheo.lib.spreadsheet_safety import neutralise
from giamngheo.registry.models import Household
from giamngheo.reviews.models import PovertyClass
from giamngheo.reviews.stats import area_label

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _columns() -> list[tuple[str, int]]:
    return [
        (_("STT"), 6),
        (_("Mã hộ"), 16),
        (_("Chủ hộ"), 28),
        (_("Thôn"), 20),
        (_("Xã (hiện nay)"), 34),
        (_("Khu vực"), 12),
        (_("Tình trạng"), 14),
        (_("Phân loại gần nhất"), 30),
        (_("Năm rà soát"), 12),
        (_("Số chỉ số thiếu hụt"), 14),
    ]


def write_household_list(
    target: IO[bytes], households: Iterable[Household], *, summary: Sequence[str]
) -> int:
    """Write the list to `target` (a binary file); returns the number of households written."""
    workbook = xlsxwriter.Workbook(
        target,
        {
            "constant_memory": True,
            "in_memory": False,
            "strings_to_numbers": False,
            "strings_to_formulas": False,
            "strings_to_urls": False,
        },
    )
    sheet = workbook.add_worksheet(_("Danh sách hộ"))
    bold = workbook.add_format({"bold": True})
    sheet.write_string(0, 0, _("Danh sách hộ gia đình"), bold)
    sheet.write_string(
        1,
        0,
        neutralise(
            _("Lọc: %(filters)s") % {"filters": "; ".join(summary) if summary else _("tất cả các hộ")}
        ),
    )
    sheet.write_string(
        2, 0, _("Xuất lúc %(time)s") % {"time": timezone.localtime().strftime("%d/%m/%Y %H:%M")}
    )
    header = 4
    for column, (title, width) in enumerate(_columns()):
        sheet.set_column(column, column, width)
        sheet.write_string(header, column, title, bold)
    classes = dict(PovertyClass.choices)
    count = 0
    for count, household in enumerate(households, start=1):
        row = header + count
        values: list[Any] = [
            count,
            household.code,
            household.head.full_name if household.head is not None else "",
            household.village.name if household.village is not None else "",
            area_label(getattr(household, "commune_today", household.commune)),
            str(household.get_area_type_display()),
            str(household.get_status_display()),
            str(classes.get(getattr(household, "latest_class", None) or "", "")),
            getattr(household, "latest_year", None),
            getattr(household, "latest_deprivation_count", None),
        ]
        for column, value in enumerate(values):
            if value is None:
                continue
            if isinstance(value, int):
                sheet.write_number(row, column, value)
            else:
                sheet.write_string(row, column, neutralise(str(value)))
    sheet.freeze_panes(header + 1, 0)
    workbook.close()
    return count
