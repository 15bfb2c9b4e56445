"""The template workbook (`giamngheo.survey.template`): the exact columns of survey-format.md per standard, a `ho`
sheet that the reader reads as zero rows and that classifies once filled, validation whose listed values the
reader accepts, and the guide and standard sheets."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import openpyxl
import pytest

from giamngheo.engine.standard import get_standard, load_standards
from giamngheo.survey import SurveyFileError, classify_file
from giamngheo.survey.reader import read_survey
from giamngheo.survey.template import template_bytes, template_columns, template_filename, write_template
from giamngheo.survey.values import parse_area_type, parse_flag
from tests.survey.conftest import BASE_HEADERS, read_output

# survey-format.md, "Deprivation indicator columns", in the table's order.
EXPECTED_INDICATORS = {
    "QD59-2015": ["bao_hiem_y_te", "tiep_can_dich_vu_y_te", "giao_duc_nguoi_lon", "tre_em_di_hoc",
                  "chat_luong_nha_o", "dien_tich_nha_o", "nguon_nuoc_sinh_hoat", "nha_tieu_hop_ve_sinh",
                  "dich_vu_vien_thong", "tai_san_tiep_can_thong_tin"],
    "ND07-2021": ["viec_lam", "nguoi_phu_thuoc", "dinh_duong", "bao_hiem_y_te", "giao_duc_nguoi_lon",
                  "tre_em_di_hoc", "chat_luong_nha_o", "dien_tich_nha_o", "nguon_nuoc_sinh_hoat",
                  "nha_tieu_hop_ve_sinh", "dich_vu_vien_thong", "tai_san_tiep_can_thong_tin"],
    "ND351-2025": ["viec_lam", "nguoi_phu_thuoc", "dinh_duong", "bao_hiem_y_te", "giao_duc_nguoi_lon",
                   "tre_em_di_hoc", "chat_luong_nha_o", "dien_tich_nha_o", "nguon_nuoc_sinh_hoat",
                   "nha_tieu_hop_ve_sinh", "dich_vu_vien_thong", "thu_gom_xu_ly_rac"],
}  # fmt: skip
STANDARD_IDS = sorted(EXPECTED_INDICATORS)


def expected_columns(standard_id: str) -> list[str]:
    return BASE_HEADERS + EXPECTED_INDICATORS[standard_id]


def written(tmp_path, standard_id: str):
    path = tmp_path / f"mau-{standard_id}.xlsx"
    write_template(path, get_standard(standard_id))
    return path


def sheet_values(path, name: str) -> list[list]:
    sheet = openpyxl.load_workbook(path)[name]
    return [[value for value in row if value is not None] for row in sheet.iter_rows(values_only=True)]


def test_every_standard_has_its_expected_columns():
    assert sorted(load_standards()) == STANDARD_IDS


@pytest.mark.parametrize("standard_id", STANDARD_IDS)
def test_ho_holds_only_the_header_row_in_the_format_s_columns(tmp_path, standard_id):
    path = written(tmp_path, standard_id)
    workbook = openpyxl.load_workbook(path)
    assert workbook.sheetnames == ["ho", "huong_dan", "chuan_ngheo"]
    sheet = workbook["ho"]
    rows = list(sheet.iter_rows(values_only=True))
    assert [list(row) for row in rows] == [expected_columns(standard_id)]
    assert list(template_columns(get_standard(standard_id))) == expected_columns(standard_id)
    assert sheet.freeze_panes == "A2"
    assert all(sheet.cell(1, column).comment for column in range(1, len(rows[0]) + 1))


@pytest.mark.parametrize("standard_id", STANDARD_IDS)
def test_the_reader_reads_the_template_as_zero_rows(tmp_path, standard_id):
    standard = get_standard(standard_id)
    path = written(tmp_path, standard_id)
    survey = read_survey(path, standard, require_rows=False)
    assert survey.sheet == "ho"
    assert list(survey.headers) == expected_columns(standard_id)
    assert survey.rows == ()
    # Classifying it as it is tells the officer that there is nothing to classify yet.
    with pytest.raises(SurveyFileError, match="không có dòng dữ liệu nào"):
        classify_file(path, tmp_path / "out.xlsx", standard=standard)


@pytest.mark.parametrize("standard_id", STANDARD_IDS)
def test_a_filled_copy_classifies(tmp_path, standard_id):
    standard = get_standard(standard_id)
    path = written(tmp_path, standard_id)
    workbook = openpyxl.load_workbook(path)
    sheet = workbook["ho"]
    headers = expected_columns(standard_id)
    three = EXPECTED_INDICATORS[standard_id][:3]
    filled = [
        {"ma_ho": "H1", "ma_xa": "01234", "khu_vuc": "nông thôn", "thu_nhap_binh_quan": 600_000, **dict.fromkeys(three, "x")},
        {"ma_ho": "H2", "ma_xa": "01234", "khu_vuc": standard.area_label("thanh_thi"), "thu_nhap_binh_quan": 99_000_000,
         "ho_nong_lam_ngu_diem_nghiep": "có", three[0]: "không"},
    ]  # fmt: skip
    for row, values in enumerate(filled, start=2):
        for name, value in values.items():
            sheet.cell(row, headers.index(name) + 1, value)
    workbook.save(path)
    report = classify_file(path, tmp_path / "out.xlsx", standard=standard)
    assert report.error_rows == ()
    output = read_output(tmp_path / "out.xlsx")
    assert output.column("phan_loai") == ["ngheo", "khong_ngheo"]
    assert output.column("so_thieu_hut") == [3, 0]
    assert output.column("ma_xa") == ["01234", "01234"]
    assert output.column("chuan_ngheo") == [standard_id, standard_id]


@pytest.mark.parametrize("standard_id", STANDARD_IDS)
def test_validation_offers_only_values_the_reader_accepts(tmp_path, standard_id):
    standard = get_standard(standard_id)
    sheet = openpyxl.load_workbook(written(tmp_path, standard_id))["ho"]
    headers = expected_columns(standard_id)
    letters = {name: openpyxl.utils.get_column_letter(i + 1) for i, name in enumerate(headers)}
    by_column = {
        str(v.sqref).split(":")[0].rstrip("0123456789"): v for v in sheet.data_validations.dataValidation
    }
    assert set(by_column) == {letters[name] for name in headers if name not in ("ma_ho", "ma_xa")}
    assert all(str(v.sqref).startswith(f"{c}2:{c}1048576") for c, v in by_column.items())

    area = by_column[letters["khu_vuc"]]
    listed = area.formula1.strip('"').split(",")
    assert listed == ["nông thôn", "đô thị" if standard_id == "ND351-2025" else "thành thị"]
    assert [parse_area_type(value, "khu_vuc") for value in listed] == ["nong_thon", "thanh_thi"]
    assert area.errorStyle == "warning" and area.prompt

    income = by_column[letters["thu_nhap_binh_quan"]]
    assert (income.type, income.operator, income.formula1) == ("whole", "greaterThanOrEqual", "0")
    assert income.errorStyle in (None, "stop")  # stop, Excel's default, is not written out
    for name in ["ho_nong_lam_ngu_diem_nghiep", *EXPECTED_INDICATORS[standard_id]]:
        flags = by_column[letters[name]]
        values = flags.formula1.strip('"').split(",")
        assert values == ["1", "0", "x", "có", "không"]
        assert [parse_flag(value, name) for value in values] == [True, False, True, True, False]
        assert flags.errorStyle == "warning"
    for name in EXPECTED_INDICATORS[standard_id]:
        assert standard.catalogue[name].name_vi in by_column[letters[name]].prompt


def test_code_columns_are_text_and_income_is_grouped(tmp_path):
    sheet = openpyxl.load_workbook(written(tmp_path, "ND07-2021"))["ho"]
    formats = {  # one <col> element may span several columns
        column: dimension.number_format
        for dimension in sheet.column_dimensions.values()
        for column in range(dimension.min, dimension.max + 1)
    }
    assert (formats[1], formats[2], formats[3], formats[4]) == ("@", "@", "General", "#,##0")


@pytest.mark.parametrize("standard_id", STANDARD_IDS)
def test_the_guide_explains_every_column(tmp_path, standard_id):
    standard = get_standard(standard_id)
    rows = sheet_values(written(tmp_path, standard_id), "huong_dan")
    table = {row[0]: row for row in rows if row and row[0] in expected_columns(standard_id)}
    assert list(table) == expected_columns(standard_id)
    assert all(len(row) == 5 for row in table.values())
    for code in EXPECTED_INDICATORS[standard_id]:
        rule = next(rule for rule in standard.indicators if rule.code == code)
        assert table[code][1] == standard.catalogue[code].name_vi
        assert table[code][2] == f"Hộ thiếu hụt nếu {rule.describe_vi}."
    assert "khu vực đô thị" in table["khu_vuc"][3] and "nong_thon" in table["khu_vuc"][3]
    assert "1.500.000" in table["thu_nhap_binh_quan"][3]
    assert standard.instrument in rows[1][0]


@pytest.mark.parametrize(
    ("standard_id", "lines"),
    [
        ("QD59-2015", [["nông thôn", "nong_thon", 700_000, 1_000_000, 1_500_000],
                       ["thành thị", "thanh_thi", 900_000, 1_300_000, 1_950_000]]),
        ("ND07-2021", [["nông thôn", "nong_thon", 1_500_000, 2_250_000], ["thành thị", "thanh_thi", 2_000_000, 3_000_000]]),
        ("ND351-2025", [["nông thôn", "nong_thon", 2_200_000, "chưa có"], ["đô thị", "thanh_thi", 2_800_000, "chưa có"]]),
    ],
)  # fmt: skip
def test_the_standard_sheet_names_the_standard_and_its_income_lines(tmp_path, standard_id, lines):
    standard = get_standard(standard_id)
    rows = sheet_values(written(tmp_path, standard_id), "chuan_ngheo")
    facts = {row[0]: row[1] for row in rows if len(row) == 2}
    assert facts["Mã chuẩn"] == standard_id
    assert facts["Tên"] == standard.name_vi
    assert facts["Văn bản"] == standard.instrument
    assert f"thiếu hụt từ {standard.cutoff} chỉ số trở lên" in facts["Cách xác định"]
    assert [row for row in rows if len(row) > 1 and row[1] in ("nong_thon", "thanh_thi")] == lines


def test_write_template_refuses_what_it_cannot_write(tmp_path):
    nd07 = get_standard("ND07-2021")
    with pytest.raises(SurveyFileError, match=r"phải có đuôi \.xlsx"):
        write_template(tmp_path / "mau.csv", nd07)
    with pytest.raises(SurveyFileError, match="không có thư mục"):
        write_template(tmp_path / "no" / "mau.xlsx", nd07)
    (tmp_path / "folder.xlsx").mkdir()
    with pytest.raises(SurveyFileError, match="là thư mục"):
        write_template(tmp_path / "folder.xlsx", nd07)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["folder.xlsx"]


def test_write_template_replaces_an_existing_file_whole(tmp_path):
    path = tmp_path / "mau.xlsx"
    path.write_bytes(b"old")
    write_template(path, get_standard("ND07-2021"))
    assert path.read_bytes().startswith(b"PK")
    assert [p.name for p in tmp_path.iterdir()] == ["mau.xlsx"]  # no temporary file left behind


def test_filename_and_bytes():
    nd351 = get_standard("ND351-2025")
    assert template_filename(nd351) == "mau-bang-tinh-ND351-2025.xlsx"
    assert template_bytes(nd351).startswith(b"PK\x03\x04")


def test_the_template_is_framework_free(tmp_path):
    script = textwrap.dedent(
        f"""
        import sys
        from pathlib import Path
        from giamngheo.engine.standard import get_standard
        from giamngheo.survey.template import write_template
        write_template(Path({str(tmp_path / "mau.xlsx")!r}), get_standard("ND07-2021"))
        print(sorted(m for m in sys.modules if m == "django" or m.startswith("django.")))
        """
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
    assert (tmp_path / "mau.xlsx").exists()
