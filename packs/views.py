"""Portal pages of the packs app: products, purchase, orders, subscriptions, billing, dashboard.
Views parse input, call one service, render; the rules live in services.py."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext, ngettext
from django.views.decorators.http import require_GET, require_POST

from companies.audit import Actor
from companies.permissions import allows
from companies.tenancy import member_required
from mpro.errors import DomainError, FieldErrors
from users.models import VerificationStatus
from vehicles.models import Vehicle

from . import selectors, services
from .forms import OrderForm, VehicleFilterForm
from .models import Subscription, SubscriptionStatus

PAGE_SIZE = 100
S = SubscriptionStatus
STATUS_BADGES = {
    S.AWAITING_VERIFICATION: "badge-warn",
    S.ACTIVATION_PENDING: "badge-warn",
    S.ACTIVE: "badge-ok",
    S.ACTIVATION_FAILED: "badge-bad",
    S.CANCELLED: "",
    S.EXPIRED: "",
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
        admin = services.primary_admin(company)
        hints = []
        for blocker in services.company_blockers(company, admin, admin_known=True):
            hints.append(blocker)
        unverified = stats["vehicles_by_state"][VerificationStatus.UNVERIFIED]
        if unverified:
            hints.append(
                ngettext(
                    "%(count)s vehicle still needs the dealer's check of its registration document.",
                    "%(count)s vehicles still need the dealer's check of their registration documents.",
                    unverified,
                )
                % {"count": unverified}
            )
        waiting = sum(row["waiting"] for row in stats["live_per_pack"])
        if hints and waiting:
            hints.append(
                ngettext(
                    "%(count)s subscription waits for these checks: bring your ID and the vehicle "
                    "registration documents to your dealer, who verifies them on the dealer site.",
                    "%(count)s subscriptions wait for these checks: bring your ID and the vehicle "
                    "registration documents to your dealer, who verifies them on the dealer site.",
                    waiting,
                )
                % {"count": waiting}
            )
        top = max([stats["vehicle_count"], *[row["total"] for row in stats["live_per_pack"]], 1])
        trial_top = max([*stats["trials"].values(), 1])
        context.update(
            stats=stats,
            hints=hints,
            bar_top=top,
            trial_top=trial_top,
            trial_windows=[(days, stats["trials"][f"d{days}"] or 0) for days in (30, 60, 90)],
            pack_terms_accepted=services.has_accepted_pack_terms(request.user),
        )
    else:
        vehicle = Vehicle.objects.for_company(company).filter(driver=request.user).first()
        context["my_vehicle"] = vehicle
        context["my_subscriptions"] = (
            list(
                Subscription.objects.for_company(company)
                .filter(vehicle=vehicle, status=S.ACTIVE)
                .select_related("pack")
            )
            if vehicle
            else []
        )
    return render(request, "packs/dashboard.html", context)


# --- catalogue and purchase -------------------------------------------------------------------
@member_required("packs.view")
def catalogue(request):
    packs = selectors.catalogue(request.company)
    return render(
        request,
        "packs/catalogue.html",
        {
            "bundles": [p for p in packs if p.is_bundle],
            "singles": [p for p in packs if not p.is_bundle],
            "company": request.company,
        },
    )


@member_required("orders.place")
def buy(request, code: str):
    company = request.company
    pack = selectors.pack_for_company(company, code)
    if pack is None:
        raise Http404
    needs_terms = not services.has_accepted_pack_terms(request.user)
    if request.method == "POST":
        form = OrderForm(request.POST, needs_terms=needs_terms)
        step = request.POST.get("step", "review")
        if form.is_valid():
            vins = form.vins()
            try:
                if step == "confirm":
                    order = services.order_place(
                        company=company,
                        pack_code=pack.code,
                        vins=vins,
                        actor=_actor(request),
                        accept_pack_terms=form.cleaned_data["accept_terms"],
                    )
                    messages.success(request, gettext("Thank you: your order has been placed."))
                    return redirect("packs:order", order_id=order.pk)
                quote = services.order_quote(company=company, pack_code=pack.code, vins=vins)
                return render(
                    request,
                    "packs/review.html",
                    {"pack": pack, "quote": quote, "form": form, "needs_terms": needs_terms, "vins": vins},
                )
            except DomainError as error:
                if step == "confirm" and error.field == "accept_terms":
                    form.add_error("accept_terms", str(error.message))
                    quote = services.order_quote(company=company, pack_code=pack.code, vins=vins)
                    return render(
                        request,
                        "packs/review.html",
                        {
                            "pack": pack,
                            "quote": quote,
                            "form": form,
                            "needs_terms": needs_terms,
                            "vins": vins,
                        },
                        status=400,
                    )
                for message in _error_messages(error):
                    form.add_error(None, message)
        selected = set(form.vins()) if form.is_valid() else set()
    else:
        form = OrderForm(needs_terms=needs_terms)
        selected = set()

    filters = VehicleFilterForm(request.GET or None)
    criteria = filters.cleaned_data if filters.is_valid() else {}
    vehicles_qs = selectors.purchasable_vehicles(company, **{k: v for k, v in criteria.items() if v})
    page = Paginator(vehicles_qs, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = services.order_lines(pack=pack, vehicles=list(page.object_list))
    return render(
        request,
        "packs/buy.html",
        {
            "pack": pack,
            "rows": rows,
            "page": page,
            "filters": filters,
            "form": form,
            "selected": selected,
            "blockers": services.company_blockers(company),
        },
        status=400 if request.method == "POST" else 200,
    )


# --- orders and subscriptions -----------------------------------------------------------------
@member_required("orders.view")
def order_list(request):
    page = Paginator(selectors.orders(request.company), 50).get_page(request.GET.get("page"))
    return render(request, "packs/orders.html", {"page": page})


def _blockers_by_vehicle(company, subscriptions) -> dict[int, list[str]]:
    """Blockers for each waiting subscription, with the company's side looked up once."""
    if not any(s.status == S.AWAITING_VERIFICATION for s in subscriptions):
        return {}
    company_side = services.company_blockers(company)
    return {
        s.pk: company_side + services.vehicle_blockers(s.vehicle)
        for s in subscriptions
        if s.status == S.AWAITING_VERIFICATION
    }


@member_required("orders.view")
def order_detail(request, order_id: int):
    order = selectors.order_detail(request.company, order_id)
    if order is None:
        raise Http404
    page = Paginator(selectors.order_subscriptions(order), 100).get_page(request.GET.get("page"))
    subs = list(page.object_list)
    blockers = _blockers_by_vehicle(request.company, subs)
    for sub in subs:
        sub.blockers = blockers.get(sub.pk, [])
        sub.badge = STATUS_BADGES[sub.status]
    return render(request, "packs/order.html", {"order": order, "subscriptions": subs, "page": page})


@member_required("subscriptions.manage")
def subscription_list(request):
    status = request.GET.get("status", "")
    if status not in S.values:
        status = ""
    qs = selectors.subscriptions(
        request.company,
        vehicle=request.GET.get("vehicle", "")[:40],
        pack=request.GET.get("pack", "")[:40],
        status=status,
    )
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    subs = list(page.object_list)
    blockers = _blockers_by_vehicle(request.company, subs)
    for sub in subs:
        sub.blockers = blockers.get(sub.pk, [])
        sub.badge = STATUS_BADGES[sub.status]
    return render(
        request,
        "packs/subscriptions.html",
        {
            "page": page,
            "subscriptions": subs,
            "packs": selectors.catalogue(request.company),
            "statuses": S.choices,
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
    blockers = _blockers_by_vehicle(request.company, subs)
    data = {
        str(sub.pk): {
            "status": sub.status,
            "label": str(sub.get_status_display()),
            "badge": STATUS_BADGES[sub.status],
            "reason": sub.failure_reason_display if sub.status == S.ACTIVATION_FAILED else "",
            "blockers": blockers.get(sub.pk, []),
            "activated_at": sub.activated_at.isoformat() if sub.activated_at else None,
            "final": sub.status not in (S.AWAITING_VERIFICATION, S.ACTIVATION_PENDING),
        }
        for sub in subs
    }
    return JsonResponse({"subscriptions": data})


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
        },
    )
