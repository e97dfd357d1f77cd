"""Once loaded the help content from helpcentre/content.py. The content now lives in files
(helpcentre/articles/) and is loaded by `manage.py helpcentre_sync`: migrations carry schema only.
Kept, without operations, so databases that ran it stay consistent with the migration graph."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("helpcentre", "0002_search_index")]

    operations = []
