"""The programme catalogue as editable data (domain.md §4.1, §4.2, §4.6).

- 2021-2025: QĐ 90/QĐ-TTg (18/01/2022), its 7 projects and their sub-projects. Each item is flagged as the research
  found it: the projects are verified; most sub-project names are not (domain.md §4.2 marks them UNVERIFIED).
- 2026-2035: the merged programme (NQ of the National Assembly, 11/12/2025; QĐ 417/QĐ-BNNMT, 31/01/2026) with its
  two components. Its project and sub-project structure is unverified and not invented here: enter the projects in
  the admin when the implementing documents are read; money is allocated to projects and sub-projects only.
- Capital types: development investment, and recurrent funds, named "vốn sự nghiệp" up to 2025 and "kinh phí
  thường xuyên" from 2026 (the merged programme's term). Sources: central, local, other mobilised.
"""

from django.db import migrations

V, U = "verified", "unverified"

PROGRAMMES = [
    {
        "code": "GNBV-2021-2025",
        "name": "Chương trình mục tiêu quốc gia giảm nghèo bền vững giai đoạn 2021-2025",
        "legal_basis": "QĐ 90/QĐ-TTg ngày 18/01/2022; NQ 24/2021/QH15",
        "first_year": 2021,
        "last_year": 2025,
        "evidence": V,
        "note": "Tổng vốn tối thiểu 75.000 tỷ đồng: ngân sách trung ương tới 48.000 tỷ, ngân sách địa phương tối "
        "thiểu 12.690 tỷ, còn lại từ nguồn hợp pháp khác (domain.md §4.1).",
        "items": [
            ("DA1", "project", V, "Hỗ trợ đầu tư phát triển hạ tầng kinh tế - xã hội các huyện nghèo, các xã đặc "
             "biệt khó khăn vùng bãi ngang, ven biển và hải đảo"),
            ("DA1.TDA1", "sub_project", U, "Hỗ trợ đầu tư phát triển hạ tầng kinh tế - xã hội các huyện nghèo, các "
             "xã đặc biệt khó khăn vùng bãi ngang, ven biển và hải đảo"),
            ("DA1.TDA2", "sub_project", U, "Đề án hỗ trợ một số huyện nghèo thoát khỏi tình trạng nghèo, đặc biệt "
             "khó khăn"),
            ("DA2", "project", V, "Đa dạng hóa sinh kế, phát triển mô hình giảm nghèo"),
            ("DA3", "project", V, "Hỗ trợ phát triển sản xuất, cải thiện dinh dưỡng"),
            ("DA3.TDA1", "sub_project", U, "Hỗ trợ phát triển sản xuất trong lĩnh vực nông nghiệp"),
            ("DA3.TDA2", "sub_project", V, "Cải thiện dinh dưỡng"),
            ("DA4", "project", V, "Phát triển giáo dục nghề nghiệp, việc làm bền vững"),
            ("DA4.TDA1", "sub_project", U, "Phát triển giáo dục nghề nghiệp vùng nghèo, vùng khó khăn"),
            ("DA4.TDA2", "sub_project", U, "Hỗ trợ người lao động đi làm việc ở nước ngoài theo hợp đồng"),
            ("DA4.TDA3", "sub_project", U, "Hỗ trợ việc làm bền vững"),
            ("DA5", "project", V, "Hỗ trợ nhà ở cho hộ nghèo, hộ cận nghèo trên địa bàn các huyện nghèo"),
            ("DA6", "project", V, "Truyền thông và giảm nghèo về thông tin"),
            ("DA6.TDA1", "sub_project", V, "Giảm nghèo về thông tin"),
            ("DA6.TDA2", "sub_project", U, "Truyền thông về giảm nghèo đa chiều"),
            ("DA7", "project", V, "Nâng cao năng lực và giám sát, đánh giá Chương trình"),
            ("DA7.TDA1", "sub_project", U, "Nâng cao năng lực thực hiện Chương trình"),
            ("DA7.TDA2", "sub_project", U, "Giám sát, đánh giá Chương trình"),
        ],
    },
    {
        "code": "MTQG-2026-2035",
        "name": "Chương trình mục tiêu quốc gia xây dựng nông thôn mới, giảm nghèo bền vững và phát triển kinh tế "
        "- xã hội vùng đồng bào dân tộc thiểu số và miền núi giai đoạn 2026-2035",
        "legal_basis": "Nghị quyết của Quốc hội ngày 11/12/2025; QĐ 417/QĐ-BNNMT ngày 31/01/2026 (giai đoạn I "
        "2026-2030)",
        "first_year": 2026,
        "last_year": 2035,
        "evidence": V,
        "note": "Cơ cấu dự án, tiểu dự án chưa kiểm chứng: nhập trong trang quản trị khi có văn bản hướng dẫn.",
        "items": [
            ("HP1", "component", V, "Xây dựng nông thôn mới và giảm nghèo bền vững"),
            ("HP2", "component", V, "Phát triển kinh tế - xã hội vùng đồng bào dân tộc thiểu số và miền núi"),
        ],
    },
]

SOURCE_NOTE = "domain.md §4.2 (baotuyenquang.com.vn, vdd.amitech.vn, vneconomy.vn); §4.6 (vietnamnet.vn)"


def seed(apps, schema_editor):
    programme_model = apps.get_model("programme", "Programme")
    item_model = apps.get_model("programme", "ProgrammeItem")
    for row in PROGRAMMES:
        fields = {k: v for k, v in row.items() if k != "items"}
        programme = programme_model.objects.create(**fields)
        made = {}
        for code, kind, evidence, name in row["items"]:
            parent = made.get(code.rsplit(".", 1)[0]) if "." in code else None
            made[code] = item_model.objects.create(
                programme=programme, parent=parent, code=code, kind=kind, name=name, evidence=evidence,
                source=SOURCE_NOTE,
            )  # fmt: skip
    capital = apps.get_model("programme", "CapitalType")
    label = apps.get_model("programme", "CapitalTypeLabel")
    capital.objects.create(code="dau_tu_phat_trien", name="Vốn đầu tư phát triển", position=1)
    recurrent = capital.objects.create(code="thuong_xuyen", name="Vốn sự nghiệp", position=2)
    label.objects.create(capital_type=recurrent, label="Vốn sự nghiệp", first_year=2000, last_year=2025,
                         source="QĐ 90/QĐ-TTg; TT 55/2023/TT-BTC")  # fmt: skip
    label.objects.create(capital_type=recurrent, label="Kinh phí thường xuyên", first_year=2026,
                         source="Nghị quyết của Quốc hội ngày 11/12/2025 (chương trình 2026-2035)")  # fmt: skip
    source = apps.get_model("programme", "FundingSource")
    source.objects.create(code="ngan_sach_trung_uong", name="Ngân sách trung ương", position=1)
    source.objects.create(code="ngan_sach_dia_phuong", name="Ngân sách địa phương", position=2)
    source.objects.create(code="huy_dong_khac", name="Vốn huy động, nguồn hợp pháp khác", position=3)


def unseed(apps, schema_editor):
    for name in ("CapitalTypeLabel", "CapitalType", "FundingSource"):
        apps.get_model("programme", name).objects.all().delete()
    item_model = apps.get_model("programme", "ProgrammeItem")
    item_model.objects.filter(parent__isnull=False).delete()
    item_model.objects.all().delete()
    apps.get_model("programme", "Programme").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("programme", "0001_catalogue_and_ledger")]
    operations = [migrations.RunPython(seed, unseed)]
