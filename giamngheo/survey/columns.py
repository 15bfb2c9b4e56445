"""Column names of the survey exchange format and how headers are matched.

A header is matched after NFC normalisation, removing diacritics (đ → d), lower-casing and turning runs of
spaces/punctuation into `_` (`giamngheo.lib.text.slug_key`): `Mã hộ`, `MA HO` and `ma_ho` are one column.
"""

from __future__ import annotations

from giamngheo.lib.text import slug_key

HOUSEHOLD_CODE = "ma_ho"
COMMUNE_CODE = "ma_xa"
AREA_TYPE = "khu_vuc"
INCOME = "thu_nhap_binh_quan"
AGRI = "ho_nong_lam_ngu_diem_nghiep"

REQUIRED_COLUMNS = (HOUSEHOLD_CODE, AREA_TYPE, INCOME)
BASE_COLUMNS = (HOUSEHOLD_CODE, COMMUNE_CODE, AREA_TYPE, INCOME, AGRI)

# Appended to every output row, in this order.
CLASS_COLUMN = "phan_loai"
COUNT_COLUMN = "so_thieu_hut"
COUNTED_COLUMN = "chi_so_thieu_hut"
STANDARD_COLUMN = "chuan_ngheo"
ERROR_COLUMN = "loi"
RESULT_COLUMNS = (CLASS_COLUMN, COUNT_COLUMN, COUNTED_COLUMN, STANDARD_COLUMN, ERROR_COLUMN)

COUNTED_SEPARATOR = ";"


def header_key(header: str) -> str:
    """The normalised name a header is matched by."""
    return slug_key(header)


# The sheet read when a workbook has one of that name (matched like a column name); else the first sheet.
PREFERRED_SHEET = "ho"
