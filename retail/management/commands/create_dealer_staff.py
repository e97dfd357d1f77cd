"""`manage.py create_dealer_staff --d5-id ID --password PW --dealer CODE --email E --first-name F
--last-name L`: a dealer staff account at an existing outlet (API.md, Operations)."""

from django.core.management.base import BaseCommand, CommandError

from mpro.errors import DomainError
from retail.services import dealer_staff_create


class Command(BaseCommand):
    help = "Create a dealer staff account (Retail login with a dealer ID) at an existing outlet."

    def add_arguments(self, parser):
        parser.add_argument("--d5-id", required=True, help="the dealer ID the staff member logs in with")
        parser.add_argument("--password", required=True)
        parser.add_argument("--dealer", required=True, help="code of an existing outlet, e.g. DK8200")
        parser.add_argument("--email", required=True)
        parser.add_argument("--first-name", required=True)
        parser.add_argument("--last-name", required=True)

    def handle(self, *args, **options):
        try:
            staff = dealer_staff_create(
                d5_id=options["d5_id"],
                password=options["password"],
                dealer_code=options["dealer"],
                email=options["email"],
                first_name=options["first_name"],
                last_name=options["last_name"],
            )
        except DomainError as error:
            raise CommandError(str(error.message)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Dealer staff {staff.user.get_full_name()} ({staff.d5_id}) created at "
                f"{staff.dealer.name} ({staff.dealer.code})."
            )
        )
