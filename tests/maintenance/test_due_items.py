"""From the van's reports to the workshop's queue: a van reaching "soon" opens one due item per
occurrence (its workshop informed through the outbox: `maintenance.due` and an e-mail), unless the
company switched that off; back to "ok" closes it; changing the workshop moves it."""

import pytest
from django.core import mail

from companies.audit import Actor
from maintenance import selectors, services
from maintenance.models import DueItem
from mpro.models import OutboxMessage
from telematics.services import reporting_round
from tests import factories as f
from vehicles import services as vehicle_services
from vehicles.telematics import get_backend


@pytest.fixture
def report(django_capture_on_commit_callbacks):
    """report(van, days, km): the emulated module reports these counters, through the real round."""

    def run(van, days, km):
        get_backend().set_fields(van.vin, {"service_due_days": days, "service_due_km": km})
        with django_capture_on_commit_callbacks(execute=True):
            reporting_round()

    return run


def due_events():
    return list(OutboxMessage.objects.filter(kind="maintenance.due").values_list("payload", flat=True))


def test_it_opens_nothing_while_the_van_is_ok(maint_van, report):
    report(maint_van, 200, 20_000)
    assert not DueItem.objects.exists()
    assert due_events() == []


def test_it_informs_the_workshop_once_when_the_van_reaches_soon(maint_van, dealer, report):
    dealer.email = "workshop@glostrup.example"
    dealer.save()
    report(maint_van, 25, 9000)
    report(maint_van, 24, 8900)  # still soon: the same occurrence
    report(maint_van, 5, 400)  # due now: still the same occurrence
    [item] = DueItem.objects.all()
    assert item.dealer == dealer and item.informed_at is not None and item.closed_at is None
    assert item.due_in_days == 25 and item.due_in_km == 9000
    [payload] = due_events()
    assert payload == {
        "vin": maint_van.vin,
        "pro_id": maint_van.company.pro_id,
        "dealer": dealer.code,
        "level": "soon",
        "due_in_days": 25,
        "due_in_km": 9000,
    }
    [message] = [m for m in mail.outbox if m.to == ["workshop@glostrup.example"]]
    assert maint_van.vin in message.body and "/retail/service-due/" in message.body
    assert "Hej" in message.body  # a Danish outlet reads Danish


def test_a_new_occurrence_after_the_counters_start_again_informs_again(maint_van, report):
    report(maint_van, 25, 9000)
    report(maint_van, 365, 40_000)  # serviced elsewhere: the counters started again
    assert DueItem.objects.get().closed_at is not None
    report(maint_van, 20, 9000)
    assert DueItem.objects.count() == 2
    assert len(due_events()) == 2


def test_it_does_not_inform_when_the_company_switched_it_off(maint_van, company, alice, report):
    services.settings_update(company=company, inform_workshop=False, actor=Actor.customer(alice))
    report(maint_van, 25, 9000)
    item = DueItem.objects.get()
    assert item.informed_at is None
    assert due_events() == []
    assert selectors.service_due_queue(maint_van.workshop) == []
    # Switched on again: the workshop hears of the van already due, once.
    services.settings_update(company=company, inform_workshop=True, actor=Actor.customer(alice))
    services.settings_update(company=company, inform_workshop=True, actor=Actor.customer(alice))
    assert len(due_events()) == 1
    assert [row.vehicle for row in selectors.service_due_queue(maint_van.workshop)] == [maint_van]


def test_it_ignores_vans_without_maintenance_management(plain_van, report):
    report(plain_van, 3, 100)
    assert not DueItem.objects.exists()


def test_it_falls_back_to_the_company_default_workshop(maint_van, company, other_dealer, report):
    maint_van.workshop = None
    maint_van.save()
    company.default_workshop = other_dealer
    company.save()
    report(maint_van, 10, 9000)
    assert DueItem.objects.get().dealer == other_dealer


def test_changing_the_van_workshop_moves_its_open_item(maint_van, dealer, other_dealer, alice, report):
    report(maint_van, 10, 9000)
    assert [row.vehicle for row in selectors.service_due_queue(dealer)] == [maint_van]
    vehicle_services.workshop_choose(vehicle=maint_van, dealer=other_dealer, actor=Actor.customer(alice))
    assert selectors.service_due_queue(dealer) == []
    assert selectors.queue_row(dealer, maint_van.vin) is None
    assert [row.vehicle for row in selectors.service_due_queue(other_dealer)] == [maint_van]
    assert [p["dealer"] for p in due_events()] == [dealer.code, other_dealer.code]


def test_changing_the_company_default_moves_the_items_of_vans_without_their_own(
    maint_van, company, dealer, other_dealer, alice, report
):
    maint_van.workshop = None
    maint_van.save()
    company.default_workshop = dealer
    company.save()
    report(maint_van, 10, 9000)
    vehicle_services.default_workshop_set(company=company, dealer=other_dealer, actor=Actor.customer(alice))
    assert DueItem.objects.get().dealer == other_dealer
    assert selectors.service_due_queue(dealer) == []


def test_a_transferred_van_leaves_the_queue(maint_van, dealer, other_company, report):
    report(maint_van, 10, 9000)
    f.SubscriptionFactory  # noqa: B018  (the van's subscription is cancelled before a transfer)
    maint_van.subscriptions.update(status="cancelled")
    vehicle_services.vehicle_transfer(vehicle=maint_van, to_company=other_company, actor=Actor.system())
    assert DueItem.objects.get().closed_at is not None
    assert selectors.service_due_queue(dealer) == []
