"""Reading numbers from query strings and form fields strictly: only plain ASCII digits are a number.

`str.isdigit()` and `int()` accept more than ASCII digits ("²" is a digit to `isdigit`, "١٢" to `int`), so a
parameter checked with them can still fail or surprise further on; these helpers accept "0"-"9" only, within a
64-bit integer, and give None for anything else.
"""

from __future__ import annotations

import re

_ASCII_DIGITS = re.compile(r"[0-9]{1,18}")


def positive_int(raw: str | None) -> int | None:
    """The whole number written in `raw` (surrounding spaces allowed) when it is 1 or more, else None."""
    text = (raw or "").strip()
    if not _ASCII_DIGITS.fullmatch(text):
        return None
    value = int(text)
    return value if value >= 1 else None
