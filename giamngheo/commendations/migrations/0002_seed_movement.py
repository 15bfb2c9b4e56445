"""The emulation movement of the 2021-2025 programme (QĐ 666/QĐ-TTg, 02/06/2022; domain.md §4.5 item 7), editable
in the admin afterwards."""

from django.db import migrations


def seed(apps, schema_editor):
    Movement = apps.get_model("commendations", "Movement")
    Movement.objects.update_or_create(
        code="vi-nguoi-ngheo-2021-2025",
        defaults={
            "name": "Vì người nghèo – Không để ai bị bỏ lại phía sau",
            "start_year": 2021,
            "end_year": 2025,
            "basis": "QĐ 666/QĐ-TTg ngày 02/06/2022 của Thủ tướng Chính phủ",
        },
    )


def unseed(apps, schema_editor):
    Movement = apps.get_model("commendations", "Movement")
    Movement.objects.filter(code="vi-nguoi-ngheo-2021-2025", commendations__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("commendations", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
