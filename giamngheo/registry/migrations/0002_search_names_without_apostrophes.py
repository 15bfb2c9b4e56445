"""Folded names no longer keep apostrophes ("H'Hen", "Y’Bih" and "YBih" match alike): fold again the names that
have one. Reversible: the old folding kept them, and nothing reads the difference but the search."""

from django.db import migrations
from django.db.models import Q

APOSTROPHES = ("'", "\u2019", "\u2018", "\u02bc", "\u02b9", "`", "\u00b4")


def refold(apps, schema_editor):
    from giamngheo.lib.text import fold

    Person = apps.get_model("registry", "Person")
    condition = Q()
    for mark in APOSTROPHES:
        condition |= Q(full_name__contains=mark)
    people = list(Person.objects.filter(condition).only("pk", "full_name"))
    for person in people:
        person.search_name = fold(person.full_name)
    Person.objects.bulk_update(people, ["search_name"], batch_size=2000)


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]

    operations = [migrations.RunPython(refold, migrations.RunPython.noop)]
