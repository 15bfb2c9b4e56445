"""Text written into a CSV or Excel file that Excel must never run as a formula (OWASP's CSV-injection rule).

A text cell that begins with `=`, `+`, `-`, `@`, a tab or a carriage return is written with a single quote in
front: `=HYPERLINK("http://x","y")` becomes `'=HYPERLINK("http://x","y")`, which Excel shows as the text it is, in a
CSV file, in an .xlsx cell and after a user edits that cell and presses Enter.

Numbers are excepted, and so is text that is nothing but a number (`-5`, `+84`, `-1.500.000`, `-2,5`): Excel reads
it as a number, never as a formula (only digits, one sign and separators: nothing to call), and a household's
negative figure or a phone number's `+84` then reads back as it was written. Everything else that begins with one
of those characters, `-` followed by a word included (`- ghi chú`), gets the quote: a rule a reader can predict
beats a cleverer one.
"""

from __future__ import annotations

import re

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"
_NUMBER_TEXT = re.compile(r"[+-]?[0-9][0-9.,]*")


def needs_quote(text: str) -> bool:
    return text.startswith(FORMULA_TRIGGERS) and _NUMBER_TEXT.fullmatch(text) is None


def neutralise(text: str) -> str:
    """`text` as it is safe to write into a spreadsheet cell as text."""
    return QUOTE + text if needs_quote(text) else text
