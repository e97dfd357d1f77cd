"""Confirm identity, the company profile, verify or reject the company."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from companies.models import AuditEvent
from mpro.errors import ConflictError, DomainError
from retail import services
from retail.models import Attestation

pytestmark = pytest.mark.django_db


def _events(company, action):
    return AuditEvent.objects.filter(company=company, action=action)


# --- attestation ----------------------------------------------------------------------------------
def test_it_records_the_attestation_and_opens_the_company_for_eight_hours(staff_client, sam, company):
    client = staff_client(sam)
    url = reverse("retail:attest", args=[company.pro_id])
    page = client.get(url)
    assert "valid identity document with their photo" in page.content.decode()
    response = client.post(url, {"identity_checked": "on"})
    assert response["Location"] == reverse("retail:company", args=[company.pro_id])
    attestation = Attestation.objects.get(staff=sam, company=company)
    hours = (attestation.expires_at - attestation.created_at).total_seconds() / 3600
    assert round(hours, 2) == 8
    event = _events(company, "retail.attestation_opened").get()
    assert (event.actor, event.dealer, event.acting_under) == (
        sam.user,
        sam.dealer,
        f"attestation #{attestation.pk}",
    )
    assert client.get(reverse("retail:company", args=[company.pro_id])).status_code == 200


def test_it_refuses_to_open_the_company_without_the_tick(staff_client, sam, company):
    response = staff_client(sam).post(reverse("retail:attest", args=[company.pro_id]), {})
    assert response.status_code == 200
    assert response.context["form"].errors["identity_checked"]
    assert not Attestation.objects.exists()
    with pytest.raises(Exception) as error:
        services.attestation_open(staff=sam, company=company, identity_checked=False)
    assert error.value.field == "identity_checked"
    assert type(error.value) is DomainError
    assert not Attestation.objects.exists()
    assert not _events(company, "retail.attestation_opened").exists()


def test_it_returns_to_the_page_asked_for_after_attesting(staff_client, sam, company):
    client = staff_client(sam)
    target = reverse("retail:members", args=[company.pro_id])
    response = client.get(target)
    assert (
        response["Location"]
        == reverse("retail:attest", args=[company.pro_id]) + f"?next={target.replace('/', '%2F')}"
    )
    response = client.post(
        reverse("retail:attest", args=[company.pro_id]), {"identity_checked": "on", "next": target}
    )
    assert response["Location"] == target


def test_it_only_returns_to_pages_of_the_same_company(staff_client, sam, company, other_company):
    client = staff_client(sam)
    for bad in (
        "https://evil.example/",
        reverse("retail:company", args=[other_company.pro_id]),
        "/dashboard/",
    ):
        response = client.post(
            reverse("retail:attest", args=[company.pro_id]), {"identity_checked": "on", "next": bad}
        )
        assert response["Location"] == reverse("retail:company", args=[company.pro_id])


def test_it_closes_the_company_when_the_attestation_runs_out(staff_client, sam, company, attest, expire):
    expire(attest(sam, company))
    response = staff_client(sam).get(reverse("retail:company", args=[company.pro_id]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("retail:attest", args=[company.pro_id]))


def test_it_uses_the_hours_of_the_setting(sam, company, settings):
    settings.ATTESTATION_HOURS = 2
    attestation = services.attestation_open(staff=sam, company=company, identity_checked=True)
    assert attestation.expires_at - timezone.now() < datetime.timedelta(hours=2, seconds=5)


# --- profile -------------------------------------------------------------------------------------------
def test_it_shows_the_profile_with_account_not_verified_and_three_tiles(
    staff_client, sam, company, alice, attest
):
    attest(sam, company)
    response = staff_client(sam).get(reverse("retail:company", args=[company.pro_id]))
    html = response.content.decode()
    assert "Account not verified" in html
    for tile in ("retail:members", "retail:vehicles", "retail:company_details"):
        assert reverse(tile, args=[company.pro_id]) in html
    assert "Alice Andersen" in html


def test_it_stops_saying_not_verified_once_verified(staff_client, sam, verified_company, attest):
    attest(sam, verified_company)
    html = staff_client(sam).get(reverse("retail:company", args=[verified_company.pro_id])).content.decode()
    assert "Account not verified" not in html


def test_it_shows_the_company_data_and_its_history(staff_client, sam, company, alice, attest):
    attest(sam, company)
    html = staff_client(sam).get(reverse("retail:company_details", args=[company.pro_id])).content.decode()
    assert "DK12345678" in html and "Karen Holm" in html
    assert "Glostrup Van Centre" in html  # the attestation event, with the outlet


# --- verify / reject -------------------------------------------------------------------------------
def test_it_verifies_the_company_once(staff_client, sam, company, attest):
    attestation = attest(sam, company)
    client = staff_client(sam)
    url = reverse("retail:company_verify", args=[company.pro_id])
    assert client.post(url)["Location"] == reverse("retail:company", args=[company.pro_id])
    assert client.post(url).status_code == 302
    company.refresh_from_db()
    assert company.verification_status == "verified"
    assert company.verified_by == sam.user
    event = _events(company, "retail.company_verified").get()
    assert event.actor_kind == "dealer_staff"
    assert event.dealer == sam.dealer
    assert event.acting_under == f"attestation #{attestation.pk}"


def test_it_rejects_the_company_with_a_reason(staff_client, sam, company, attest):
    attest(sam, company)
    client = staff_client(sam)
    url = reverse("retail:company_reject", args=[company.pro_id])
    client.post(url, {"reason": "  The address does not match the registration certificate. "})
    company.refresh_from_db()
    assert company.verification_status == "rejected"
    assert company.rejection_reason == "The address does not match the registration certificate."
    client.post(url, {"reason": "The address does not match the registration certificate."})
    assert _events(company, "retail.company_rejected").count() == 1


@pytest.mark.parametrize("reason", ["", "   ", "x" * 10_000])
def test_it_refuses_rejections_without_a_usable_reason(staff_client, sam, company, attest, reason):
    attest(sam, company)
    response = staff_client(sam).post(
        reverse("retail:company_reject", args=[company.pro_id]), {"reason": reason}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["reason"]
    company.refresh_from_db()
    assert company.verification_status == "unverified"
    assert not _events(company, "retail.company_rejected").exists()


def test_it_refuses_to_reject_a_verified_company(sam, verified_company, attest):
    actor = services.staff_actor(staff=sam, window=attest(sam, verified_company))
    with pytest.raises(Exception) as error:
        services.company_reject(company=verified_company, reason="Wrong", actor=actor)
    assert error.value.status_code == 409
    assert isinstance(error.value, ConflictError) and error.value.code == "already_verified"
    assert not _events(verified_company, "retail.company_rejected").exists()
    verified_company.refresh_from_db()
    assert verified_company.verification_status == "verified"


def test_it_verifies_a_company_it_rejected_before(sam, company, attest):
    actor = services.staff_actor(staff=sam, window=attest(sam, company))
    services.company_reject(company=company, reason="Wrong address", actor=actor)
    services.company_verify(company=company, actor=actor)
    company.refresh_from_db()
    assert company.verification_status == "verified"
    assert company.rejection_reason == ""


def test_it_keeps_the_reason_typed_when_the_attestation_ran_out_mid_form(
    staff_client, sam, company, attest, expire
):
    expire(attest(sam, company))
    client = staff_client(sam)
    url = reverse("retail:company_reject", args=[company.pro_id])
    response = client.post(url, {"reason": "VAT number belongs to another company"})
    assert response["Location"].startswith(reverse("retail:attest", args=[company.pro_id]))
    page = client.get(response["Location"])
    assert "has run out" in page.content.decode()
    company.refresh_from_db()
    assert company.verification_status == "unverified"
    # Confirm again: back on the form, with what was typed.
    response = client.post(response["Location"], {"identity_checked": "on", "next": url})
    assert response["Location"] == url
    form_page = client.get(url)
    assert form_page.context["form"]["reason"].value() == "VAT number belongs to another company"
    assert "VAT number belongs to another company" in form_page.content.decode()
    # Shown once: the draft does not come back after that.
    assert client.get(url).context["form"]["reason"].value() in (None, "")
