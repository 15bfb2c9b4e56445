"""The indicators of the annual targets (domain.md §4.1, §4.5 item 6; the seed article's 2024 targets), editable
in the admin afterwards. Three are computed from the official results (`goals.computations`); the others are
entered until an app that holds their data registers a computation (the credit app, for the loans)."""

from django.db import migrations

INDICATORS = [
    ("poverty_rate_reduction", "Mức giảm tỷ lệ hộ nghèo trong năm", "points", "higher", "computed",
     "Tỷ lệ hộ nghèo cuối năm trước trừ tỷ lệ hộ nghèo cuối năm (kết quả chính thức). Kế hoạch 2024 của Kông "
     "Chro: giảm bình quân từ 5,5 điểm phần trăm/năm trở lên."),
    ("poor_households", "Số hộ nghèo cuối năm", "households", "lower", "computed",
     "Hộ nghèo theo danh sách có hiệu lực ngày 01/01 năm sau (kết quả chính thức)."),
    ("poverty_rate", "Tỷ lệ hộ nghèo cuối năm", "percent", "lower", "computed",
     "Hộ nghèo trên tổng số hộ dân cư, theo danh sách có hiệu lực ngày 01/01 năm sau."),
    ("loans_eligible_poor", "Tỷ lệ hộ nghèo có nhu cầu, đủ điều kiện được vay vốn", "percent", "higher",
     "entered", "Hộ được vay vốn và hỗ trợ lãi suất trên số hộ nghèo có nhu cầu và đủ điều kiện vay."),
    ("training_support_poor", "Tỷ lệ người nghèo trong độ tuổi lao động có nhu cầu được hỗ trợ đào tạo, tập "
     "huấn, định hướng nghề nghiệp", "percent", "higher", "entered", ""),
    ("jobless_poor_priority", "Tỷ lệ hộ nghèo có lao động nhưng không có việc làm được ưu tiên dạy nghề, tạo "
     "việc làm", "percent", "higher", "entered", ""),
    ("rural_jobs", "Số lao động nông thôn được giải quyết việc làm", "persons", "higher", "entered", ""),
    ("trained_labour_rate", "Tỷ lệ lao động qua đào tạo", "percent", "higher", "entered", ""),
    ("houses_supported", "Số nhà xây mới, sửa chữa cho hộ nghèo", "houses", "higher", "entered",
     "Từ Dự án 5 và các nguồn vận động."),
]  # fmt: skip


def seed(apps, schema_editor):
    Indicator = apps.get_model("goals", "Indicator")
    for position, (code, name, unit, direction, obtained, description) in enumerate(INDICATORS, start=1):
        Indicator.objects.update_or_create(
            code=code,
            defaults={"name": name, "unit": unit, "direction": direction, "obtained": obtained,
                      "description": description, "position": position * 10},
        )  # fmt: skip


def unseed(apps, schema_editor):
    Indicator = apps.get_model("goals", "Indicator")
    Indicator.objects.filter(code__in=[row[0] for row in INDICATORS], targets__isnull=True,
                             actual_entries__isnull=True).delete()  # fmt: skip


class Migration(migrations.Migration):
    dependencies = [("goals", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
