import datetime
from decimal import Decimal

import pytest
from dateutil.relativedelta import relativedelta
from django.db import IntegrityError, transaction
from django.utils import timezone

from companies.audit import Actor
from companies.models import AuditEvent, TermsAcceptance
from mpro.errors import ConflictError, DomainError, FieldErrors
from packs import selectors, services
from packs.eligibility import pack_compatibility, pack_fit
from packs.models import Order, Price, Subscription
from tests import factories as f


def place(company, user, pack="connect-complete", vins=(), **kw):
    return services.order_place(
        company=company, pack_code=pack, vins=list(vins), actor=Actor.customer(user), **kw
    )


def nothing_bought():
    return Order.objects.count() == 0 and Subscription.objects.count() == 0


# --- compatibility ------------------------------------------------------------------------------
def test_it_fits_the_bundle_to_a_diesel_van_without_echarging(catalogue, verified_van):
    fit = pack_fit(pack=catalogue["connect-complete"], vehicle=verified_van)
    assert fit.fits
    assert "echarging" not in {s.code for s in fit.services}
    assert any("electric" in note for note in fit.left_out)


def test_it_refuses_echarging_on_a_diesel_van_and_says_why(catalogue, verified_van, evan):
    assert pack_compatibility(pack=catalogue["echarging"], vehicle=verified_van) == [
        "eCharging is for electric vans only."
    ]
    assert pack_compatibility(pack=catalogue["echarging"], vehicle=evan) == []


def test_it_refuses_every_pack_on_a_van_without_a_module(catalogue, no_module_van):
    for pack in catalogue.values():
        assert "communication module" in pack_compatibility(pack=pack, vehicle=no_module_van)[0]


def test_it_checks_the_model_family(catalogue, citan):
    reasons = pack_compatibility(pack=catalogue["remote-functions"], vehicle=citan)
    assert reasons == ["Remote vehicle functions is not available for the Citan."]
    assert pack_compatibility(pack=catalogue["fleet-management"], vehicle=citan) == []


def test_it_says_when_the_model_is_unknown(catalogue, company):
    vehicle = f.VehicleFactory(company=company, model_family="", fuel="unknown")
    assert "model is not known" in pack_compatibility(pack=catalogue["navigation"], vehicle=vehicle)[0]
    assert "drive type is not known" in pack_compatibility(pack=catalogue["echarging"], vehicle=vehicle)[0]


# --- placing orders -------------------------------------------------------------------------------
def test_it_places_one_order_with_one_subscription_per_vehicle(ready, alice, van, verified_van, catalogue):
    order = place(ready, alice, vins=[van.vin.lower(), f" {verified_van.vin} "])
    assert order.total == Decimal("3740.00") and order.currency == "DKK"
    subs = {s.vehicle.vin: s for s in order.subscriptions.select_related("vehicle")}
    assert set(subs) == {van.vin, verified_van.vin}
    today = timezone.localdate()
    for sub in subs.values():
        assert sub.amount == Decimal("1870.00") and sub.currency == "DKK"
        assert sub.trial_ends_at == today + relativedelta(months=12) - datetime.timedelta(days=1)
        assert sub.paid_from == sub.trial_ends_at + datetime.timedelta(days=1)
    event = AuditEvent.objects.get(action="order.placed")
    assert event.company == ready and event.details["count"] == 2 and event.actor == alice


def test_it_copies_the_contract_generation(ready, alice, van, catalogue):
    ready.contract_generation = 3
    ready.save()
    order = place(ready, alice, vins=[van.vin])
    assert order.contract_generation == 3
    assert order.subscriptions.get().contract_generation == 3


def test_it_refuses_an_unknown_pack(ready, alice, van, catalogue):
    with pytest.raises(DomainError) as error:
        place(ready, alice, pack="gold-plated", vins=[van.vin])
    assert error.value.field == "pack" and error.value.code == "unknown_pack"
    assert nothing_bought()


def test_it_refuses_an_empty_vehicle_list(ready, alice, catalogue):
    with pytest.raises(DomainError) as error:
        place(ready, alice, vins=[])
    assert error.value.field == "vehicles"
    assert nothing_bought()


def test_it_refuses_more_vehicles_than_one_order_takes(ready, alice, van, catalogue):
    vins = [van.vin] + [f"W1V9076331P{n:06d}" for n in range(services.MAX_ORDER_VEHICLES)]
    with pytest.raises(DomainError) as error:
        place(ready, alice, vins=vins)
    assert error.value.field == "vehicles" and error.value.code == "too_many_vehicles"
    assert nothing_bought()


def test_it_refuses_duplicates_in_the_list(ready, alice, van, catalogue):
    with pytest.raises(FieldErrors) as error:
        place(ready, alice, vins=[van.vin, van.vin.lower()])
    assert error.value.errors == {"vehicles": [f"{van.vin} is listed more than once."]}
    assert nothing_bought()


def test_it_refuses_a_vehicle_of_another_company_as_not_found(ready, alice, van, other_van, catalogue):
    with pytest.raises(services.NotFoundError) as error:
        place(ready, alice, vins=[van.vin, other_van.vin])
    assert error.value.status_code == 404 and other_van.vin in str(error.value.message)
    assert nothing_bought()


def test_it_names_each_incompatible_vehicle(ready, alice, van, evan, no_module_van, catalogue):
    diesel = f.VehicleFactory(company=ready, vin="W1V9076331P100009")
    with pytest.raises(FieldErrors) as error:
        place(ready, alice, pack="echarging", vins=[evan.vin, van.vin, diesel.vin, no_module_van.vin])
    messages = error.value.errors["vehicles"]
    assert len(messages) == 3
    assert [m.split(":")[0] for m in messages] == [van.vin, diesel.vin, no_module_van.vin]
    assert nothing_bought()


def test_it_refuses_a_pack_without_a_price_in_the_country(ready, alice, van, catalogue):
    Price.objects.filter(pack__code="navigation", country="DK").delete()
    with pytest.raises(DomainError) as error:
        place(ready, alice, pack="navigation", vins=[van.vin])
    assert error.value.code == "price_missing" and "country" in str(error.value.message)
    assert nothing_bought()


def test_it_refuses_a_pack_the_vehicle_already_has_live(ready, alice, van, verified_van, catalogue):
    place(ready, alice, vins=[van.vin])
    with pytest.raises(ConflictError) as error:
        place(ready, alice, vins=[verified_van.vin, van.vin])
    assert error.value.code == "already_subscribed" and van.vin in str(error.value.message)
    assert Order.objects.count() == 1 and Subscription.objects.count() == 1


def test_it_sells_the_pack_again_after_a_cancellation(ready, alice, van, catalogue):
    order = place(ready, alice, vins=[van.vin])
    services.subscription_cancel(subscription=order.subscriptions.get(), actor=Actor.customer(alice))
    place(ready, alice, vins=[van.vin])
    assert Subscription.objects.live().count() == 1


def test_it_relies_on_the_database_when_two_orders_race(ready, alice, van, catalogue, monkeypatch):
    place(ready, alice, vins=[van.vin])
    # Simulate the race: the check in order_quote sees nothing, the database constraint still refuses.
    monkeypatch.setattr(selectors, "LIVE_STATUSES", [])
    with pytest.raises(ConflictError) as error:
        place(ready, alice, vins=[van.vin])
    assert error.value.code == "already_subscribed"
    assert Order.objects.count() == 1 and Subscription.objects.count() == 1


def test_it_enforces_one_live_subscription_per_vehicle_and_pack_in_the_database(ready, van, bundle):
    f.SubscriptionFactory(order__company=ready, order__pack=bundle, vehicle=van)
    with pytest.raises(IntegrityError), transaction.atomic():
        f.SubscriptionFactory(order__company=ready, order__pack=bundle, vehicle=van)
    f.SubscriptionFactory(order__company=ready, order__pack=bundle, vehicle=van, status="cancelled")


def test_it_needs_the_pack_terms_accepted(verified_company, alice, van, catalogue):
    with pytest.raises(DomainError) as error:
        place(verified_company, alice, vins=[van.vin])
    assert error.value.field == "accept_terms" and error.value.code == "pack_terms_required"
    assert nothing_bought()
    place(verified_company, alice, vins=[van.vin], accept_pack_terms=True)
    assert TermsAcceptance.objects.filter(user=alice, document="pack_terms").count() == 1
    assert AuditEvent.objects.filter(action="terms.accepted", target=alice.email).count() == 1


def test_it_lets_dealer_staff_order_only_after_an_administrator_accepted_the_terms(
    verified_company, alice, sam, van, catalogue
):
    actor = Actor.dealer_staff(user=sam.user, dealer=sam.dealer, acting_under="support session #1")
    with pytest.raises(DomainError) as error:
        services.order_place(
            company=verified_company,
            pack_code="connect-complete",
            vins=[van.vin],
            actor=actor,
            accept_pack_terms=True,
        )
    assert error.value.code == "pack_terms_required"
    assert nothing_bought()
    TermsAcceptance.objects.create(user=alice, document="pack_terms", version="2026-01")
    order = services.order_place(
        company=verified_company, pack_code="connect-complete", vins=[van.vin], actor=actor
    )
    assert "Glostrup Van Centre" in order.placed_by_name
    assert AuditEvent.objects.get(action="order.placed").acting_under == "support session #1"


@pytest.mark.postgres
def test_a_fleet_order_leaves_the_planner_statistics_fresh(
    ready, alice, van, verified_van, catalogue, settings, django_capture_on_commit_callbacks
):
    """An order for BULK_ANALYZE_ROWS vans or more analyses the subscriptions table when it commits
    (mpro.statistics); a smaller one leaves it to autovacuum."""
    from django.db import connection

    def estimate():
        with connection.cursor() as cursor:
            cursor.execute("SELECT reltuples FROM pg_class WHERE relname = 'packs_subscription'")
            return cursor.fetchone()[0]

    settings.BULK_ANALYZE_ROWS = 2
    before = estimate()
    with django_capture_on_commit_callbacks(execute=True):
        place(ready, alice, pack="connect-complete", vins=[van.vin])
    assert estimate() == before
    with django_capture_on_commit_callbacks(execute=True):
        place(ready, alice, pack="fleet-management", vins=[van.vin, verified_van.vin])
    assert estimate() == Subscription.objects.count() == 3
