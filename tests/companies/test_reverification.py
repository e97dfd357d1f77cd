"""FAQ 8: user data must match the ID papers. A verified person who changes name or date of birth
is told before saving, is then unverified until the dealer checks again, and the company's live
services run on for the grace period (VERIFICATION_GRACE_DAYS); after it, the daily task pauses
them until the dealer has verified the person again."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from companies.audit import Actor
from companies.models import AuditEvent
from packs import services as pack_services
from packs.models import Subscription
from retail import services as retail_services
from tests import factories as f

pytestmark = pytest.mark.django_db

PROFILE = "/account/profile/"
NOW = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def running(verified_company, catalogue, frozen):
    """ACME's verified van with an active subscription, and one about to activate."""
    pack = catalogue["connect-complete"]
    vans = [
        f.VehicleFactory(company=verified_company, verification_status="verified", verified_at=NOW)
        for _ in range(2)
    ]
    active = f.SubscriptionFactory(order__company=verified_company, order__pack=pack, vehicle=vans[0])
    active.status = "active"
    active.save()
    other_pack = catalogue["connect-basic"] if "connect-basic" in catalogue else pack
    ended = f.SubscriptionFactory(
        order__company=verified_company, order__pack=other_pack, vehicle=vans[1], status="cancelled"
    )
    return active, ended


def _profile_form(user, **changes):
    data = {
        "first_name": user.first_name,
        "last_name": user.last_name,
        "birth_date": user.birth_date.isoformat(),
        "phone": user.phone,
        "mobile": user.mobile,
        "licence_category": user.licence_category,
        "language": user.language,
    }
    return {**data, **changes}


def _daily():
    return pack_services.subscriptions_daily(actor=Actor.system(), today=timezone.localdate())


def test_the_page_asks_before_saving_and_saves_nothing_until_confirmed(login, alice, verified_company):
    client = login(alice)
    response = client.post(PROFILE, _profile_form(alice, last_name="Jensen"))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="confirm-reverification"' in html and 'name="confirm_reverification" value="1"' in html
    assert "Confirm and save" in html and 'value="Jensen"' in html
    alice.refresh_from_db()
    assert alice.last_name != "Jensen" and alice.verification_status == "verified"
    assert not AuditEvent.objects.filter(action__startswith="user.").exists()


def test_confirming_resets_the_verification_with_a_grace_period(
    login, alice, verified_company, frozen, settings
):
    settings.VERIFICATION_GRACE_DAYS = 30
    response = login(alice).post(
        PROFILE, {**_profile_form(alice, birth_date="1980-03-15"), "confirm_reverification": "1"}
    )
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.birth_date == datetime.date(1980, 3, 15)
    assert alice.verification_status == "unverified" and alice.verified_at is None
    assert alice.verification_mode == ""
    assert alice.verification_grace_until == NOW + datetime.timedelta(days=30)
    event = AuditEvent.objects.get(action="user.verification_reset")
    assert event.company == verified_company and event.details["fields"] == ["birth_date"]
    html = login(alice).get(PROFILE).content.decode()
    assert 'id="verification-grace"' in html and "keep running until" in html


def test_other_changes_and_unverified_people_need_no_confirmation(login, alice, fred, verified_company):
    response = login(alice).post(PROFILE, _profile_form(alice, phone="+4530999999"))
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.verification_status == "verified"
    # fred was never verified: nothing to reset, nothing to confirm.
    assert login(fred).post(PROFILE, _profile_form(fred, last_name="Nygaard")).status_code == 302
    fred.refresh_from_db()
    assert fred.last_name == "Nygaard" and fred.verification_grace_until is None


def test_the_api_needs_the_confirm_flag(api, alice, verified_company, frozen):
    client = api(alice)
    refused = client.patch("/api/v1/me", {"first_name": "Alicia"}, format="json")
    assert refused.status_code == 400
    assert "confirm_reverification" in refused.json()
    alice.refresh_from_db()
    assert alice.first_name != "Alicia" and alice.verification_status == "verified"
    response = client.patch(
        "/api/v1/me", {"first_name": "Alicia", "confirm_reverification": True}, format="json"
    )
    assert response.status_code == 200
    body = response.json()
    assert body["first_name"] == "Alicia"
    assert body["verification"]["status"] == "unverified"
    assert body["verification"]["grace_until"].startswith("2026-04-01")
    assert "confirm_reverification" not in body


def test_live_services_run_through_the_grace_and_pause_after_it(login, alice, running, frozen, settings):
    settings.VERIFICATION_GRACE_DAYS = 30
    active, ended = running
    login(alice).post(PROFILE, {**_profile_form(alice, last_name="Jensen"), "confirm_reverification": "1"})
    assert _daily()["paused"] == 0
    frozen.move_to(NOW + datetime.timedelta(days=29, hours=23))
    assert _daily()["paused"] == 0
    assert Subscription.objects.get(pk=active.pk).status == "active"
    frozen.move_to(NOW + datetime.timedelta(days=30, minutes=1))
    assert _daily()["paused"] == 1
    assert Subscription.objects.get(pk=active.pk).status == "awaiting_verification"
    assert Subscription.objects.get(pk=ended.pk).status == "cancelled"
    assert _daily()["paused"] == 0  # a second run finds nothing more
    event = AuditEvent.objects.get(action="subscriptions.paused_for_verification")
    assert event.details == {"count": 1}
    # Shown to the customer and to the dealer.
    assert "grace period ended" in login(alice).get(PROFILE).content.decode()


def test_the_dealer_verifying_again_ends_the_grace_and_restarts_the_services(
    login, alice, sam, running, frozen, settings
):
    settings.VERIFICATION_GRACE_DAYS = 30
    active, _ended = running
    company = active.company
    login(alice).post(PROFILE, {**_profile_form(alice, last_name="Jensen"), "confirm_reverification": "1"})
    frozen.move_to(NOW + datetime.timedelta(days=31))
    _daily()
    attestation = retail_services.attestation_open(staff=sam, company=company, identity_checked=True)
    client = login(sam.user)
    member_page = client.get(reverse("retail:member", args=[company.pro_id, alice.membership.pk]))
    assert "grace period ended" in member_page.content.decode()
    retail_services.member_verify(
        membership=alice.membership,
        mode="passport",
        actor=retail_services.staff_actor(staff=sam, window=attestation),
    )
    alice.refresh_from_db()
    assert alice.verification_status == "verified" and alice.verification_grace_until is None
    assert Subscription.objects.get(pk=active.pk).status in ("activation_pending", "active")


def test_a_verified_driver_changing_name_pauses_nothing(login, dora, running, frozen):
    active, _ended = running
    dora.verification_status = "verified"
    dora.save()
    login(dora).post(PROFILE, {**_profile_form(dora, first_name="Dorthe"), "confirm_reverification": "1"})
    dora.refresh_from_db()
    assert dora.verification_status == "unverified"
    frozen.move_to(NOW + datetime.timedelta(days=60))
    assert _daily()["paused"] == 0
    assert Subscription.objects.get(pk=active.pk).status == "active"
