"""`make messages`: extract every translatable text into its catalogue (locale/ or <app>/locale/)."""

from django.core.management.base import BaseCommand

from mpro.management.commands.check_translations import extract


class Command(BaseCommand):
    help = "Extract messages into every catalogue, without source locations."

    def handle(self, *args, **options):
        extract()
        self.stdout.write("Catalogues updated.")
