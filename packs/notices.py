"""E-mails about orders (issue 16): consumers of mpro.outbox events, registered in PacksConfig.ready().

- `order.placed`: to the company's administrators and whoever placed it, also when a dealer ordered
  on the company's behalf.
- `subscription.activated` / `subscription.activation_failed`: one e-mail when an order has settled
  (no subscription of it still waiting to activate), listing the vans whose services are live and
  those that failed, instead of one e-mail per van of a 500-van order. `claim_once` keys it by the
  order's outcome, so two deliveries racing send it once and a later retry that changes the outcome
  sends a new one."""

import hashlib

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from companies.notices import administrators, link, send_notice
from mpro import outbox
from mpro.outbox import Event

from .models import Order, Subscription, SubscriptionStatus
from .templatetags.money import format_money

LISTED_VANS = 20


def _recipients(order: Order) -> list:
    users = administrators(order.company_id)
    placed_by = order.placed_by
    if placed_by is not None and all(u.pk != placed_by.pk for u in users):
        membership = getattr(placed_by, "membership", None)
        if membership is not None and membership.company_id == order.company_id:
            users.append(placed_by)
    return users


def order_placed(event: Event) -> None:
    order = (
        Order.objects.select_related("pack", "company", "placed_by")
        .filter(pk=event.payload.get("order"), company_id=event.company_id)
        .first()
    )
    if order is None:
        return
    count = order.subscriptions.count()
    by_dealer = order.placed_by is None or getattr(order.placed_by, "membership", None) is None

    def lines() -> list[str]:
        values = {"who": order.placed_by_name, "pack": order.pack.local_name, "count": count}
        first = (
            ngettext(
                "Your dealer (%(who)s) ordered %(pack)s for %(count)d van on your behalf.",
                "Your dealer (%(who)s) ordered %(pack)s for %(count)d vans on your behalf.",
                count,
            )
            if by_dealer
            else ngettext(
                "%(who)s ordered %(pack)s for %(count)d van.",
                "%(who)s ordered %(pack)s for %(count)d vans.",
                count,
            )
        )
        return [
            first % values,
            _("Total per year: %(total)s.") % {"total": format_money(order.total, order.currency)},
            _(
                "The services switch on once the dealer has verified the company, its administrator and each van."
            ),
        ]

    send_notice(
        users=_recipients(order),
        subject=lambda: _("Order %(number)s: %(pack)s") % {"number": order.pk, "pack": order.pack.local_name},
        lines=lines,
        url=link("packs:order", order.pk),
    )


def _still_pending(event: Event) -> bool:
    """Every activation of a mass order emits an event: while any is pending (all but the last),
    one indexed question answers, instead of reading the order's thousands of rows each time."""
    return Subscription.objects.filter(
        order_id=event.payload.get("order"),
        company_id=event.company_id,
        status=SubscriptionStatus.ACTIVATION_PENDING,
    ).exists()


def orders_settled(events: list[Event]) -> None:
    """`order_settled` for the events published together (a chunk of a mass activation): once
    per order, since what it does depends on the order's state alone, read when it runs."""
    for event in {(e.company_id, e.payload.get("order")): e for e in events}.values():
        order_settled(event)


def order_settled(event: Event) -> None:
    if _still_pending(event):
        return
    order = (
        Order.objects.select_related("pack", "placed_by")
        .filter(pk=event.payload.get("order"), company_id=event.company_id)
        .first()
    )
    if order is None:
        return
    rows = list(order.subscriptions.select_related("vehicle").values_list("pk", "status", "vehicle__vin"))
    if any(status == SubscriptionStatus.ACTIVATION_PENDING for _pk, status, _vin in rows):
        return  # the last one to settle sends the e-mail
    live = sorted(vin for _pk, status, vin in rows if status == SubscriptionStatus.ACTIVE)
    failed = sorted(vin for _pk, status, vin in rows if status == SubscriptionStatus.ACTIVATION_FAILED)
    if not live and not failed:
        return
    outcome = hashlib.sha256(repr((live, failed)).encode()).hexdigest()[:16]
    if not outbox.claim_once(f"packs.order-settled:{order.pk}:{outcome}"):
        return

    def listing(vins: list[str]) -> str:
        shown = ", ".join(vins[:LISTED_VANS])
        more = len(vins) - LISTED_VANS
        return shown + (" " + _("and %(count)d more") % {"count": more} if more > 0 else "")

    def lines() -> list[str]:
        result = []
        if live:
            result.append(
                ngettext(
                    "The services of %(pack)s are live on %(count)d van: %(vins)s.",
                    "The services of %(pack)s are live on %(count)d vans: %(vins)s.",
                    len(live),
                )
                % {"pack": order.pack.local_name, "count": len(live), "vins": listing(live)}
            )
        if failed:
            result.append(
                ngettext(
                    "The activation failed on %(count)d van: %(vins)s. The order's page says why and lets you try again.",
                    "The activation failed on %(count)d vans: %(vins)s. The order's page says why and lets you try again.",
                    len(failed),
                )
                % {"count": len(failed), "vins": listing(failed)}
            )
        return result

    def subject() -> str:
        values = {"number": order.pk, "pack": order.pack.local_name}
        if failed:
            return _("Order %(number)s: activation failed on some vans") % values
        return _("Order %(number)s: %(pack)s is live") % values

    send_notice(users=_recipients(order), subject=subject, lines=lines, url=link("packs:order", order.pk))
