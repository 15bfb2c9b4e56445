"""Reading survey files: header variants, every value format, row errors and whole-file errors."""

from __future__ import annotations

import unicodedata

import pytest

from giamngheo.engine.facts import AreaType
from giamngheo.survey import SurveyFileError
from giamngheo.survey.reader import read_survey
from tests.survey.conftest import household, indicator_headers, survey_headers, write_csv, write_xlsx

ND07_INDICATORS = indicator_headers("ND07-2021")


def one_row_survey(tmp_path, nd07, column: str, value, *, as_xlsx: bool = False):
    """Read a one-household file where `column` holds `value`; everything else is valid."""
    headers = survey_headers()
    row = household("H1")
    row[headers.index(column)] = value
    if as_xlsx:
        path = write_xlsx(tmp_path / "in.xlsx", headers, [row])
    else:
        path = write_csv(tmp_path / "in.csv", headers, [row])
    survey = read_survey(path, nd07)
    assert len(survey.rows) == 1
    return survey.rows[0]


# --- headers -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("household_code", "area", "income", "commune", "agri", "employment"),
    [
        ("ma_ho", "khu_vuc", "thu_nhap_binh_quan", "ma_xa", "ho_nong_lam_ngu_diem_nghiep", "viec_lam"),
        ("Mã hộ", "Khu vực", "Thu nhập bình quân", "Mã xã", "Hộ nông, lâm, ngư, diêm nghiệp", "Việc làm"),
        ("MA HO", "KHU VUC", "THU NHAP BINH QUAN", "MA XA", "HO NONG LAM NGU DIEM NGHIEP", "VIEC LAM"),
        ("MÃ HỘ", "KHU VỰC", "THU NHẬP BÌNH QUÂN", "MÃ XÃ", "HỘ NÔNG-LÂM-NGƯ-DIÊM NGHIỆP", "VIỆC LÀM"),
        (" Mã  hộ ", "khu-vực", "Thu nhập  bình quân.", "mã_xã", "hộ nông/lâm/ngư/diêm nghiệp", "việc_làm"),
        (
            unicodedata.normalize("NFD", "Mã hộ"),
            unicodedata.normalize("NFD", "Khu vực"),
            unicodedata.normalize("NFD", "Thu nhập bình quân"),
            unicodedata.normalize("NFD", "Mã xã"),
            unicodedata.normalize("NFD", "Hộ nông lâm ngư diêm nghiệp"),
            unicodedata.normalize("NFD", "Việc làm"),
        ),
    ],
)
@pytest.mark.parametrize("as_xlsx", [False, True])
def test_header_variants_name_the_same_columns(
    tmp_path, nd07, household_code, area, income, commune, agri, employment, as_xlsx
):
    headers = [household_code, commune, area, income, agri, employment, *ND07_INDICATORS[1:]]
    flags = ["x", "", "x", "x", *[""] * (len(ND07_INDICATORS) - 4)]
    rows = [["H1", "00025", "nông thôn", "1500000", "x", *flags]]
    path = (write_xlsx if as_xlsx else write_csv)(
        tmp_path / ("in.xlsx" if as_xlsx else "in.csv"), headers, rows
    )
    survey = read_survey(path, nd07)
    [row] = survey.rows
    assert row.errors == ()
    assert (row.household_code, row.commune_code, row.area_type, row.income, row.is_agri) == (
        "H1",
        "00025",
        AreaType.RURAL,
        1_500_000,
        True,
    )
    assert row.deprived == {"viec_lam", "dinh_duong", "bao_hiem_y_te"}
    assert survey.headers == tuple(h.strip() for h in headers)  # original header text is kept


def test_indicator_headers_in_vietnamese(tmp_path, nd351):
    vietnamese = {
        "viec_lam": "Việc làm",
        "nguoi_phu_thuoc": "Người phụ thuộc",
        "dinh_duong": "Dinh dưỡng",
        "bao_hiem_y_te": "Bảo hiểm y tế",
        "giao_duc_nguoi_lon": "Giáo dục người lớn",
        "tre_em_di_hoc": "Trẻ em đi học",
        "chat_luong_nha_o": "Chất lượng nhà ở",
        "dien_tich_nha_o": "Diện tích nhà ở",
        "nguon_nuoc_sinh_hoat": "Nguồn nước sinh hoạt",
        "nha_tieu_hop_ve_sinh": "Nhà tiêu hợp vệ sinh",
        "dich_vu_vien_thong": "Dịch vụ viễn thông",
        "thu_gom_xu_ly_rac": "Thu gom, xử lý rác",
    }
    codes = list(nd351.indicator_codes)
    headers = ["Mã hộ", "Khu vực", "Thu nhập bình quân", *(vietnamese[c] for c in codes)]
    row = ["H1", "thành thị", "100", *("có" if i % 2 == 0 else "không" for i in range(len(codes)))]
    survey = read_survey(write_csv(tmp_path / "in.csv", headers, [row]), nd351)
    assert survey.rows[0].deprived == {c for i, c in enumerate(codes) if i % 2 == 0}


def test_unknown_columns_are_kept_in_place_with_their_original_headers(tmp_path, nd07):
    headers = ["STT", "Họ tên chủ hộ", *survey_headers()[:3], "Ghi chú (thôn)", *survey_headers()[3:]]
    base = household("H1")
    row = ["1", "Đinh Văn A", *base[:3], "Thôn 2, làng Tơ", *base[3:]]
    survey = read_survey(write_csv(tmp_path / "in.csv", headers, [row]), nd07)
    assert survey.headers == tuple(headers)
    assert survey.rows[0].cells == tuple(row)


def test_ho_sheet_is_preferred_over_the_first_sheet(tmp_path, nd07):
    instructions = ("Hướng dẫn", [["Điền mỗi hộ một dòng"], ["ma_ho là bắt buộc"]])
    path = write_xlsx(
        tmp_path / "in.xlsx", survey_headers(), [household("H9")], sheet="Hộ", sheets_before=[instructions]
    )
    survey = read_survey(path, nd07)
    assert survey.sheet == "Hộ"
    assert [r.household_code for r in survey.rows] == ["H9"]


@pytest.mark.parametrize("name", ["ho", "HO", "Hộ", " hộ "])
def test_ho_sheet_name_is_matched_like_a_column(tmp_path, nd07, name):
    other = ("Danh sách cũ", [survey_headers(), household("OLD")])
    path = write_xlsx(
        tmp_path / "in.xlsx", survey_headers(), [household("NEW")], sheet=name, sheets_before=[other]
    )
    assert [r.household_code for r in read_survey(path, nd07).rows] == ["NEW"]


def test_first_sheet_without_a_ho_sheet(tmp_path, nd07):
    path = write_xlsx(tmp_path / "in.xlsx", survey_headers(), [household("H1")], sheet="Xã A")
    assert read_survey(path, nd07).rows[0].household_code == "H1"


# --- incomes -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "1500000",
        "1.500.000",
        "1,500,000",
        "1 500 000",
        "1\u00a0500\u00a0000",
        "1\u202f500\u202f000",
        " 1500000 ",
        "1500000.0",
        "1500000,00",
        "1.500.000,00",
        "1,500,000.00",
    ],
)
def test_whole_number_formats(tmp_path, nd07, text):
    row = one_row_survey(tmp_path, nd07, "thu_nhap_binh_quan", text)
    assert (row.income, row.errors) == (1_500_000, ())


@pytest.mark.parametrize("value", [1500000, 1500000.0])
def test_excel_numbers(tmp_path, nd07, value):
    row = one_row_survey(tmp_path, nd07, "thu_nhap_binh_quan", value, as_xlsx=True)
    assert (row.income, row.errors) == (1_500_000, ())


def test_grouped_text_in_excel_and_zero(tmp_path, nd07):
    assert one_row_survey(tmp_path, nd07, "thu_nhap_binh_quan", "1.500.000", as_xlsx=True).income == 1_500_000
    assert one_row_survey(tmp_path, nd07, "thu_nhap_binh_quan", "0").income == 0


@pytest.mark.parametrize(
    ("value", "as_xlsx", "expected"),
    [
        ("1,5tr", False, "cột thu_nhap_binh_quan: giá trị '1,5tr' không phải số nguyên đồng"),
        ("1.5", False, "giá trị '1.5' không phải số nguyên đồng (không rõ '.' là dấu thập phân"),
        ("1,5", False, "giá trị '1,5' không phải số nguyên đồng (không rõ ',' là dấu thập phân"),
        ("1500000.5", False, "giá trị '1500000.5' không phải số nguyên đồng"),
        ("1.500.000,5", False, "giá trị '1.500.000,5' không phải số nguyên đồng (có phần lẻ)"),
        ("1,500.000", False, "giá trị '1,500.000' không phải số nguyên đồng (không rõ '.'"),
        ("1500000.000", False, "giá trị '1500000.000' không phải số nguyên đồng (không rõ '.'"),
        ("1.50.000", False, "giá trị '1.50.000' không phải số nguyên đồng"),
        ("15 00 000", False, "giá trị '15 00 000' không phải số nguyên đồng"),
        ("1500000đ", False, "giá trị '1500000đ' không phải số nguyên đồng"),
        ("-1500000", False, "giá trị '-1500000' là số âm"),
        ("-1.500.000", False, "giá trị '-1.500.000' là số âm"),
        ("", False, "cột thu_nhap_binh_quan: thiếu giá trị"),
        ("   ", False, "cột thu_nhap_binh_quan: thiếu giá trị"),
        ("99999999999999", False, "giá trị '99999999999999' quá lớn"),
        (1500000.5, True, "giá trị '1500000.5' không phải số nguyên đồng (có phần lẻ)"),
        (1.5, True, "giá trị '1.5' không phải số nguyên đồng"),
        (-200, True, "giá trị '-200' là số âm"),
        (True, True, "giá trị 'TRUE' không phải số nguyên đồng"),
    ],
)
def test_bad_incomes_are_row_errors_naming_column_and_value(tmp_path, nd07, value, as_xlsx, expected):
    row = one_row_survey(tmp_path, nd07, "thu_nhap_binh_quan", value, as_xlsx=as_xlsx)
    assert row.income is None
    assert len(row.errors) == 1
    assert row.errors[0].startswith("cột thu_nhap_binh_quan: ")
    assert expected in row.errors[0]


# --- flags ---------------------------------------------------------------------------------------------------

YES = [
    "1",
    "x",
    "X",
    " x ",
    "có",
    "Có",
    "CÓ",
    unicodedata.normalize("NFD", "có"),
    "co",
    "CO",
    "true",
    "TRUE",
    "True",
]
NO = ["0", "", "  ", "không", "Không", "KHÔNG", "khong", "KHONG", "false", "FALSE"]


@pytest.mark.parametrize("spelling", YES)
def test_yes_spellings(tmp_path, nd07, spelling):
    row = one_row_survey(tmp_path, nd07, "bao_hiem_y_te", spelling)
    assert (row.deprived, row.errors) == ({"bao_hiem_y_te"}, ())
    assert one_row_survey(tmp_path, nd07, "ho_nong_lam_ngu_diem_nghiep", spelling).is_agri is True


@pytest.mark.parametrize("spelling", NO)
def test_no_spellings(tmp_path, nd07, spelling):
    row = one_row_survey(tmp_path, nd07, "bao_hiem_y_te", spelling)
    assert (row.deprived, row.errors) == (frozenset(), ())
    assert one_row_survey(tmp_path, nd07, "ho_nong_lam_ngu_diem_nghiep", spelling).is_agri is False


@pytest.mark.parametrize(
    ("value", "deprived"), [(True, True), (1, True), (False, False), (0, False), ("", False)]
)
def test_excel_booleans_and_numbers_as_flags(tmp_path, nd07, value, deprived):
    row = one_row_survey(tmp_path, nd07, "viec_lam", value, as_xlsx=True)
    assert row.errors == ()
    assert ("viec_lam" in row.deprived) is deprived


@pytest.mark.parametrize(("value", "as_xlsx"), [("2", False), ("yes", False), ("c", False), ("có lẽ", False),
                                                 ("cô", False), ("1.0", False), (2, True), (0.5, True)])  # fmt: skip
def test_bad_flags_are_row_errors(tmp_path, nd07, value, as_xlsx):
    row = one_row_survey(tmp_path, nd07, "dinh_duong", value, as_xlsx=as_xlsx)
    assert len(row.errors) == 1
    shown = value if isinstance(value, str) else str(value)
    assert row.errors[0].startswith(f"cột dinh_duong: giá trị '{shown}' không hợp lệ")


def test_uncounted_indicator_columns_are_not_checked(tmp_path, qd59):
    headers = [*survey_headers("QD59-2015"), "viec_lam"]  # not counted by QĐ 59
    row = [*household("H1", standard_id="QD59-2015"), "không rõ"]
    survey = read_survey(write_csv(tmp_path / "in.csv", headers, [row]), qd59)
    assert survey.rows[0].errors == ()
    assert survey.rows[0].cells[-1] == "không rõ"


# --- area type, commune code, household code --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "area"),
    [("nong_thon", AreaType.RURAL), ("nông thôn", AreaType.RURAL), ("Nông Thôn", AreaType.RURAL),
     ("NONG THON", AreaType.RURAL), (" nong-thon ", AreaType.RURAL), ("thanh_thi", AreaType.URBAN),
     ("thành thị", AreaType.URBAN), ("Thành Thị", AreaType.URBAN), ("đô thị", AreaType.URBAN),
     ("Đô thị", AreaType.URBAN), ("DO THI", AreaType.URBAN)],
)  # fmt: skip
def test_area_type_spellings(tmp_path, nd07, value, area):
    row = one_row_survey(tmp_path, nd07, "khu_vuc", value)
    assert (row.area_type, row.errors) == (area, ())


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("miền núi", "cột khu_vuc: giá trị 'miền núi' không phải nong_thon"),
        ("", "cột khu_vuc: thiếu giá trị"),
    ],
)
def test_bad_area_type(tmp_path, nd07, value, message):
    row = one_row_survey(tmp_path, nd07, "khu_vuc", value)
    assert row.area_type is None
    assert row.errors[0].startswith(message)


@pytest.mark.parametrize(
    ("value", "as_xlsx", "code"),
    [("01234", False, "01234"), ("01234", True, "01234"), (1234, True, "01234"), (1234.0, True, "01234"),
     ("1234", False, "01234"), (" 00025 ", False, "00025"), (25, True, "00025"), ("", False, None)],
)  # fmt: skip
def test_commune_codes_keep_or_regain_leading_zeros(tmp_path, nd07, value, as_xlsx, code):
    row = one_row_survey(tmp_path, nd07, "ma_xa", value, as_xlsx=as_xlsx)
    assert (row.commune_code, row.errors) == (code, ())


@pytest.mark.parametrize(("value", "as_xlsx"), [("12a45", False), ("123456", False), ("1 234", False),
                                                 ("-1234", False), (12.5, True), (123456, True)])  # fmt: skip
def test_bad_commune_codes(tmp_path, nd07, value, as_xlsx):
    row = one_row_survey(tmp_path, nd07, "ma_xa", value, as_xlsx=as_xlsx)
    assert row.commune_code is None
    assert row.errors == (f"cột ma_xa: giá trị '{value}' không phải mã xã gồm 5 chữ số",)


def test_household_code_from_an_excel_number_and_blank_code(tmp_path, nd07):
    assert one_row_survey(tmp_path, nd07, "ma_ho", 1023, as_xlsx=True).household_code == "1023"
    row = one_row_survey(tmp_path, nd07, "ma_ho", "  ")
    assert row.errors == ("cột ma_ho: thiếu mã hộ",)


def test_second_row_with_the_same_code_is_an_error(tmp_path, nd07):
    rows = [household("H1"), household("H2"), household(" H1 "), household("H1")]
    survey = read_survey(write_csv(tmp_path / "in.csv", survey_headers(), rows), nd07)
    assert [r.errors for r in survey.rows] == [
        (),
        (),
        ("cột ma_ho: mã hộ 'H1' trùng với dòng 2",),
        ("cột ma_ho: mã hộ 'H1' trùng với dòng 2",),
    ]


def test_several_problems_in_one_row_are_all_reported(tmp_path, nd07):
    headers = survey_headers()
    row = household("H1", income="1,5tr", area="miền núi", commune="x1", agri="có lẽ")
    row[headers.index("viec_lam")] = "?"
    survey = read_survey(write_csv(tmp_path / "in.csv", headers, [row]), nd07)
    [parsed] = survey.rows
    assert [e.split(":")[0] for e in parsed.errors] == [
        "cột ma_xa",
        "cột khu_vuc",
        "cột thu_nhap_binh_quan",
        "cột ho_nong_lam_ngu_diem_nghiep",
        "cột viec_lam",
    ]
    assert parsed.error_text == "; ".join(parsed.errors)


# --- CSV details ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
@pytest.mark.parametrize("bom", [False, True])
def test_csv_delimiters_and_bom(tmp_path, nd07, delimiter, bom):
    rows = [household("H1", income="1,500,000"), household("H2", income="2.000.000")]
    path = write_csv(tmp_path / "in.csv", survey_headers(), rows, delimiter=delimiter, bom=bom)
    survey = read_survey(path, nd07)
    assert survey.delimiter == delimiter
    assert survey.headers[0] == "ma_ho"  # no BOM left in the first header
    assert [(r.household_code, r.income, r.errors) for r in survey.rows] == [
        ("H1", 1_500_000, ()),
        ("H2", 2_000_000, ()),
    ]


def test_unquoted_grouped_number_in_a_comma_file_is_a_row_error(tmp_path, nd07):
    headers = survey_headers()
    good = ",".join(household("H1"))
    broken = ",".join(household("H2", income="1,500,000"))  # unquoted: splits into three cells
    (tmp_path / "in.csv").write_text(",".join(headers) + "\n" + good + "\n" + broken + "\n", encoding="utf-8")
    survey = read_survey(tmp_path / "in.csv", nd07)
    assert survey.rows[0].errors == ()
    assert survey.rows[1].errors[0].startswith(f"dòng có {len(headers) + 2} ô nhưng dòng tiêu đề chỉ có")


def test_blank_lines_are_skipped_and_row_numbers_are_the_files(tmp_path, nd07):
    lines = [",".join(survey_headers()), ",".join(household("H1")), "", ",".join(household("H1"))]
    (tmp_path / "in.csv").write_text("\n".join(lines) + "\n\n", encoding="utf-8")
    survey = read_survey(tmp_path / "in.csv", nd07)
    assert [r.number for r in survey.rows] == [2, 4]
    assert survey.rows[1].errors == ("cột ma_ho: mã hộ 'H1' trùng với dòng 2",)


def test_short_csv_rows_are_padded(tmp_path, nd07):
    headers = [*survey_headers(), "Ghi chú"]
    (tmp_path / "in.csv").write_text(",".join(headers) + "\nH1,01234,nong_thon,100\n", encoding="utf-8")
    [row] = read_survey(tmp_path / "in.csv", nd07).rows
    assert (row.income, row.deprived, row.errors) == (100, frozenset(), ())
    assert len(row.cells) == len(headers)


def test_workbook_rows_are_numbered_as_excel_shows_them(tmp_path, nd07):
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.cell(row=3, column=2, value="placeholder")  # data starts at B3
    for offset, value in enumerate(survey_headers()):
        sheet.cell(row=3, column=2 + offset, value=value)
    for row_index, row in enumerate([household("H1"), household("H1")], start=4):
        for offset, value in enumerate(row):
            sheet.cell(row=row_index, column=2 + offset, value=value or None)
    workbook.save(tmp_path / "in.xlsx")
    survey = read_survey(tmp_path / "in.xlsx", nd07)
    assert [r.number for r in survey.rows] == [4, 5]
    assert survey.rows[1].errors == ("cột ma_ho: mã hộ 'H1' trùng với dòng 4",)


# --- whole-file errors ----------------------------------------------------------------------------------------


def test_missing_required_columns_are_named(tmp_path, nd07):
    headers = [h for h in survey_headers() if h not in {"khu_vuc", "thu_nhap_binh_quan"}]
    path = write_csv(tmp_path / "in.csv", headers, [["H1", *[""] * (len(headers) - 1)]])
    with pytest.raises(SurveyFileError, match="thiếu cột bắt buộc khu_vuc, thu_nhap_binh_quan"):
        read_survey(path, nd07)


def test_a_look_alike_header_gets_a_hint(tmp_path, nd07):
    headers = [
        h if h != "thu_nhap_binh_quan" else "Thu nhập bình quân (đồng/người/tháng)" for h in survey_headers()
    ]
    path = write_csv(tmp_path / "in.csv", headers, [household("H1")])
    with pytest.raises(SurveyFileError) as caught:
        read_survey(path, nd07)
    assert "thu_nhap_binh_quan (có cột 'Thu nhập bình quân (đồng/người/tháng)'" in str(caught.value)


def test_missing_counted_indicator_columns_are_named_with_the_standard(tmp_path, nd07, nd351):
    headers = [h for h in survey_headers() if h not in {"dinh_duong", "viec_lam"}]
    path = write_csv(tmp_path / "in.csv", headers, [["H1", "01234", "nong_thon", "1", ""]])
    with pytest.raises(SurveyFileError, match=r"chuẩn ND07-2021 tính: viec_lam, dinh_duong$"):
        read_survey(path, nd07)
    # ND07 columns lack ND351's waste collection indicator
    nd07_file = write_csv(tmp_path / "nd07.csv", survey_headers(), [household("H1")])
    with pytest.raises(SurveyFileError, match="chuẩn ND351-2025 tính: thu_gom_xu_ly_rac"):
        read_survey(nd07_file, nd351)


def test_a_known_column_twice_is_a_file_error(tmp_path, nd07):
    headers = [*survey_headers(), "Mã hộ"]
    path = write_csv(tmp_path / "in.csv", headers, [[*household("H1"), "H1"]])
    with pytest.raises(SurveyFileError, match="cột ma_ho xuất hiện hai lần"):
        read_survey(path, nd07)


def test_unusable_files(tmp_path, nd07):
    cases = {
        "missing.csv": (None, "không tìm thấy tệp"),
        "empty.csv": (b"", "trống"),
        "blank.csv": (b"\n\n  \n", "trống"),
        "only_header.csv": (",".join(survey_headers()).encode() + b"\n", "không có dòng dữ liệu nào"),
        "picture.csv": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "không phải bảng tính"),
        "latin1.csv": ("ma_ho,khu_vuc\nH1,nông thôn\n".encode("cp1258"), "không phải CSV mã UTF-8"),
        "fake.xlsx": (b"ma_ho,khu_vuc\n", "không phải tệp Excel hợp lệ"),
        "broken.xlsx": (b"PK\x03\x04 not really a zip", "không đọc được như tệp Excel"),
    }
    for name, (content, message) in cases.items():
        if content is not None:
            (tmp_path / name).write_bytes(content)
        with pytest.raises(SurveyFileError, match=message):
            read_survey(tmp_path / name, nd07)
    with pytest.raises(SurveyFileError, match="là thư mục"):
        read_survey(tmp_path, nd07)


def test_empty_workbook(tmp_path, nd07):
    import openpyxl

    openpyxl.Workbook().save(tmp_path / "empty.xlsx")
    with pytest.raises(SurveyFileError, match="trống"):
        read_survey(tmp_path / "empty.xlsx", nd07)


def test_a_workbook_is_recognised_by_content_whatever_its_name(tmp_path, nd07):
    path = write_xlsx(tmp_path / "in.xlsx", survey_headers(), [household("H1")])
    renamed = path.rename(tmp_path / "khao_sat.csv")
    assert read_survey(renamed, nd07).rows[0].household_code == "H1"
