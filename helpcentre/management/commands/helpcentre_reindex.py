"""`manage.py helpcentre_reindex`: rebuilds the help centre's search columns (e.g. after loading
a database dump or editing translations outside the admin)."""

from django.core.management.base import BaseCommand

from companies.audit import Actor
from helpcentre.services import search_index_rebuild


class Command(BaseCommand):
    help = "Rebuild the help centre's search text and, on PostgreSQL, its full-text vectors."

    def handle(self, *args, **options):
        count = search_index_rebuild(actor=Actor.system())
        self.stdout.write(f"Reindexed {count} article translations.")
