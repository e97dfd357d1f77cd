from django.core.management.base import BaseCommand

from packs.catalogue import seed_catalogue


class Command(BaseCommand):
    help = "Create the service catalogue (services, packs, prices). Idempotent."

    def add_arguments(self, parser):
        parser.add_argument(
            "--update-prices", action="store_true", help="overwrite prices changed in the admin"
        )

    def handle(self, *args, update_prices=False, **options):
        created = seed_catalogue(update_prices=update_prices)
        self.stdout.write(
            f"Catalogue ready: {created['services']} services, {created['packs']} packs and "
            f"{created['prices']} prices created."
        )
