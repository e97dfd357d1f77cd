"""`manage.py seed_demo`: idempotent demo data (dealer network, pack catalogue, a verified demo
company with its people and vans, a dealer staff login), then prints the logins."""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

import packs.demo
import retail.demo
import vehicles.demo
from companies import demo as companies_demo


class Command(BaseCommand):
    help = "Load the demo data (idempotent) and print the demo logins."

    def handle(self, *args, **options):
        with transaction.atomic():
            company = companies_demo.seed_company()
            notes = []
            for module in (packs.demo, vehicles.demo, retail.demo):
                notes += module.seed(company)

        password = companies_demo.DEMO_PASSWORD
        lines = [
            "",
            "mpro demo data is ready.",
            f"  Portal  {settings.SITE_URL}/accounts/login/  (company {company.name}, {company.pro_id})",
        ]
        for email, _first, _last, role in companies_demo.DEMO_PEOPLE:
            lines.append(f"    {role.label:<24} {email:<28} password: {password}")
        lines += notes
        lines += [
            f"  API docs {settings.SITE_URL}/api/v1/docs/",
            "  E-mails (sign-up confirmations, invitations) are printed on this console.",
            "",
        ]
        self.stdout.write("\n".join(lines))
