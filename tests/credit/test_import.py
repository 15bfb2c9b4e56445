"""The bank's spreadsheet import: every bad row reported in Vietnamese by row and column, nothing saved unless all
rows are right, and undo as a recorded withdrawal (`giamngheo.credit.bank`)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from giamngheo.credit.bank import ImportRefused, bank_import, bank_import_withdraw
from giamngheo.credit.models import BankFigure, BankImport, BankImportWithdrawal
from giamngheo.credit.selectors import BANK, credit_summary
from tests.credit.conftest import Town
from tests.credit.helpers import row, write_csv, write_xlsx

pytestmark = pytest.mark.django_db


def refused(path: Path, actor: object = None) -> list[str]:
    with pytest.raises(ImportRefused) as caught:
        bank_import(path=path, file_name=path.name, actor=actor)
    return [str(p) for p in caught.value.problems]


def test_every_bad_row_is_reported_and_nothing_is_saved(town: Town, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "nhcsxh.csv", [
        row(),                                                  # row 2: fine
        row(commune="99999"),                                   # row 3
        row(programme="vay_mua_xe"),                            # row 4
        row(disbursed="-5000", outstanding="1.5"),              # row 5
        row(overdue=2_000_000),                                 # row 6: more overdue than outstanding
        row(start="01/01/2023", end="28/12/2023"),              # row 7: the same period as row 2
        row(start="30/12/2023", end="01/01/2024"),              # row 8
        row(end="31/02/2023", loans="hai"),                     # row 9
    ])  # fmt: skip
    problems = refused(path)
    assert problems == [
        "Dòng 3, cột ma_xa: không có xã mã 99999 vào ngày 28/12/2023",
        "Dòng 4, cột ma_chuong_trinh: không có chương trình mã «vay_mua_xe» (các mã: dtts_ctmtqg, ho_can_ngheo, "
        "ho_moi_thoat_ngheo, ho_ngheo, hssv, nha_o_ho_ngheo, nuoc_sach_vsmt, sxkd_vung_kho_khan, viec_lam)",
        "Dòng 5, cột doanh_so_cho_vay: «-5000» là số âm; phải từ 0 trở lên",
        "Dòng 5, cột du_no: «1.5» không phải số nguyên đồng",
        "Dòng 6, cột no_qua_han: nợ quá hạn lớn hơn dư nợ",
        "Dòng 8, cột tu_ngay: kỳ báo cáo phải nằm trong một năm (từ 30/12/2023 đến 01/01/2024)",
        "Dòng 9, cột den_ngay: «31/02/2023» không phải ngày (ghi ngày/tháng/năm, ví dụ 28/12/2023)",
        "Dòng 9, cột so_luot_vay: «hai» không phải số nguyên",
        "Dòng 7, cột den_ngay: trùng kỳ với dòng 2 (cùng xã, cùng chương trình, kỳ 01/01/2023–28/12/2023)",
    ]
    assert not BankImport.objects.exists() and not BankFigure.objects.exists()


def test_a_file_without_the_columns_or_rows_is_refused_whole(town: Town, tmp_path: Path) -> None:
    assert refused(write_csv(tmp_path / "a.csv", [row()], header=["ma_xa", "du_no"])) == [
        "Tệp thiếu cột: ma_chuong_trinh, tu_ngay, den_ngay, doanh_so_cho_vay, so_luot_vay, so_ho_con_du_no, "
        "no_qua_han."
    ]
    assert refused(write_csv(tmp_path / "b.csv", [])) == [
        "Tệp không có dòng số liệu nào (chỉ có dòng tiêu đề)."
    ]


def test_an_import_is_one_batch_and_undo_withdraws_it_with_a_record(town: Town, tmp_path: Path) -> None:
    owner = town.personas.owner
    path = write_xlsx(tmp_path / "bao-cao.xlsx", [
        ["23824", "ho_ngheo", date(2023, 1, 1), date(2023, 12, 28), 40_000_000, 2, 5, 90_000_000, 1_000_000],
        ["23845", "ho_can_ngheo", "01/01/2023", "28/12/2023", "1.000.000", 1, 1, "1,000,000", 0],
    ])  # fmt: skip
    batch = bank_import(path=path, file_name="bao-cao.xlsx", actor=owner)
    assert (batch.row_count, batch.imported_by, len(batch.sha256)) == (2, owner, 64)
    figure = BankFigure.objects.get(batch=batch, row_number=2)
    assert (figure.commune, figure.disbursed, figure.outstanding) == (town.personas.units["town"], 40_000_000,
                                                                      90_000_000)  # fmt: skip
    district = town.personas.units["district"]
    assert credit_summary(district, 2023).total.outstanding == 91_000_000
    assert credit_summary(district, 2023).line("ho_ngheo").source == BANK  # type: ignore[union-attr]

    again = refused(path, owner)
    assert again[0].startswith("Tệp này đã được nhập (lô «bao-cao.xlsx»")
    overlapping = write_csv(tmp_path / "t12.csv", [row(start="01/12/2023", end="31/12/2023")])
    assert refused(overlapping, owner) == [
        "Dòng 2, cột den_ngay: đã có số liệu của kỳ 01/01/2023–28/12/2023 trong lô «bao-cao.xlsx» (dòng 2); hãy "
        "rút lô đó trước"
    ]

    with pytest.raises(Exception, match="lý do"):
        bank_import_withdraw(batch=batch, reason="", actor=owner)
    bank_import_withdraw(batch=batch, reason="Ngân hàng gửi lại số liệu", actor=owner)
    withdrawal = BankImportWithdrawal.objects.get(batch=batch)
    assert withdrawal.recorded_by == owner and BankFigure.objects.filter(batch=batch).count() == 2  # kept
    assert credit_summary(district, 2023).total.outstanding == 0
    assert (
        bank_import(path=overlapping, file_name="t12.csv", actor=owner).row_count == 1
    )  # the period is free
    with pytest.raises(Exception, match="đã được rút"):
        bank_import_withdraw(batch=batch, reason="lại", actor=owner)


def test_the_importer_must_cover_every_commune_of_the_file(town: Town, tmp_path: Path) -> None:
    p = town.personas
    path = write_csv(tmp_path / "x.csv", [row()])
    assert refused(path, p.peer) == [
        "Dòng 2, cột ma_xa: Thị trấn Kông Chro (mã cũ 23824, đến 30/06/2025) ngoài địa bàn của tài khoản"
    ]
    with pytest.raises(Exception, match="không được nhập"):
        bank_import(path=path, file_name="x.csv", actor=p.viewer)
    batch = bank_import(path=path, file_name="x.csv", actor=p.province)
    with pytest.raises(Exception, match="không được thực hiện"):
        bank_import_withdraw(batch=batch, reason="thử", actor=p.peer)
    assert not BankImportWithdrawal.objects.exists()
