"""Issue 16, "e-mails that a customer expects": consumers of the domain events (mpro.outbox), each
e-mail in its recipient's language with a link to the page concerned."""

import pytest
from django.conf import settings
from django.core import mail

from companies.audit import Actor
from companies.models import TermsAcceptance
from packs import services as packs
from retail import services as retail
from tests import factories as f
from tests.packs.conftest import verify

pytestmark = pytest.mark.django_db


@pytest.fixture
def committing(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def staff(sam):
    return retail.staff_actor(staff=sam, window=None)


def sent_to(email):
    return [m for m in mail.outbox if m.to == [email]]


def test_administrators_read_that_the_company_is_verified_in_their_language(
    company, alice, staff, committing
):
    alice.language = "da"
    alice.save()
    with committing():
        retail.company_verify(company=company, actor=staff)
    [message] = sent_to(alice.email)
    assert "ACME Transport ApS" in message.subject
    assert "PRO-ACMEXX" in message.body
    assert "Hej" in message.body  # Danish
    assert f"{settings.SITE_URL}/company/" in message.body


def test_a_rejection_says_why(company, alice, staff, committing):
    with committing():
        retail.company_reject(
            company=company, reason="The VAT number belongs to another company.", actor=staff
        )
    [message] = sent_to(alice.email)
    assert "The VAT number belongs to another company." in message.body


def test_a_verified_administrator_is_told(company, alice, staff, committing):
    membership = alice.membership
    with committing():
        retail.member_verify(membership=membership, mode="passport", actor=staff)
    [message] = sent_to(alice.email)
    assert message.subject == "[mpro] Your identity is verified"
    assert "ACME Transport ApS" in message.body


def test_a_van_verified_or_rejected_is_reported_with_a_link_to_it(company, alice, staff, committing):
    van = f.VehicleFactory(company=company, vin="W1V9076331P100001", nickname="Big & blue")
    other = f.VehicleFactory(company=company, vin="W1V9076331P100002")
    with committing():
        retail.vehicle_verify(vehicle=van, actor=staff)
        retail.vehicle_reject(vehicle=other, reason="The document names another VIN.", actor=staff)
    verified, rejected = sent_to(alice.email)
    assert van.vin in verified.subject and "Big & blue" in verified.body  # plain text: not escaped
    assert f"/vehicles/{van.vin}/" in verified.body
    assert other.vin in rejected.subject and "The document names another VIN." in rejected.body


def test_nothing_is_sent_for_a_change_that_rolled_back(company, alice, staff, committing):
    with committing(), pytest.raises(RuntimeError):
        from django.db import transaction

        with transaction.atomic():
            retail.company_verify(company=company, actor=staff)
            raise RuntimeError
    assert mail.outbox == []


@pytest.fixture
def catalogue(db):
    from packs.catalogue import seed_catalogue

    seed_catalogue()


@pytest.fixture
def ready(verified_company, alice):
    TermsAcceptance.objects.create(user=alice, document="pack_terms", version=settings.PACK_TERMS_VERSION)
    return verified_company


def test_an_order_mails_its_placing_then_one_mail_when_its_vans_are_live(
    ready, alice, fred, catalogue, committing
):
    vans = [verify(f.VehicleFactory(company=ready)) for _ in range(3)]
    fred.language = "fr"
    fred.save()
    fred_actor = Actor.customer(fred)
    TermsAcceptance.objects.create(user=fred, document="pack_terms", version=settings.PACK_TERMS_VERSION)
    with committing():
        order = packs.order_place(
            company=ready, pack_code="connect-complete", vins=[v.vin for v in vans], actor=fred_actor
        )
    to_alice = sent_to(alice.email)
    assert [m.subject for m in to_alice] == [
        f"[mpro] Order {order.pk}: Connect complete",
        f"[mpro] Order {order.pk}: Connect complete is live",
    ]
    assert "ordered Connect complete for 3 vans" in to_alice[0].body
    assert all(v.vin in to_alice[1].body for v in vans)
    assert f"/products/orders/{order.pk}/" in to_alice[1].body
    to_fred = sent_to(fred.email)  # who placed it hears too, in French
    assert len(to_fred) == 2 and "Commande" in to_fred[0].subject


def test_a_failed_activation_is_reported_once_the_order_settles(ready, alice, catalogue, committing):
    from packs import tasks

    good = verify(f.VehicleFactory(company=ready, vin="W1V9076331P100003"))
    no_module = verify(f.VehicleFactory(company=ready, vin="W1V9076331P900004"))  # serial 9…: no module
    from packs.models import Pack

    order = f.OrderFactory(company=ready, pack=Pack.objects.get(code="connect-complete"))
    f.SubscriptionFactory(order=order, vehicle=good, status="active")
    pending = f.SubscriptionFactory(order=order, vehicle=no_module, status="activation_pending")
    with committing():
        assert tasks.subscription_activate.apply(args=[pending.pk]).get() == "failed"
    [settled] = sent_to(alice.email)
    assert "activation failed" in settled.subject
    assert no_module.vin in settled.body and good.vin in settled.body
    with committing():  # the same outcome reported again (a redelivery): no second e-mail
        from mpro import outbox

        outbox.emit("subscription.activation_failed", company_id=ready.pk, payload={"order": order.pk})
    assert len(sent_to(alice.email)) == 1


def test_a_chunk_of_activations_settles_its_order_once_with_one_mail(ready, alice, catalogue, monkeypatch):
    """A worker consumes the events of a chunk of activations together: the order's state is
    read once for the chunk, not once per van, and the customer gets one mail."""
    from mpro import outbox
    from mpro.models import OutboxMessage
    from packs import notices
    from packs.models import Pack

    order = f.OrderFactory(company=ready, pack=Pack.objects.get(code="connect-complete"))
    subs = [
        f.SubscriptionFactory(order=order, vehicle=verify(f.VehicleFactory(company=ready)), status="active")
        for _ in range(3)
    ]
    ids = [
        OutboxMessage.objects.create(
            kind="subscription.activated",
            company_id=ready.pk,
            payload={"order": order.pk, "subscription": s.pk},
        ).pk
        for s in subs
    ]
    runs = []
    settle = notices.order_settled
    monkeypatch.setattr(notices, "order_settled", lambda event: runs.append(event.id) or settle(event))
    assert outbox.consume_many(message_ids=ids, consumer_name="packs.notices.order_settled") == []
    assert len(runs) == 1
    [settled] = sent_to(alice.email)
    assert settled.subject == f"[mpro] Order {order.pk}: Connect complete is live"
    assert all("packs.notices.order_settled" in m.done for m in OutboxMessage.objects.filter(pk__in=ids))


def test_a_dealer_order_on_the_customers_behalf_is_mailed_to_the_administrators(
    ready, alice, sam, catalogue, committing
):
    van = f.VehicleFactory(company=ready)
    actor = retail.staff_actor(staff=sam, window=None)
    with committing():
        packs.order_place(company=ready, pack_code="connect-complete", vins=[van.vin], actor=actor)
    [placed] = sent_to(alice.email)  # the van is not verified: nothing is live yet
    assert "Your dealer" in placed.body and "on your behalf" in placed.body
