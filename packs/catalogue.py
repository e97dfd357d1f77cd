"""The service catalogue as data: services, packs and prices, with their texts in en/fr/da/de.

`seed_catalogue()` writes it (idempotent: it creates what is missing and leaves prices an operator
changed in the admin alone unless `update_prices=True`). `manage.py seed_catalogue` and
`manage.py seed_demo` run it; tests call it through the `catalogue` fixture.

Prices are per vehicle per year, excluding VAT. Only one is published: the Danish FAQ gives
DKK 1,870 for all connect services except the data interface, after a 12-month welcome offer.
Every other figure is our own estimate, derived from that one, and says so in `Price.source`.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from vehicles.models import Fuel

FAQ_SOURCE = "Published: Danish Mercedes PRO FAQ (DKK 1,870/vehicle/year after a 12-month welcome offer)"
OUR_SOURCE = "Our estimate (mpro), not a published price"

# Model families the connect services are built for (vehicles.vin decodes these names).
CONNECTED_FAMILIES = ["Sprinter", "eSprinter", "Vito", "eVito", "Citan", "eCitan"]
LARGE_VAN_FAMILIES = ["Sprinter", "eSprinter", "Vito", "eVito"]


@dataclass(frozen=True)
class ServiceSpec:
    sort_order: int
    requires_module: bool  # only for vans with a communication module
    fuels: list[str]  # empty: any fuel
    model_families: list[str]  # empty: any family
    texts: dict[str, tuple[str, str]]  # language → (name, description)


@dataclass(frozen=True)
class YearlyPrices:
    """Per vehicle per year, excluding VAT."""

    eur: str
    dkk: str
    gbp: str
    welcome_months: int  # months free under the welcome offer (0: none)


SERVICES: dict[str, ServiceSpec] = {
    "fleet-management": ServiceSpec(
        sort_order=10,
        requires_module=True,
        fuels=[],
        model_families=CONNECTED_FAMILIES,
        texts={
            "en": (
                "Fleet management",
                "Fuel level, odometer and battery voltage of every van at a glance, with alerts for "
                "due maintenance and for vans leaving a geofence.",
            ),
            "fr": (
                "Gestion de flotte",
                "Niveau de carburant, kilométrage et tension de batterie de chaque véhicule d'un coup "
                "d'œil, avec des alertes d'entretien et de sortie de zone géographique.",
            ),
            "da": (
                "Flådestyring",
                "Brændstofniveau, kilometertal og batterispænding for hver varebil på ét sted, med "
                "varsler om kommende service og når en bil forlader et geografisk område.",
            ),
            "de": (
                "Flottenmanagement",
                "Tankfüllstand, Kilometerstand und Batteriespannung jedes Transporters auf einen Blick, "
                "mit Hinweisen zu fälliger Wartung und beim Verlassen eines Geofence-Bereichs.",
            ),
        },
    ),
    "digital-logbook": ServiceSpec(
        sort_order=20,
        requires_module=True,
        fuels=[],
        model_families=CONNECTED_FAMILIES,
        texts={
            "en": (
                "Digital driver's log",
                "Trips are recorded automatically; drivers mark them as business or private and the "
                "logbook can be exported for the tax office.",
            ),
            "fr": (
                "Carnet de bord numérique",
                "Les trajets sont enregistrés automatiquement ; le conducteur les classe en "
                "professionnels ou privés et le carnet s'exporte pour l'administration fiscale.",
            ),
            "da": (
                "Digital kørebog",
                "Ture registreres automatisk; føreren markerer dem som erhverv eller privat, og "
                "kørebogen kan eksporteres til skattemyndighederne.",
            ),
            "de": (
                "Digitales Fahrtenbuch",
                "Fahrten werden automatisch erfasst; Fahrer ordnen sie als dienstlich oder privat ein, "
                "und das Fahrtenbuch lässt sich für das Finanzamt exportieren.",
            ),
        },
    ),
    "maintenance-management": ServiceSpec(
        sort_order=30,
        requires_module=True,
        fuels=[],
        model_families=CONNECTED_FAMILIES,
        texts={
            "en": (
                "Maintenance management",
                "Service due dates and warning messages reach you and your chosen workshop, so "
                "appointments can be planned before a van breaks down.",
            ),
            "fr": (
                "Gestion de la maintenance",
                "Échéances d'entretien et messages d'alerte vous parviennent, ainsi qu'à votre atelier, "
                "pour planifier les rendez-vous avant une panne.",
            ),
            "da": (
                "Vedligeholdelsesstyring",
                "Serviceterminer og advarsler sendes til dig og dit valgte værksted, så besøg kan "
                "planlægges, før bilen går i stå.",
            ),
            "de": (
                "Wartungsmanagement",
                "Wartungstermine und Warnmeldungen gehen an Sie und Ihre Werkstatt, damit Termine "
                "geplant werden, bevor ein Fahrzeug ausfällt.",
            ),
        },
    ),
    "remote-functions": ServiceSpec(
        sort_order=40,
        requires_module=True,
        fuels=[],
        model_families=LARGE_VAN_FAMILIES,
        texts={
            "en": (
                "Remote vehicle functions",
                "Lock and unlock a van from the portal or the driver's app, for example to let a "
                "colleague load it while you are away.",
            ),
            "fr": (
                "Fonctions à distance",
                "Verrouiller et déverrouiller un véhicule depuis le portail ou l'application du "
                "conducteur, par exemple pour qu'un collègue le charge en votre absence.",
            ),
            "da": (
                "Fjernbetjening af bilen",
                "Lås og lås op for en varebil fra portalen eller førerens app, f.eks. så en kollega "
                "kan læsse den, mens du er væk.",
            ),
            "de": (
                "Fernzugriff auf das Fahrzeug",
                "Transporter aus dem Portal oder der Fahrer-App ver- und entriegeln, etwa damit ein "
                "Kollege ihn in Ihrer Abwesenheit beladen kann.",
            ),
        },
    ),
    "navigation": ServiceSpec(
        sort_order=50,
        requires_module=True,
        fuels=[],
        model_families=LARGE_VAN_FAMILIES,
        texts={
            "en": (
                "Navigation",
                "Send destinations and jobs from the office straight to the van's navigation "
                "system, with live traffic information.",
            ),
            "fr": (
                "Navigation",
                "Envoyer destinations et missions du bureau directement au système de navigation du "
                "véhicule, avec l'info trafic en temps réel.",
            ),
            "da": (
                "Navigation",
                "Send destinationer og opgaver fra kontoret direkte til bilens navigationssystem, "
                "med trafikinformation i realtid.",
            ),
            "de": (
                "Navigation",
                "Ziele und Aufträge aus dem Büro direkt an das Navigationssystem des Fahrzeugs "
                "senden, mit Verkehrsinformationen in Echtzeit.",
            ),
        },
    ),
    "driving-style": ServiceSpec(
        sort_order=60,
        requires_module=True,
        fuels=[],
        model_families=CONNECTED_FAMILIES,
        texts={
            "en": (
                "Driving-style analysis",
                "Acceleration, braking and idling per trip and per driver, with tips that lower "
                "fuel use and wear.",
            ),
            "fr": (
                "Analyse du style de conduite",
                "Accélérations, freinages et ralenti par trajet et par conducteur, avec des conseils "
                "pour réduire consommation et usure.",
            ),
            "da": (
                "Analyse af kørestil",
                "Acceleration, opbremsning og tomgang pr. tur og pr. fører, med råd der sænker "
                "forbrug og slid.",
            ),
            "de": (
                "Fahrstilanalyse",
                "Beschleunigen, Bremsen und Leerlauf je Fahrt und Fahrer, mit Tipps, die Verbrauch "
                "und Verschleiß senken.",
            ),
        },
    ),
    "echarging": ServiceSpec(
        sort_order=70,
        requires_module=True,
        fuels=[Fuel.ELECTRIC],
        model_families=[],
        texts={
            "en": (
                "eCharging",
                "Charge level and range of electric vans, charging timers and pre-conditioning of "
                "the cab before departure.",
            ),
            "fr": (
                "eCharging",
                "Niveau de charge et autonomie des utilitaires électriques, programmation de la "
                "recharge et pré-climatisation avant le départ.",
            ),
            "da": (
                "eCharging",
                "Ladeniveau og rækkevidde for elvarebiler, ladetimer og forklimatisering af "
                "førerhuset før afgang.",
            ),
            "de": (
                "eCharging",
                "Ladestand und Reichweite elektrischer Transporter, Ladetimer und Vorklimatisierung "
                "des Fahrerhauses vor der Abfahrt.",
            ),
        },
    ),
    "data-interface-light": ServiceSpec(
        sort_order=80,
        requires_module=True,
        fuels=[],
        model_families=CONNECTED_FAMILIES,
        texts={
            "en": (
                "Vehicle data interface light",
                "Position, mileage and fuel level delivered to your own fleet software through an "
                "API, a few times an hour.",
            ),
            "fr": (
                "Interface de données véhicule light",
                "Position, kilométrage et niveau de carburant transmis à votre propre logiciel de "
                "flotte via une API, plusieurs fois par heure.",
            ),
            "da": (
                "Datagrænseflade light",
                "Position, kilometertal og brændstofniveau leveret til jeres eget flådesystem via "
                "et API, flere gange i timen.",
            ),
            "de": (
                "Fahrzeugdaten-Schnittstelle light",
                "Position, Kilometerstand und Tankfüllstand über eine API an Ihre eigene "
                "Flottensoftware, mehrmals pro Stunde.",
            ),
        },
    ),
    "data-interface-extended": ServiceSpec(
        sort_order=90,
        requires_module=True,
        fuels=[],
        model_families=LARGE_VAN_FAMILIES,
        texts={
            "en": (
                "Vehicle data interface extended",
                "All signals of the light interface plus tyre pressure, door status, service data "
                "and charge level, close to real time.",
            ),
            "fr": (
                "Interface de données véhicule étendue",
                "Tous les signaux de l'interface light, plus pression des pneus, état des portes, "
                "données d'entretien et niveau de charge, presque en temps réel.",
            ),
            "da": (
                "Datagrænseflade udvidet",
                "Alle signaler fra light-udgaven plus dæktryk, dørstatus, servicedata og ladeniveau, "
                "næsten i realtid.",
            ),
            "de": (
                "Fahrzeugdaten-Schnittstelle erweitert",
                "Alle Signale der Light-Variante plus Reifendruck, Türstatus, Wartungsdaten und "
                "Ladestand, nahezu in Echtzeit.",
            ),
        },
    ),
}

BUNDLE_CODE = "connect-complete"
BUNDLE_SERVICES = [code for code in SERVICES if not code.startswith("data-interface")]
BUNDLE_TEXTS = {
    "en": (
        "Connect complete",
        "Every connected service except the data interface in one pack: fleet management, driver's "
        "log, maintenance, remote functions, navigation, driving style and, on electric vans, "
        "eCharging. Services a van cannot run are left out for that van.",
    ),
    "fr": (
        "Connect complet",
        "Tous les services connectés sauf l'interface de données dans un seul pack : gestion de "
        "flotte, carnet de bord, maintenance, fonctions à distance, navigation, style de conduite et, "
        "sur les véhicules électriques, eCharging. Les services qu'un véhicule ne peut pas utiliser "
        "sont omis pour lui.",
    ),
    "da": (
        "Connect komplet",
        "Alle forbundne tjenester undtagen datagrænsefladen i én pakke: flådestyring, kørebog, "
        "vedligeholdelse, fjernbetjening, navigation, kørestil og, på elbiler, eCharging. Tjenester, "
        "som en bil ikke kan køre, udelades for den bil.",
    ),
    "de": (
        "Connect komplett",
        "Alle vernetzten Dienste außer der Datenschnittstelle in einem Paket: Flottenmanagement, "
        "Fahrtenbuch, Wartung, Fernzugriff, Navigation, Fahrstil und bei Elektrotransportern "
        "eCharging. Dienste, die ein Fahrzeug nicht nutzen kann, entfallen für dieses Fahrzeug.",
    ),
}

# Yearly price per vehicle in EUR (our estimates), DKK and GBP. The DKK bundle price is published.
PRICES: dict[str, YearlyPrices] = {
    BUNDLE_CODE: YearlyPrices(eur="250.00", dkk="1870.00", gbp="215.00", welcome_months=12),
    "fleet-management": YearlyPrices(eur="120.00", dkk="895.00", gbp="105.00", welcome_months=12),
    "digital-logbook": YearlyPrices(eur="90.00", dkk="670.00", gbp="79.00", welcome_months=12),
    "maintenance-management": YearlyPrices(eur="60.00", dkk="450.00", gbp="52.00", welcome_months=12),
    "remote-functions": YearlyPrices(eur="60.00", dkk="450.00", gbp="52.00", welcome_months=12),
    "navigation": YearlyPrices(eur="90.00", dkk="670.00", gbp="79.00", welcome_months=12),
    "driving-style": YearlyPrices(eur="60.00", dkk="450.00", gbp="52.00", welcome_months=12),
    "echarging": YearlyPrices(eur="60.00", dkk="450.00", gbp="52.00", welcome_months=12),
    # The data interface is not part of the welcome offer (the FAQ excludes it).
    "data-interface-light": YearlyPrices(eur="120.00", dkk="895.00", gbp="105.00", welcome_months=0),
    "data-interface-extended": YearlyPrices(eur="240.00", dkk="1790.00", gbp="210.00", welcome_months=0),
}
EUR_COUNTRIES = ["AT", "BE", "DE", "ES", "FR", "IT", "NL"]


def _translations(texts: dict[str, tuple[str, str]]) -> dict:
    return {lang: {"name": name, "description": desc} for lang, (name, desc) in texts.items() if lang != "en"}


@transaction.atomic
def seed_catalogue(*, update_prices: bool = False) -> dict[str, int]:
    """Creates (or completes) the catalogue. Returns how many rows were created."""
    from .models import Pack, Price, Service

    created = {"services": 0, "packs": 0, "prices": 0}
    services = {}
    for code, spec in SERVICES.items():
        name, description = spec.texts["en"]
        service, was_created = Service.objects.update_or_create(
            code=code,
            defaults=dict(
                name=name,
                description=description,
                translations=_translations(spec.texts),
                requires_module=spec.requires_module,
                fuels=[str(f) for f in spec.fuels],
                model_families=spec.model_families,
                sort_order=spec.sort_order,
            ),
        )
        services[code] = service
        created["services"] += was_created

    pack_specs = [(BUNDLE_CODE, 1, True, BUNDLE_SERVICES, BUNDLE_TEXTS)]
    for code, spec in SERVICES.items():
        pack_specs.append((code, 10 + spec.sort_order, False, [code], spec.texts))

    for code, sort, is_bundle, service_codes, texts in pack_specs:
        name, description = texts["en"]
        pack, was_created = Pack.objects.update_or_create(
            code=code,
            defaults=dict(
                name=name,
                description=description,
                translations=_translations(texts),
                is_bundle=is_bundle,
                sort_order=sort,
            ),
        )
        if was_created:
            pack.services.set([services[c] for c in service_codes])
        created["packs"] += was_created

        prices = PRICES[code]
        rows = [(country, "EUR", prices.eur, OUR_SOURCE) for country in EUR_COUNTRIES]
        rows.append(("DK", "DKK", prices.dkk, FAQ_SOURCE if code == BUNDLE_CODE else OUR_SOURCE))
        rows.append(("GB", "GBP", prices.gbp, OUR_SOURCE))
        for country, currency, amount, source in rows:
            values = dict(
                currency=currency, amount=Decimal(amount), trial_months=prices.welcome_months, source=source
            )
            if update_prices:
                _price, was_created = Price.objects.update_or_create(
                    pack=pack, country=country, defaults=values
                )
            else:
                _price, was_created = Price.objects.get_or_create(pack=pack, country=country, defaults=values)
            created["prices"] += was_created
    return created
