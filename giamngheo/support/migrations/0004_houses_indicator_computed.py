"""The houses indicator of the targets (`goals`) is computed from the housing cases from now on."""

from django.db import migrations


def computed(apps, schema_editor):
    apps.get_model("goals", "Indicator").objects.filter(code="houses_supported").update(obtained="computed")


def entered(apps, schema_editor):
    apps.get_model("goals", "Indicator").objects.filter(code="houses_supported").update(obtained="entered")


class Migration(migrations.Migration):
    dependencies = [("support", "0003_programme_links"), ("goals", "0002_seed_indicators")]
    operations = [migrations.RunPython(computed, entered)]
