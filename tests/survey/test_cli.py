"""`giamngheo classify`: real exit codes (subprocess), messages on stderr without tracebacks, the summary.

Every exit code is checked in a real process; the many ways a file can be unusable are checked through
call_command (the same command, without the process start-up), which raises CommandError with the exit code.
"""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from giamngheo.engine.standard import standard_in_force
from tests.survey.conftest import household, read_output, run_cli, survey_headers, write_csv, write_xlsx


def make_input(path, setup: str):
    headers = survey_headers()
    if setup == "empty":
        path.write_bytes(b"")
    elif setup == "binary":
        path.write_bytes(bytes(range(256)))
    elif setup == "no_income":
        write_csv(path, [h for h in headers if h != "thu_nhap_binh_quan"], [["H1"]])
    elif setup == "no_indicator":
        write_csv(path, [h for h in headers if h != "nguon_nuoc_sinh_hoat"], [["H1"]])
    elif setup == "good":
        write_csv(path, headers, [household("H1")])
    return path


UNUSABLE = [
    ("none", "ND07-2021", "out.xlsx", "không tìm thấy tệp"),
    ("empty", "ND07-2021", "out.xlsx", "trống"),
    ("binary", "ND07-2021", "out.xlsx", "không phải bảng tính"),
    ("no_income", "ND07-2021", "out.xlsx", "thiếu cột bắt buộc thu_nhap_binh_quan"),
    (
        "no_indicator",
        "ND07-2021",
        "out.csv",
        "thiếu cột chỉ số thiếu hụt mà chuẩn ND07-2021 tính: nguon_nuoc_sinh_hoat",
    ),
    (
        "good",
        "ND99-2040",
        "out.xlsx",
        "không có chuẩn nghèo 'ND99-2040' (có: ND07-2021, ND351-2025, QD59-2015)",
    ),
    ("good", "ND351-2025", "out.xlsx", "chuẩn ND351-2025 tính: thu_gom_xu_ly_rac"),
    ("good", "ND07-2021", "out.ods", "phải có đuôi .xlsx hoặc .csv"),
    ("good", "ND07-2021", "no/such/dir/out.csv", "không có thư mục"),
]


def test_exit_0_when_every_row_is_classified(tmp_path):
    rows = [household("H1", income="1.000.000", deprived=["viec_lam", "dinh_duong", "bao_hiem_y_te"]),
            household("H2", income="1.000.000"), household("H3", income="9.000.000")]  # fmt: skip
    source = write_xlsx(tmp_path / "khao sat.xlsx", survey_headers(), rows)
    result = run_cli("classify", source, "-o", tmp_path / "ket qua.xlsx", "--standard", "ND07-2021")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert "Số dòng: 3; đã phân loại: 3; dòng lỗi: 0" in result.stdout
    assert "Hộ nghèo: 1 (33,33 %)" in result.stdout
    assert "Hộ cận nghèo: 1 (33,33 %)" in result.stdout
    assert read_output(tmp_path / "ket qua.xlsx").column("phan_loai") == ["ngheo", "can_ngheo", "khong_ngheo"]


def test_exit_1_when_some_rows_carry_errors(tmp_path):
    rows = [household("H1"), household("H2", income="1,5tr"), household("H1"), household("H3")]
    source = write_csv(tmp_path / "in.csv", survey_headers(), rows)
    result = run_cli("classify", source, "-o", tmp_path / "out.csv", "--standard", "ND07-2021")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert (
        "dòng 3 (mã hộ H2): cột thu_nhap_binh_quan: giá trị '1,5tr' không phải số nguyên đồng"
        in result.stderr
    )
    assert "dòng 4 (mã hộ H1): cột ma_ho: mã hộ 'H1' trùng với dòng 2" in result.stderr
    assert "2 dòng có lỗi" in result.stderr
    assert "Số dòng: 4; đã phân loại: 2; dòng lỗi: 2" in result.stdout
    output = read_output(tmp_path / "out.csv")
    assert output.column("ma_ho") == ["H1", "H2", "H1", "H3"]  # every row, in order
    assert [bool(e) for e in output.column("loi")] == [False, True, True, False]


@pytest.mark.parametrize(("setup", "standard", "output", "message"), [UNUSABLE[2], UNUSABLE[4], UNUSABLE[5]])
def test_exit_2_in_a_real_process(tmp_path, setup, standard, output, message):
    source = make_input(tmp_path / "in.csv", setup)
    result = run_cli("classify", source, "-o", tmp_path / output, "--standard", standard)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv"]  # no output, no temporary file


@pytest.mark.parametrize(("setup", "standard", "output", "message"), UNUSABLE)
def test_unusable_files_are_command_errors_with_exit_code_2(tmp_path, setup, standard, output, message):
    source = make_input(tmp_path / "in.csv", setup)
    out = StringIO()
    with pytest.raises(CommandError) as caught:
        call_command(
            "classify", str(source), "-o", str(tmp_path / output), "--standard", standard, stdout=out
        )
    assert caught.value.returncode == 2
    assert message in str(caught.value)
    assert out.getvalue() == ""
    assert sorted(p.name for p in tmp_path.iterdir()) == ([] if setup == "none" else ["in.csv"])


def test_default_standard_is_the_one_in_force_today(tmp_path):
    in_force = standard_in_force(timezone.localdate())
    headers = ["ma_ho", "khu_vuc", "thu_nhap_binh_quan", *in_force.indicator_codes]
    source = write_csv(tmp_path / "in.csv", headers, [["H1", "nong_thon", "0"]])
    result = run_cli("classify", source, "-o", tmp_path / "out.csv")
    assert result.returncode == 0, result.stderr
    assert f"Chuẩn nghèo: {in_force.id}" in result.stdout
    assert read_output(tmp_path / "out.csv").column("chuan_ngheo") == [in_force.id]


def test_row_errors_are_a_command_error_with_exit_code_1_after_writing(tmp_path):
    source = write_csv(tmp_path / "in.csv", survey_headers(), [household("H1"), household("H1")])
    with pytest.raises(CommandError) as caught:
        call_command("classify", str(source), "-o", str(tmp_path / "out.csv"), "--standard", "ND07-2021",
                     stdout=StringIO(), stderr=StringIO())  # fmt: skip
    assert caught.value.returncode == 1
    assert read_output(tmp_path / "out.csv").column("ma_ho") == ["H1", "H1"]


def test_many_error_rows_are_listed_up_to_a_limit(tmp_path):
    rows = [household(f"H{i}", income="?") for i in range(25)]
    source = write_csv(tmp_path / "in.csv", survey_headers(), rows)
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError) as caught:
        call_command(
            "classify",
            str(source),
            "-o",
            str(tmp_path / "out.csv"),
            "--standard",
            "ND07-2021",
            stdout=out,
            stderr=err,
        )
    assert caught.value.returncode == 1
    assert err.getvalue().count("cột thu_nhap_binh_quan") == 20
    assert "... và 5 dòng lỗi khác" in err.getvalue()
    assert "Số dòng: 25; đã phân loại: 0; dòng lỗi: 25" in out.getvalue()


@pytest.mark.parametrize("name", ["classify", "load_standards"])
def test_help_renders(name):
    from django.core.management import load_command_class

    text = load_command_class("giamngheo.standards", name).create_parser("giamngheo", name).format_help()
    assert "chuẩn nghèo" in text
