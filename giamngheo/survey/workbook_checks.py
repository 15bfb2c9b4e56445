"""Checks of a workbook's ZIP container made before any sheet is expanded (.xlsx, .xlsm, .xlsb and .ods are ZIP
files; an .xls is not, and only the isolated process's memory limit guards it).

- Entries: too many parts, a declared uncompressed size of all parts together above the limit, or one part larger
  than 1 MB that expands more than `max_zip_ratio` times (a "zip bomb": a few megabytes of repeated bytes that
  become gigabytes of XML).
- The sheet's declared extent: an .xlsx sheet starts with `<dimension ref="A1:K30000"/>`, which Excel writes and
  calamine uses to allocate the sheet's grid at once. Only the first bytes of the sheet are inflated to find it. A
  file may lack the element or state a wrong one, so this is a first line only: the rows and columns actually read
  are checked again afterwards (`giamngheo.survey.table`), and the memory limit stands behind both.

The declared sizes of a ZIP can lie too; Python's zipfile stops reading a part at its declared size, and whatever
calamine inflates stays inside the memory limit of the isolated process.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree

from giamngheo.lib.formatting import group_thousands
from giamngheo.survey.columns import PREFERRED_SHEET, header_key
from giamngheo.survey.errors import SurveyFileError
from giamngheo.survey.limits import MB, ReadLimits

RATIO_GRACE_BYTES = 1 * MB  # small parts (styles, the workbook) may compress very well
HEAD_BYTES = 8 * 1024  # the dimension element comes right after the sheet's properties
_META_PART_BYTES = 5 * MB  # workbook.xml and its relationships: a list of sheets
_DIMENSION = re.compile(
    rb"<(?:\w+:)?dimension\s+ref\s*=\s*[\"']([A-Za-z]{1,3})(\d{1,7})(?::([A-Za-z]{1,3})(\d{1,7}))?"
)
_SHEET_DATA = re.compile(rb"<(?:\w+:)?sheetData[\s>/]")
_MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"


def check_zip_workbook(path: Path, limits: ReadLimits) -> None:
    """Raise `SurveyFileError` when the ZIP workbook at `path` must not be expanded. Not a ZIP: nothing to check
    (calamine will say what it is)."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return  # calamine reports a broken container in its own words
    with archive:
        entries = archive.infolist()
        if len(entries) > limits.max_zip_entries:
            raise SurveyFileError(
                f"tệp '{path.name}' chứa {group_thousands(len(entries))} phần, vượt giới hạn "
                f"{group_thousands(limits.max_zip_entries)} phần của một tệp Excel"
            )
        total = sum(entry.file_size for entry in entries)
        if total > limits.max_unzipped_bytes:
            biggest = max(entries, key=lambda entry: entry.file_size)
            raise SurveyFileError(
                f"tệp '{path.name}' quá lớn khi giải nén: {_mb(total)} MB (riêng phần '{biggest.filename}' là "
                f"{_mb(biggest.file_size)} MB), vượt giới hạn {group_thousands(limits.max_unzipped_mb)} MB"
            )
        for entry in entries:
            if entry.file_size > RATIO_GRACE_BYTES and entry.file_size > limits.max_zip_ratio * max(
                entry.compress_size, 1
            ):
                ratio = entry.file_size // max(entry.compress_size, 1)
                raise SurveyFileError(
                    f"tệp '{path.name}' có phần '{entry.filename}' nén bất thường: khi giải nén lớn gấp "
                    f"{group_thousands(ratio)} lần (giới hạn {group_thousands(limits.max_zip_ratio)} lần); "
                    "đây không phải tệp Excel bình thường"
                )
        sheet_part = _chosen_sheet_part(archive)
        if sheet_part is not None:
            _check_dimension(archive, sheet_part, path, limits)


def _mb(size: int) -> str:
    return group_thousands(-(-size // MB))


def _chosen_sheet_part(archive: zipfile.ZipFile) -> str | None:
    """The part of the sheet the reader will take (the one named `ho`, else the first), found as calamine finds
    it: workbook.xml lists the sheets in order, its relationships give each sheet's part. None when the
    workbook is not laid out that way (.ods, .xlsb, a damaged file): then only the later checks apply."""
    try:
        workbook = _small_xml(archive, "xl/workbook.xml")
        relations = _small_xml(archive, "xl/_rels/workbook.xml.rels")
    except (KeyError, ElementTree.ParseError, ValueError, zipfile.BadZipFile, OSError, EOFError):
        return None
    sheets = [
        (element.get("name", ""), element.get(f"{{{_REL_NS}}}id", ""))
        for element in workbook.iter(f"{{{_MAIN_NS}}}sheet")
    ]
    if not sheets:
        return None
    preferred = [sheet for sheet in sheets if header_key(sheet[0]) == PREFERRED_SHEET]
    _, relation_id = (preferred or sheets)[0]
    for relation in relations.iter(f"{{{_PKG_REL_NS}}}Relationship"):
        if relation.get("Id") == relation_id:
            target = relation.get("Target", "")
            return target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"xl/{target}")
    return None


def _small_xml(archive: zipfile.ZipFile, name: str) -> ElementTree.Element:
    entry = archive.getinfo(name)
    if entry.file_size > _META_PART_BYTES:
        raise ValueError(name)
    # Untrusted XML, but: at most 5 MB, expat ≥ 2.4 refuses entity-expansion bombs, ElementTree fetches no
    # external entity, and this runs in the isolated reader whose memory is limited.
    return ElementTree.fromstring(archive.read(entry))  # noqa: S314


def _check_dimension(archive: zipfile.ZipFile, part: str, path: Path, limits: ReadLimits) -> None:
    try:
        with archive.open(part) as stream:
            head = stream.read(HEAD_BYTES)
    except (KeyError, zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError):
        return
    data_starts = _SHEET_DATA.search(head)
    found = _DIMENSION.search(head, 0, data_starts.start() if data_starts else len(head))
    if found is None:
        return
    first_column, first_row, last_column, last_row = found.groups()
    if last_column is None:
        return  # a single cell
    rows = int(last_row) - int(first_row) + 1
    columns = _column_number(last_column) - _column_number(first_column) + 1
    if rows > limits.max_rows or columns > limits.max_columns:
        extent = (
            f"{first_column.decode().upper()}{int(first_row)}:{last_column.decode().upper()}{int(last_row)}"
        )
        raise SurveyFileError(
            f"tệp '{path.name}': bảng tính khai báo vùng {extent} ({group_thousands(abs(rows))} dòng × "
            f"{group_thousands(abs(columns))} cột), vượt giới hạn {group_thousands(limits.max_rows)} dòng × "
            f"{group_thousands(limits.max_columns)} cột"
        )


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters.upper():
        number = number * 26 + letter - ord("A") + 1
    return number
