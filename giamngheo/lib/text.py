"""Text normalisation for matching: Unicode NFC, diacritics removed (đ → d), lower case."""

from __future__ import annotations

import re
import unicodedata

_NON_ALNUM = re.compile(r"[^0-9a-z]+")


def fold(text: str) -> str:
    """'Đinh Văn Súy' -> 'dinh van suy': for diacritic-insensitive search."""
    decomposed = unicodedata.normalize("NFD", unicodedata.normalize("NFC", text))
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    stripped = stripped.replace("đ", "d").replace("Đ", "D")
    return " ".join(stripped.lower().split())


def slug_key(text: str) -> str:
    """'Mã hộ', 'MA HO' and 'ma_ho' -> 'ma_ho' (survey-format.md column matching)."""
    return _NON_ALNUM.sub("_", fold(text)).strip("_")
