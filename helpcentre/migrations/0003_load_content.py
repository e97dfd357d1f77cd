"""Loads the help centre's questions and answers in English, French, Danish and German, so that a
fresh database (tests, `make run`) has them. Idempotent: only missing rows are added."""

from django.db import migrations


def load_content(apps, schema_editor):
    from helpcentre.content import load

    load(apps)


class Migration(migrations.Migration):
    dependencies = [("helpcentre", "0002_search_index")]

    operations = [migrations.RunPython(load_content, migrations.RunPython.noop)]
