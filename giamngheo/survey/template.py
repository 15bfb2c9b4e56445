"""A blank survey workbook for one poverty standard (survey-format.md, "Input"), for commune staff to fill in.

- Sheet `ho`: only the header row — ma_ho, ma_xa, khu_vuc, thu_nhap_binh_quan, ho_nong_lam_ngu_diem_nghiep, then one
  column per indicator the standard counts, in the catalogue's order (the order of survey-format.md) — frozen,
  with a comment on each header and data validation on the cells below it. Comments and validation are not
  cells, so the reader finds the header and no rows, and a filled copy reads back with exactly the rows typed in;
  no example or note row has to be deleted first.
- Sheet `huong_dan`: every column with its meaning and accepted values; for each indicator its Vietnamese name
  and the standard's own description of the deprivation.
- Sheet `chuan_ngheo`: the standard's id, name, instrument, validity, rule and income lines per area type.

Validation: khu_vuc offers the standard's own words for the two area types, the flag columns 1/0/x/có/không, both
as a list that only *warns* on another value, because the reader accepts more spellings than a list can show
(`co`, `true`, `khu vực đô thị`...); the income must be a whole number ≥ 0 (Excel refuses anything else).
ma_ho and ma_xa are formatted as text, so that Excel keeps a commune code's leading zeros.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from giamngheo.engine.facts import AreaType
from giamngheo.engine.standard import Standard
from giamngheo.survey import columns as col
from giamngheo.survey.errors import CellError, SurveyFileError
from giamngheo.survey.table import PREFERRED_SHEET
from giamngheo.survey.values import AREA_SPELLINGS_SHOWN, parse_area_type
from giamngheo.survey.writer import atomic_write

ROWS_SHEET = PREFERRED_SHEET  # the sheet the reader takes whatever the order of the sheets
GUIDE_SHEET = "huong_dan"
STANDARD_SHEET = "chuan_ngheo"
TEMPLATE_SUFFIX = ".xlsx"
CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FLAG_VALUES = ("1", "0", "x", "có", "không")
LAST_ROW = 1_048_575  # Excel's last row (0-based): validation covers the whole column below the header
# Excel's limit on a validation's prompt and error message, in UTF-16 code units.
_MESSAGE_LIMIT = 255

_FLAG_RULE = "Có: 1, x, có hoặc true; không: 0, không, false hoặc để trống"
_WORKBOOK_OPTIONS = {"strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False}


def template_columns(standard: Standard) -> tuple[str, ...]:
    """The header row of `ho`: the base columns, then the counted indicators in the catalogue's order."""
    counted = set(standard.indicator_codes)
    return col.BASE_COLUMNS + tuple(code for code in standard.catalogue if code in counted)


def template_filename(standard: Standard) -> str:
    return f"mau-bang-tinh-{standard.id}.xlsx"


def write_template(path: Path, standard: Standard) -> None:
    """Write the template for `standard` to `path` (.xlsx), atomically; `SurveyFileError` when it cannot."""
    if path.suffix.lower() != TEMPLATE_SUFFIX:
        raise SurveyFileError(f"tệp mẫu '{path.name}' phải có đuôi .xlsx")
    if not path.parent.is_dir():
        raise SurveyFileError(f"không có thư mục '{path.parent}' để ghi tệp mẫu")
    if path.is_dir():
        raise SurveyFileError(f"'{path}' là thư mục, không ghi tệp mẫu vào đó được")
    atomic_write(path, template_bytes(standard), label="tệp mẫu")


def template_bytes(standard: Standard) -> bytes:
    buffer = io.BytesIO()
    workbook = Workbook(buffer, {"in_memory": True, **_WORKBOOK_OPTIONS})
    workbook.set_properties(
        {
            "title": f"Bảng tính khảo sát hộ — chuẩn {standard.id}",
            "subject": f"{standard.name_vi} ({standard.instrument})",
            "comments": "Mẫu trao đổi của giamngheo (survey-format.md)",
        }
    )
    formats = _Formats(workbook)
    _write_rows_sheet(workbook.add_worksheet(ROWS_SHEET), standard, formats)
    _write_guide(workbook.add_worksheet(GUIDE_SHEET), standard, formats)
    _write_standard(workbook.add_worksheet(STANDARD_SHEET), standard, formats)
    workbook.close()
    return buffer.getvalue()


class _Formats:
    def __init__(self, workbook: Workbook) -> None:
        self.header = workbook.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
        self.title = workbook.add_format({"bold": True, "font_size": 14})
        self.bold = workbook.add_format({"bold": True})
        self.text = workbook.add_format({"num_format": "@"})
        self.money = workbook.add_format({"num_format": "#,##0"})
        self.wrap = workbook.add_format({"text_wrap": True, "valign": "top"})


# --- sheet `ho` -------------------------------------------------------------------------------------------------


def _area_values(standard: Standard) -> tuple[str, str]:
    """The standard's own words for the rural and the urban area (NĐ 351/2025: "đô thị"), or the column's codes
    for a label the reader would not take back."""
    return _area_value(standard, AreaType.RURAL), _area_value(standard, AreaType.URBAN)


def _area_value(standard: Standard, area: AreaType) -> str:
    label = standard.area_label(area)
    try:
        return label if parse_area_type(label, col.AREA_TYPE) == area else area.value
    except CellError:
        return area.value


def _notes(standard: Standard) -> dict[str, str]:
    """A short note per column: the header's comment and the prompt Excel shows on the cells below it."""
    rural, urban = _area_values(standard)
    notes = {
        col.HOUSEHOLD_CODE: "Mã hộ gia đình; bắt buộc, không trùng trong tệp.",
        col.COMMUNE_CODE: "Mã xã gồm 5 chữ số, giữ số 0 ở đầu (ví dụ 01234); có thể để trống.",
        col.AREA_TYPE: f"Khu vực: {rural} hoặc {urban}; bắt buộc.",
        col.INCOME: "Thu nhập bình quân đầu người một tháng, số đồng nguyên từ 0 trở lên (ví dụ 1500000); "
        "bắt buộc.",
        col.AGRI: f"Hộ làm nông, lâm, ngư, diêm nghiệp? {_FLAG_RULE}.",
    }
    for code in template_columns(standard)[len(col.BASE_COLUMNS) :]:
        name = standard.catalogue[code].name_vi
        notes[code] = _shorten(f"{name}: thiếu hụt nếu {_describe(standard, code)}. {_FLAG_RULE}.")
    return notes


def _write_rows_sheet(sheet: Worksheet, standard: Standard, formats: _Formats) -> None:
    headers = template_columns(standard)
    notes = _notes(standard)
    sheet.activate()
    for column, header in enumerate(headers):
        sheet.write_string(0, column, header, formats.header)
        sheet.write_comment(0, column, notes[header], {"x_scale": 2, "y_scale": 1.5})
        text = header in (col.HOUSEHOLD_CODE, col.COMMUNE_CODE)
        sheet.set_column(column, column, max(12, len(header) + 2), formats.text if text else None)
    sheet.freeze_panes(1, 0)
    rural, urban = _area_values(standard)
    area = headers.index(col.AREA_TYPE)
    _validate(
        sheet,
        area,
        area,
        {
            "validate": "list",
            "source": [rural, urban],
            "input_title": "Khu vực",
            "input_message": notes[col.AREA_TYPE],
            "error_type": "warning",
            "error_title": "Khu vực chưa đúng",
            "error_message": _shorten(
                "Khu vực ghi một trong: "
                + ", ".join(AREA_SPELLINGS_SHOWN[AreaType.RURAL] + AREA_SPELLINGS_SHOWN[AreaType.URBAN])
                + "."
            ),
        },
    )
    income = headers.index(col.INCOME)
    sheet.set_column(income, income, len(col.INCOME) + 2, formats.money)
    _validate(
        sheet,
        income,
        income,
        {
            "validate": "integer",
            "criteria": ">=",
            "value": 0,
            "input_title": "Thu nhập bình quân",
            "input_message": notes[col.INCOME],
            "error_type": "stop",
            "error_title": "Thu nhập chưa đúng",
            "error_message": "Thu nhập phải là số đồng nguyên từ 0 trở lên, ví dụ 1500000.",
        },
    )
    first_flag = headers.index(col.AGRI)
    for column in range(first_flag, len(headers)):
        _validate(
            sheet,
            column,
            column,
            {
                "validate": "list",
                "source": list(FLAG_VALUES),
                "input_title": "Có / không",
                "input_message": notes[headers[column]],
                "error_type": "warning",
                "error_title": "Giá trị có/không chưa đúng",
                "error_message": f"{_FLAG_RULE}.",
            },
        )


def _validate(sheet: Worksheet, first_col: int, last_col: int, options: dict[str, Any]) -> None:
    # XlsxWriter only warns and skips a validation whose text is too long; the template must not lose one silently.
    if sheet.data_validation(1, first_col, LAST_ROW, last_col, options) != 0:
        raise ValueError(f"data validation refused by XlsxWriter: {options}")


def _shorten(text: str, limit: int = _MESSAGE_LIMIT) -> str:
    return text if len(text.encode("utf-16-le")) // 2 <= limit else text[: limit - 1].rstrip() + "…"


def _describe(standard: Standard, code: str) -> str:
    rule = next(rule for rule in standard.indicators if rule.code == code)
    return rule.describe_vi or standard.catalogue[code].name_vi.lower()


# --- sheet `huong_dan` ------------------------------------------------------------------------------------------


def _urban_heading(standard: Standard) -> str:
    label = standard.area_label(AreaType.URBAN)
    return "thành thị" if label == "thành thị" else f"thành thị ({label})"


def _guide_rows(standard: Standard) -> list[tuple[str, str, str, str, str]]:
    """(column, name, meaning, accepted values, required) for every column of `ho`."""
    rural, urban = (", ".join(AREA_SPELLINGS_SHOWN[kind]) for kind in (AreaType.RURAL, AreaType.URBAN))
    flag_values = "có: 1, x, có, co, true; không: 0, để trống, không, khong, false"
    rows = [
        (col.HOUSEHOLD_CODE, "Mã hộ", "Mã hộ gia đình, không trùng nhau trong tệp.", "chữ hoặc số", "có"),
        (
            col.COMMUNE_CODE,
            "Mã xã",
            "Mã đơn vị hành chính cấp xã; dùng để tổng hợp kết quả theo xã.",
            "5 chữ số, giữ số 0 ở đầu (ví dụ 01234)",
            "không",
        ),
        (
            col.AREA_TYPE,
            "Khu vực",
            "Khu vực nơi hộ sinh sống; quyết định chuẩn thu nhập áp dụng (xem trang chuan_ngheo).",
            f"nông thôn: {rural}; {_urban_heading(standard)}: {urban}; "
            "không phân biệt chữ hoa, chữ thường, có dấu hay không dấu",
            "có",
        ),
        (
            col.INCOME,
            "Thu nhập bình quân",
            "Thu nhập bình quân đầu người một tháng của hộ, tính bằng đồng.",
            "số đồng nguyên từ 0 trở lên: 1500000, 1.500.000, 1,500,000 hoặc 1 500 000",
            "có",
        ),
        (
            col.AGRI,
            "Hộ làm nông, lâm, ngư, diêm nghiệp",
            "Hộ làm nông nghiệp, lâm nghiệp, ngư nghiệp hoặc diêm nghiệp; chỉ hộ này mới được xác định là hộ "
            "có mức sống trung bình.",
            flag_values,
            "không (để trống là không)",
        ),
    ]
    for code in template_columns(standard)[len(col.BASE_COLUMNS) :]:
        rows.append(
            (
                code,
                standard.catalogue[code].name_vi,
                f"Hộ thiếu hụt nếu {_describe(standard, code)}.",
                flag_values,
                "có cột (ô để trống là không thiếu hụt)",
            )
        )
    return rows


def _write_guide(sheet: Worksheet, standard: Standard, formats: _Formats) -> None:
    sheet.write_string(0, 0, f"Hướng dẫn điền bảng tính khảo sát hộ — chuẩn {standard.id}", formats.title)
    intro = [
        f"{standard.name_vi} ({standard.instrument}).",
        "Điền mỗi hộ một dòng ở trang ho, từ dòng 2. Không đổi tên hay xoá các cột có sẵn; có thể thêm cột khác "
        "(ví dụ họ tên chủ hộ, thôn): các cột đó được giữ nguyên trong tệp kết quả.",
        "Gửi tệp đã điền ở trang «Phân loại hộ từ tệp khảo sát» (Công việc nền) hoặc dùng lệnh giamngheo classify. "
        "Tệp kết quả giữ nguyên mọi dòng và thêm các cột phan_loai, so_thieu_hut, chi_so_thieu_hut, chuan_ngheo "
        "và loi (lý do khi một dòng chưa phân loại được).",
        f"{_rule_text(standard)} Các chuẩn thu nhập ở trang chuan_ngheo.",
    ]
    for row, line in enumerate(intro, start=1):
        sheet.write_string(row, 0, line)
    header_row = len(intro) + 2
    headers = ("Cột", "Tên", "Ý nghĩa", "Giá trị hợp lệ", "Bắt buộc")
    for column, header in enumerate(headers):
        sheet.write_string(header_row, column, header, formats.header)
    for row, values in enumerate(_guide_rows(standard), start=header_row + 1):
        for column, value in enumerate(values):
            sheet.write_string(row, column, value, formats.wrap)
    for column, width in enumerate((30, 34, 70, 50, 24)):
        sheet.set_column(column, column, width)


# --- sheet `chuan_ngheo` ----------------------------------------------------------------------------------------


def _rule_text(standard: Standard) -> str:
    deprived = f"thiếu hụt từ {standard.cutoff} chỉ số trở lên"
    if standard.rule == "two_tier":
        return (
            "Thu nhập không quá chuẩn mức thấp: hộ nghèo. Trên chuẩn mức thấp đến chuẩn mức cao: hộ nghèo nếu "
            f"{deprived}, nếu không là hộ cận nghèo."
        )
    return f"Thu nhập không quá chuẩn nghèo: hộ nghèo nếu {deprived}, nếu không là hộ cận nghèo."


def _middle_text(standard: Standard) -> str:
    if all(lines.middle_line is None for lines in standard.income.values()):
        return "Chuẩn này chưa có mức sống trung bình, nên chưa xác định hộ có mức sống trung bình."
    return "Hộ làm nông, lâm, ngư, diêm nghiệp có thu nhập trên chuẩn nghèo và không quá mức sống trung bình."


def _write_standard(sheet: Worksheet, standard: Standard, formats: _Formats) -> None:
    sheet.write_string(0, 0, "Chuẩn nghèo", formats.title)
    facts = [
        ("Mã chuẩn", standard.id),
        ("Tên", standard.name_vi),
        ("Văn bản", standard.instrument),
        ("Hiệu lực", f"từ {standard.valid_from:%d/%m/%Y} đến {standard.valid_to:%d/%m/%Y}"),
        ("Cách xác định", _rule_text(standard)),
        ("Hộ có mức sống trung bình", _middle_text(standard)),
        ("Số chỉ số thiếu hụt được tính", str(len(standard.indicators))),
    ]
    for row, (label, value) in enumerate(facts, start=1):
        sheet.write_string(row, 0, label, formats.bold)
        sheet.write_string(row, 1, value)
    header_row = len(facts) + 2
    two_tier = standard.rule == "two_tier"
    headers: Sequence[str] = (
        "Khu vực",
        "Mã khu vực (cột khu_vuc)",
        *(("Chuẩn mức thấp (đồng/người/tháng)",) if two_tier else ()),
        "Chuẩn mức cao (đồng/người/tháng)" if two_tier else "Chuẩn nghèo (đồng/người/tháng)",
        "Mức sống trung bình (đồng/người/tháng)",
    )
    for column, header in enumerate(headers):
        sheet.write_string(header_row, column, header, formats.header)
    for row, area in enumerate(AreaType, start=header_row + 1):
        lines = standard.income[area]
        values: list[int | str | None] = [
            standard.area_label(area),
            area.value,
            *((lines.lower_line,) if two_tier else ()),
            lines.poverty_line,
            lines.middle_line,
        ]
        for column, cell in enumerate(values):
            if isinstance(cell, int):
                sheet.write_number(row, column, cell, formats.money)
            else:
                sheet.write_string(row, column, cell if cell is not None else "chưa có")
    note_row = header_row + len(AreaType) + 2
    sheet.write_string(note_row, 0, "Các mức đều tính cả giá trị bằng mức (không quá).")
    sheet.set_column(0, 0, 30)
    sheet.set_column(1, len(headers) - 1, 26)
