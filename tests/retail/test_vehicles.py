"""Verify vehicles (by VIN), reject them, transfer a VIN another company holds; verification starts
the activation of the waiting subscriptions."""

import pytest
from django.core import mail
from django.urls import reverse

from companies.models import AuditEvent
from mpro.errors import ConflictError, DomainError, ForbiddenError
from packs.models import Subscription
from retail import services
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def attestation(sam, company, attest):
    return attest(sam, company)


@pytest.fixture
def client(staff_client, sam, attestation):
    return staff_client(sam)


@pytest.fixture
def actor(sam, attestation):
    return services.staff_actor(staff=sam, window=attestation)


def test_it_lists_and_searches_the_fleet_by_vin(client, company, van):
    other = f.VehicleFactory(company=company, vin="W1V9076331P300777")
    url = reverse("retail:vehicles", args=[company.pro_id])
    response = client.get(url)
    assert {v.vin for v in response.context["page"]} == {van.vin, other.vin}
    assert "Not verified" in response.content.decode()
    response = client.get(url, {"vin": " w1v9076331p100001 "})
    assert [v.vin for v in response.context["page"]] == [van.vin]
    response = client.get(url, {"vin": "300777"})
    assert [v.vin for v in response.context["page"]] == [other.vin]
    response = client.get(url, {"vin": "x" * 10_000})
    assert response.status_code == 200 and response.context["form"].errors


def test_it_never_lists_another_companys_vehicles(client, company, other_company):
    stranger = f.VehicleFactory(company=other_company)
    response = client.get(reverse("retail:vehicles", args=[company.pro_id]), {"vin": stranger.vin})
    assert list(response.context["page"]) == []


def test_it_lists_vehicles_in_a_fixed_number_of_queries(client, company, django_assert_max_num_queries):
    for _ in range(60):
        f.VehicleFactory(company=company)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("retail:vehicles", args=[company.pro_id]))
    assert len(response.context["page"]) == 50


def test_it_shows_a_vehicle_with_what_is_missing(client, company, waiting_subscription, van):
    html = client.get(reverse("retail:vehicle", args=[company.pro_id, van.vin])).content.decode()
    assert van.vin in html
    assert "Waiting for dealer verification" in html
    assert "has not verified the company yet" in html


def test_it_verifies_a_vehicle_once(client, sam, company, van, attestation):
    url = reverse("retail:vehicle_verify", args=[company.pro_id, van.vin])
    assert client.post(url)["Location"] == reverse("retail:vehicle", args=[company.pro_id, van.vin])
    client.post(url)
    van.refresh_from_db()
    assert van.verification_status == "verified" and van.verified_by == sam.user
    event = AuditEvent.objects.get(company=company, action="retail.vehicle_verified")
    assert event.target == van.vin and event.acting_under == f"attestation #{attestation.pk}"


def test_it_rejects_a_vehicle_with_a_reason(client, company, van):
    url = reverse("retail:vehicle_reject", args=[company.pro_id, van.vin])
    response = client.post(url, {"reason": ""})
    assert response.context["form"].errors["reason"]
    client.post(url, {"reason": "Registration document names another owner."})
    van.refresh_from_db()
    assert van.verification_status == "rejected"
    assert van.rejection_reason == "Registration document names another owner."


def test_it_refuses_to_reject_a_verified_vehicle(company, van, actor):
    services.vehicle_verify(vehicle=van, actor=actor)
    with pytest.raises(ConflictError):
        services.vehicle_reject(vehicle=van, reason="Oops", actor=actor)
    van.refresh_from_db()
    assert (van.verification_status, van.rejection_reason) == ("verified", "")
    assert not AuditEvent.objects.filter(action="retail.vehicle_rejected").exists()


# --- activation -----------------------------------------------------------------------------------------
def test_it_starts_the_waiting_subscription_when_all_three_are_verified(
    company, alice, van, waiting_subscription, actor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.vehicle_verify(vehicle=van, actor=actor)
        services.company_verify(company=company, actor=actor)
    waiting_subscription.refresh_from_db()
    assert waiting_subscription.status == "awaiting_verification"  # the administrator is missing
    with django_capture_on_commit_callbacks(execute=True):
        services.member_verify(membership=alice.membership, mode="passport", actor=actor)
    waiting_subscription.refresh_from_db()
    assert waiting_subscription.status == "active"
    assert AuditEvent.objects.filter(company=company, action="subscriptions.released").count() == 1


@pytest.mark.parametrize("last", ["company", "admin", "vehicle"])
def test_it_starts_activation_whichever_is_verified_last(
    company, alice, van, waiting_subscription, actor, last, django_capture_on_commit_callbacks
):
    steps = {
        "company": lambda: services.company_verify(company=company, actor=actor),
        "admin": lambda: services.member_verify(membership=alice.membership, mode="id_card", actor=actor),
        "vehicle": lambda: services.vehicle_verify(vehicle=van, actor=actor),
    }
    for name, step in steps.items():
        if name != last:
            step()
    with django_capture_on_commit_callbacks(execute=True):
        steps[last]()
    waiting_subscription.refresh_from_db()
    assert waiting_subscription.status == "active"


def test_it_does_not_start_anything_for_a_verified_fleet_manager(
    company, alice, fred, van, waiting_subscription, actor, django_capture_on_commit_callbacks
):
    services.company_verify(company=company, actor=actor)
    services.vehicle_verify(vehicle=van, actor=actor)
    with django_capture_on_commit_callbacks(execute=True):
        services.member_verify(membership=fred.membership, mode="passport", actor=actor)
    waiting_subscription.refresh_from_db()
    assert waiting_subscription.status == "awaiting_verification"


# --- transfer --------------------------------------------------------------------------------------------
@pytest.fixture
def held_elsewhere(other_company, oscar, catalogue):
    """A van Other Co still holds, with a live subscription."""
    vehicle = f.VehicleFactory(company=other_company, vin="W1V9076331P400001")
    order = f.OrderFactory(company=other_company, pack=catalogue["connect-complete"])
    f.SubscriptionFactory(order=order, vehicle=vehicle, status="active")
    return vehicle


def test_it_transfers_a_vin_from_another_company(
    client,
    sam,
    company,
    other_company,
    oscar,
    held_elsewhere,
    open_support,
    django_capture_on_commit_callbacks,
):
    open_support(sam, company)
    url = reverse("retail:vehicle_transfer", args=[company.pro_id])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"vin": " w1v9076331p400001 ", "registration_checked": "on"})
    assert response["Location"] == reverse("retail:vehicle", args=[company.pro_id, held_elsewhere.vin])
    held_elsewhere.refresh_from_db()
    assert held_elsewhere.company == company
    assert held_elsewhere.verification_status == "unverified"
    old = Subscription.objects.get(vehicle=held_elsewhere)
    assert old.status == "cancelled" and old.company == other_company
    old_history = AuditEvent.objects.filter(company=other_company, target=held_elsewhere.vin)
    new_history = AuditEvent.objects.filter(company=company, target=held_elsewhere.vin)
    assert old_history.filter(action="vehicle.transferred_out", dealer=sam.dealer).exists()
    assert old_history.filter(action="subscription.cancelled", dealer=sam.dealer).exists()
    assert new_history.filter(action="vehicle.transferred_in", actor=sam.user).exists()
    # The old holder learns the van left, never who holds it now; its administrators are e-mailed.
    for event in old_history:
        assert company.pro_id not in str(event.details) and company.name not in str(event.details)
    [message] = [m for m in mail.outbox if m.to == [oscar.email]]
    assert held_elsewhere.vin in message.subject
    assert company.name not in message.body and company.pro_id not in message.body


def test_only_a_support_session_with_the_receiving_company_may_take_a_van(
    client, sam, company, held_elsewhere, other_company
):
    """Issue 17 item 3: an attestation (self-ticked identity check) is not enough; nothing moves."""
    response = client.post(
        reverse("retail:vehicle_transfer", args=[company.pro_id]),
        {"vin": held_elsewhere.vin, "registration_checked": "on"},
    )
    assert response.status_code == 200
    assert "support session" in str(response.context["form"].non_field_errors())
    held_elsewhere.refresh_from_db()
    assert held_elsewhere.company == other_company
    assert Subscription.objects.get(vehicle=held_elsewhere).status == "active"
    assert not AuditEvent.objects.filter(action__startswith="vehicle.transferred").exists()


def test_a_support_session_with_another_company_does_not_count(
    sam, company, held_elsewhere, attestation, open_support
):
    third = f.CompanyFactory(name="Third ApS", pro_id="PRO-THIRDX")
    open_support(sam, company)  # a session with ACME does not let sam move vans into Third
    actor = services.staff_actor(staff=sam, window=attestation)
    with pytest.raises(ForbiddenError):
        services.vehicle_transfer_to(
            company=third, vin=held_elsewhere.vin, registration_checked=True, actor=actor
        )


def test_it_needs_the_registration_document_checked_to_transfer(client, company, held_elsewhere):
    response = client.post(
        reverse("retail:vehicle_transfer", args=[company.pro_id]), {"vin": held_elsewhere.vin}
    )
    assert response.context["form"].errors["registration_checked"]
    held_elsewhere.refresh_from_db()
    assert held_elsewhere.company != company


@pytest.mark.parametrize(
    "vin, code",
    [
        ("W1V9076331P499999", "vin_unknown"),
        ("W1V9076331P100001", "vin_in_fleet"),
        ("W1V90", "invalid"),
        ("", "invalid"),
    ],
)
def test_it_explains_why_a_vin_cannot_be_transferred(company, van, actor, vin, code, sam, open_support):
    open_support(sam, company)
    with pytest.raises(DomainError) as error:
        services.vehicle_transfer_to(company=company, vin=vin, registration_checked=True, actor=actor)
    assert error.value.field == "vin" and error.value.code == code


def test_it_keeps_the_vin_typed_when_the_attestation_ran_out_mid_form(
    staff_client, sam, company, attestation, expire
):
    expire(attestation)
    client = staff_client(sam)
    url = reverse("retail:vehicle_transfer", args=[company.pro_id])
    response = client.post(url, {"vin": "W1V9076331P400001", "registration_checked": "on"})
    client.post(response["Location"], {"identity_checked": "on", "next": url})
    form = client.get(url).context["form"]
    assert form["vin"].value() == "W1V9076331P400001"
    assert form["registration_checked"].value() == "on"
