"""Demo data for `manage.py seed_demo`: the dealer network and a verified demo company with its
people. Idempotent: running it again changes nothing."""

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone

from .models import (
    Company,
    ContractGeneration,
    Country,
    Dealer,
    IssuedProId,
    Membership,
    Role,
    TermsAcceptance,
    TermsDocument,
)

DEMO_PASSWORD = "mpro-demo-2026"
DEMO_PRO_ID = "PRO-DEMOVN"

# A plausible dealer network (invented outlets in real towns): code, name, street, postal code, city,
# country, phone.
DEALERS = [
    (
        "FR75015",
        "Utilitaires Paris Sud",
        "12 rue de la Convention",
        "75015",
        "Paris",
        Country.FR,
        "+33145580000",
    ),
    ("FR69007", "Lyon Gerland Vans", "40 avenue Tony Garnier", "69007", "Lyon", Country.FR, "+33478610000"),
    (
        "FR13010",
        "Marseille Pro Véhicules",
        "88 boulevard Romain Rolland",
        "13010",
        "Marseille",
        Country.FR,
        "+33491260000",
    ),
    (
        "FR33300",
        "Bordeaux Lac Utilitaires",
        "3 rue Jean Samazeuilh",
        "33300",
        "Bordeaux",
        Country.FR,
        "+33556110000",
    ),
    ("FR59000", "Lille Métropole Vans", "150 rue Nationale", "59000", "Lille", Country.FR, "+33320150000"),
    (
        "FR67000",
        "Strasbourg Utilitaires",
        "7 route du Rhin",
        "67000",
        "Strasbourg",
        Country.FR,
        "+33388250000",
    ),
    ("DK2600", "Glostrup Van Center", "Ejby Industrivej 40", "2600", "Glostrup", Country.DK, "+4543430000"),
    ("DK8200", "Aarhus Erhvervsbiler", "Randersvej 320", "8200", "Aarhus N", Country.DK, "+4587410000"),
    ("DK5220", "Odense Varebiler", "Rugårdsvej 210", "5220", "Odense SØ", Country.DK, "+4566150000"),
    ("DK9200", "Aalborg Van Service", "Hobrovej 455", "9200", "Aalborg SV", Country.DK, "+4598180000"),
    ("DK6000", "Kolding Erhverv", "Vejlevej 121", "6000", "Kolding", Country.DK, "+4575520000"),
    (
        "DE10553",
        "Transporter Zentrum Berlin",
        "Huttenstraße 50",
        "10553",
        "Berlin",
        Country.DE,
        "+49303900000",
    ),
    ("DE20539", "Hamburg Van Pro", "Amsinckstraße 28", "20539", "Hamburg", Country.DE, "+49402370000"),
    (
        "DE80807",
        "München Nord Transporter",
        "Ingolstädter Straße 45",
        "80807",
        "München",
        Country.DE,
        "+49893580000",
    ),
    (
        "DE50829",
        "Köln Nutzfahrzeuge",
        "Robert-Perthel-Straße 22",
        "50829",
        "Köln",
        Country.DE,
        "+49221950000",
    ),
    (
        "DE70327",
        "Stuttgart Van Center",
        "Mercedesstraße 120",
        "70327",
        "Stuttgart",
        Country.DE,
        "+49711170000",
    ),
    (
        "DE04109",
        "Leipzig Transporter",
        "Richard-Wagner-Straße 8",
        "04109",
        "Leipzig",
        Country.DE,
        "+49341210000",
    ),
]

DEMO_PEOPLE = [
    # e-mail, first name, last name, role
    ("admin@demo.mpro.example", "Anne", "Admin", Role.ADMIN),
    ("fleet@demo.mpro.example", "Frank", "Fleet", Role.FLEET_MANAGER),
    ("driver@demo.mpro.example", "Dina", "Driver", Role.DRIVER),
]


def seed_dealers() -> None:
    for code, name, street, postal_code, city, country, phone in DEALERS:
        Dealer.objects.update_or_create(
            code=code,
            defaults=dict(
                name=name, street=street, postal_code=postal_code, city=city, country=country, phone=phone
            ),
        )


def ensure_user(email: str, first_name: str, last_name: str, **extra):
    User = get_user_model()
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(
            email=email, password=DEMO_PASSWORD, first_name=first_name, last_name=last_name, **extra
        )
    EmailAddress.objects.get_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
    return user


def seed_company() -> Company:
    seed_dealers()
    company, created = Company.objects.get_or_create(
        pro_id=DEMO_PRO_ID,
        defaults=dict(
            name="Demo Varetransport ApS",
            manager_name="Anne Admin",
            street="Havnegade 12",
            postal_code="8000",
            city="Aarhus C",
            country=Country.DK,
            email="office@demo.mpro.example",
            phone="+4586120000",
            vat_number="DK31234567",
            verification_status="verified",
            verified_at=timezone.now(),
            default_workshop=Dealer.objects.get(code="DK8200"),
        ),
    )
    IssuedProId.objects.get_or_create(pro_id=DEMO_PRO_ID)
    ContractGeneration.objects.get_or_create(
        company=company,
        number=1,
        defaults={
            "base_data": {
                f: getattr(company, f) for f in ("name", "street", "postal_code", "city", "country")
            }
        },
    )
    for index, (email, first, last, role) in enumerate(DEMO_PEOPLE):
        user = ensure_user(email, first, last, birth_date="1980-03-14", phone="+4520304050")
        if role == Role.ADMIN and user.verification_status != "verified":
            user.verification_status = "verified"
            user.verification_mode = "passport"
            user.verified_at = timezone.now()
            user.save()
        if role == Role.ADMIN and not user.has_support_password:
            user.set_support_password("demo-support")
            user.save()
        Membership.objects.get_or_create(
            user=user, defaults=dict(company=company, role=role, is_primary_admin=index == 0)
        )
        for document, version in (
            (TermsDocument.TERMS_OF_USE, settings.TERMS_OF_USE_VERSION),
            (TermsDocument.PACK_TERMS, settings.PACK_TERMS_VERSION),
        ):
            TermsAcceptance.objects.get_or_create(user=user, document=document, version=version)
    return company
