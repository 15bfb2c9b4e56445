"""Text normalisation for matching: Unicode NFC, diacritics removed (đ → d), lower case."""

from __future__ import annotations

import re
import unicodedata

_NON_ALNUM = re.compile(r"[^0-9a-z]+")
# Apostrophes in names of the Central Highlands peoples ("H'Hen", "Y’Bih", "KʼSor") are written with any of these,
# or left out: matching ignores them.
_APOSTROPHES = str.maketrans("", "", "'\u2019\u2018\u02bc\u02b9`\u00b4")


def fold(text: str) -> str:
    """'Đinh Văn Súy' -> 'dinh van suy', "H’Hen" -> 'hhen': for diacritic- and apostrophe-insensitive search."""
    decomposed = unicodedata.normalize("NFD", unicodedata.normalize("NFC", text).translate(_APOSTROPHES))
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    stripped = stripped.replace("đ", "d").replace("Đ", "D")
    return " ".join(stripped.lower().split())


def slug_key(text: str) -> str:
    """'Mã hộ', 'MA HO' and 'ma_ho' -> 'ma_ho' (survey-format.md column matching)."""
    return _NON_ALNUM.sub("_", fold(text)).strip("_")
