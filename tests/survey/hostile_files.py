"""Hostile survey files, built by hand in the tests (no committed binaries): workbooks written part by part with
zipfile, the sheet XML streamed in chunks so that a 1 GB sheet costs neither 1 GB of memory nor long to build."""

from __future__ import annotations

import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from xml.sax.saxutils import escape

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG_REL_NS}">'
    f'<Relationship Id="rId1" Type="{REL_NS}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN_NS}" xmlns:r="{REL_NS}">'
    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG_REL_NS}">'
    f'<Relationship Id="rId1" Type="{REL_NS}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
)


def column_letters(number: int) -> str:
    """1 → A, 16384 → XFD."""
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def cell_xml(column: int, row: int, value: object) -> str:
    ref = f"{column_letters(column)}{row}"
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int | float):
        return f'<c r="{ref}"><v>{value!r}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{escape(str(value))}</t></is></c>'


def rows_xml(rows: Iterable[tuple[int, Iterable[tuple[int, object]]]]) -> Iterator[str]:
    """`<row>` elements of (row number, [(column number, value)...])."""
    for number, cells in rows:
        yield f'<row r="{number}">' + "".join(cell_xml(c, number, v) for c, v in cells) + "</row>"


def write_raw_xlsx(
    path: Path,
    body: Iterable[str | bytes],
    *,
    dimension: str | None = None,
    compresslevel: int = 6,
) -> Path:
    """A minimal .xlsx whose one sheet holds `body` (XML pieces inside `<sheetData>`), streamed into the ZIP."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=compresslevel) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN_NS}">'.encode())
            if dimension is not None:
                sheet.write(f'<dimension ref="{dimension}"/>'.encode())
            sheet.write(b"<sheetData>")
            for piece in body:
                sheet.write(piece.encode() if isinstance(piece, str) else piece)
            sheet.write(b"</sheetData></worksheet>")
    return path


def far_cell_workbook(path: Path, *, dimension: str | None = "A1:XFD1048576") -> Path:
    """The 5 KB workbook of issue 8: a header row and one cell at XFD1048576, the last cell of a sheet."""
    header = [(1, [(1, "ma_ho"), (2, "khu_vuc"), (3, "thu_nhap_binh_quan")])]
    return write_raw_xlsx(
        path, [*rows_xml(header), *rows_xml([(1_048_576, [(16_384, "x")])])], dimension=dimension
    )


def expanding_workbook(path: Path, *, megabytes: int, compresslevel: int = 1) -> Path:
    """A workbook whose sheet XML is `megabytes` MB of empty rows: level 1 makes 1 GB into about 4.5 MB, as the
    file of issue 8, in a few seconds."""
    chunk = b"<row/>" * (1024 * 1024 // 6)
    pieces = (chunk for _ in range(megabytes))
    return write_raw_xlsx(path, pieces, dimension="A1:C3", compresslevel=compresslevel)
