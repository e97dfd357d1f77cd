"""Pages of the Retail site (the dealer site). Views parse input, call one service, render."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from companies.audit import action_label
from companies.models import AuditEvent, Membership
from mpro.errors import ConflictError, DomainError, FieldErrors, RateLimitedError
from mpro.forms import show_error
from packs.selectors import catalogue as pack_catalogue
from packs.services import activation_blockers, order_place
from users.models import VerificationStatus
from vehicles.models import Vehicle
from vehicles.services import vehicle_add
from vehicles.vin import normalize_vin

from . import forms, selectors, services
from .access import company_required, pop_draft_initial, safe_next, staff_required
from .models import RetailRegistration
from .throttling import RetailSearchThrottle

REGISTRATION_KEY = "retail_registration_admin"
VEHICLES_PER_PAGE = 50
ORDER_VEHICLE_CHOICES_MAX = 200


def _posted(request: HttpRequest):
    """The POSTed data, also when empty (an empty form must be bound, so it shows its errors)."""
    return request.POST if request.method == "POST" else None


def _client_address(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR", "")


# --- login ------------------------------------------------------------------------------------
@sensitive_post_parameters("password")
def login_view(request: HttpRequest) -> HttpResponse:
    """Log in with the dealer ID (D5) and password. Customers never see this site (404)."""
    if request.user.is_authenticated:
        if selectors.staff_for_user(request.user) is None:
            raise Http404
        return redirect("retail:dashboard")
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not (
        next_url.startswith("/retail/") and url_has_allowed_host_and_scheme(next_url, {request.get_host()})
    ):
        next_url = reverse("retail:dashboard")
    form = forms.LoginForm(_posted(request))
    status = 200
    response_headers = {}
    if request.method == "POST" and form.is_valid():
        try:
            staff = services.staff_authenticate(
                d5_id=form.cleaned_data["d5_id"],
                password=form.cleaned_data["password"],
                address=_client_address(request),
            )
        except RateLimitedError as error:
            form.add_error(None, str(error.message))
            status = 429
            response_headers["Retry-After"] = str(error.retry_after)
        except DomainError as error:
            show_error(form, error)
        else:
            auth_login(request, staff.user, backend="django.contrib.auth.backends.ModelBackend")
            return redirect(next_url)
    response = render(request, "retail/login.html", {"form": form, "next": next_url}, status=status)
    for header, value in response_headers.items():
        response[header] = value
    return response


def logout_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated and selectors.staff_for_user(request.user) is None:
        raise Http404
    if request.method == "POST":
        auth_logout(request)
    return redirect("retail:login")


# --- dashboard and knowledge bank ---------------------------------------------------------------
@staff_required
def dashboard(request: HttpRequest) -> HttpResponse:
    dealer = request.staff.dealer
    return render(
        request,
        "retail/dashboard.html",
        {
            "queue_companies": selectors.queue_companies(dealer),
            "queue_vehicles": selectors.queue_vehicles(dealer),
            "queue_max": selectors.QUEUE_MAX,
        },
    )


@staff_required
def knowledge(request: HttpRequest) -> HttpResponse:
    return render(request, "retail/knowledge.html", {"attestation_hours": settings.ATTESTATION_HOURS})


# --- select a company --------------------------------------------------------------------------
@staff_required
def company_search(request: HttpRequest) -> HttpResponse:
    # Two forms on one page: by PRO ID, or ("PRO ID unknown?") by name + postal code + city.
    by_place = "pro_id" not in request.GET and bool({"name", "postal_code", "city"} & set(request.GET))
    pro_form = forms.ProIdSearchForm(request.GET if "pro_id" in request.GET else None)
    place_form = forms.PlaceSearchForm(request.GET if by_place else None)
    form = place_form if by_place else pro_form
    results = None
    status = 200
    response_headers = {}
    if form.is_bound and form.is_valid():
        throttle = RetailSearchThrottle()
        if not throttle.allow_request(request, None):
            status = 429
            response_headers["Retry-After"] = str(throttle.retry_after())
            form.add_error(
                None,
                ngettext(
                    "You have searched very often. Wait %(seconds)s second, then search again.",
                    "You have searched very often. Wait %(seconds)s seconds, then search again.",
                    throttle.retry_after(),
                )
                % {"seconds": throttle.retry_after()},
            )
        else:
            try:
                results = list(selectors.company_search(**form.cleaned_data))
            except DomainError as error:
                show_error(form, error)
    response = render(
        request,
        "retail/company_search.html",
        {
            "pro_form": pro_form,
            "place_form": place_form,
            "by_place": by_place,
            "results": results,
        },
        status=status,
    )
    for header, value in response_headers.items():
        response[header] = value
    return response


@staff_required
def attest(request: HttpRequest, pro_id: str) -> HttpResponse:
    """Confirm identity: recorded, and opens the company to this staff member for 8 hours."""
    company = selectors.company_by_pro_id(pro_id)
    if company is None:
        raise Http404
    form = forms.AttestationForm(_posted(request))
    next_url = safe_next(request, company, reverse("retail:company", args=[company.pro_id]))
    if request.method == "POST" and form.is_valid():
        try:
            services.attestation_open(
                staff=request.staff, company=company, identity_checked=form.cleaned_data["identity_checked"]
            )
        except DomainError as error:
            show_error(form, error)
        else:
            return redirect(next_url)
    return render(
        request,
        "retail/attest.html",
        {
            "company": company,
            "form": form,
            "next": next_url,
            "admin_membership": selectors.primary_admin_membership(company),
            "attestation_hours": settings.ATTESTATION_HOURS,
        },
    )


# --- the company -----------------------------------------------------------------------------
def _company_context(request: HttpRequest, **extra) -> dict:
    return {
        "company": request.company,
        "attestation": request.attestation,
        "support_session": request.support_session,
        **extra,
    }


@company_required
def company_profile(request: HttpRequest) -> HttpResponse:
    company = request.company
    admin = selectors.primary_admin_membership(company)
    members = Membership.objects.for_company(company)
    return render(
        request,
        "retail/company_profile.html",
        _company_context(
            request,
            admin_membership=admin,
            members_waiting=members.filter(user__verification_status=VerificationStatus.UNVERIFIED).count(),
            members_total=members.count(),
            vehicles_waiting=Vehicle.objects.for_company(company)
            .filter(verification_status=VerificationStatus.UNVERIFIED)
            .count(),
            vehicles_total=Vehicle.objects.for_company(company).count(),
        ),
    )


@company_required
def company_details(request: HttpRequest) -> HttpResponse:
    company = request.company
    events = list(AuditEvent.objects.for_company(company).select_related("dealer")[:20])
    for event in events:
        event.label = action_label(event.action)
    return render(
        request,
        "retail/company_details.html",
        _company_context(
            request, admin_membership=selectors.primary_admin_membership(company), events=events
        ),
    )


@company_required
def company_verify(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        services.company_verify(company=request.company, actor=request.actor)
        messages.success(request, _("The company is verified."))
        return redirect("retail:company", request.company.pro_id)
    return render(request, "retail/company_verify.html", _company_context(request))


@company_required
def company_reject(request: HttpRequest) -> HttpResponse:
    initial = pop_draft_initial(request, forms.ReasonForm)
    form = forms.ReasonForm(_posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.company_reject(
                company=request.company, reason=form.cleaned_data["reason"], actor=request.actor
            )
        except DomainError as error:
            show_error(form, error)
        else:
            messages.success(request, _("The company is rejected; the customer sees your reason."))
            return redirect("retail:company", request.company.pro_id)
    return render(request, "retail/company_reject.html", _company_context(request, form=form))


# --- users -------------------------------------------------------------------------------------
@company_required
def member_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "retail/member_list.html",
        _company_context(request, memberships=list(selectors.company_members(request.company))),
    )


def _membership(request: HttpRequest, member_id: int) -> Membership:
    return get_object_or_404(selectors.company_members(request.company), pk=member_id)


@company_required
def member_detail(request: HttpRequest, member_id: int) -> HttpResponse:
    return render(
        request,
        "retail/member_detail.html",
        _company_context(request, membership=_membership(request, member_id)),
    )


@company_required
def member_verify(request: HttpRequest, member_id: int) -> HttpResponse:
    membership = _membership(request, member_id)
    form = forms.MemberVerifyForm(
        _posted(request), initial=pop_draft_initial(request, forms.MemberVerifyForm)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.member_verify(membership=membership, mode=form.cleaned_data["mode"], actor=request.actor)
        except DomainError as error:
            show_error(form, error)
        else:
            messages.success(
                request,
                _("%(name)s is verified.")
                % {"name": membership.user.get_full_name() or membership.user.email},
            )
            return redirect("retail:member", request.company.pro_id, membership.pk)
    return render(
        request, "retail/member_verify.html", _company_context(request, membership=membership, form=form)
    )


# --- vehicles ----------------------------------------------------------------------------------
@company_required
def vehicle_list(request: HttpRequest) -> HttpResponse:
    form = forms.VinSearchForm(request.GET or None)
    vin = status = ""
    if form.is_bound and form.is_valid():
        vin, status = form.cleaned_data["vin"], form.cleaned_data["status"]
    vehicles = selectors.company_vehicles(request.company, vin=vin, status=status)
    page = Paginator(vehicles, VEHICLES_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "retail/vehicle_list.html",
        _company_context(request, form=form, page=page, query=query.urlencode(), searched=bool(vin)),
    )


def _vehicle(request: HttpRequest, vin: str) -> Vehicle:
    vin = (vin or "").strip().upper()
    return get_object_or_404(
        Vehicle.objects.for_company(request.company).select_related("workshop", "driver"), vin=vin
    )


@company_required
def vehicle_detail(request: HttpRequest, vin: str) -> HttpResponse:
    vehicle = _vehicle(request, vin)
    subscriptions = list(vehicle.subscriptions.select_related("pack").order_by("-created_at", "-id"))
    blockers = activation_blockers(vehicle=vehicle) if subscriptions else []
    return render(
        request,
        "retail/vehicle_detail.html",
        _company_context(request, vehicle=vehicle, subscriptions=subscriptions, blockers=blockers),
    )


@company_required
def vehicle_verify(request: HttpRequest, vin: str) -> HttpResponse:
    vehicle = _vehicle(request, vin)
    if request.method == "POST":
        services.vehicle_verify(vehicle=vehicle, actor=request.actor)
        messages.success(request, _("Vehicle %(vin)s is verified.") % {"vin": vehicle.vin})
        return redirect("retail:vehicle", request.company.pro_id, vehicle.vin)
    return render(request, "retail/vehicle_verify.html", _company_context(request, vehicle=vehicle))


@company_required
def vehicle_reject(request: HttpRequest, vin: str) -> HttpResponse:
    vehicle = _vehicle(request, vin)
    form = forms.ReasonForm(_posted(request), initial=pop_draft_initial(request, forms.ReasonForm))
    if request.method == "POST" and form.is_valid():
        try:
            services.vehicle_reject(vehicle=vehicle, reason=form.cleaned_data["reason"], actor=request.actor)
        except DomainError as error:
            show_error(form, error)
        else:
            messages.success(request, _("Vehicle %(vin)s is rejected.") % {"vin": vehicle.vin})
            return redirect("retail:vehicle", request.company.pro_id, vehicle.vin)
    return render(
        request, "retail/vehicle_reject.html", _company_context(request, vehicle=vehicle, form=form)
    )


@company_required
def vehicle_transfer(request: HttpRequest) -> HttpResponse:
    """Moves a VIN another company holds into this one, after the registration document was seen."""
    initial = pop_draft_initial(request, forms.TransferForm) or {"vin": request.GET.get("vin", "")[:40]}
    form = forms.TransferForm(_posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            vehicle = services.vehicle_transfer_to(
                company=request.company,
                vin=form.cleaned_data["vin"],
                registration_checked=form.cleaned_data["registration_checked"],
                actor=request.actor,
            )
        except DomainError as error:
            show_error(form, error)
        else:
            messages.success(
                request,
                _("Vehicle %(vin)s now belongs to this company. Verify it to start its services.")
                % {"vin": vehicle.vin},
            )
            return redirect("retail:vehicle", request.company.pro_id, vehicle.vin)
    return render(request, "retail/vehicle_transfer.html", _company_context(request, form=form))


# --- acting for the customer: support sessions -------------------------------------------------
@sensitive_post_parameters("support_password")
@company_required
def support(request: HttpRequest) -> HttpResponse:
    """The support session: ask for the support password, or show what can be done within it."""
    company = request.company
    form = forms.SupportPasswordForm(_posted(request))
    next_url = safe_next(request, company, reverse("retail:support", args=[company.pro_id]))
    status = 200
    response_headers = {}
    if request.method == "POST" and form.is_valid():
        try:
            services.support_session_open(
                staff=request.staff,
                company=company,
                support_password=form.cleaned_data["support_password"],
                actor=request.actor,
            )
        except RateLimitedError as error:
            form.add_error(None, str(error.message))
            status = 429
            response_headers["Retry-After"] = str(error.retry_after)
        except DomainError as error:
            show_error(form, error)
            status = error.status_code
        else:
            messages.success(request, _("Support session opened. You can now act for the customer."))
            return redirect(next_url)
    response = render(
        request,
        "retail/support.html",
        _company_context(
            request,
            form=form,
            next=next_url,
            has_support_password=selectors.company_administrators(company)
            .exclude(user__support_password="")
            .exists(),
        ),
        status=status,
    )
    for header, value in response_headers.items():
        response[header] = value
    return response


@company_required(support_session=True)
@require_POST
def support_end(request: HttpRequest) -> HttpResponse:
    services.support_session_end(session=request.support_session)
    messages.success(request, _("Support session ended."))
    return redirect("retail:company", request.company.pro_id)


@company_required(support_session=True)
def support_vehicle_add(request: HttpRequest) -> HttpResponse:
    form = forms.VehicleAddForm(_posted(request), initial=pop_draft_initial(request, forms.VehicleAddForm))
    transfer_vin = ""
    if request.method == "POST" and form.is_valid():
        try:
            vehicle = vehicle_add(company=request.company, actor=request.actor, **form.cleaned_data)
        except ConflictError as error:
            if error.code == "vin_registered":
                transfer_vin = normalize_vin(form.cleaned_data["vin"])
            show_error(form, error)
        except DomainError as error:
            show_error(form, error)
        else:
            messages.success(request, _("Vehicle %(vin)s added to the fleet.") % {"vin": vehicle.vin})
            return redirect("retail:vehicle", request.company.pro_id, vehicle.vin)
    return render(
        request,
        "retail/support_vehicle_add.html",
        _company_context(request, form=form, transfer_vin=transfer_vin),
    )


def _order_choices(company) -> tuple[list, list]:
    packs = []
    for pack in pack_catalogue(company):
        label = pack.local_name
        price = pack.local_price
        if price is not None:
            label = f"{label} · {price.amount} {price.currency} / " + _("vehicle / year")
        packs.append((pack.code, label))
    vehicles = [
        (vehicle.vin, f"{vehicle.vin} · {vehicle}")
        for vehicle in Vehicle.objects.for_company(company).order_by("-created_at", "-id")[
            :ORDER_VEHICLE_CHOICES_MAX
        ]
    ]
    return packs, vehicles


@company_required(support_session=True)
def support_order(request: HttpRequest) -> HttpResponse:
    pack_choices, vehicle_choices = _order_choices(request.company)
    form = forms.OrderForm(
        _posted(request),
        initial=pop_draft_initial(request, forms.OrderForm),
        packs=pack_choices,
        vehicles=vehicle_choices,
    )
    if request.method == "POST" and form.is_valid():
        try:
            order = order_place(
                company=request.company,
                pack_code=form.cleaned_data["pack"],
                vins=form.vins(),
                actor=request.actor,
            )
        except DomainError as error:
            show_error(form, error)
        else:
            count = order.subscriptions.count()
            messages.success(
                request,
                ngettext(
                    "Order placed: %(count)d subscription.",
                    "Order placed: %(count)d subscriptions.",
                    count,
                )
                % {"count": count},
            )
            return redirect("retail:vehicles", request.company.pro_id)
    return render(
        request,
        "retail/support_order.html",
        _company_context(request, form=form, more_vehicles=len(vehicle_choices) >= ORDER_VEHICLE_CHOICES_MAX),
    )


# --- register a company for a customer ----------------------------------------------------------
@staff_required
def register_admin(request: HttpRequest) -> HttpResponse:
    """Step 1 of 2: the main user. Kept in the session until step 2 is done."""
    saved = request.session.get(REGISTRATION_KEY)
    form = forms.RegistrationAdminForm(_posted(request), initial=saved)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["birth_date"] = data["birth_date"].isoformat()
        request.session[REGISTRATION_KEY] = data
        return redirect("retail:register_company")
    return render(request, "retail/register_admin.html", {"form": form, "step": 1})


@staff_required
def register_company(request: HttpRequest) -> HttpResponse:
    """Step 2 of 2: the company. Registers both and shows the new PRO ID."""
    admin = request.session.get(REGISTRATION_KEY)
    if not admin:
        messages.info(request, _("Start with the company's main user."))
        return redirect("retail:register")
    form = forms.RegistrationCompanyForm(_posted(request), initial={"country": request.staff.dealer.country})
    if request.method == "POST" and form.is_valid():
        try:
            company = services.registration_create(
                staff=request.staff, admin=_registration_admin(admin), company=dict(form.cleaned_data)
            )
        except DomainError as error:
            _add_registration_error(request, form, error)
        else:
            request.session.pop(REGISTRATION_KEY, None)
            return redirect("retail:register_done", company.pro_id)
    return render(request, "retail/register_company.html", {"form": form, "step": 2, "admin": admin})


def _registration_admin(saved: dict) -> dict:
    import datetime

    admin = dict(saved)
    admin["birth_date"] = datetime.date.fromisoformat(admin["birth_date"])
    return admin


def _add_registration_error(request: HttpRequest, form, error: DomainError) -> None:
    """A refusal about the main user (e.g. the e-mail has an account already) belongs to step 1:
    say so on step 2, where the staff member is."""
    admin_fields = set(forms.RegistrationAdminForm.base_fields)
    errors = error.errors if isinstance(error, FieldErrors) else {error.field: [error.message]}
    for field, field_messages in errors.items():
        name = (field or "").removeprefix("company.").removeprefix("admin.")
        for message in field_messages:
            if field and (field.startswith("admin.") or (name in admin_fields and name not in form.fields)):
                form.add_error(None, _("Main user: %(message)s") % {"message": message})
            else:
                form.add_error(name if name in form.fields else None, str(message))


@staff_required
def register_done(request: HttpRequest, pro_id: str) -> HttpResponse:
    registration = get_object_or_404(
        RetailRegistration.objects.select_related("company"), company__pro_id=pro_id, staff=request.staff
    )
    return render(request, "retail/register_done.html", {"company": registration.company})
