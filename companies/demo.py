"""Demo data for `manage.py seed_demo`: the dealer network and a verified demo company with its
people. Idempotent: running it again changes nothing."""

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model

from users.models import IdentityMode

from .models import (
    Company,
    ContractGeneration,
    Country,
    Dealer,
    Membership,
    Role,
    TermsAcceptance,
    TermsDocument,
)
from .seeding import company_seed
from .selectors import terms_version

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

# Every country with prices has outlets, so that its customers can be verified.
DEALERS += [
    ("AT1230", "Wien Liesing Transporter", "Brunner Straße 71", "1230", "Wien", Country.AT, "+4318699000"),
    ("AT4020", "Linz Nutzfahrzeuge", "Wiener Straße 140", "4020", "Linz", Country.AT, "+43732340000"),
    (
        "BE1070",
        "Bruxelles Utilitaires",
        "Boulevard Industriel 30",
        "1070",
        "Anderlecht",
        Country.BE,
        "+3225200000",
    ),
    ("BE2030", "Antwerpen Bestelwagens", "Noorderlaan 100", "2030", "Antwerpen", Country.BE, "+3235400000"),
    (
        "ES28021",
        "Madrid Sur Furgonetas",
        "Calle de Alcorcón 12",
        "28021",
        "Madrid",
        Country.ES,
        "+34917100000",
    ),
    (
        "ES08040",
        "Barcelona Vans Zona Franca",
        "Carrer A 40",
        "08040",
        "Barcelona",
        Country.ES,
        "+34932630000",
    ),
    (
        "GBB116",
        "Birmingham Van Centre",
        "120 Bordesley Green Road",
        "B11 6AA",
        "Birmingham",
        Country.GB,
        "+441217720000",
    ),
    ("GBE163", "London East Vans", "45 Canning Road", "E16 3ND", "London", Country.GB, "+442074760000"),
    (
        "IT20138",
        "Milano Est Veicoli Commerciali",
        "Via Mecenate 76",
        "20138",
        "Milano",
        Country.IT,
        "+390250990000",
    ),
    ("IT00156", "Roma Tiburtina Van", "Via Tiburtina 1100", "00156", "Roma", Country.IT, "+39064120000"),
    (
        "NL1043",
        "Amsterdam West Bedrijfswagens",
        "Kabelweg 20",
        "1043 DP",
        "Amsterdam",
        Country.NL,
        "+31206860000",
    ),
    (
        "NL3045",
        "Rotterdam Van Centrum",
        "Spaanse Polder 5",
        "3045 AP",
        "Rotterdam",
        Country.NL,
        "+31102450000",
    ),
]
# Weekdays 0–4 (Monday–Friday) and Saturday mornings, the usual hours of an after-sales workshop.
DEMO_OPENING_HOURS = [[0, 4, "07:00", "17:00"], [5, 5, "08:00", "12:00"]]

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
                name=name,
                street=street,
                postal_code=postal_code,
                city=city,
                country=country,
                phone=phone,
                opening_hours=DEMO_OPENING_HOURS,
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
    company = company_seed(
        pro_id=DEMO_PRO_ID,
        name="Demo Varetransport ApS",
        manager_name="Anne Admin",
        street="Havnegade 12",
        city="Aarhus C",
        email="office@demo.mpro.example",
        phone="+4586120000",
        vat_number="DK31234567",
        verified=True,
        default_workshop=Dealer.objects.get(code="DK8200"),
    )
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
        if role == Role.ADMIN and not user.is_verified:
            user.mark_verified(by=None, mode=IdentityMode.PASSPORT)
        if role == Role.ADMIN and not user.has_support_password:
            user.set_support_password("demo-support")
            user.save()
        Membership.objects.get_or_create(
            user=user, defaults=dict(company=company, role=role, is_primary_admin=index == 0)
        )
        for document in (TermsDocument.TERMS_OF_USE, TermsDocument.PACK_TERMS):
            TermsAcceptance.objects.get_or_create(
                user=user, document=document, version=terms_version(document)
            )
    return company


def seed(company) -> list[str]:
    """The people's logins to print (seed_company has created them)."""
    return [
        f"    {role.label:<24} {email:<28} password: {DEMO_PASSWORD}" for email, _f, _l, role in DEMO_PEOPLE
    ]
