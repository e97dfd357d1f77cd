"""Support sessions: opened with the customer's support password, bound to one staff member and one
company, 60 minutes; wrong passwords limited per company; acting for the customer within it."""

import datetime
import logging

import pytest
from django.urls import reverse
from django.utils import timezone

from companies.models import AuditEvent
from mpro.errors import ForbiddenError, RateLimitedError
from packs.models import Order, Subscription
from retail import services
from retail.models import SupportPasswordAttempt, SupportSession
from vehicles.models import Vehicle

from .conftest import SUPPORT_PASSWORD

pytestmark = pytest.mark.django_db

NEW_VIN = "W1V9076331P300123"


@pytest.fixture
def attestation(sam, company, attest):
    return attest(sam, company)


@pytest.fixture
def client(staff_client, sam, attestation):
    return staff_client(sam)


def _open(staff, company, attestation, password):
    return services.support_session_open(
        staff=staff,
        company=company,
        support_password=password,
        actor=services.staff_actor(staff=staff, window=attestation),
    )


def test_it_opens_a_support_session_with_the_customers_support_password(
    client, sam, company, support_password
):
    url = reverse("retail:support", args=[company.pro_id])
    response = client.post(url, {"support_password": SUPPORT_PASSWORD})
    assert response["Location"] == url
    session = SupportSession.objects.get(staff=sam, company=company)
    minutes = (session.expires_at - session.created_at).total_seconds() / 60
    assert round(minutes) == 60
    event = AuditEvent.objects.get(company=company, action="retail.support_session_opened")
    assert event.acting_under == f"support session #{session.pk}" and event.dealer == sam.dealer
    assert SupportPasswordAttempt.objects.get().succeeded is True
    page = client.get(url).content.decode()
    assert "Add a vehicle" in page and "Buy a pack" in page


def test_it_refuses_a_wrong_support_password_and_records_the_attempt(client, sam, company, support_password):
    response = client.post(reverse("retail:support", args=[company.pro_id]), {"support_password": "guess"})
    assert response.status_code == 403
    assert "not the support password" in response.content.decode()
    assert not SupportSession.objects.exists()
    attempt = SupportPasswordAttempt.objects.get()
    assert (attempt.staff, attempt.company, attempt.succeeded, attempt.blocked) == (
        sam,
        company,
        False,
        False,
    )
    event = AuditEvent.objects.get(company=company, action="retail.support_password_failed")
    assert event.details["attempt"] == attempt.pk


def test_it_refuses_when_no_administrator_has_a_support_password(client, company, alice):
    response = client.post(reverse("retail:support", args=[company.pro_id]), {"support_password": "anything"})
    assert response.status_code == 403
    assert not SupportSession.objects.exists()


def test_it_warns_when_no_administrator_of_this_company_has_a_support_password(
    client, company, alice, fred, oscar
):
    url = reverse("retail:support", args=[company.pro_id])
    warning = "No administrator of this company has set a support password yet."
    # A fleet manager's password, or another company's administrator's, does not count.
    for person in (fred, oscar):
        person.set_support_password("not-an-acme-admin")
        person.save()
    assert warning in client.get(url).content.decode()
    alice.set_support_password(SUPPORT_PASSWORD)
    alice.save()
    assert warning not in client.get(url).content.decode()


def test_it_only_accepts_the_support_password_of_an_administrator(
    sam, company, alice, fred, oscar, attestation
):
    fred.set_support_password("fleet-secret")
    fred.save()
    with pytest.raises(ForbiddenError):
        _open(sam, company, attestation, "fleet-secret")
    # Nor that of another company's administrator.
    oscar.set_support_password("oscar-secret")
    oscar.save()
    with pytest.raises(ForbiddenError):
        _open(sam, company, attestation, "oscar-secret")
    assert not SupportSession.objects.exists()


def test_it_accepts_any_administrators_support_password(sam, company, alice, attestation):
    from tests import factories as f

    second = f.UserFactory()
    f.MembershipFactory(user=second, company=company, role="admin")
    second.set_support_password("second-admin-secret")
    second.save()
    assert _open(sam, company, attestation, "second-admin-secret").company == company


def test_it_locks_the_company_after_five_wrong_passwords_in_fifteen_minutes(
    client, sam, sid, company, support_password, attest
):
    url = reverse("retail:support", args=[company.pro_id])
    for _ in range(5):
        assert client.post(url, {"support_password": "guess"}).status_code == 403
    response = client.post(url, {"support_password": SUPPORT_PASSWORD})
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 15 * 60
    assert not SupportSession.objects.exists()
    # Per company, whoever tries: another outlet's staff member is locked out too.
    with pytest.raises(RateLimitedError):
        _open(sid, company, attest(sid, company), SUPPORT_PASSWORD)
    assert SupportPasswordAttempt.objects.filter(succeeded=False, blocked=False).count() == 5
    assert SupportPasswordAttempt.objects.filter(blocked=True).count() == 2
    assert AuditEvent.objects.filter(company=company, action="retail.support_password_blocked").count() == 2


def test_it_unlocks_once_the_failures_leave_the_window(sam, company, support_password, attestation):
    for _ in range(5):
        with pytest.raises(ForbiddenError):
            _open(sam, company, attestation, "guess")
    SupportPasswordAttempt.objects.update(at=timezone.now() - datetime.timedelta(minutes=16))
    assert _open(sam, company, attestation, SUPPORT_PASSWORD)


def test_it_computes_retry_after_from_the_oldest_failure_in_the_window(
    sam, company, support_password, attestation
):
    for _ in range(5):
        with pytest.raises(ForbiddenError):
            _open(sam, company, attestation, "guess")
    SupportPasswordAttempt.objects.update(at=timezone.now() - datetime.timedelta(minutes=10))
    with pytest.raises(RateLimitedError) as error:
        _open(sam, company, attestation, SUPPORT_PASSWORD)
    assert 4 * 60 < error.value.retry_after <= 5 * 60 + 1


def test_it_does_not_lock_other_companies(sam, company, other_company, oscar, support_password, attest):
    attestation = attest(sam, company)
    for _ in range(5):
        with pytest.raises(ForbiddenError):
            _open(sam, company, attestation, "guess")
    oscar.set_support_password("oscar-secret")
    oscar.save()
    assert _open(sam, other_company, attest(sam, other_company), "oscar-secret")


def test_it_never_stores_or_logs_the_support_password(client, company, support_password, caplog):
    caplog.set_level(logging.DEBUG)
    url = reverse("retail:support", args=[company.pro_id])
    client.post(url, {"support_password": "wrong-guess-123"})
    response = client.post(url, {"support_password": SUPPORT_PASSWORD})
    assert "wrong-guess-123" not in caplog.text and SUPPORT_PASSWORD not in caplog.text
    for event in AuditEvent.objects.all():
        assert "wrong-guess-123" not in str(event.details) and SUPPORT_PASSWORD not in str(event.details)
    assert SUPPORT_PASSWORD not in str(client.session.items())
    assert SUPPORT_PASSWORD not in client.get(url).content.decode()
    assert response.status_code == 302


@pytest.mark.parametrize("password", ["", "x" * 10_000])
def test_it_answers_empty_or_huge_passwords_clearly(client, company, support_password, password):
    response = client.post(reverse("retail:support", args=[company.pro_id]), {"support_password": password})
    assert response.status_code == 200
    assert response.context["form"].errors["support_password"]
    assert not SupportPasswordAttempt.objects.exists()


def test_it_ends_a_support_session(client, sam, company, open_support):
    session = open_support(sam, company)
    response = client.post(reverse("retail:support_end", args=[company.pro_id]))
    assert response.status_code == 302
    session.refresh_from_db()
    assert not session.is_open
    assert AuditEvent.objects.filter(company=company, action="retail.support_session_ended").exists()


# --- acting for the customer ----------------------------------------------------------------------------
def test_it_adds_a_vehicle_for_the_customer(client, sam, company, open_support):
    session = open_support(sam, company)
    url = reverse("retail:support_vehicle_add", args=[company.pro_id])
    response = client.post(url, {"vin": NEW_VIN.lower(), "licence_plate": "cd 12 345", "nickname": "New van"})
    assert response["Location"] == reverse("retail:vehicle", args=[company.pro_id, NEW_VIN])
    vehicle = Vehicle.objects.get(vin=NEW_VIN)
    assert vehicle.company == company
    event = AuditEvent.objects.get(company=company, action="vehicle.added")
    assert (event.actor, event.dealer, event.acting_under) == (
        sam.user,
        sam.dealer,
        f"support session #{session.pk}",
    )


def test_it_shows_the_vehicle_services_refusals_on_the_form(
    client, sam, company, open_support, other_company
):
    from tests import factories as f

    open_support(sam, company)
    f.VehicleFactory(company=other_company, vin="W1V9076331P400001")
    url = reverse("retail:support_vehicle_add", args=[company.pro_id])
    response = client.post(url, {"vin": "W1V9076331P400001"})
    assert response.status_code == 200
    assert response.context["form"].errors["vin"]
    assert (
        reverse("retail:vehicle_transfer", args=[company.pro_id]) + "?vin=W1V9076331P400001"
        in response.content.decode()
    )
    assert "Other Co" not in response.content.decode()
    response = client.post(url, {"vin": "WDB12345678901234"})
    assert response.context["form"].errors["vin"]
    response = client.post(url, {"vin": "x" * 10_000})
    assert response.context["form"].errors["vin"]
    assert company.vehicles.count() == 0


def test_it_buys_a_pack_for_the_customer(client, sam, company, van, catalogue, pack_terms, open_support):
    session = open_support(sam, company)
    url = reverse("retail:support_order", args=[company.pro_id])
    page = client.get(url)
    assert (
        van.vin in page.content.decode() and "DKK\u00a01,870.00" in page.content.decode()
    )  # money per language
    review = client.post(url, {"pack": "connect-complete", "vehicles": [van.vin]})
    assert review.status_code == 200 and not Order.objects.exists()
    response = client.post(url, {"step": "confirm", "pack": "connect-complete", "more_vins": van.vin})
    assert response.status_code == 302, response.context["form"].errors
    order = Order.objects.get(company=company)
    assert order.placed_by == sam.user
    assert Subscription.objects.get(order=order).vehicle == van
    event = AuditEvent.objects.get(company=company, action="order.placed")
    assert event.acting_under == f"support session #{session.pk}"


def test_it_shows_the_order_refusals_on_the_form(client, sam, company, van, catalogue, open_support):
    open_support(sam, company)
    url = reverse("retail:support_order", args=[company.pro_id])
    response = client.post(url, {"pack": "connect-complete", "vehicles": [van.vin]})
    assert response.status_code == 200
    assert "has not accepted the service pack terms" in response.content.decode()
    response = client.post(url, {"pack": "connect-complete"})
    assert response.context["form"].errors["vehicles"]
    response = client.post(url, {"pack": "no-such-pack", "vehicles": [van.vin]})
    assert response.context["form"].errors["pack"]
    assert not Order.objects.exists()


def test_it_keeps_the_vehicle_typed_when_the_support_session_ran_out_mid_form(
    client, sam, company, open_support, expire
):
    expire(open_support(sam, company))
    url = reverse("retail:support_vehicle_add", args=[company.pro_id])
    response = client.post(url, {"vin": NEW_VIN, "licence_plate": "CD 12 345", "nickname": "New van"})
    support_url = reverse("retail:support", args=[company.pro_id])
    assert response["Location"].startswith(support_url)
    page = client.get(response["Location"])
    assert "has run out" in page.content.decode()
    assert not Vehicle.objects.filter(vin=NEW_VIN).exists()
    response = client.post(response["Location"], {"support_password": SUPPORT_PASSWORD, "next": url})
    assert response["Location"] == url
    form = client.get(url).context["form"]
    assert (form["vin"].value(), form["licence_plate"].value(), form["nickname"].value()) == (
        NEW_VIN,
        "CD 12 345",
        "New van",
    )


def test_it_never_keeps_the_support_password_in_a_draft(client, sam, company, open_support, expire):
    expire(open_support(sam, company))
    client.post(
        reverse("retail:support_vehicle_add", args=[company.pro_id]),
        {"vin": NEW_VIN, "support_password": SUPPORT_PASSWORD},
    )
    assert SUPPORT_PASSWORD not in str(dict(client.session.items()))


def test_a_pending_invitees_support_password_opens_nothing(sam, company, alice, attestation):
    """Issue 17 item 5: only accepted administrators' support passwords count."""
    from companies.models import InvitationStatus
    from tests import factories as f

    invitee = f.UserFactory()
    f.MembershipFactory(
        user=invitee, company=company, role="admin", invitation_status=InvitationStatus.PENDING
    )
    invitee.set_support_password("invitee-secret")
    invitee.save()
    with pytest.raises(ForbiddenError):
        _open(sam, company, attestation, "invitee-secret")
    assert not SupportSession.objects.exists()


def test_a_deactivated_administrators_support_password_opens_nothing(sam, company, alice, attestation):
    from tests import factories as f

    second = f.UserFactory(is_active=False)
    f.MembershipFactory(user=second, company=company, role="admin")
    second.set_support_password("gone-admin-secret")
    second.save()
    with pytest.raises(ForbiddenError):
        _open(sam, company, attestation, "gone-admin-secret")


# --- Issue 17 item 18: a staff member cannot keep a company locked; its administrators are told ----
def test_a_staff_member_has_a_limit_of_their_own_across_companies(
    settings, client, sam, sid, company, support_password, attest
):
    settings.SUPPORT_PASSWORD_STAFF_MAX_FAILURES = 3
    url = reverse("retail:support", args=[company.pro_id])
    for _ in range(3):
        assert client.post(url, {"support_password": "guess"}).status_code == 403
    response = client.post(url, {"support_password": SUPPORT_PASSWORD})
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 24 * 3600
    assert not SupportSession.objects.exists()
    # The company itself is not locked (3 of its 5): another staff member gets in.
    assert _open(sid, company, attest(sid, company), SUPPORT_PASSWORD).company == company


def test_the_staff_limit_stops_one_person_keeping_a_company_locked(
    sam, company, support_password, attestation
):
    """Five wrong tries, wait out the window, five more: the staff member's own limit (10 a day)
    is spent after the second lock, so they cannot lock the company a third time."""
    for _window in range(2):
        for _ in range(5):
            with pytest.raises(ForbiddenError):
                _open(sam, company, attestation, "guess")
        SupportPasswordAttempt.objects.filter(company=company).update(
            at=timezone.now() - datetime.timedelta(minutes=16)
        )
    with pytest.raises(RateLimitedError) as refused:
        _open(sam, company, attestation, "guess")
    assert refused.value.code == "support_password_staff_locked"


def test_the_administrators_are_e_mailed_when_the_company_locks(
    sam, company, alice, support_password, attestation, django_capture_on_commit_callbacks
):
    from django.core import mail

    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(4):
            with pytest.raises(ForbiddenError):
                _open(sam, company, attestation, "guess")
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(ForbiddenError):
            _open(sam, company, attestation, "guess")
        with pytest.raises(RateLimitedError):
            _open(sam, company, attestation, "guess")  # a blocked try mails nobody again
    assert [m.to for m in mail.outbox] == [[alice.email]]
    message = mail.outbox[0]
    assert "locked" in message.subject and sam.dealer.name in message.body
    assert SUPPORT_PASSWORD not in message.body and "guess" not in message.body
