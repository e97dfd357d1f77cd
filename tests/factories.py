"""factory-boy factories shared by the whole suite."""

import datetime
import string

import factory
from allauth.account.models import EmailAddress
from django.utils import timezone

from companies.models import Company, Country, Dealer, Membership, Role
from packs.models import Order, Pack, Price, Service, Subscription
from retail.models import DealerStaff
from users.models import User
from vehicles.models import Fuel, Vehicle

PASSWORD = "Fleet-Pass-2026"


def letters(n: int, width: int = 6) -> str:
    """0 → AAAAAA, 1 → AAAAAB ...: distinct, readable PRO ID suffixes for tests."""
    out = ""
    for _ in range(width):
        n, rest = divmod(n, 26)
        out = string.ascii_uppercase[rest] + out
    return out


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.com")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    birth_date = datetime.date(1985, 5, 17)
    phone = "+4530123456"
    language = "en"

    @factory.post_generation
    def password(obj, create, extracted, **kwargs):
        obj.set_password(extracted or PASSWORD)
        if create:
            obj.save(update_fields=["password"])

    @factory.post_generation
    def verified_email(obj, create, extracted, **kwargs):
        if create and extracted is not False:
            EmailAddress.objects.create(user=obj, email=obj.email, verified=True, primary=True)


class DealerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Dealer
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"DK{n:05d}")
    name = factory.Sequence(lambda n: f"Van Centre {n}")
    street = "Industrivej 10"
    postal_code = "2600"
    city = "Glostrup"
    country = Country.DK
    phone = "+4543434343"


class CompanyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Company

    pro_id = factory.Sequence(lambda n: f"PRO-{letters(n + 1000)}")
    name = factory.Sequence(lambda n: f"Nordic Transport {n} ApS")
    manager_name = "Karen Holm"
    street = "Havnegade 4"
    postal_code = "8000"
    city = "Aarhus"
    country = Country.DK
    email = factory.Sequence(lambda n: f"office{n}@company.example")
    phone = "+4586123456"
    vat_number = "DK12345678"


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    company = factory.SubFactory(CompanyFactory)
    role = Role.ADMIN


class DealerStaffFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DealerStaff

    user = factory.SubFactory(UserFactory)
    dealer = factory.SubFactory(DealerFactory)
    d5_id = factory.Sequence(lambda n: f"D5{n:06d}")


class VehicleFactory(factory.django.DjangoModelFactory):
    """A Mercedes-Benz Sprinter: WMI W1V (Mercedes-Benz vans), model code 907 (Sprinter)."""

    class Meta:
        model = Vehicle

    company = factory.SubFactory(CompanyFactory)
    vin = factory.Sequence(lambda n: f"W1V9076331P{n:06d}")
    make = "Mercedes-Benz"
    model_family = "Sprinter"
    model_year = 2023
    fuel = Fuel.COMBUSTION
    licence_plate = factory.Sequence(lambda n: f"AB{n:05d}")
    nickname = factory.Sequence(lambda n: f"Van {n}")


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Service
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"service-{n}")
    name = factory.Sequence(lambda n: f"Service {n}")


class PackFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Pack
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"pack-{n}")
    name = factory.Sequence(lambda n: f"Pack {n}")

    @factory.post_generation
    def services(obj, create, extracted, **kwargs):
        if create:
            obj.services.set(extracted if extracted is not None else [ServiceFactory()])


class PriceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Price

    pack = factory.SubFactory(PackFactory)
    country = Country.DK
    currency = "DKK"
    amount = "1870.00"
    trial_months = 12


class OrderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Order

    company = factory.SubFactory(CompanyFactory)
    pack = factory.SubFactory(PackFactory)
    currency = "DKK"
    total = "1870.00"


class SubscriptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Subscription

    order = factory.SubFactory(OrderFactory)
    company = factory.SelfAttribute("order.company")
    pack = factory.SelfAttribute("order.pack")
    vehicle = factory.SubFactory(VehicleFactory, company=factory.SelfAttribute("..company"))
    amount = "1870.00"
    currency = "DKK"
    trial_ends_at = factory.LazyFunction(lambda: timezone.now().date() + datetime.timedelta(days=365))
