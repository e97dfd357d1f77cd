"""Portal pages of the packs app: products, purchase, orders, subscriptions, billing, dashboard.
Views parse input, call one service, render; the rules live in services.py."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST

from companies.audit import Actor
from companies.models import TermsDocument
from companies.permissions import allows
from companies.selectors import company_blockers, terms_accepted
from companies.tenancy import member_required
from mpro.errors import DomainError, FieldErrors
from vehicles.panels import dashboard_panels_for

from . import selectors, services
from .forms import OrderForm, VehicleFilterForm
from .models import Subscription, SubscriptionStatus

PAGE_SIZE = 100
STATUS_BADGES = {
    # One look per state, shared with the fleet list and explained by templates/packs/_legend.html.
    SubscriptionStatus.AWAITING_VERIFICATION: "badge-wait state state-awaiting_verification",
    SubscriptionStatus.ACTIVATION_PENDING: "badge-info state state-activation_pending",
    SubscriptionStatus.ACTIVE: "badge-ok state state-active",
    SubscriptionStatus.ACTIVATION_FAILED: "badge-bad state state-activation_failed",
    SubscriptionStatus.CANCELLED: "",
    SubscriptionStatus.EXPIRED: "",
}


def _actor(request) -> Actor:
    return Actor.customer(request.user)


def _error_messages(error: DomainError) -> list[str]:
    if isinstance(error, FieldErrors):
        return [str(m) for messages_ in error.errors.values() for m in messages_]
    return [str(error.message)]


# --- dashboard --------------------------------------------------------------------------------
@member_required()
def dashboard(request):
    company = request.company
    context = {"company": company}
    if allows(request.membership.role, "vehicles.view_all"):
        stats = selectors.dashboard(company)
        context.update(
            stats=stats,
            hints=selectors.dashboard_hints(company, stats),
            pack_terms_accepted=terms_accepted(request.user, TermsDocument.PACK_TERMS),
            **selectors.dashboard_scales(stats),
        )
        # Cards of the connected-service apps (vehicles.panels), which packs never imports.
        context["panels"] = dashboard_panels_for(request)
    else:
        context["my_vehicle"], context["my_subscriptions"] = selectors.driven_vehicle(company, request.user)
    return render(request, "packs/dashboard.html", context)


# --- catalogue and purchase -------------------------------------------------------------------
@member_required("packs.view")
def catalogue_page(request):
    packs = selectors.catalogue_for_company(request.company)
    return render(
        request,
        "packs/catalogue.html",
        {
            "bundles": [p for p in packs if p.is_bundle],
            "singles": [p for p in packs if not p.is_bundle],
            "company": request.company,
        },
    )


def _review(request, *, pack, form, needs_terms: bool, vins: list[str], status: int = 200):
    """The review step: the order as it would be placed, with the terms to accept if needed."""
    quote = services.order_quote(company=request.company, pack_code=pack.code, vins=vins)
    context = {"pack": pack, "quote": quote, "form": form, "needs_terms": needs_terms, "vins": vins}
    return render(request, "packs/review.html", context, status=status)


def _post_order(request, *, pack, form, needs_terms: bool):
    """A valid purchase form: the review (step "review") or the order (step "confirm"). Returns a
    response, or None after adding the refusal to the form (the selection page shows it)."""
    vins = form.vins()
    step = request.POST.get("step", "review")
    try:
        if step != "confirm":
            return _review(request, pack=pack, form=form, needs_terms=needs_terms, vins=vins)
        order = services.order_place(
            company=request.company,
            pack_code=pack.code,
            vins=vins,
            actor=_actor(request),
            accept_pack_terms=form.cleaned_data["accept_terms"],
        )
    except DomainError as error:
        if step == "confirm" and error.field == "accept_terms":
            form.add_error("accept_terms", str(error.message))
            return _review(request, pack=pack, form=form, needs_terms=needs_terms, vins=vins, status=400)
        for message in _error_messages(error):
            form.add_error(None, message)
        return None
    messages.success(request, gettext("Thank you: your order has been placed."))
    return redirect("packs:order", order_id=order.pk)


@member_required("orders.place")
def buy(request, code: str):
    company = request.company
    pack = selectors.pack_for_company(company, code)
    if pack is None:
        raise Http404
    needs_terms = not terms_accepted(request.user, TermsDocument.PACK_TERMS)
    form = OrderForm(request.POST if request.method == "POST" else None, needs_terms=needs_terms)
    selected = set()
    if request.method == "POST":
        if form.is_valid():
            response = _post_order(request, pack=pack, form=form, needs_terms=needs_terms)
            if response is not None:
                return response
        selected = set(form.vins()) if form.is_valid() else set()

    filters = VehicleFilterForm(request.GET or None)
    criteria = filters.cleaned_data if filters.is_valid() else {}
    vehicles_qs = selectors.purchasable_vehicles(company, **{k: v for k, v in criteria.items() if v})
    page = Paginator(vehicles_qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "packs/buy.html",
        {
            "pack": pack,
            "rows": selectors.order_lines(pack=pack, vehicles=list(page.object_list)),
            "page": page,
            "filters": filters,
            "form": form,
            "selected": selected,
            "blockers": company_blockers(company),
        },
        status=400 if request.method == "POST" else 200,
    )


# --- orders and subscriptions -----------------------------------------------------------------
@member_required("orders.view")
def order_list(request):
    page = Paginator(selectors.orders(request.company), 50).get_page(request.GET.get("page"))
    return render(request, "packs/orders.html", {"page": page})


@member_required("orders.view")
def order_detail(request, order_id: int):
    order = selectors.order_detail(request.company, order_id)
    if order is None:
        raise Http404
    page = Paginator(selectors.order_subscriptions(order), 100).get_page(request.GET.get("page"))
    subs = list(page.object_list)
    blockers = selectors.blockers_by_subscription(request.company, subs)
    for sub in subs:
        sub.blockers = blockers.get(sub.pk, [])
        sub.badge = STATUS_BADGES[sub.status]
    return render(request, "packs/order.html", {"order": order, "subscriptions": subs, "page": page})


@member_required("subscriptions.manage")
def subscription_list(request):
    status = request.GET.get("status", "")
    if status not in SubscriptionStatus.values:
        status = ""
    qs = selectors.subscriptions(
        request.company,
        vehicle=request.GET.get("vehicle", "")[:40],
        pack=request.GET.get("pack", "")[:40],
        status=status,
    )
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    subs = list(page.object_list)
    blockers = selectors.blockers_by_subscription(request.company, subs)
    for sub in subs:
        sub.blockers = blockers.get(sub.pk, [])
        sub.badge = STATUS_BADGES[sub.status]
    return render(
        request,
        "packs/subscriptions.html",
        {
            "page": page,
            "subscriptions": subs,
            "packs": selectors.catalogue_for_company(request.company),
            "statuses": SubscriptionStatus.choices,
            "current": {
                "vehicle": request.GET.get("vehicle", ""),
                "pack": request.GET.get("pack", ""),
                "status": status,
            },
        },
    )


def _subscription_or_404(request, subscription_id: int) -> Subscription:
    sub = selectors.subscription(request.company, subscription_id)
    if sub is None:
        raise Http404
    return sub


def _back(request, sub: Subscription):
    target = request.POST.get("next", "")
    if target.startswith("/") and not target.startswith("//"):
        return redirect(target)
    return redirect("packs:subscriptions")


@require_POST
@member_required("subscriptions.manage")
def subscription_cancel(request, subscription_id: int):
    sub = _subscription_or_404(request, subscription_id)
    try:
        services.subscription_cancel(
            subscription=sub, actor=_actor(request), at_period_end=request.POST.get("when") == "period_end"
        )
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(
            request,
            gettext("%(pack)s on %(vin)s is cancelled.")
            % {"pack": sub.pack.local_name, "vin": sub.vehicle.vin}
            if request.POST.get("when") != "period_end"
            else gettext("%(pack)s on %(vin)s will end at the end of the current period.")
            % {"pack": sub.pack.local_name, "vin": sub.vehicle.vin},
        )
    return _back(request, sub)


@require_POST
@member_required("subscriptions.manage")
def subscription_retry(request, subscription_id: int):
    sub = _subscription_or_404(request, subscription_id)
    try:
        services.subscription_retry(subscription=sub, actor=_actor(request))
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(
            request,
            gettext("Activation of %(pack)s on %(vin)s starts again.")
            % {"pack": sub.pack.local_name, "vin": sub.vehicle.vin},
        )
    return _back(request, sub)


@require_GET
@member_required("subscriptions.manage")
def subscription_status(request):
    """JSON for the status polling of packs.js: {"subscriptions": {id: {...}}}."""
    ids = [int(part) for part in request.GET.get("ids", "").split(",")[:200] if part.strip().isdigit()]
    subs = list(
        Subscription.objects.for_company(request.company).filter(pk__in=ids).select_related("vehicle")
    )
    blockers = selectors.blockers_by_subscription(request.company, subs)
    data = {
        str(sub.pk): {
            "status": sub.status,
            "label": str(sub.get_status_display()),
            "badge": STATUS_BADGES[sub.status],
            "reason": sub.failure_reason_display
            if sub.status == SubscriptionStatus.ACTIVATION_FAILED
            else "",
            "blockers": blockers.get(sub.pk, []),
            "activated_at": sub.activated_at.isoformat() if sub.activated_at else None,
            "final": sub.status
            not in (SubscriptionStatus.AWAITING_VERIFICATION, SubscriptionStatus.ACTIVATION_PENDING),
        }
        for sub in subs
    }
    return JsonResponse({"subscriptions": data})


CONTRACT_LINES_MAX = 1000


@member_required("orders.view")
def billing(request):
    company = request.company
    page = Paginator(selectors.billing(company), 100).get_page(request.GET.get("page"))
    subs = list(page.object_list)
    for sub in subs:
        sub.period_end = services.current_period_end(sub)
    return render(
        request,
        "packs/billing.html",
        {
            "subscriptions": subs,
            "page": page,
            "totals": selectors.billing_totals(company),
            "company": company,
            "generation": selectors.current_generation(company),
        },
    )


@member_required("orders.view")
def contract(request):
    """The contract document: the company as it stands in its current contract generation, and
    the live subscriptions under it (printable from the browser)."""
    company = request.company
    subs = list(selectors.billing(company)[:CONTRACT_LINES_MAX])
    return render(
        request,
        "packs/contract.html",
        {
            "company": company,
            "generation": selectors.current_generation(company),
            "subscriptions": subs,
            "more": len(subs) >= CONTRACT_LINES_MAX,
            "totals": selectors.billing_totals(company),
        },
    )
