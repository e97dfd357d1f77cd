"""Retail: verify several VINs of a company at once, and walk to the next unverified one."""

import pytest

from companies.models import AuditEvent
from tests import factories as f
from users.models import VerificationStatus


@pytest.fixture
def opened_client(staff_client, attest):
    """A staff member's client with the company opened (identity confirmed)."""

    def make(staff, company):
        attest(staff, company)
        return staff_client(staff)

    return make


@pytest.fixture
def vans(company):
    return [f.VehicleFactory(company=company) for _ in range(3)]


def test_it_verifies_the_selected_vins_each_recorded(opened_client, sam, company, vans):
    client = opened_client(sam, company)
    response = client.post(
        f"/retail/companies/{company.pro_id}/vehicles/verify/", {"vin": [vans[0].vin, vans[1].vin.lower()]}
    )
    assert response.status_code == 302
    states = {v.vin: v.verification_status for v in type(vans[0]).objects.filter(company=company)}
    assert states[vans[0].vin] == states[vans[1].vin] == VerificationStatus.VERIFIED
    assert states[vans[2].vin] != VerificationStatus.VERIFIED
    events = AuditEvent.objects.filter(action="retail.vehicle_verified", company=company)
    assert sorted(events.values_list("target", flat=True)) == sorted([vans[0].vin, vans[1].vin])
    assert all(event.dealer_id == sam.dealer_id for event in events)


def test_it_leaves_other_companies_vins_alone(opened_client, sam, company, other_company, vans):
    stranger = f.VehicleFactory(company=other_company)
    opened_client(sam, company).post(
        f"/retail/companies/{company.pro_id}/vehicles/verify/", {"vin": [stranger.vin]}
    )
    stranger.refresh_from_db()
    assert stranger.verification_status != VerificationStatus.VERIFIED
    assert not AuditEvent.objects.filter(action="retail.vehicle_verified").exists()


def test_it_links_to_the_next_unverified_vehicle(opened_client, sam, company, vans):
    html = (
        opened_client(sam, company).get(f"/retail/companies/{company.pro_id}/vehicles/{vans[0].vin}/").content
    )
    assert "Next unverified vehicle" in html.decode()


def test_it_checks_a_vin_live_in_the_support_sessions_add_a_van(staff_client, sam, company, open_support):
    open_support(sam, company)
    client = staff_client(sam)
    van = f.VehicleFactory(company=company)
    url = f"/retail/companies/{company.pro_id}/support/vehicles/vin-check/"
    assert client.get(url, {"vin": "w1v9076331p777777"}).json()["state"] == "ok"
    in_fleet = client.get(url, {"vin": van.vin}).json()
    assert in_fleet["state"] == "in_fleet"
    assert in_fleet["url"] == f"/retail/companies/{company.pro_id}/vehicles/{van.vin}/"
    page = client.get(f"/retail/companies/{company.pro_id}/support/vehicles/add/").content.decode()
    assert f'data-check-url="{url}"' in page


def test_it_refuses_the_live_vin_check_without_a_support_session(opened_client, sam, company):
    response = opened_client(sam, company).get(
        f"/retail/companies/{company.pro_id}/support/vehicles/vin-check/", {"vin": "W1V9076331P777777"}
    )
    assert response.status_code in (302, 403, 404)
