"""`giamngheo classify --template OUT.xlsx [--standard ID]`: the blank workbook, from the command line."""

from __future__ import annotations

from io import StringIO

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from giamngheo.engine.standard import get_standard, standard_in_force
from giamngheo.survey.reader import read_survey
from tests.survey.conftest import run_cli
from tests.survey.test_template import STANDARD_IDS, expected_columns


def ho_header(path) -> list[str]:
    sheet = openpyxl.load_workbook(path)["ho"]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert len(rows) == 1
    return rows[0]


@pytest.mark.parametrize("standard_id", STANDARD_IDS)
def test_the_template_has_the_standard_s_columns(tmp_path, standard_id):
    out = StringIO()
    path = tmp_path / "mau.xlsx"
    call_command("classify", "--template", str(path), "--standard", standard_id, stdout=out)
    assert ho_header(path) == expected_columns(standard_id)
    standard = get_standard(standard_id)
    assert out.getvalue() == (
        f"Đã ghi bảng tính mẫu theo chuẩn {standard_id} ({standard.instrument}) vào {path}\n"
    )
    assert read_survey(path, standard, require_rows=False).rows == ()


def test_in_a_real_process_with_the_standard_in_force_by_default(tmp_path):
    path = tmp_path / "mẫu xã.xlsx"
    result = run_cli("classify", "--template", path)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    in_force = standard_in_force(timezone.localdate())
    assert f"theo chuẩn {in_force.id}" in result.stdout
    assert ho_header(path) == expected_columns(in_force.id)


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--template", "mau.xlsx", "--standard", "ND99-2040"], "không có chuẩn nghèo 'ND99-2040'"),
        (["--template", "mau.csv"], "tệp mẫu 'mau.csv' phải có đuôi .xlsx"),
        (["--template", "khong/co/mau.xlsx"], "không có thư mục"),
        (["ho.csv", "--template", "mau.xlsx"], "--template chỉ ghi bảng tính mẫu"),
        (["--template", "mau.xlsx", "-o", "ket-qua.xlsx"], "--template chỉ ghi bảng tính mẫu"),
        (["ho.csv"], "cần tệp khảo sát và -o"),
        (["-o", "ket-qua.xlsx"], "cần tệp khảo sát và -o"),
        ([], "cần tệp khảo sát và -o"),
    ],
)
def test_arguments_that_do_not_fit_exit_2_and_write_nothing(tmp_path, monkeypatch, arguments, message):
    monkeypatch.chdir(tmp_path)
    out = StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("classify", *arguments, stdout=out)
    assert caught.value.returncode == 2
    assert message in str(caught.value)
    assert out.getvalue() == ""
    assert list(tmp_path.iterdir()) == []


def test_a_bad_template_path_exits_2_in_a_real_process(tmp_path):
    result = run_cli("classify", "--template", tmp_path / "mau.ods")
    assert result.returncode == 2
    assert "tệp mẫu 'mau.ods' phải có đuôi .xlsx" in result.stderr
    assert "Traceback" not in result.stderr
