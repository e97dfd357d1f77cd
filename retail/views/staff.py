"""The Retail site's own pages: dealer-ID login, the outlet's dashboard, the knowledge bank,
finding a company and confirming the customer's identity (which opens it)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.debug import sensitive_post_parameters

from maintenance.selectors import service_due_queue
from mpro.errors import DomainError, RateLimitedError
from mpro.forms import show_error

from .. import forms, selectors, services
from ..access import safe_next, staff_required
from ..throttling import search_allowed
from .common import client_address, posted, render_page

DASHBOARD_QUEUE = 10


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
    form = forms.LoginForm(posted(request))
    refusal = None
    if request.method == "POST" and form.is_valid():
        try:
            staff = services.staff_authenticate(
                d5_id=form.cleaned_data["d5_id"],
                password=form.cleaned_data["password"],
                address=client_address(request),
            )
        except DomainError as error:
            show_error(form, error)
            refusal = error
        else:
            auth_login(request, staff.user, backend="django.contrib.auth.backends.ModelBackend")
            return redirect(next_url)
    return render_page(request, "retail/login.html", {"form": form, "next": next_url}, refusal=refusal)


def logout_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated and selectors.staff_for_user(request.user) is None:
        raise Http404
    if request.method == "POST":
        auth_logout(request)
    return redirect("retail:login")


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
            # The service-due queue (maintenance): vans of any company that chose this outlet.
            "service_due_rows": service_due_queue(dealer, limit=DASHBOARD_QUEUE),
            "service_due_max": DASHBOARD_QUEUE,
        },
    )


@staff_required
def knowledge(request: HttpRequest) -> HttpResponse:
    return render(request, "retail/knowledge.html", {"attestation_hours": settings.ATTESTATION_HOURS})


@staff_required
def company_search(request: HttpRequest) -> HttpResponse:
    # Two forms on one page: by PRO ID, or ("PRO ID unknown?") by name + postal code + city.
    by_place = "pro_id" not in request.GET and bool({"name", "postal_code", "city"} & set(request.GET))
    pro_form = forms.ProIdSearchForm(request.GET if "pro_id" in request.GET else None)
    place_form = forms.PlaceSearchForm(request.GET if by_place else None)
    form = place_form if by_place else pro_form
    results = refusal = None
    if form.is_bound and form.is_valid():
        try:
            search_allowed(request)
            results = list(selectors.company_search(**form.cleaned_data))
        except DomainError as error:
            show_error(form, error)
            refusal = error
    return render_page(
        request,
        "retail/company_search.html",
        {
            "pro_form": pro_form,
            "place_form": place_form,
            "by_place": by_place,
            "results": results,
        },
        refusal=refusal,
    )


@staff_required
def vin_search(request: HttpRequest) -> HttpResponse:
    """The header's "find a vehicle": a whole VIN, across the network. Spends the same search budget
    as the company search. Shows the van, its company's PRO ID and the verification states; the
    company's pages still need the identity confirmation."""
    form = forms.NetworkVinSearchForm(request.GET if "vin" in request.GET else None)
    results = refusal = None
    if form.is_bound and form.is_valid():
        try:
            search_allowed(request)
            results = list(selectors.network_vin_search(form.cleaned_data["vin"]))
        except DomainError as error:
            show_error(form, error)
            refusal = error
    return render_page(
        request, "retail/vin_search.html", {"vin_form": form, "results": results}, refusal=refusal
    )


@staff_required
def attest(request: HttpRequest, pro_id: str) -> HttpResponse:
    """Confirm identity: recorded, and opens the company to this staff member for 8 hours."""
    try:
        search_allowed(request)  # looking a company up by PRO ID costs a search, known or not
    except RateLimitedError as error:
        return render_page(request, "retail/throttled.html", {"message": error.message}, refusal=error)
    company = selectors.company_by_pro_id(pro_id)
    if company is None:
        raise Http404
    form = forms.AttestationForm(posted(request))
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
            "attestation_hours": settings.ATTESTATION_HOURS,
        },
    )
