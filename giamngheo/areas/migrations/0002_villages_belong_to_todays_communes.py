"""Villages belong to today's communes: a village of a commune that ended on 01/07/2025 moves to the new commune
that took it over (its `new_commune` when one was set, else the legacy commune's default successor) and keeps
the legacy commune as `legacy_commune`. Add the column, move the villages, then enforce the constraints; the
reverse puts every village back in its legacy commune."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import F, Q


def forward(apps, schema_editor):
    from giamngheo.areas.reform import rehome_villages

    Village = apps.get_model("areas", "Village")
    UnitSuccession = apps.get_model("areas", "UnitSuccession")
    AdminUnit = apps.get_model("areas", "AdminUnit")
    chosen = list(Village.objects.filter(new_commune__isnull=False))
    for village in chosen:
        village.legacy_commune_id = village.commune_id
        village.commune_id = village.new_commune_id
    Village.objects.bulk_update(chosen, ["commune", "legacy_commune"], batch_size=2000)
    rehome_villages(Village, UnitSuccession, AdminUnit)


def backward(apps, schema_editor):
    Village = apps.get_model("areas", "Village")
    moved = list(Village.objects.filter(legacy_commune__isnull=False))
    for village in moved:
        village.new_commune_id = village.commune_id
        village.commune_id = village.legacy_commune_id
        village.legacy_commune_id = None
    Village.objects.bulk_update(moved, ["commune", "new_commune", "legacy_commune"], batch_size=2000)


class Migration(migrations.Migration):
    dependencies = [("areas", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="village",
            name="legacy_commune",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="legacy_villages",
                to="areas.adminunit",
                verbose_name="xã trước 01/07/2025",
            ),
        ),
        migrations.RemoveConstraint(model_name="village", name="village_code_unique"),
        migrations.RunPython(forward, backward),
        migrations.AddConstraint(
            model_name="village",
            constraint=models.UniqueConstraint(
                condition=Q(legacy_commune__isnull=True),
                fields=("commune", "local_code"),
                name="village_code_unique",
            ),
        ),
        migrations.AddConstraint(
            model_name="village",
            constraint=models.UniqueConstraint(
                condition=Q(legacy_commune__isnull=False),
                fields=("legacy_commune", "local_code"),
                name="village_legacy_code_unique",
            ),
        ),
        migrations.AddConstraint(
            model_name="village",
            constraint=models.CheckConstraint(
                condition=~Q(legacy_commune=F("commune")), name="village_legacy_commune_differs"
            ),
        ),
        migrations.RemoveField(model_name="village", name="new_commune"),
    ]
