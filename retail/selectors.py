"""Reads of the Retail site: the staff member behind a request, company search, the windows
(attestation, support session) a staff member holds, and the outlet's verification queue."""

from __future__ import annotations

import re

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Upper
from django.utils.translation import gettext as _

from companies.audit import action_label
from companies.models import AuditEvent, Company, Dealer, InvitationStatus, Membership, Role
from mpro.errors import DomainError, FieldErrors
from users.models import VerificationStatus
from vehicles.models import Vehicle
from vehicles.vin import VIN_LENGTH, normalize_vin

from .models import Attestation, DealerStaff, RetailRegistration, SupportSession, normalize_d5_id

PRO_ID_RE = re.compile(r"^PRO-[A-Z]{6}$")
SEARCH_RESULTS_MAX = 50
QUEUE_MAX = 50


def staff_for_user(user) -> DealerStaff | None:
    """The DealerStaff behind a logged-in user, with outlet and user loaded; None for customers."""
    if user is None or not user.is_authenticated:
        return None
    return DealerStaff.objects.select_related("user", "dealer").filter(user=user).first()


def staff_by_d5_id(d5_id: str) -> DealerStaff | None:
    d5_id = normalize_d5_id(d5_id)
    if not d5_id:
        return None
    return DealerStaff.objects.select_related("user", "dealer").filter(d5_id=d5_id).first()


# --- company search -----------------------------------------------------------------------------
def normalize_pro_id(raw: str | None) -> str:
    """'pro-abcdef', ' ABCDEF ', 'PRO-ABCDEF' → 'PRO-ABCDEF'. Raises DomainError(field="pro_id")
    when it cannot be a PRO ID."""
    value = (raw or "").strip().upper()
    if not value.startswith("PRO-"):
        value = "PRO-" + value
    if not PRO_ID_RE.match(value):
        raise DomainError(
            _("A PRO ID is PRO- followed by six letters, for example PRO-ABCDEF."), field="pro_id"
        )
    return value


def company_by_pro_id(raw: str | None) -> Company | None:
    """The company with this PRO ID (any case, with or without PRO-), or None."""
    try:
        pro_id = normalize_pro_id(raw)
    except DomainError:
        return None
    return Company.objects.filter(pro_id=pro_id).first()


# Legal forms of the markets, as customers type them after (or leave off) the company's name.
LEGAL_FORMS = (
    "ApS",
    "A/S",
    "IVS",
    "I/S",
    "K/S",
    "P/S",
    "GmbH",
    "GmbH & Co. KG",
    "AG",
    "UG",
    "KG",
    "OHG",
    "e.K.",
    "SARL",
    "SAS",
    "SASU",
    "SA",
    "S.A.",
    "EURL",
    "SNC",
    "BV",
    "B.V.",
    "NV",
    "N.V.",
    "VOF",
    "BVBA",
    "SRL",
    "SPRL",
    "S.L.",
    "SL",
    "S.L.U.",
    "S.r.l.",
    "S.p.A.",
    "Ltd",
    "Ltd.",
    "Limited",
    "LLP",
    "PLC",
    "e.U.",
)


def _name_variants(name: str) -> list[str]:
    """The upper-case names that count as the typed one. A name typed with its legal form must match
    as typed; one typed without matches the name followed by any legal form ("Nordvarer Transport"
    finds "Nordvarer Transport ApS"). An IN on the indexed UPPER(name) keeps the search an index
    scan, and postal code and city stay exact."""
    upper = name.upper()
    if any(upper.endswith((f" {form.upper()}", f", {form.upper()}")) for form in LEGAL_FORMS):
        return [upper]
    variants = {upper}
    for form in LEGAL_FORMS:
        variants.add(f"{upper} {form.upper()}")
        variants.add(f"{upper}, {form.upper()}")
    return sorted(variants)


def company_search(
    *, pro_id: str = "", name: str = "", postal_code: str = "", city: str = ""
) -> QuerySet[Company]:
    """The dealer's "select a company": by PRO ID, or by name + postal code + city exactly as the
    customer typed them (case and surrounding spaces ignored; inner runs of spaces count as one,
    as companies.services stores them). All three are needed: a partial search would list
    strangers' companies.

    Backed by indexes: pro_id is unique; the name search matches the expression index
    company_name_place_idx (UPPER(name), postal_code, UPPER(city)). Postal codes are stored upper
    case (companies.validators); the code is compared as stored and as typed (IN), both of which
    keep the index usable."""
    pro_id = (pro_id or "").strip()
    name, postal_code, city = (" ".join((value or "").split()) for value in (name, postal_code, city))
    if pro_id:
        return Company.objects.filter(pro_id=normalize_pro_id(pro_id)).order_by("name", "pk")
    given = {"name": name, "postal_code": postal_code, "city": city}
    if not any(given.values()):
        raise DomainError(
            _("Enter the PRO ID, or the company name, postal code and city."), code="search_incomplete"
        )
    missing = [field for field, value in given.items() if not value]
    if missing:
        raise FieldErrors(
            {field: [_("Enter the company name, postal code and city together.")] for field in missing}
        )
    postal_codes = sorted({postal_code.upper(), postal_code})
    return (
        Company.objects.annotate(name_upper=Upper("name"), city_upper=Upper("city"))
        .filter(name_upper__in=_name_variants(name), postal_code__in=postal_codes, city_upper=city.upper())
        .order_by("name", "pk")[:SEARCH_RESULTS_MAX]
    )


# --- windows --------------------------------------------------------------------------------------
def open_attestation(*, staff: DealerStaff, company: Company) -> Attestation | None:
    return Attestation.objects.open_for(staff=staff, company=company).order_by("-expires_at").first()


def open_support_session(*, staff: DealerStaff, company: Company) -> SupportSession | None:
    return SupportSession.objects.open_for(staff=staff, company=company).order_by("-expires_at").first()


# --- a company's people and vehicles ----------------------------------------------------------------
def primary_admin_membership(company: Company) -> Membership | None:
    return (
        Membership.objects.for_company(company).select_related("user").filter(is_primary_admin=True).first()
    )


def company_administrators(company: Company) -> QuerySet[Membership]:
    """The company's administrators whose support passwords open a support session: accepted
    (an invitee who has not joined yet is not an administrator) and with an active account."""
    return (
        Membership.objects.for_company(company)
        .filter(role=Role.ADMIN, invitation_status=InvitationStatus.ACCEPTED, user__is_active=True)
        .select_related("user")
    )


def company_members(company: Company) -> QuerySet[Membership]:
    """Primary administrator first, then by role and join date."""
    return (
        Membership.objects.for_company(company)
        .select_related("user")
        .order_by("-is_primary_admin", "role", "created_at", "id")
    )


def company_verification_counts(company: Company) -> dict[str, int]:
    """How many of the company's people and vehicles there are, and how many of each still wait
    for the dealer's verification: `members_total`, `members_waiting`, `vehicles_total`,
    `vehicles_waiting`. Two queries."""
    waiting = Q(verification_status=VerificationStatus.UNVERIFIED)
    members = Membership.objects.for_company(company).aggregate(
        members_total=Count("pk"),
        members_waiting=Count("pk", filter=Q(user__verification_status=VerificationStatus.UNVERIFIED)),
    )
    vehicles = Vehicle.objects.for_company(company).aggregate(
        vehicles_total=Count("pk"), vehicles_waiting=Count("pk", filter=waiting)
    )
    return {**members, **vehicles}


def company_has_support_password(company: Company) -> bool:
    """Whether any administrator of the company has set a support password (else no support
    session can be opened, and the page says so)."""
    return company_administrators(company).exclude(user__support_password="").exists()


def company_recent_events(company: Company, *, limit: int = 20) -> list:
    """The company's latest audit events, newest first, each with its `label` to show."""
    events = list(AuditEvent.objects.for_company(company).select_related("dealer")[:limit])
    for event in events:
        event.label = action_label(event.action)
    return events


def order_vehicle_choices(company: Company, *, limit: int) -> list[tuple[str, str]]:
    """(VIN, label) of the company's newest `limit` vehicles, for the order form's checkboxes."""
    vehicles = Vehicle.objects.for_company(company).order_by("-created_at", "-id")[:limit]
    return [(vehicle.vin, f"{vehicle.vin} · {vehicle}") for vehicle in vehicles]


def matching_vin(vehicles: QuerySet[Vehicle], vin: str) -> QuerySet[Vehicle]:
    """The dealer's VIN search, for the page and the API: a whole VIN (exact, unique index) or a
    part of one, in any case and with spaces."""
    vin = normalize_vin(vin)
    if not vin:
        return vehicles
    return vehicles.filter(vin=vin) if len(vin) == VIN_LENGTH else vehicles.filter(vin__contains=vin)


def network_vin_search(raw: str | None) -> QuerySet[Vehicle]:
    """The Retail header's VIN search ("find a vehicle") across every company of the network.

    Only a whole VIN is searched: a part of one would list strangers' vans, as a partial company
    search would list strangers' companies. It goes through `matching_vin`, so a whole VIN is the
    exact lookup on the unique VIN index. The answer names the van, its company's PRO ID and the
    verification states; anything more needs the attestation."""
    vin = normalize_vin(raw)
    if not vin:
        raise DomainError(_("Enter the VIN of the vehicle."), field="vin", code="vin_missing")
    if len(vin) != VIN_LENGTH:
        raise DomainError(
            _(
                "Enter the whole VIN (17 characters). A search across all companies needs the whole "
                "VIN; within an opened company, part of one is enough."
            ),
            field="vin",
            code="vin_incomplete",
        )
    return matching_vin(Vehicle.objects.select_related("company"), vin).order_by("pk")


def company_vehicles(company: Company, *, vin: str = "", status: str = "") -> QuerySet[Vehicle]:
    """The company's vehicles, searched by `matching_vin` and verification status."""
    vehicles = matching_vin(Vehicle.objects.for_company(company).select_related("workshop"), vin)
    if status in VerificationStatus.values:
        vehicles = vehicles.filter(verification_status=status)
    return vehicles.order_by("-created_at", "-id")


# --- the outlet's queue -----------------------------------------------------------------------------
def outlet_companies_q(dealer: Dealer) -> Q:
    """ "This outlet's" companies: those that chose it as default workshop, that have a vehicle
    whose workshop it is, or that its staff registered (RetailRegistration)."""
    return (
        Q(default_workshop=dealer)
        | Q(Exists(Vehicle.objects.filter(company=OuterRef("pk"), workshop=dealer)))
        | Q(Exists(RetailRegistration.objects.filter(company=OuterRef("pk"), dealer=dealer)))
    )


def queue_companies(dealer: Dealer, *, limit: int = QUEUE_MAX) -> list[Company]:
    """The outlet's companies still waiting for the dealer: the company itself or its first
    administrator not yet verified. Oldest first. A fixed number of queries."""
    primary_admins = Membership.objects.filter(company=OuterRef("pk"), is_primary_admin=True)
    waiting_vehicles = (
        Vehicle.objects.filter(company=OuterRef("pk"), verification_status=VerificationStatus.UNVERIFIED)
        .order_by()
        .values("company")
        .annotate(n=Count("pk"))
        .values("n")
    )
    unverified_admin = primary_admins.filter(user__verification_status=VerificationStatus.UNVERIFIED)
    companies = (
        Company.objects.filter(outlet_companies_q(dealer))
        .filter(Q(verification_status=VerificationStatus.UNVERIFIED) | Q(Exists(unverified_admin)))
        .annotate(
            admin_status=Subquery(primary_admins.values("user__verification_status")[:1]),
            waiting_vehicles=Subquery(waiting_vehicles[:1]),
        )
        .order_by("created_at", "pk")[:limit]
    )
    return list(companies)


def queue_vehicles(dealer: Dealer, *, limit: int = QUEUE_MAX) -> list[Vehicle]:
    """Vehicles not yet verified whose workshop is this outlet, or of this outlet's companies."""
    return list(
        Vehicle.objects.filter(verification_status=VerificationStatus.UNVERIFIED)
        .filter(
            Q(workshop=dealer)
            | Q(company__default_workshop=dealer)
            | Q(Exists(RetailRegistration.objects.filter(company=OuterRef("company"), dealer=dealer)))
        )
        .select_related("company")
        .order_by("created_at", "pk")[:limit]
    )
