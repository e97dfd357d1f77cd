"""Retail pages of a support session: opening it with the customer's support password, ending it,
and acting for the customer within it (adding a vehicle, ordering a pack)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from companies.forms import CompanyForm
from companies.selectors import company_blockers
from companies.services import COMPANY_FIELDS, company_update
from companies.views import tell_company_saved
from mpro.errors import ConflictError, DomainError
from mpro.forms import show_error
from packs.selectors import catalogue_for_company, review_lines
from packs.services import order_place, order_quote, order_terms_check
from packs.templatetags.money import format_money
from vehicles.selectors import vin_check_body
from vehicles.services import vehicle_add
from vehicles.vin import normalize_vin

from .. import forms, selectors, services
from ..access import company_required, pop_draft_initial, safe_next
from .common import company_context, posted, render_page

ORDER_VEHICLE_CHOICES_MAX = 200


@sensitive_post_parameters("support_password")
@company_required
def support(request: HttpRequest) -> HttpResponse:
    """The support session: ask for the support password, or show what can be done within it."""
    company = request.company
    form = forms.SupportPasswordForm(posted(request))
    next_url = safe_next(request, company, reverse("retail:support", args=[company.pro_id]))
    refusal = None
    if request.method == "POST" and form.is_valid():
        try:
            services.support_session_open(
                staff=request.staff,
                company=company,
                support_password=form.cleaned_data["support_password"],
                actor=request.actor,
            )
        except DomainError as error:
            show_error(form, error)
            refusal = error
        else:
            messages.success(request, _("Support session opened. You can now act for the customer."))
            return redirect(next_url)
    return render_page(
        request,
        "retail/support.html",
        company_context(
            request,
            form=form,
            next=next_url,
            has_support_password=selectors.company_has_support_password(company),
        ),
        status=refusal.status_code if refusal else 200,
        refusal=refusal,
    )


@company_required(support_session=True)
@require_POST
def support_end(request: HttpRequest) -> HttpResponse:
    services.support_session_end(session=request.support_session)
    messages.success(request, _("Support session ended."))
    return redirect("retail:company", request.company.pro_id)


@company_required(support_session=True)
def support_company_edit(request: HttpRequest) -> HttpResponse:
    """The customer's company data, changed for them: the same service as the portal's company
    page (a new name or address starts a new contract generation, the live subscriptions move)."""
    company = request.company
    form = CompanyForm(posted(request), instance=company, initial=pop_draft_initial(request, CompanyForm))
    if request.method == "POST" and form.is_valid():
        before = company.contract_generation
        data = {field: form.cleaned_data[field] for field in COMPANY_FIELDS if field != "country"}
        try:
            company = company_update(company=company, actor=request.actor, **data)
        except DomainError as error:
            show_error(form, error)
        else:
            tell_company_saved(request, company, generation_before=before)
            return redirect("retail:company_details", company.pro_id)
    return render(request, "retail/support_company_edit.html", company_context(request, form=form))


@company_required(support_session=True)
def support_vehicle_add(request: HttpRequest) -> HttpResponse:
    form = forms.VehicleAddForm(posted(request), initial=pop_draft_initial(request, forms.VehicleAddForm))
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
        company_context(request, form=form, transfer_vin=transfer_vin),
    )


@company_required(support_session=True)
def support_vin_check(request: HttpRequest) -> JsonResponse:
    """The portal's live VIN check, for the customer's company, while staff type a VIN."""
    body = vin_check_body(request.company, request.GET.get("vin", ""))
    if body["state"] == "in_fleet":
        body["url"] = reverse("retail:vehicle", args=[request.company.pro_id, body["vin"]])
    return JsonResponse(body)


def _order_choices(company) -> tuple[list, list]:
    packs = []
    for pack in catalogue_for_company(company):
        label = pack.local_name
        price = pack.local_price
        if price is not None:
            # Money as the reader's language writes it (1.870,00 kr.), not "1870.00 DKK".
            label = f"{label} · {format_money(price.amount, price.currency)} / " + _("vehicle / year")
        packs.append((pack.code, label))
    return packs, selectors.order_vehicle_choices(company, limit=ORDER_VEHICLE_CHOICES_MAX)


@company_required(support_session=True)
def support_order(request: HttpRequest) -> HttpResponse:
    """Buying a pack for the customer in two steps, as the customer does: choose the pack and vans,
    then review (totals, welcome-offer dates, what each van already has) and confirm. The review
    shows `order_quote`, the very check `order_place` makes, so its total is the order's."""
    pack_choices, vehicle_choices = _order_choices(request.company)
    form = forms.OrderForm(
        posted(request),
        initial=pop_draft_initial(request, forms.OrderForm),
        packs=pack_choices,
        vehicles=vehicle_choices,
    )
    if request.method == "POST" and form.is_valid():
        confirm = request.POST.get("step") == "confirm"
        try:
            if not confirm:
                quote = order_quote(
                    company=request.company, pack_code=form.cleaned_data["pack"], vins=form.vins()
                )
                order_terms_check(company=request.company, actor=request.actor)
                return _order_review(request, quote)
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
                    "Order %(reference)s placed: %(count)d subscription.",
                    "Order %(reference)s placed: %(count)d subscriptions.",
                    count,
                )
                % {"count": count, "reference": order.reference},
            )
            return redirect("retail:vehicles", request.company.pro_id)
    return render(
        request,
        "retail/support_order.html",
        company_context(request, form=form, more_vehicles=len(vehicle_choices) >= ORDER_VEHICLE_CHOICES_MAX),
    )


def _order_review(request: HttpRequest, quote) -> HttpResponse:
    lines = review_lines(quote)
    return render(
        request,
        "retail/support_order_review.html",
        company_context(
            request,
            quote=quote,
            lines=lines,
            vins="\n".join(line.vehicle.vin for line in quote.lines),
            blockers=company_blockers(request.company),
        ),
    )
