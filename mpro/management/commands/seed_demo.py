"""`manage.py seed_demo`: idempotent demo data (dealer network, pack catalogue, a verified demo
company with its people and vans, a dealer staff login) and the help centre's content
(`helpcentre_sync`), then prints the logins.

Each installed app may have a `demo` module; the command finds them through the app registry, in
INSTALLED_APPS order (lower layers first), and imports none by name. The one app whose demo
module has `seed_company()` creates the demo company; then each demo module's `seed(company)`
runs and returns the lines to print."""

from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction


def demo_modules() -> list:
    modules = []
    for config in apps.get_app_configs():
        name = f"{config.name}.demo"
        if find_spec(config.name) is not None and find_spec(name) is not None:
            modules.append(import_module(name))
    return modules


class Command(BaseCommand):
    help = "Load the demo data (idempotent) and print the demo logins."

    def handle(self, *args, **options):
        modules = demo_modules()
        seeders = [module for module in modules if hasattr(module, "seed_company")]
        if len(seeders) != 1:
            raise CommandError("Exactly one app's demo module must provide seed_company().")
        with transaction.atomic():
            company = seeders[0].seed_company()
            notes = []
            for module in modules:
                if hasattr(module, "seed"):
                    notes += module.seed(company)
        call_command("helpcentre_sync", stdout=self.stdout)

        lines = [
            "",
            "mpro demo data is ready.",
            f"  Portal  {settings.SITE_URL}/accounts/login/  (company {company.name}, {company.pro_id})",
            *notes,
            f"  API docs {settings.SITE_URL}/api/v1/docs/",
            "  E-mails (sign-up confirmations, invitations) are printed on this console.",
            "",
        ]
        self.stdout.write("\n".join(lines))
