"""Importing the bank's aggregate figures from its spreadsheet reports, and withdrawing an import (undo).

The file (.xlsx/.xls/.ods workbook, first sheet; or a UTF-8 CSV with `,`, `;` or tab) has a header row; column
names are matched like the survey's (`survey.columns.header_key`: `Mã xã`, `MA XA`, `ma_xa` are one column), other
columns are ignored. One row per commune, programme and period:

| column | meaning |
|---|---|
| `ma_xa` | commune code (5 digits; the commune as it was on `den_ngay`) |
| `ma_chuong_trinh` | programme code (`Programme.code`, e.g. `ho_ngheo`) |
| `tu_ngay` | first day of the period (dd/mm/yyyy, yyyy-mm-dd or an Excel date) |
| `den_ngay` | last day of the period: the day of the stocks; in the same year as `tu_ngay`, not in the future |
| `doanh_so_cho_vay` | đồng lent in the period (whole number ≥ 0; 1.500.000 and 1,500,000 read too) |
| `so_luot_vay` | loans made in the period (whole number ≥ 0) |
| `so_ho_con_du_no` | households with an outstanding balance on `den_ngay` (whole number ≥ 0) |
| `du_no` | outstanding balance on `den_ngay`, đồng |
| `no_qua_han` | overdue balance on `den_ngay`, đồng (at most `du_no`) |

Every row is checked; each problem is reported in Vietnamese with its row and column (`RowProblem`). Two rows of
the file, or a row and a row of an earlier import not withdrawn, may not cover overlapping periods of the same
commune and programme (so the summary never counts a flow twice). The same file (by SHA-256) may not be imported
twice while the first import stands. The importer's account must cover every commune of the file. Any problem:
nothing is saved (`ImportRefused`). Rows are read one at a time (calamine's row iterator, a streaming CSV reader)
and kept only as parsed numbers; the survey's size limits apply (`survey.limits.ReadLimits`).
"""

from __future__ import annotations

import csv
import hashlib
import re
import tempfile
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import python_calamine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from giamngheo.accounts.models import Role
from giamngheo.accounts.scope import scope_for
from giamngheo.areas.models import AdminUnit, UnitLevel
from giamngheo.areas.selectors import UnitAmbiguous, UnitNotFound, resolve_unit
from giamngheo.credit.models import BankFigure, BankImport, BankImportWithdrawal, Programme
from giamngheo.credit.selectors import active_bank_figures
from giamngheo.decisions.approval import may_act
from giamngheo.registry.history import actor_display_name, actor_user
from giamngheo.reviews.stats import area_label
from giamngheo.survey.cells import Cell, cell_text, is_blank
from giamngheo.survey.columns import header_key
from giamngheo.survey.errors import CellError, SurveyFileError
from giamngheo.survey.limits import ReadLimits
from giamngheo.survey.values import parse_commune_code, parse_income
from giamngheo.survey.workbook_checks import check_zip_workbook

IMPORTERS = {Role.COMMUNE.value, Role.PROVINCE.value, Role.ADMIN.value}

COMMUNE = "ma_xa"
PROGRAMME = "ma_chuong_trinh"
START = "tu_ngay"
END = "den_ngay"
DISBURSED = "doanh_so_cho_vay"
LOAN_COUNT = "so_luot_vay"
HOUSEHOLDS = "so_ho_con_du_no"
OUTSTANDING = "du_no"
OVERDUE = "no_qua_han"
COLUMNS = (COMMUNE, PROGRAMME, START, END, DISBURSED, LOAN_COUNT, HOUSEHOLDS, OUTSTANDING, OVERDUE)
MONEY = (DISBURSED, OUTSTANDING, OVERDUE)
COUNTS = (LOAN_COUNT, HOUSEHOLDS)
MAX_PROBLEMS = 1_000  # problems reported; the count of the rest is given
_DAY_FIRST = re.compile(r"([0-9]{1,2})[/.-]([0-9]{1,2})[/.-]([0-9]{4})")
_YEAR_FIRST = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")
_WORKBOOK_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")


@dataclass(frozen=True)
class RowProblem:
    row: int | None  # the row number the spreadsheet shows; None: the file as a whole
    column: str | None
    message: str

    def __str__(self) -> str:
        if self.row is None:
            return self.message
        if self.column is None:
            return _("Dòng %(row)s: %(problem)s") % {"row": self.row, "problem": self.message}
        return _("Dòng %(row)s, cột %(column)s: %(problem)s") % {
            "row": self.row, "column": self.column, "problem": self.message,
        }  # fmt: skip


class ImportRefused(ValidationError):
    """The file has problems; nothing was saved. `problems` lists each (at most `MAX_PROBLEMS`); `more` counts the
    ones left out."""

    def __init__(self, problems: list[RowProblem], more: int = 0) -> None:
        self.problems = problems
        self.more = more
        messages = [str(p) for p in problems]
        if more:
            messages.append(_("… và %(count)s lỗi khác.") % {"count": more})
        super().__init__(messages, code="import_refused")


@dataclass(frozen=True)
class _Parsed:
    row: int
    commune: AdminUnit
    programme: Programme
    start: date
    end: date
    values: tuple[int, int, int, int, int]  # disbursed, loan count, households, outstanding, overdue


class _Problems:
    def __init__(self) -> None:
        self.items: list[RowProblem] = []
        self.more = 0

    def add(self, row: int | None, column: str | None, message: str) -> None:
        if len(self.items) < MAX_PROBLEMS:
            self.items.append(RowProblem(row, column, message))
        else:
            self.more += 1


# Reading --------------------------------------------------------------------------------------------------------


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def iter_rows(path: Path, limits: ReadLimits | None = None) -> Iterator[tuple[int, list[Cell]]]:
    """(row number as the spreadsheet shows it, cells) for every non-blank row, the header first. Raises
    `SurveyFileError` for a file that is not a spreadsheet or passes the size limits."""
    limits = limits or ReadLimits.from_env()
    if path.stat().st_size > limits.max_file_bytes:
        raise SurveyFileError(_("Tệp vượt giới hạn %(mb)s MB.") % {"mb": limits.max_file_mb})
    with path.open("rb") as handle:
        magic = handle.read(8)
    rows = _workbook_rows(path, limits) if magic.startswith(_WORKBOOK_MAGIC) else _csv_rows(path, limits)
    for number, cells in rows:
        if not all(is_blank(cell) for cell in cells):
            yield number, cells


def _workbook_rows(path: Path, limits: ReadLimits) -> Iterator[tuple[int, list[Cell]]]:
    check_zip_workbook(path, limits)
    try:
        workbook = python_calamine.CalamineWorkbook.from_path(str(path))
        if not workbook.sheet_names:
            raise SurveyFileError(_("Tệp không có trang tính nào."))
        sheet = workbook.get_sheet_by_index(0)
        if sheet.height > limits.max_rows or sheet.width > limits.max_columns:
            raise SurveyFileError(_("Trang tính có %(rows)s dòng × %(columns)s cột, vượt giới hạn.")
                                  % {"rows": sheet.height, "columns": sheet.width})  # fmt: skip
        first = sheet.start[0] + 1 if sheet.start is not None else 1
        for offset, row in enumerate(sheet.iter_rows()):
            yield first + offset, list(row)
    except python_calamine.PasswordError:
        raise SurveyFileError(_("Tệp có mật khẩu; hãy bỏ mật khẩu rồi gửi lại.")) from None
    except python_calamine.CalamineError as exc:
        raise SurveyFileError(_("Tệp không đọc được như tệp Excel: %(error)s") % {"error": exc}) from None


def _csv_rows(path: Path, limits: ReadLimits) -> Iterator[tuple[int, list[Cell]]]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            header = handle.readline(1 << 16)
            known = set(COLUMNS)
            delimiter = max(
                (",", ";", "\t"),
                key=lambda d: sum(
                    header_key(f) in known for f in next(csv.reader([header], delimiter=d), [])
                ),
            )
            handle.seek(0)
            previous = csv.field_size_limit(limits.max_cell_chars)
            try:
                reader = csv.reader(handle, delimiter=delimiter)
                for count, record in enumerate(reader, start=1):
                    if count > limits.max_rows or len(record) > limits.max_columns:
                        raise SurveyFileError(_("Tệp CSV vượt giới hạn %(rows)s dòng × %(columns)s cột.")
                                              % {"rows": limits.max_rows, "columns": limits.max_columns})  # fmt: skip
                    yield reader.line_num, list(record)
            finally:
                csv.field_size_limit(previous)
    except UnicodeDecodeError:
        raise SurveyFileError(
            _("Tệp không phải CSV mã UTF-8; trong Excel hãy lưu bằng «CSV UTF-8».")
        ) from None
    except csv.Error as exc:
        raise SurveyFileError(_("Tệp không đọc được như tệp CSV: %(error)s") % {"error": exc}) from None


# Cells ----------------------------------------------------------------------------------------------------------


def parse_day(cell: Cell) -> date:
    if isinstance(cell, datetime):
        return cell.date()
    if isinstance(cell, date):
        return cell
    text = cell_text(cell).strip()
    if not text:
        raise CellError(_("thiếu ngày"))
    day_first = _DAY_FIRST.fullmatch(text)
    year_first = _YEAR_FIRST.fullmatch(text)
    parts = day_first.groups()[::-1] if day_first else year_first.groups() if year_first else None
    if parts is not None:
        try:
            return date(int(parts[0]), int(parts[1]), int(parts[2]))
        except ValueError:
            pass
    raise CellError(_("«%(value)s» không phải ngày (ghi ngày/tháng/năm, ví dụ 28/12/2023)") % {"value": text})


def parse_whole(cell: Cell, *, money: bool) -> int:
    """A whole number ≥ 0 (the survey's income reader: 1500000, 1.500.000, 1,500,000 or an Excel number)."""
    shown = cell_text(cell).strip()
    if is_blank(cell):
        raise CellError(_("thiếu giá trị"))
    negative = (isinstance(cell, int | float) and not isinstance(cell, bool) and cell < 0) or (
        isinstance(cell, str) and shown.startswith(("-", "\u2212"))
    )
    if negative:
        raise CellError(_("«%(value)s» là số âm; phải từ 0 trở lên") % {"value": shown})
    try:
        return parse_income(cell, "")
    except CellError:
        if money:
            raise CellError(_("«%(value)s» không phải số nguyên đồng") % {"value": shown}) from None
        raise CellError(_("«%(value)s» không phải số nguyên") % {"value": shown}) from None


# Import ---------------------------------------------------------------------------------------------------------


def _overlaps(a: tuple[date, date], b: tuple[date, date]) -> bool:
    return a[0] <= b[1] and b[0] <= a[1]


@transaction.atomic
def bank_import(*, path: Path, file_name: str, actor: Any, today: date | None = None) -> BankImport:
    """Check every row of the bank's file and save them as one batch, or raise `ImportRefused` listing every
    problem (nothing saved). The account must be commune, province or administrator staff covering each commune."""
    today = today or timezone.localdate()
    scope = scope_for(actor) if actor is not None else None
    if scope is not None and scope.role not in IMPORTERS:
        raise PermissionDenied(_("Tài khoản của bạn không được nhập số liệu của ngân hàng."))
    problems = _Problems()
    sha = file_sha256(path)
    earlier = BankImport.objects.filter(sha256=sha, withdrawal__isnull=True).first()
    if earlier is not None:
        problems.add(None, None, _("Tệp này đã được nhập (lô «%(file)s» lúc %(when)s); hãy rút lô đó trước nếu "
                     "muốn nhập lại.") % {"file": earlier.file_name,
                                           "when": f"{timezone.localtime(earlier.imported_at):%H:%M %d/%m/%Y}"})  # fmt: skip
    programmes = {p.code: p for p in Programme.objects.all()}
    units: dict[tuple[str, date], AdminUnit | str] = {}
    parsed: list[_Parsed] = []
    positions: dict[str, int] = {}
    rows = 0
    try:
        iterator = iter_rows(path)
        header = next(iterator, None)
        if header is None:
            raise SurveyFileError(_("Tệp trống: không có dòng tiêu đề."))
        for index, cell in enumerate(header[1]):
            key = header_key(cell_text(cell))
            if key in COLUMNS and key not in positions:
                positions[key] = index
        missing = [name for name in COLUMNS if name not in positions]
        if missing:
            raise SurveyFileError(_("Tệp thiếu cột: %(columns)s.") % {"columns": ", ".join(missing)})
        for number, cells in iterator:
            rows += 1
            item = _parse_row(number, cells, positions, programmes, units, scope, problems, today)
            if item is not None:
                parsed.append(item)
    except SurveyFileError as exc:
        problems.add(None, None, str(exc))
        raise ImportRefused(problems.items, problems.more) from None
    if rows == 0:
        problems.add(None, None, _("Tệp không có dòng số liệu nào (chỉ có dòng tiêu đề)."))
    _check_periods(parsed, problems)
    if problems.items:
        raise ImportRefused(problems.items, problems.more)
    batch = BankImport.objects.create(
        file_name=file_name[:255], sha256=sha, row_count=len(parsed), imported_by=actor_user(actor),
        imported_by_name=actor_display_name(actor), imported_at=timezone.now(),
    )  # fmt: skip
    BankFigure.objects.bulk_create(
        [
            BankFigure(
                batch=batch, row_number=item.row, commune=item.commune, programme=item.programme,
                period_start=item.start, period_end=item.end, disbursed=item.values[0], loan_count=item.values[1],
                borrower_households=item.values[2], outstanding=item.values[3], overdue=item.values[4],
            )
            for item in parsed
        ],
        batch_size=1_000,
    )  # fmt: skip
    return batch


def _parse_row(
    number: int,
    cells: list[Cell],
    positions: dict[str, int],
    programmes: dict[str, Programme],
    units: dict[tuple[str, date], AdminUnit | str],
    scope: Any,
    problems: _Problems,
    today: date,
) -> _Parsed | None:
    before = len(problems.items) + problems.more

    def cell(name: str) -> Cell:
        index = positions[name]
        return cells[index] if index < len(cells) else None

    def take(name: str, parse: Any) -> Any:
        try:
            return parse(cell(name))
        except CellError as exc:
            problems.add(number, name, str(exc))
            return None

    start = take(START, parse_day)
    end = take(END, parse_day)
    if start is not None and end is not None:
        if start > end:
            problems.add(number, START, _("từ ngày %(start)s sau đến ngày %(end)s")
                         % {"start": f"{start:%d/%m/%Y}", "end": f"{end:%d/%m/%Y}"})  # fmt: skip
        elif start.year != end.year:
            problems.add(number, START, _("kỳ báo cáo phải nằm trong một năm (từ %(start)s đến %(end)s)")
                         % {"start": f"{start:%d/%m/%Y}", "end": f"{end:%d/%m/%Y}"})  # fmt: skip
    if end is not None and end > today:
        problems.add(number, END, _("ngày %(date)s chưa đến") % {"date": f"{end:%d/%m/%Y}"})
    values = [take(name, lambda c, money=name in MONEY: parse_whole(c, money=money)) for name in
              (DISBURSED, LOAN_COUNT, HOUSEHOLDS, OUTSTANDING, OVERDUE)]  # fmt: skip
    if values[3] is not None and values[4] is not None and values[4] > values[3]:
        problems.add(number, OVERDUE, _("nợ quá hạn lớn hơn dư nợ"))
    code_text = cell_text(cell(PROGRAMME)).strip()
    programme = programmes.get(code_text) or programmes.get(header_key(code_text))
    if programme is None:
        problems.add(number, PROGRAMME, _("không có chương trình mã «%(value)s» (các mã: %(codes)s)")
                     % {"value": code_text, "codes": ", ".join(sorted(programmes))})  # fmt: skip
    commune = None
    try:
        code = parse_commune_code(cell(COMMUNE), COMMUNE)
    except CellError:
        code = None
        problems.add(number, COMMUNE, _("«%(value)s» không phải mã xã gồm 5 chữ số")
                     % {"value": cell_text(cell(COMMUNE)).strip()})  # fmt: skip
    else:
        if code is None:
            problems.add(number, COMMUNE, _("thiếu mã xã"))
    if code is not None and end is not None:
        found = units.get((code, end))
        if found is None:
            found = _commune(code, end, scope)
            units[(code, end)] = found
        if isinstance(found, str):
            problems.add(number, COMMUNE, found)
        else:
            commune = found
    if len(problems.items) + problems.more > before:
        return None
    assert commune is not None and programme is not None and start is not None and end is not None
    return _Parsed(number, commune, programme, start, end, tuple(values))


def _commune(code: str, day: date, scope: Any) -> AdminUnit | str:
    """The commune of `code` on `day`, or the problem (Vietnamese)."""
    try:
        unit = resolve_unit(code, on=day, level=UnitLevel.COMMUNE)
    except UnitNotFound:
        return _("không có xã mã %(code)s vào ngày %(date)s") % {"code": code, "date": f"{day:%d/%m/%Y}"}
    except UnitAmbiguous:
        return _("mã xã %(code)s ứng với nhiều xã vào ngày %(date)s") % {
            "code": code,
            "date": f"{day:%d/%m/%Y}",
        }
    if scope is not None and scope.communes_readable(unit) is None:
        return _("%(commune)s ngoài địa bàn của tài khoản") % {"commune": area_label(unit)}
    return unit


def _check_periods(parsed: list[_Parsed], problems: _Problems) -> None:
    seen: dict[tuple[int, int], list[tuple[date, date, int]]] = defaultdict(list)
    for item in parsed:
        key = (item.commune.pk, item.programme.pk)
        for start, end, row in seen[key]:
            if _overlaps((start, end), (item.start, item.end)):
                problems.add(item.row, END, _("trùng kỳ với dòng %(row)s (cùng xã, cùng chương trình, kỳ %(start)s–"
                             "%(end)s)") % {"row": row, "start": f"{start:%d/%m/%Y}", "end": f"{end:%d/%m/%Y}"})  # fmt: skip
                break
        seen[key].append((item.start, item.end, item.row))
    if not seen:
        return
    stored: dict[tuple[int, int], list[BankFigure]] = defaultdict(list)
    for figure in (
        active_bank_figures().filter(commune_id__in=sorted({c for c, _p in seen})).select_related("batch")
    ):
        stored[(figure.commune_id, figure.programme_id)].append(figure)
    for item in parsed:
        for figure in stored.get((item.commune.pk, item.programme.pk), []):
            if _overlaps((figure.period_start, figure.period_end), (item.start, item.end)):
                problems.add(item.row, END, _("đã có số liệu của kỳ %(start)s–%(end)s trong lô «%(file)s» (dòng "
                             "%(row)s); hãy rút lô đó trước")
                             % {"start": f"{figure.period_start:%d/%m/%Y}", "end": f"{figure.period_end:%d/%m/%Y}",
                                "file": figure.batch.file_name, "row": figure.row_number})  # fmt: skip
                break


@transaction.atomic
def bank_import_withdraw(*, batch: BankImport, reason: str, actor: Any) -> BankImportWithdrawal:
    """Undo an import: its figures count nowhere from now on. The batch and its rows stay, with who withdrew them,
    when and why. The account must be allowed to import for every commune of the batch."""
    for commune in AdminUnit.objects.filter(pk__in=batch.figures.values("commune_id")):
        may_act(actor, commune, IMPORTERS)
    BankImport.objects.select_for_update().get(pk=batch.pk)
    reason = reason.strip()
    problems: dict[str, list[str]] = {}
    if not reason:
        problems["reason"] = [_("Nêu lý do rút lô số liệu.")]
    if BankImportWithdrawal.objects.filter(batch=batch).exists():
        problems.setdefault("batch", []).append(_("Lô số liệu này đã được rút."))
    if problems:
        raise ValidationError(problems)
    return BankImportWithdrawal.objects.create(
        batch=batch, reason=reason, recorded_by=actor_user(actor), recorded_by_name=actor_display_name(actor),
        recorded_at=timezone.now(),
    )  # fmt: skip


@contextmanager
def uploaded_file(upload: Any) -> Iterator[Path]:
    """An uploaded file (Django's `UploadedFile`) written to a temporary file, chunk by chunk, for `bank_import`;
    removed afterwards. A file above the size limit is refused before it is all written."""
    limit = ReadLimits.from_env().max_file_bytes
    suffix = Path(getattr(upload, "name", "") or "").suffix.lower()[:10]
    with tempfile.TemporaryDirectory(prefix="credit-import-") as folder:
        path = Path(folder) / f"upload{suffix}"
        written = 0
        with path.open("wb") as handle:
            for chunk in upload.chunks():
                written += len(chunk)
                if written > limit:
                    raise ImportRefused([RowProblem(None, None, _("Tệp vượt giới hạn %(mb)s MB.")
                                                    % {"mb": limit // (1 << 20)})])  # fmt: skip
                handle.write(chunk)
        yield path
