"""Result files: same rows in the same order, original columns and values, result columns, CSV with a BOM, Excel
with text kept as text and a summary sheet."""

from __future__ import annotations

import openpyxl
import pytest

from giamngheo.engine.standard import get_standard
from giamngheo.survey import SurveyFileError, classify_file
from tests.survey.conftest import (
    RESULT_COLUMNS,
    household,
    read_output,
    survey_headers,
    write_csv,
    write_xlsx,
)


@pytest.fixture
def mixed_rows() -> list[list]:
    """Two communes; a duplicate code, a bad income and a bad flag as error rows between valid rows."""
    three = ["viec_lam", "dinh_duong", "bao_hiem_y_te"]
    return [
        household("H05", commune="00025", income="1.200.000", deprived=three),  # poor
        household("H01", commune="00025", income="1,400,000"),  # near-poor
        household("H05", commune="00025", income="1000000"),  # duplicate code: error
        household("H02", commune="00025", income="1 500 000"),  # near-poor (exactly the line)
        household("H03", commune="01234", income="2000000", agri="x"),  # middle
        household("H04", commune="01234", income="1,5tr"),  # error
        household("H06", commune="01234", income="5000000"),  # not poor
        household("H07", commune="01234", income="100", agri="có lẽ"),  # error
    ]


def test_csv_output_keeps_rows_values_and_order(tmp_path, mixed_rows):
    headers = ["STT", *survey_headers(), "Ghi chú"]
    rows = [[str(i), *row, f"ghi chú {i}"] for i, row in enumerate(mixed_rows, start=1)]
    source = write_csv(tmp_path / "in.csv", headers, rows, delimiter=";")
    report = classify_file(source, tmp_path / "out.csv", standard=get_standard("ND07-2021"))

    raw = (tmp_path / "out.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM for Excel
    output = read_output(tmp_path / "out.csv")
    assert output.headers == [*headers, *RESULT_COLUMNS]
    assert [row[: len(headers)] for row in output.rows] == rows  # every input cell as read, in order
    assert output.column("phan_loai") == [
        "ngheo", "can_ngheo", "", "can_ngheo", "muc_song_trung_binh", "", "khong_ngheo", "",
    ]  # fmt: skip
    assert output.column("so_thieu_hut") == ["3", "0", "", "0", "0", "", "0", ""]
    assert output.column("chi_so_thieu_hut")[0] == "viec_lam;dinh_duong;bao_hiem_y_te"
    assert output.column("chuan_ngheo") == ["ND07-2021", "ND07-2021", "", "ND07-2021", "ND07-2021", "",
                                            "ND07-2021", ""]  # fmt: skip
    errors = output.column("loi")
    assert errors[2] == "cột ma_ho: mã hộ 'H05' trùng với dòng 2"
    assert errors[5] == "cột thu_nhap_binh_quan: giá trị '1,5tr' không phải số nguyên đồng"
    assert errors[7].startswith("cột ho_nong_lam_ngu_diem_nghiep: giá trị 'có lẽ' không hợp lệ")
    assert [e == "" for e in errors] == [True, True, False, True, True, False, True, False]
    assert [n for n, _, _ in report.error_rows] == [4, 7, 9]
    assert b";" in raw.splitlines()[0]  # the input's delimiter is kept


def test_csv_round_trip_is_stable(tmp_path, mixed_rows):
    """A result file classified again gives the same file: earlier result columns are replaced, not doubled."""
    source = write_csv(tmp_path / "in.csv", survey_headers(), mixed_rows)
    nd07 = get_standard("ND07-2021")
    classify_file(source, tmp_path / "out1.csv", standard=nd07)
    classify_file(tmp_path / "out1.csv", tmp_path / "out2.csv", standard=nd07)
    assert (tmp_path / "out2.csv").read_bytes() == (tmp_path / "out1.csv").read_bytes()
    assert read_output(tmp_path / "out2.csv").headers.count("phan_loai") == 1


def test_xlsx_to_csv_writes_numbers_as_the_sheet_shows_them(tmp_path):
    rows = [household("H1", commune=25, income=1500000), household("H2", commune="00026", income=1800000.0)]
    source = write_xlsx(tmp_path / "in.xlsx", survey_headers(), rows)
    classify_file(source, tmp_path / "out.csv", standard=get_standard("ND07-2021"))
    output = read_output(tmp_path / "out.csv")
    assert output.column("thu_nhap_binh_quan") == ["1500000", "1800000"]
    assert output.column("ma_xa") == ["00025", "00026"]
    assert output.column("phan_loai") == ["can_ngheo", "khong_ngheo"]


def test_xlsx_output_types(tmp_path):
    headers = [*survey_headers(), "Số điện thoại", "Ghi chú", "Số khẩu"]
    rows = [
        [*household("1023", commune="00025", income="1.500.000"), "0905123456", "=1+1", "4"],
        [*household("H2", commune="00026", income="9"), "", "+84 905", "5"],
    ]
    source = write_csv(tmp_path / "in.csv", headers, rows)
    classify_file(source, tmp_path / "out.xlsx", standard=get_standard("ND07-2021"))
    workbook = openpyxl.load_workbook(tmp_path / "out.xlsx")
    assert workbook.sheetnames == ["ho", "tong_hop"]
    sheet = workbook["ho"]
    header_cells = [c.value for c in sheet[1]]
    assert header_cells == [*headers, *RESULT_COLUMNS]
    first = {h: c for h, c in zip(header_cells, sheet[2], strict=True)}
    # text from a CSV stays text: codes keep their zeros, "=1+1" is not a formula (and is quoted: OWASP's rule),
    # "4" is not a number
    for name, value in [("ma_ho", "1023"), ("ma_xa", "00025"), ("thu_nhap_binh_quan", "1.500.000"),
                        ("Số điện thoại", "0905123456"), ("Ghi chú", "'=1+1"), ("Số khẩu", "4")]:  # fmt: skip
        assert (first[name].value, first[name].data_type) == (value, "s")
    assert (first["so_thieu_hut"].value, first["so_thieu_hut"].data_type) == (0, "n")
    assert first["phan_loai"].value == "can_ngheo"


def test_xlsx_to_xlsx_keeps_numbers_as_numbers_and_codes_as_text(tmp_path):
    headers = [*survey_headers(), "Số khẩu"]
    rows = [[*household(1023, commune=25, income=1500000), 4]]
    source = write_xlsx(tmp_path / "in.xlsx", headers, rows)
    classify_file(source, tmp_path / "out.xlsx", standard=get_standard("ND07-2021"))
    output = read_output(tmp_path / "out.xlsx")
    record = output.records()[0]
    assert (record["ma_ho"], record["ma_xa"]) == ("1023", "00025")
    assert record["thu_nhap_binh_quan"] == 1500000
    assert record["Số khẩu"] == 4
    assert record["phan_loai"] == "can_ngheo"


def summary_rows(path) -> list[list]:
    sheet = openpyxl.load_workbook(path)["tong_hop"]
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_summary_sheet_counts_and_rates(tmp_path, mixed_rows):
    mixed_rows.append(household("H08", commune="", income="900000"))  # no commune code: near-poor
    source = write_csv(tmp_path / "in.csv", survey_headers(), mixed_rows)
    classify_file(source, tmp_path / "out.xlsx", standard=get_standard("ND07-2021"))
    rows = summary_rows(tmp_path / "out.xlsx")
    facts = {row[0]: row[1] for row in rows[1:6]}
    assert facts == {"Chuẩn nghèo": "ND07-2021", "Văn bản": "Nghị định 07/2021/NĐ-CP", "Số dòng": 9,
                     "Số dòng đã phân loại": 6, "Số dòng lỗi": 3}  # fmt: skip
    header_index = next(i for i, row in enumerate(rows) if row[0] == "Mã xã")
    header = rows[header_index]
    table = {row[0]: dict(zip(header, row, strict=True)) for row in rows[header_index + 1 :]}
    assert list(table) == ["Tổng cộng", "00025", "01234", "(không có mã xã)"]

    total = table["Tổng cộng"]
    assert (total["Số dòng"], total["Số dòng lỗi"], total["Số hộ đã phân loại"]) == (9, 3, 6)
    assert total["Hộ nghèo (số hộ)"] == 1 and total["Hộ nghèo (%)"] == pytest.approx(16.67)
    assert total["Hộ cận nghèo (số hộ)"] == 3 and total["Hộ cận nghèo (%)"] == pytest.approx(50.0)
    assert total["Hộ có mức sống trung bình (số hộ)"] == 1
    assert total["Hộ có mức sống trung bình (%)"] == pytest.approx(16.67)
    assert total["Không nghèo, cận nghèo (số hộ)"] == 1

    first = table["00025"]  # 4 rows: poor, near-poor, error, near-poor
    assert (first["Số dòng"], first["Số dòng lỗi"], first["Số hộ đã phân loại"]) == (4, 1, 3)
    assert first["Hộ nghèo (%)"] == pytest.approx(33.33)
    assert first["Hộ cận nghèo (%)"] == pytest.approx(66.67)
    assert first["Hộ có mức sống trung bình (%)"] == 0

    second = table["01234"]  # 4 rows: middle, error, not poor, error
    assert (second["Số dòng"], second["Số dòng lỗi"], second["Số hộ đã phân loại"]) == (4, 2, 2)
    assert second["Hộ có mức sống trung bình (%)"] == pytest.approx(50.0)
    assert second["Không nghèo, cận nghèo (%)"] == pytest.approx(50.0)
    assert table["(không có mã xã)"]["Hộ cận nghèo (số hộ)"] == 1


def test_summary_without_a_commune_column_and_without_classified_rows(tmp_path):
    headers = [h for h in survey_headers() if h != "ma_xa"]
    rows = [[c for i, c in enumerate(household(code, income="?")) if i != 1] for code in ("H1", "H2")]
    classify_file(write_csv(tmp_path / "in.csv", headers, rows), tmp_path / "out.xlsx",
                  standard=get_standard("ND07-2021"))  # fmt: skip
    rows_out = summary_rows(tmp_path / "out.xlsx")
    header_index = next(i for i, row in enumerate(rows_out) if row[0] == "Mã xã")
    assert [row[0] for row in rows_out[header_index + 1 :]] == ["Tổng cộng"]
    total = rows_out[header_index + 1]
    assert total[1:4] == [2, 2, 0]
    assert total[5] is None  # no classified rows: no rate


def test_unusable_input_leaves_no_output_and_keeps_an_existing_one(tmp_path):
    (tmp_path / "in.csv").write_text("ma_ho,khu_vuc\nH1,nong_thon\n", encoding="utf-8")
    (tmp_path / "out.xlsx").write_bytes(b"earlier result")
    with pytest.raises(SurveyFileError):
        classify_file(tmp_path / "in.csv", tmp_path / "out.xlsx", standard=get_standard("ND07-2021"))
    assert (tmp_path / "out.xlsx").read_bytes() == b"earlier result"
    with pytest.raises(SurveyFileError):
        classify_file(tmp_path / "in.csv", tmp_path / "new.csv", standard=get_standard("ND07-2021"))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv", "out.xlsx"]


@pytest.mark.parametrize(
    ("output", "message"),
    [("out.txt", "phải có đuôi .xlsx hoặc .csv"), ("missing/out.csv", "không có thư mục")],
)
def test_bad_output_paths(tmp_path, output, message):
    source = write_csv(tmp_path / "in.csv", survey_headers(), [household("H1")])
    with pytest.raises(SurveyFileError, match=message):
        classify_file(source, tmp_path / output, standard=get_standard("ND07-2021"))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv"]


def test_output_replaces_an_existing_file_without_temporary_leftovers(tmp_path):
    source = write_csv(tmp_path / "in.csv", survey_headers(), [household("H1")])
    (tmp_path / "out.csv").write_text("old", encoding="utf-8")
    classify_file(source, tmp_path / "out.csv", standard=get_standard("ND07-2021"))
    assert read_output(tmp_path / "out.csv").column("ma_ho") == ["H1"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv", "out.csv"]
