"""The procedure rules in force since QĐ 24/2021/QĐ-TTg (domain.md §3.2, §3.4, §3.8), editable in the admin.

- Posting: the law's duration could not be verified here (a recalled "03 ngày làm việc" is not in the sources;
  real commune notices post for about a week), so 7 days, marked unverified.
- Re-check of a complaint: recalled "within 3 working days", unverified.
- A regular case is decided within 15 days of the start of the monthly review (QĐ 24/2021 Art. 5, verified).
- Consultation: the district chairman until 30/06/2025 (Art. 4, verified); after the 2025 reform NĐ 131/2025 and
  TT 13/2025/TT-BNNMT redistribute the district's tasks, and which level the commune now consults is unverified:
  the province, until a province configures otherwise.
"""

from datetime import date

from django.db import migrations

RULES = [
    {
        "valid_from": date(2021, 7, 16),
        "valid_to": date(2025, 6, 30),
        "posting_days": 7,
        "recheck_days": 3,
        "regular_due_days": 15,
        "authority": "district",
        "source": "QĐ 24/2021/QĐ-TTg Điều 4 (xin ý kiến Chủ tịch UBND cấp huyện), Điều 5 (15 ngày). Số ngày niêm "
        "yết và thời hạn phúc tra: chưa kiểm chứng.",
        "evidence": "unverified",
    },
    {
        "valid_from": date(2025, 7, 1),
        "valid_to": None,
        "posting_days": 7,
        "recheck_days": 3,
        "regular_due_days": 15,
        "authority": "province",
        "source": "Từ 01/07/2025 không còn cấp huyện (NĐ 131/2025/NĐ-CP, TT 13/2025/TT-BNNMT); cơ quan xin ý kiến: "
        "chưa kiểm chứng, tỉnh cấu hình lại nếu khác.",
        "evidence": "unverified",
    },
]


def seed(apps, schema_editor):
    rule = apps.get_model("decisions", "ProcedureRule")
    for row in RULES:
        rule.objects.create(**row)


def unseed(apps, schema_editor):
    apps.get_model("decisions", "ProcedureRule").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("decisions", "0003_procedure")]
    operations = [migrations.RunPython(seed, unseed)]
