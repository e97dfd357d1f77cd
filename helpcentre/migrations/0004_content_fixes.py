"""Once corrected answers that 0003_load_content had put into existing databases. The corrected
text is in the content files now (helpcentre/articles/), and `manage.py helpcentre_sync` brings
changed files into the database. Kept, without operations, for the migration graph."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("helpcentre", "0003_load_content")]

    operations = []
