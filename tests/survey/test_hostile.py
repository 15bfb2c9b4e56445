"""Hostile files (issue 8): refused with a Vietnamese message naming the file and the reason, before they are
expanded where the file says enough, and by the isolated reader's memory limit where it does not; the process that
asked never grows with the file."""

from __future__ import annotations

import dataclasses
import pickle
import resource
import zipfile

import pytest

from giamngheo.survey import SurveyFileError
from giamngheo.survey.isolation import _answer
from giamngheo.survey.limits import ReadLimits
from giamngheo.survey.reader import read_survey
from giamngheo.survey.table import read_table
from tests.survey.conftest import household, survey_headers, write_csv, write_xlsx
from tests.survey.hostile_files import expanding_workbook, far_cell_workbook, rows_xml, write_raw_xlsx

DEFAULT = ReadLimits()
NO_PRECHECK = dataclasses.replace(
    DEFAULT, max_rows=10**7, max_columns=10**6, max_unzipped_mb=10**6, max_zip_ratio=10**6
)


def refusal(path, limits: ReadLimits | None = None) -> str:
    with pytest.raises(SurveyFileError) as raised:
        read_table(path, limits=limits)
    return str(raised.value)


@pytest.fixture(scope="module")
def gigabyte_workbook(tmp_path_factory):
    """The 1 GB sheet of issue 8 in a file of about 4.5 MB."""
    return expanding_workbook(tmp_path_factory.mktemp("bomb") / "no-ra.xlsx", megabytes=1024)


def test_the_5_kb_workbook_with_a_cell_at_xfd1048576_is_refused_by_its_declared_extent(tmp_path):
    path = far_cell_workbook(tmp_path / "o cuoi.xlsx")
    assert path.stat().st_size < 5 * 1024
    assert refusal(path) == (
        "tệp 'o cuoi.xlsx': bảng tính khai báo vùng A1:XFD1048576 (1.048.576 dòng × 16.384 cột), "
        "vượt giới hạn 200.000 dòng × 200 cột"
    )


@pytest.mark.parametrize("dimension", [None, "A1:C2"], ids=["no dimension", "lying dimension"])
def test_a_far_cell_the_dimension_hides_is_stopped_by_the_memory_limit(tmp_path, dimension):
    """calamine allocates the whole grid up to XFD1048576 and aborts; the isolated reader dies, not the caller."""
    path = far_cell_workbook(tmp_path / "o cuoi.xlsx", dimension=dimension)
    assert refusal(path) == (
        "tệp 'o cuoi.xlsx' quá lớn khi mở ra: vượt giới hạn bộ nhớ 512 MB dành cho việc đọc tệp"
    )


def test_without_the_declared_extent_check_the_memory_limit_still_holds(tmp_path):
    path = far_cell_workbook(tmp_path / "o cuoi.xlsx")
    limits = dataclasses.replace(NO_PRECHECK, read_memory_mb=256)
    assert "quá lớn khi mở ra: vượt giới hạn bộ nhớ 256 MB" in refusal(path, limits)


def test_rows_beyond_a_lying_dimension_are_counted_as_read(tmp_path):
    header = [(1, [(1, "ma_ho"), (2, "khu_vuc"), (3, "thu_nhap_binh_quan")])]
    body = rows_xml([*header, *((n, [(1, f"H{n}")]) for n in range(2, 1_002))])
    path = write_raw_xlsx(tmp_path / "nhieu dong.xlsx", body, dimension="A1:C3")
    limits = dataclasses.replace(DEFAULT, max_rows=500)
    assert refusal(path, limits) == (
        "tệp 'nhieu dong.xlsx': trang tính 'Sheet1' có 1.001 dòng × 3 cột, vượt giới hạn 500 dòng × 200 cột"
    )
    assert len(read_table(path).rows) == 1_000  # within the default limits the same file reads in full


def test_a_sheet_that_expands_to_a_gigabyte_is_refused_before_it_is_expanded(gigabyte_workbook):
    assert gigabyte_workbook.stat().st_size < 6 * 1024 * 1024
    message = refusal(gigabyte_workbook)
    assert message == (
        "tệp 'no-ra.xlsx' quá lớn khi giải nén: 1.024 MB (riêng phần 'xl/worksheets/sheet1.xml' là 1.024 MB), "
        "vượt giới hạn 300 MB"
    )


def test_without_the_zip_checks_the_gigabyte_sheet_is_stopped_by_the_time_limit(gigabyte_workbook):
    limits = dataclasses.replace(NO_PRECHECK, read_timeout_s=1)
    assert refusal(gigabyte_workbook, limits) == (
        "tệp 'no-ra.xlsx': đọc tệp quá 1 giây nên đã dừng; tệp quá lớn hoặc bị hỏng"
    )


def test_a_part_that_expands_too_many_times_is_refused(tmp_path):
    path = expanding_workbook(tmp_path / "nen.xlsx", megabytes=20, compresslevel=9)
    message = refusal(path)
    assert message.startswith(
        "tệp 'nen.xlsx' có phần 'xl/worksheets/sheet1.xml' nén bất thường: khi giải nén lớn gấp "
    )
    assert message.endswith(" lần (giới hạn 100 lần); đây không phải tệp Excel bình thường")


def test_a_workbook_of_too_many_parts_is_refused(tmp_path):
    path = far_cell_workbook(tmp_path / "nhieu phan.xlsx", dimension=None)
    with zipfile.ZipFile(path, "a") as archive:
        for number in range(1_000):
            archive.writestr(f"xl/media/image{number}.png", b"")
    assert (
        refusal(path) == "tệp 'nhieu phan.xlsx' chứa 1.005 phần, vượt giới hạn 1.000 phần của một tệp Excel"
    )


def test_a_normal_workbook_passes_every_check(tmp_path, nd07):
    path = write_xlsx(tmp_path / "ho.xlsx", survey_headers(), [household(f"H{n}") for n in range(300)])
    survey = read_survey(path, nd07)
    assert [row.household_code for row in survey.rows] == [f"H{n}" for n in range(300)]


# CSV ----------------------------------------------------------------------------------------------------------


def test_a_100_mb_csv_is_refused_by_its_size_without_being_read(tmp_path):
    path = tmp_path / "lon.csv"
    with path.open("wb") as handle:
        handle.write(b'ma_ho,ghi_chu\nH1,"')
        chunk = b"a" * (1024 * 1024)
        for _ in range(100):
            handle.write(chunk)
        handle.write(b'"\n')
    assert refusal(path) == "tệp 'lon.csv' nặng 101 MB, vượt giới hạn 50 MB"


def test_a_field_longer_than_an_excel_cell_is_refused(tmp_path):
    path = tmp_path / "o dai.csv"
    path.write_bytes(b'ma_ho,ghi_chu\nH1,ok\nH2,"' + b"a" * (10 * 1024 * 1024) + b'"\n')
    assert (
        refusal(path) == "tệp 'o dai.csv' có một ô ở dòng 3 dài hơn 32.767 ký tự (giới hạn của một ô Excel)"
    )


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_a_line_of_millions_of_delimiters_is_refused_before_it_is_split(tmp_path, delimiter):
    path = tmp_path / "phan cach.csv"
    line = delimiter.join(["ma_ho", "khu_vuc", "thu_nhap_binh_quan"])
    path.write_text(f"{line}\nH1{delimiter * 5_000_000}x\n", encoding="utf-8")
    shown = "tab" if delimiter == "\t" else delimiter
    assert refusal(path) == (
        f"tệp 'phan cach.csv' có dòng 2 chứa hơn 4.000 dấu phân cách '{shown}', vượt giới hạn 200 cột"
    )


def test_csv_rows_and_columns_beyond_the_limits_are_refused(tmp_path):
    wide = tmp_path / "rong.csv"
    wide.write_text("ma_ho,khu_vuc\nH1" + ",x" * 250 + "\n", encoding="utf-8")
    assert refusal(wide) == "tệp 'rong.csv' có dòng 2 gồm 251 ô, vượt giới hạn 200 cột"
    long = write_csv(tmp_path / "dai.csv", ["ma_ho", "khu_vuc"], [[f"H{n}", "x"] for n in range(100)])
    limits = dataclasses.replace(DEFAULT, max_rows=50)
    assert refusal(long, limits) == "tệp 'dai.csv' có hơn 50 dòng, vượt giới hạn số dòng"
    assert len(read_table(long).rows) == 100


# Limits from the environment, and the answer of the isolated reader ------------------------------------------


def test_limits_come_from_the_environment(tmp_path, monkeypatch):
    path = write_csv(tmp_path / "dai.csv", ["ma_ho", "khu_vuc"], [[f"H{n}", "x"] for n in range(10)])
    monkeypatch.setenv("SURVEY_MAX_ROWS", "5")
    assert refusal(path) == "tệp 'dai.csv' có hơn 5 dòng, vượt giới hạn số dòng"
    monkeypatch.setenv("SURVEY_MAX_ROWS", "nhiều")
    with pytest.raises(ValueError, match="SURVEY_MAX_ROWS must be a positive whole number, got 'nhiều'"):
        ReadLimits.from_env()
    monkeypatch.setenv("SURVEY_MAX_ROWS", "0")
    with pytest.raises(ValueError, match="SURVEY_MAX_ROWS"):
        ReadLimits.from_env()


def test_django_settings_read_the_same_limits(settings):
    assert ReadLimits.from_env() == settings.SURVEY_READ_LIMITS


def test_the_answer_of_the_reader_process_can_only_hold_cells():
    import os

    crafted = pickle.dumps(("table", ("a",), [(2, (os.getcwd,), None)], None, None))
    with pytest.raises(pickle.UnpicklingError, match="is not a cell type"):
        _answer(crafted)


def test_reading_hostile_files_does_not_grow_the_caller(tmp_path):
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    for dimension in ("A1:XFD1048576", None):
        with pytest.raises(SurveyFileError):
            read_table(far_cell_workbook(tmp_path / f"{dimension}.xlsx", dimension=dimension))
    grown_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    assert grown_kb < 50 * 1024
