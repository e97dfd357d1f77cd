"""The contract's endpoints (API-CONNECTED.md, "Maintenance"), customer side and /retail/ side:
propose → accept → record service → counters reset, the outlet's scope, rights, bad input."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from maintenance.models import Appointment, DueItem, ServiceRecord
from telematics.models import VehicleState


def soon(days=3, hour=9):
    return (timezone.now() + datetime.timedelta(days=days)).replace(
        hour=hour, minute=0, second=0, microsecond=0
    )


def propose(api, staff, van, **body):
    body.setdefault("proposed_at", soon().isoformat())
    return api(staff.user).post(f"/api/v1/retail/service-due/{van.vin}/appointments", body, format="json")


# --- customer side -------------------------------------------------------------------------------
def test_it_shows_the_van_counters_level_and_workshop(api, fred, due_van, dealer):
    body = api(fred).get(f"/api/v1/vehicles/{due_van.vin}/maintenance").json()
    assert body["due_in_days"] == 12 and body["due_in_km"] == 9000 and body["level"] == "soon"
    assert body["workshop"]["code"] == dealer.code
    assert body["workshop_informed"] is True and body["appointments"] == []


def test_a_driver_sees_their_own_van_only(api, dora, due_van, plain_van):
    assert api(dora).get(f"/api/v1/vehicles/{due_van.vin}/maintenance").status_code == 200
    assert api(dora).get(f"/api/v1/vehicles/{plain_van.vin}/maintenance").status_code == 404


def test_it_answers_409_without_the_service(api, fred, plain_van):
    response = api(fred).get(f"/api/v1/vehicles/{plain_van.vin}/maintenance")
    assert response.status_code == 409
    assert response.json()["code"] == "service_not_active"
    assert response.json()["service"] == "maintenance-management"


def test_another_company_gets_404(api, oscar, due_van):
    assert api(oscar).get(f"/api/v1/vehicles/{due_van.vin}/maintenance").status_code == 404


# --- the whole loop ------------------------------------------------------------------------------
def test_propose_accept_record_resets_the_counter(
    api, sam, fred, due_van, django_capture_on_commit_callbacks
):
    queue = api(sam.user).get("/api/v1/retail/service-due").json()
    assert [row["vin"] for row in queue] == [due_van.vin]
    assert queue[0]["company"] == {"pro_id": "PRO-ACMEXX", "name": "ACME Transport ApS"}
    assert queue[0]["licence_plate"] == "MT 40 001" and queue[0]["model"] == "Sprinter"
    assert queue[0]["due_in_days"] == 12 and queue[0]["level"] == "soon"

    fred.language = "de"
    fred.save()
    with django_capture_on_commit_callbacks(execute=True):
        response = propose(api, sam, due_van, note="Bring the spare key, please.")
    assert response.status_code == 201, response.json()
    appointment_id = response.json()["id"]
    assert response.json()["status"] == "proposed"
    # The fleet manager hears of it by e-mail, in German.
    [message] = [m for m in mail.outbox if m.to == [fred.email]]
    assert "Glostrup Van Centre" in message.body and "Bring the spare key" in message.body
    assert "Hallo" in message.body

    accepted = api(fred).post(
        f"/api/v1/vehicles/{due_van.vin}/appointments/{appointment_id}/accept",
        {"message": "See you then."},
        format="json",
    )
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    queue = api(sam.user).get("/api/v1/retail/service-due").json()
    assert queue[0]["last_appointment"]["status"] == "accepted"
    assert queue[0]["last_appointment"]["answer_message"] == "See you then."

    odometer = int(VehicleState.objects.get(vehicle=due_van).odometer_km)
    with django_capture_on_commit_callbacks(execute=True):
        recorded = api(sam.user).post(
            f"/api/v1/retail/vehicles/{due_van.vin}/services",
            {"odometer_km": odometer, "performed_on": timezone.localdate().isoformat()},
            format="json",
        )
    assert recorded.status_code == 201, recorded.json()
    # The module's counters started again, and the van reported them at once.
    state = VehicleState.objects.get(vehicle=due_van)
    assert state.service_due_days == 365
    assert 39_900 <= state.service_due_km <= 40_000
    body = api(fred).get(f"/api/v1/vehicles/{due_van.vin}/maintenance").json()
    assert body["level"] == "ok" and body["due_in_days"] == 365
    assert api(sam.user).get("/api/v1/retail/service-due").json() == []
    assert ServiceRecord.objects.get().odometer_km == odometer
    assert DueItem.objects.get().closed_at is not None


def test_declining_keeps_the_van_in_the_queue_for_another_proposal(api, sam, fred, due_van):
    appointment_id = propose(api, sam, due_van).json()["id"]
    declined = api(fred).post(
        f"/api/v1/vehicles/{due_van.vin}/appointments/{appointment_id}/decline",
        {"message": "That week the van is in Hamburg."},
        format="json",
    )
    assert declined.status_code == 200 and declined.json()["status"] == "declined"
    assert propose(api, sam, due_van, proposed_at=soon(days=10).isoformat()).status_code == 201


# --- bad input, conflicts, scope -----------------------------------------------------------------
@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"proposed_at": "tomorrow"}, "proposed_at"),
        ({"proposed_at": "2020-01-01T09:00:00Z"}, "proposed_at"),
        ({"proposed_at": "2099-01-01T09:00:00Z"}, "proposed_at"),
        ({"note": "x" * 1001}, "note"),
    ],
)
def test_bad_proposals_are_400_and_save_nothing(api, sam, due_van, body, field):
    response = propose(api, sam, due_van, **body)
    assert response.status_code == 400 and field in response.json()
    assert not Appointment.objects.exists()


def test_a_second_proposal_waits_for_the_answer(api, sam, due_van):
    assert propose(api, sam, due_van).status_code == 201
    response = propose(api, sam, due_van, proposed_at=soon(days=4).isoformat())
    assert response.status_code == 409 and response.json()["code"] == "appointment_pending"
    assert Appointment.objects.count() == 1


def test_an_answered_appointment_cannot_be_answered_again(api, sam, fred, due_van):
    appointment_id = propose(api, sam, due_van).json()["id"]
    url = f"/api/v1/vehicles/{due_van.vin}/appointments/{appointment_id}"
    assert api(fred).post(url + "/accept", {}, format="json").status_code == 200
    response = api(fred).post(url + "/decline", {}, format="json")
    assert response.status_code == 409 and response.json()["code"] == "appointment_answered"
    assert Appointment.objects.get().status == "accepted"


def test_a_driver_cannot_answer(api, sam, dora, due_van):
    appointment_id = propose(api, sam, due_van).json()["id"]
    response = api(dora).post(f"/api/v1/vehicles/{due_van.vin}/appointments/{appointment_id}/accept")
    assert response.status_code == 403
    assert Appointment.objects.get().status == "proposed"


def test_another_company_cannot_answer(api, sam, oscar, due_van):
    appointment_id = propose(api, sam, due_van).json()["id"]
    response = api(oscar).post(f"/api/v1/vehicles/{due_van.vin}/appointments/{appointment_id}/accept")
    assert response.status_code == 404
    assert Appointment.objects.get().status == "proposed"


def test_an_unknown_appointment_is_404(api, fred, due_van):
    assert api(fred).post(f"/api/v1/vehicles/{due_van.vin}/appointments/999/accept").status_code == 404


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"odometer_km": -1, "performed_on": "2026-01-01"}, "odometer_km"),
        ({"odometer_km": 10, "performed_on": "not a date"}, "performed_on"),
        ({"odometer_km": 10}, "performed_on"),
        ({"odometer_km": 10, "performed_on": "2099-01-01"}, "performed_on"),
        ({"odometer_km": 4_000_000, "performed_on": "today"}, "odometer_km"),
    ],
)
def test_bad_services_are_400_and_reset_nothing(api, sam, due_van, body, field):
    if body.get("performed_on") == "today":
        body["performed_on"] = timezone.localdate().isoformat()
    response = api(sam.user).post(f"/api/v1/retail/vehicles/{due_van.vin}/services", body, format="json")
    assert response.status_code == 400 and field in response.json(), response.json()
    assert not ServiceRecord.objects.exists()
    assert DueItem.objects.get().closed_at is None
    assert VehicleState.objects.get(vehicle=due_van).service_due_days == 12


def test_another_outlet_sees_nothing(api, sid, due_van):
    assert api(sid.user).get("/api/v1/retail/service-due").json() == []
    assert propose(api, sid, due_van).status_code == 404
    response = api(sid.user).post(
        f"/api/v1/retail/vehicles/{due_van.vin}/services",
        {"odometer_km": 1, "performed_on": timezone.localdate().isoformat()},
        format="json",
    )
    assert response.status_code == 404
    assert not Appointment.objects.exists() and not ServiceRecord.objects.exists()


def test_staff_cannot_reach_a_van_outside_the_queue(api, sam, maint_van):
    """The van is the outlet's, but its service is not coming due: nothing to see."""
    assert propose(api, sam, maint_van).status_code == 404


def test_customers_get_404_on_the_retail_side(api, alice, due_van):
    assert api(alice).get("/api/v1/retail/service-due").status_code == 404
    assert propose(api, type("S", (), {"user": alice}), due_van).status_code == 404


def test_the_company_switch_through_the_api(api, alice, fred, company):
    assert api(fred).get("/api/v1/company/maintenance").json() == {"inform_workshop": True}
    assert (
        api(fred).put("/api/v1/company/maintenance", {"inform_workshop": False}, format="json").status_code
        == 403
    )
    response = api(alice).put("/api/v1/company/maintenance", {"inform_workshop": False}, format="json")
    assert response.status_code == 200 and response.json() == {"inform_workshop": False}
    assert (
        api(alice).put("/api/v1/company/maintenance", {"inform_workshop": "maybe"}, format="json").status_code
        == 400
    )
