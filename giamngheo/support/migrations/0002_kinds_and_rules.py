"""The kinds of support of the NTP for sustainable poverty reduction 2021-2025 (QĐ 90/QĐ-TTg; domain.md §4.2, §6)
and who each covers, as editable data (the admin), valid from 01/01/2021 until a province changes them.

- Housing (Project 5): poor and near-poor households; 40,000,000 đồng per new house, 20,000,000 đồng per repair
  from the state budget (domain.md §6, verified). The condition "living in a poor district" and the exclusion of
  households already supported by another programme are not checked here (UNVERIFIED list, domain.md §12).
- Production support (Project 3 TDA1) and nutrition (Project 3 TDA2): also households that left the lists within
  3 years (nutrition verified; production unverified).
- Vocational training, job placement, work abroad (Project 4), other: poor, near-poor and newly escaped, unverified.
- Health insurance and education support: poor and near-poor, unverified.
- Information and communication (Project 6): activities for the whole community, any household.
"""

from datetime import date

from django.db import migrations

START = date(2021, 1, 1)
# (code, name, project, housing work, poor, near-poor, escaped within years, any household, default amount,
#  verified, source)
KINDS = [
    ("housing_new", "Hỗ trợ nhà ở: xây mới", "Dự án 5", "new_build", True, True, None, False, 40_000_000, True,
     "QĐ 90/QĐ-TTg, Dự án 5: 40 triệu đồng/hộ xây mới (domain.md §6). Chưa kiểm tra điều kiện ở huyện nghèo."),
    ("housing_repair", "Hỗ trợ nhà ở: sửa chữa", "Dự án 5", "repair", True, True, None, False, 20_000_000, True,
     "QĐ 90/QĐ-TTg, Dự án 5: 20 triệu đồng/hộ sửa chữa (domain.md §6). Chưa kiểm tra điều kiện ở huyện nghèo."),
    ("vocational_training", "Đào tạo nghề", "Dự án 4", "", True, True, 3, False, None, False,
     "Dự án 4 (giáo dục nghề nghiệp): đối tượng chưa kiểm chứng."),
    ("job_placement", "Giới thiệu, hỗ trợ việc làm", "Dự án 4, Tiểu dự án 3", "", True, True, 3, False, None, False,
     "Dự án 4 (việc làm bền vững): đối tượng chưa kiểm chứng."),
    ("work_abroad", "Hỗ trợ đi làm việc ở nước ngoài theo hợp đồng", "Dự án 4, Tiểu dự án 2", "", True, True, 3,
     False, None, False, "Dự án 4 (người lao động đi làm việc ở nước ngoài): đối tượng chưa kiểm chứng."),
    ("production", "Hỗ trợ phát triển sản xuất", "Dự án 3, Tiểu dự án 1", "", True, True, 3, False, None, False,
     "Dự án 3 Tiểu dự án 1: hộ nghèo, cận nghèo, mới thoát nghèo (chưa kiểm chứng)."),
    ("nutrition", "Cải thiện dinh dưỡng", "Dự án 3, Tiểu dự án 2", "", True, True, 3, False, None, True,
     "Dự án 3 Tiểu dự án 2: trẻ em dưới 16 tuổi của hộ nghèo, cận nghèo, mới thoát nghèo (domain.md §4.2)."),
    ("health_insurance", "Hỗ trợ bảo hiểm y tế", "", "", True, True, None, False, None, False,
     "Chính sách bảo hiểm y tế cho hộ nghèo, cận nghèo: chưa kiểm chứng."),
    ("education", "Hỗ trợ giáo dục", "", "", True, True, None, False, None, False,
     "Chính sách hỗ trợ học tập: chưa kiểm chứng."),
    ("information", "Thông tin và truyền thông", "Dự án 6", "", False, False, None, True, None, False,
     "Dự án 6: hoạt động cho cộng đồng, không phụ thuộc tình trạng của hộ (chưa kiểm chứng)."),
    ("other", "Hỗ trợ khác", "", "", True, True, 3, False, None, False, "Chưa kiểm chứng."),
]


def seed(apps, schema_editor):
    kind_model = apps.get_model("support", "SupportKind")
    rule_model = apps.get_model("support", "SupportRule")
    for order, row in enumerate(KINDS, start=1):
        code, name, project, housing, poor, near_poor, escaped, anyone, amount, verified, source = row
        kind = kind_model.objects.create(code=code, name=name, project=project, housing=housing, order=order)
        rule_model.objects.create(
            kind=kind, valid_from=START, poor=poor, near_poor=near_poor, escaped_within_years=escaped,
            any_household=anyone, default_state_amount=amount, verified=verified, source=source,
        )


def unseed(apps, schema_editor):
    apps.get_model("support", "SupportRule").objects.all().delete()
    apps.get_model("support", "SupportKind").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("support", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
