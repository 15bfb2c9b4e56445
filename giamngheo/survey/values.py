"""Cell values of the survey exchange format (survey-format.md) turned into domain values.

A cell is what the spreadsheet gave: text from a CSV file; text, a number, a boolean or a date from Excel (Excel
numbers arrive as floats). Each parser returns the value or raises `CellError` with a Vietnamese message naming
the column and the value as the spreadsheet shows it.

Decisions beyond the format's text:
- Income: a whole number written plainly (1500000), grouped in threes by one separator (1.500.000, 1,500,000,
  1 500 000 with a normal, non-breaking or thin space) or an Excel number. A decimal part of one or two zeros
  after the other separator (1500000.0, 1.500.000,00) is accepted; any other decimal part is an error. 1.5, 1,5
  and 1,500.000 may be decimals or mistyped thousands groups, so they are refused with a hint, never guessed:
  a wrong guess would move a household across the poverty line.
- Commune code: 1 to 5 ASCII digits, as text or as an Excel number; fewer than 5 digits are padded with leading
  zeros (1234 → "01234"), because a spreadsheet that treated the column as numbers has dropped them. Anything
  else is an error.
- Area type: nong_thon / thanh_thi and the decrees' own words — "nông thôn", "thành thị" (NĐ 07/2021), "đô thị",
  each with or without "khu vực" in front (NĐ 351/2025 writes "khu vực đô thị", "khu vực nông thôn") — compared
  after folding like a column name (`slug_key`) with the word separators dropped: "NONG THON", "Khu vực: đô thị"
  and "nongthon" are accepted. Anything else is an error that lists the accepted spellings.
- Flags: exactly the spellings of the format (1, x, có, co, true / 0, blank, không, khong, false), compared after
  NFC normalisation, trimming and lower-casing; Excel booleans and the Excel numbers 1 and 0 too.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from giamngheo.engine.facts import AreaType
from giamngheo.lib.text import slug_key
from giamngheo.survey.cells import Cell, cell_text, is_blank
from giamngheo.survey.errors import CellError

# Far above any real income per person per month, and far below the 64-bit integers the engine computes with.
MAX_INCOME = 10**12

_YES = frozenset({"1", "x", "có", "co", "true"})
_NO = frozenset({"0", "", "không", "khong", "false"})
# Area types by their spelling with diacritics, case, spaces and punctuation removed. NĐ 07/2021 writes "thành thị"
# and "nông thôn", NĐ 351/2025 "khu vực đô thị" and "khu vực nông thôn"; the optional "khu vực" prefix is dropped
# before the lookup.
_AREA_SPELLINGS: dict[str, AreaType] = {
    "nongthon": AreaType.RURAL,
    "thanhthi": AreaType.URBAN,
    "dothi": AreaType.URBAN,
}
_AREA_PREFIX = "khuvuc"
# The spellings messages and the template list (every other accepted spelling folds to one of these).
AREA_SPELLINGS_SHOWN: dict[AreaType, tuple[str, ...]] = {
    AreaType.RURAL: ("nong_thon", "nông thôn", "khu vực nông thôn"),
    AreaType.URBAN: ("thanh_thi", "thành thị", "khu vực thành thị", "đô thị", "khu vực đô thị"),
}

_PLAIN = re.compile(r"[0-9]+")
_GROUPED = {sep: re.compile(r"[0-9]{1,3}(?:" + re.escape(sep) + r"[0-9]{3})+") for sep in (".", ",", " ")}
_ODD_SPACES = re.compile(r"[\u00a0\u2007\u2009\u202f]")
_COMMUNE = re.compile(r"[0-9]{1,5}")
_MINUS = ("-", "\u2212")


def _shown(cell: Cell) -> str:
    return cell_text(cell).strip()


def parse_household_code(cell: Cell, column: str) -> str:
    code = unicodedata.normalize("NFC", cell_text(cell)).strip()
    if not code:
        raise CellError(f"cột {column}: thiếu mã hộ")
    return code


def parse_commune_code(cell: Cell, column: str) -> str | None:
    """A 5-digit commune code, or None when the cell is blank (the column is optional)."""
    if is_blank(cell):
        return None
    digits = ""
    if isinstance(cell, str):
        digits = cell.strip()
    elif isinstance(cell, int | float) and not isinstance(cell, bool) and float(cell).is_integer():
        digits = str(int(cell))
    if not _COMMUNE.fullmatch(digits):
        raise CellError(f"cột {column}: giá trị '{_shown(cell)}' không phải mã xã gồm 5 chữ số")
    return digits.zfill(5)


def parse_area_type(cell: Cell, column: str) -> AreaType:
    if is_blank(cell):
        raise CellError(f"cột {column}: thiếu giá trị (nong_thon hoặc thanh_thi)")
    area = _area_spelling(cell) if isinstance(cell, str) else None
    if area is None:
        rural, urban = (", ".join(AREA_SPELLINGS_SHOWN[kind]) for kind in (AreaType.RURAL, AreaType.URBAN))
        raise CellError(
            f"cột {column}: giá trị '{_shown(cell)}' không phải nong_thon hoặc thanh_thi "
            f"(nông thôn: {rural}; thành thị: {urban})"
        )
    return area


@lru_cache(maxsize=256)
def _area_spelling(text: str) -> AreaType | None:
    key = slug_key(text).replace("_", "")
    return _AREA_SPELLINGS.get(key.removeprefix(_AREA_PREFIX))


@lru_cache(maxsize=256)
def _flag_spelling(text: str) -> bool | None:
    spelling = unicodedata.normalize("NFC", text).strip().lower()
    return True if spelling in _YES else False if spelling in _NO else None


def parse_flag(cell: Cell, column: str) -> bool:
    if isinstance(cell, str):
        flag = _flag_spelling(cell)
        if flag is not None:
            return flag
    elif cell is None:
        return False
    elif isinstance(cell, bool):
        return cell
    elif isinstance(cell, int | float) and cell in (0, 1):
        return cell == 1
    raise CellError(
        f"cột {column}: giá trị '{_shown(cell)}' không hợp lệ "
        "(có: 1, x, có, true; không: 0, để trống, không, false)"
    )


def parse_income(cell: Cell, column: str) -> int:
    """Income per person per month as whole đồng."""
    if is_blank(cell):
        raise CellError(f"cột {column}: thiếu giá trị")
    shown = _shown(cell)
    not_whole = f"cột {column}: giá trị '{shown}' không phải số nguyên đồng"
    if isinstance(cell, bool) or not isinstance(cell, str | int | float):
        raise CellError(not_whole)
    if isinstance(cell, str):
        value = _whole_number_text(cell, not_whole)
    elif isinstance(cell, float) and not cell.is_integer():
        raise CellError(f"{not_whole} (có phần lẻ)")
    else:
        value = int(cell)
    if value < 0:
        raise CellError(f"cột {column}: giá trị '{shown}' là số âm; thu nhập phải từ 0 đồng trở lên")
    if value > MAX_INCOME:
        raise CellError(f"cột {column}: giá trị '{shown}' quá lớn")
    return value


def _whole_number_text(raw: str, not_whole: str) -> int:
    text = _ODD_SPACES.sub(" ", unicodedata.normalize("NFC", raw)).strip()
    sign = 1
    if text.startswith(_MINUS):
        sign, text = -1, text[1:].lstrip()
    whole = _integer_part(text, exclude="")
    if whole is not None:
        return sign * whole
    for decimal_sep in (".", ","):
        head, found, fraction = text.rpartition(decimal_sep)
        if not found or not _PLAIN.fullmatch(fraction):
            continue
        whole = _integer_part(head, exclude=decimal_sep)
        if whole is None:
            continue
        if len(fraction) <= 2 and set(fraction) == {"0"}:
            return sign * whole
        if _PLAIN.fullmatch(head) or len(fraction) >= 3:
            raise CellError(
                f"{not_whole} (không rõ '{decimal_sep}' là dấu thập phân hay dấu tách hàng nghìn; "
                "hãy ghi đủ số đồng, ví dụ 1500000 hoặc 1.500.000)"
            )
        raise CellError(f"{not_whole} (có phần lẻ)")
    raise CellError(not_whole)


def _integer_part(text: str, *, exclude: str) -> int | None:
    """Plain digits or digits grouped in threes by one separator (other than `exclude`)."""
    if _PLAIN.fullmatch(text):
        return int(text)
    for sep, pattern in _GROUPED.items():
        if sep != exclude and pattern.fullmatch(text):
            return int(text.replace(sep, ""))
    return None
