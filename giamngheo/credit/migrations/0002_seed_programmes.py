"""The VBSP lending programmes of domain.md §5, with their terms as published or as computed from the rules the
legal text gives. Where domain.md marks a figure UNVERIFIED the row's evidence says so, and a figure not found at
all is left empty (nothing is checked against it). The validity dates are the project's choice — from 01/01/2021,
the start of the 2021-2025 programme period — not dates of the instruments: correct them in the admin when the
texts are checked."""

from datetime import date
from decimal import Decimal

from django.db import migrations

START = date(2021, 1, 1)
MILLION = 1_000_000

PROGRAMMES = [
    # code, name, legal basis, eligibility, window years, order, terms
    (
        "ho_ngheo", "Cho vay hộ nghèo", "Nghị định 78/2002/NĐ-CP về tín dụng đối với người nghèo và các đối tượng "
        "chính sách khác", "poor", None, 10,
        {"interest_rate": Decimal("6.6"), "overdue_rate_percent": Decimal("130"), "ceiling": 100 * MILLION,
         "max_term_months": None, "evidence": "secondary",
         "source": "eng.vbsp.org.vn/poor-households-lending.html (ngày trang không rõ): 6,6%/năm, tối đa 100 triệu "
                   "đồng/hộ; nợ quá hạn 130% lãi suất cho vay. Ngắn hạn ≤ 12 tháng, trung hạn 12–60, dài hạn > 60 "
                   "tháng (không có thời hạn tối đa chung)."},
    ),
    (
        "ho_can_ngheo", "Cho vay hộ cận nghèo", "Quyết định 15/2013/QĐ-TTg; lãi suất theo Quyết định 1826/QĐ-TTg "
        "ngày 09/10/2013", "near_poor", None, 20,
        {"interest_rate": Decimal("7.92"), "overdue_rate_percent": None, "ceiling": 100 * MILLION,
         "max_term_months": None, "evidence": "unverified",
         "source": "Lãi suất bằng 120% lãi suất cho vay hộ nghèo (tapchicongthuong.vn), tính ra 7,92%/năm. Mức cho vay "
                   "tối đa CHƯA KIỂM CHỨNG (coi như bằng mức cho vay hộ nghèo); thời hạn chưa kiểm chứng."},
    ),
    (
        "ho_moi_thoat_ngheo", "Cho vay hộ mới thoát nghèo", "Quyết định 28/2015/QĐ-TTg ngày 21/07/2015",
        "newly_escaped", 3, 30,
        {"interest_rate": Decimal("8.25"), "overdue_rate_percent": Decimal("130"), "ceiling": 100 * MILLION,
         "max_term_months": 60, "evidence": "secondary",
         "source": "QĐ 28/2015/QĐ-TTg (english.luatvietnam.vn): hộ ra khỏi danh sách hộ nghèo, cận nghèo không quá 3 "
                   "năm; mức cho vay không quá mức cho vay hộ nghèo; lãi suất 125% lãi suất cho vay hộ nghèo (tính ra "
                   "8,25%/năm); thời hạn tối đa 5 năm."},
    ),
    (
        "sxkd_vung_kho_khan", "Cho vay hộ sản xuất, kinh doanh tại vùng khó khăn", "Quyết định 17/2023/QĐ-TTg",
        "difficult_area", None, 40,
        {"interest_rate": Decimal("9"), "overdue_rate_percent": None, "ceiling": 100 * MILLION,
         "max_term_months": None, "evidence": "unverified",
         "source": "baophapluat.vn (QĐ 17/2023/QĐ-TTg): tối đa 100 triệu đồng, 9%/năm; trước đó 30–50 triệu đồng, "
                   "0,9%/tháng. Ngày áp dụng của mức mới CHƯA KIỂM CHỨNG."},
    ),
    (
        "nuoc_sach_vsmt", "Cho vay nước sạch và vệ sinh môi trường nông thôn", "", "other", None, 50,
        {"interest_rate": Decimal("9.6"), "overdue_rate_percent": None, "ceiling": None, "max_term_months": None,
         "evidence": "unverified",
         "source": "9,6%/năm là mức năm 2013 (tapchicongthuong.vn); mức hiện hành, mức cho vay, thời hạn CHƯA KIỂM "
                   "CHỨNG."},
    ),
    ("viec_lam", "Cho vay giải quyết việc làm", "", "other", None, 60, None),
    ("hssv", "Cho vay học sinh, sinh viên có hoàn cảnh khó khăn", "", "other", None, 70, None),
    ("nha_o_ho_ngheo", "Cho vay nhà ở đối với hộ nghèo", "", "poor", None, 80, None),
    ("dtts_ctmtqg", "Cho vay theo Chương trình MTQG phát triển kinh tế - xã hội vùng đồng bào dân tộc thiểu số",
     "", "other", None, 90, None),
]
UNKNOWN_TERMS = {
    "interest_rate": None, "overdue_rate_percent": None, "ceiling": None, "max_term_months": None,
    "evidence": "unverified", "source": "Lãi suất, mức cho vay, thời hạn CHƯA KIỂM CHỨNG (domain.md §5).",
}


def seed(apps, schema_editor):
    programme_model = apps.get_model("credit", "Programme")
    terms_model = apps.get_model("credit", "ProgrammeTerms")
    for code, name, basis, eligibility, window, order, terms in PROGRAMMES:
        programme = programme_model.objects.create(
            code=code, name=name, legal_basis=basis, eligibility=eligibility, window_years=window, order=order
        )
        terms_model.objects.create(programme=programme, valid_from=START, **(terms or UNKNOWN_TERMS))


def unseed(apps, schema_editor):
    codes = [row[0] for row in PROGRAMMES]
    apps.get_model("credit", "ProgrammeTerms").objects.filter(programme__code__in=codes).delete()
    apps.get_model("credit", "Programme").objects.filter(code__in=codes).delete()


class Migration(migrations.Migration):
    dependencies = [("credit", "0001_programmes_loans_bank_figures")]

    operations = [migrations.RunPython(seed, unseed)]
