"""`manage.py helpcentre_sync`: brings the help centre's content files (helpcentre/articles/) into
the database. Idempotent; run on every deployment and by `seed_demo`. See helpcentre/sync.py for
what it does to texts edited in the admin."""

from django.core.management.base import BaseCommand
from django.db import transaction

from helpcentre.sync import content_sync


class Command(BaseCommand):
    help = "Create and update the help centre's categories and articles from helpcentre/articles/."

    def add_arguments(self, parser):
        parser.add_argument(
            "--overwrite",
            action="store_true",
            help="also replace texts edited in the admin by the files' version",
        )

    def handle(self, *args, overwrite=False, **options):
        with transaction.atomic():  # all files or none
            report = content_sync(overwrite=overwrite)
        self.stdout.write(f"Help centre: {report.created} created, {report.updated} updated.")
        if report.kept:
            self.stdout.write(
                "Kept as edited in the admin (the files differ; --overwrite replaces them): "
                + ", ".join(report.kept)
            )
