"""Each kind of alert is raised from real reports (emulator overrides + a reporting round, the
path the beat round takes), once per occurrence: open until acknowledged or the condition clears,
never repeated while it holds, raised again after it cleared and came back."""

import pytest
from django.core import mail

from alerts import services
from alerts.models import Alert, AlertEmailOptIn, AlertKind, GeofencePresence
from companies.audit import Actor
from companies.models import AuditEvent
from integrations.models import WebhookDelivery, WebhookEndpoint
from mpro.models import OutboxMessage

pytestmark = pytest.mark.django_db

DEPOT = {"lat": 48.7758, "lon": 9.1829}  # Stuttgart
CALM = {
    **DEPOT,
    "fuel_percent": 60.0,
    "battery_percent": 70.0,
    "range_km": 300.0,
    "ignition": False,
    "speed_kmh": 0.0,
    "gear": "P",
    "service_due_days": 200,
    "service_due_km": 20000,
}


def calm(report, van):
    fields = dict(CALM)
    if van.fuel == "electric":
        fields.pop("fuel_percent")
    else:
        fields.pop("battery_percent")
    report(van.vin, **fields)


def alerts_of(van, kind):
    return list(Alert.objects.filter(vehicle=van, kind=kind).order_by("id"))


@pytest.mark.parametrize(
    ("kind", "start", "end"),
    [
        (AlertKind.FUEL_LOW, {"fuel_percent": 8.0}, {"fuel_percent": 55.0}),
        (AlertKind.SERVICE_DUE, {"service_due_days": 5}, {"service_due_days": 365}),
        (AlertKind.SERVICE_DUE, {"service_due_km": 400}, {"service_due_km": 30000}),
        (AlertKind.MOVED_IGNITION_OFF, {"ignition": False, "speed_kmh": 25.0}, {"speed_kmh": 0.0}),
    ],
)
def test_it_raises_each_kind_once_per_occurrence(report, live_van, kind, start, end):
    calm(report, live_van)
    assert alerts_of(live_van, kind) == []

    report(live_van.vin, **start)
    report(live_van.vin)  # the condition still holds: the same occurrence
    report(live_van.vin)
    (alert,) = alerts_of(live_van, kind)
    assert alert.is_open and alert.company_id == live_van.company_id

    report(live_van.vin, **end)
    alert.refresh_from_db()
    assert alert.cleared_at is not None and not alert.is_open

    report(live_van.vin, **start)  # a new occurrence
    assert [a.cleared_at is None for a in alerts_of(live_van, kind)] == [False, True]


def test_it_raises_battery_low_on_an_electric_van_only(report, electric_van, live_van):
    calm(report, electric_van)
    calm(report, live_van)
    report(electric_van.vin, battery_percent=11.0)
    (alert,) = alerts_of(electric_van, AlertKind.BATTERY_LOW)
    assert alert.value == 11.0
    assert alerts_of(live_van, AlertKind.BATTERY_LOW) == []


def test_it_uses_the_company_thresholds(report, live_van, alice):
    calm(report, live_van)
    report(live_van.vin, fuel_percent=25.0)
    assert alerts_of(live_van, AlertKind.FUEL_LOW) == []
    services.alert_settings_update(
        company=live_van.company,
        actor=Actor.customer(alice),
        fuel_low_percent=30,
        battery_low_percent=20,
        service_due_days=14,
        service_due_km=1000,
    )
    report(live_van.vin)
    assert len(alerts_of(live_van, AlertKind.FUEL_LOW)) == 1
    assert AuditEvent.objects.filter(
        action="alerts.settings_changed", details={"fuel_low_percent": 30}
    ).exists()


def test_it_raises_when_a_van_leaves_a_geofence_and_clears_when_it_comes_back(report, live_van, alice):
    geofence = services.geofence_create(
        company=live_van.company, name="Depot", radius_m=500, actor=Actor.customer(alice), **DEPOT
    )
    calm(report, live_van)
    assert GeofencePresence.objects.filter(vehicle=live_van, geofence=geofence).exists()
    assert alerts_of(live_van, AlertKind.GEOFENCE_EXIT) == []

    report(live_van.vin, lat=48.80, lon=9.25, ignition=True, speed_kmh=40.0, gear="D")  # ~5.6 km away
    report(live_van.vin, lat=48.81, lon=9.27)
    (alert,) = alerts_of(live_van, AlertKind.GEOFENCE_EXIT)
    assert alert.geofence_id == geofence.pk and alert.subject == f"geofence:{geofence.pk}"
    assert not GeofencePresence.objects.filter(vehicle=live_van).exists()

    report(live_van.vin, **DEPOT, speed_kmh=0.0, ignition=False, gear="P")
    alert.refresh_from_db()
    assert alert.cleared_at is not None
    assert GeofencePresence.objects.filter(vehicle=live_van, geofence=geofence).exists()


def test_a_van_first_seen_outside_a_geofence_has_not_left_it(report, live_van, alice):
    services.geofence_create(
        company=live_van.company,
        name="Far away",
        lat=55.67,
        lon=12.56,
        radius_m=1000,
        actor=Actor.customer(alice),
    )
    calm(report, live_van)
    report(live_van.vin, lat=48.79)
    assert alerts_of(live_van, AlertKind.GEOFENCE_EXIT) == []


def test_an_acknowledged_alert_is_not_raised_again_while_its_condition_holds(report, live_van, fred):
    calm(report, live_van)
    report(live_van.vin, fuel_percent=7.0)
    (alert,) = alerts_of(live_van, AlertKind.FUEL_LOW)
    services.alert_acknowledge(company=live_van.company, alert_id=alert.pk, actor=Actor.customer(fred))
    report(live_van.vin)
    report(live_van.vin)
    (alert,) = alerts_of(live_van, AlertKind.FUEL_LOW)
    assert alert.acknowledged_by == fred and not alert.is_open and alert.cleared_at is None


def test_a_van_without_fleet_management_raises_nothing(report, logbook_van):
    report(logbook_van.vin, **{**CALM, "fuel_percent": 3.0, "speed_kmh": 30.0})
    assert not Alert.objects.filter(vehicle=logbook_van).exists()


def test_a_raised_alert_is_audited_published_and_mailed_to_who_opted_in(report, live_van, alice, fred, dora):
    alice.language = "de"
    alice.save(update_fields=["language"])
    AlertEmailOptIn.objects.create(user=alice)
    AlertEmailOptIn.objects.create(user=dora)  # a driver: never receives them
    endpoint = WebhookEndpoint.objects.create(
        company=live_van.company, url="https://hooks.example/", events=["alert.raised"]
    )
    calm(report, live_van)
    mail.outbox.clear()

    report(live_van.vin, fuel_percent=6.0)

    (alert,) = alerts_of(live_van, AlertKind.FUEL_LOW)
    event = AuditEvent.objects.get(action="alert.raised")
    assert (event.target, event.details, event.actor_kind) == (
        live_van.vin,
        {"alert": alert.pk, "kind": "fuel_low"},
        "system",
    )
    message = OutboxMessage.objects.get(kind="alert.raised")
    assert message.payload == {
        "alert_id": alert.pk,
        "kind": "fuel_low",
        "vin": live_van.vin,
        "pro_id": live_van.company.pro_id,
    }
    assert [m.to for m in mail.outbox] == [[alice.email]]
    assert "AC-101" in mail.outbox[0].subject
    assert "Kraftstoff" in mail.outbox[0].subject and "Sie" in mail.outbox[0].body  # her language
    delivery = WebhookDelivery.objects.get(endpoint=endpoint)
    assert delivery.event == "alert.raised" and delivery.payload["data"]["vin"] == live_van.vin

    report(live_van.vin)  # the same occurrence: no second e-mail, event or delivery
    assert len(mail.outbox) == 1
    assert OutboxMessage.objects.filter(kind="alert.raised").count() == 1
    assert WebhookDelivery.objects.count() == 1


def test_deleting_a_geofence_clears_its_exit_alerts(report, live_van, alice):
    geofence = services.geofence_create(
        company=live_van.company, name="Yard", radius_m=300, actor=Actor.customer(alice), **DEPOT
    )
    calm(report, live_van)
    report(live_van.vin, lat=48.9)
    (alert,) = alerts_of(live_van, AlertKind.GEOFENCE_EXIT)
    services.geofence_delete(company=live_van.company, geofence_id=geofence.pk, actor=Actor.customer(alice))
    alert.refresh_from_db()
    assert alert.cleared_at is not None and alert.geofence_id is None
    assert AuditEvent.objects.filter(action="geofence.deleted", target="Yard").exists()


def test_the_emulator_command_makes_a_van_move_with_the_ignition_off(
    live_van, django_capture_on_commit_callbacks
):
    from io import StringIO

    from django.core.management import call_command

    def emulator(*args):
        with django_capture_on_commit_callbacks(execute=True):
            call_command("emulator", *args, stdout=StringIO())

    fields = [f"{k}={v}" for k, v in CALM.items() if k != "battery_percent"]
    emulator("--vin", live_van.vin, "--set", *fields)
    emulator("--tick")
    assert alerts_of(live_van, AlertKind.MOVED_IGNITION_OFF) == []
    emulator("--vin", live_van.vin, "--set", "ignition=false", "speed_kmh=30")
    emulator("--tick")
    (alert,) = alerts_of(live_van, AlertKind.MOVED_IGNITION_OFF)
    assert alert.value == 30.0 and alert.is_open


def test_evaluating_a_batch_costs_the_same_queries_for_3_or_30_vans_raising_alerts(company, catalogue, alice):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from telematics.signals import IngestedReport
    from tests import factories as f
    from tests.telematics.conftest import connect
    from vehicles.telematics import get_backend

    services.geofence_create(
        company=company, name="Depot", radius_m=500, actor=Actor.customer(alice), **DEPOT
    )
    backend = get_backend()

    def batch_of(count):
        vans = [
            connect(f.VehicleFactory(company=company), catalogue["fleet-management"]) for _ in range(count)
        ]
        for van in vans:
            backend.set_fields(van.vin, {**CALM, "fuel_percent": 5.0, "speed_kmh": 20.0})
        reports = backend.fetch_reports([v.vin for v in vans], at=timezone.now())
        ids = {v.vin: v.pk for v in vans}
        return [IngestedReport(ids[r.vin], company.pk, r, None, None) for r in reports]

    def queries(batch):
        with CaptureQueriesContext(connection) as captured:
            outcome = services.alerts_evaluate(batch=batch)
        assert len(outcome.raised) == 2 * len(batch)  # fuel low and moving with the ignition off
        return len(captured)

    assert queries(batch_of(3)) == queries(batch_of(30))


def test_moving_a_geofence_raises_no_exit_for_the_vans_it_moved_away_from(report, live_van, alice):
    geofence = services.geofence_create(
        company=live_van.company, name="Depot", radius_m=500, actor=Actor.customer(alice), **DEPOT
    )
    calm(report, live_van)
    assert GeofencePresence.objects.filter(vehicle=live_van, geofence=geofence).exists()
    services.geofence_update(
        company=live_van.company, geofence_id=geofence.pk, actor=Actor.customer(alice), lat=48.9, lon=9.4
    )
    assert not GeofencePresence.objects.filter(geofence=geofence).exists()
    report(live_van.vin)  # the van stands where it stood: outside the moved circle, never inside it
    assert alerts_of(live_van, AlertKind.GEOFENCE_EXIT) == []

    # Moved over the van again: it is inside from its next report, and leaving raises as before.
    services.geofence_update(
        company=live_van.company, geofence_id=geofence.pk, actor=Actor.customer(alice), **DEPOT
    )
    report(live_van.vin)
    assert GeofencePresence.objects.filter(vehicle=live_van, geofence=geofence).exists()
    report(live_van.vin, lat=48.81, lon=9.27)
    assert len(alerts_of(live_van, AlertKind.GEOFENCE_EXIT)) == 1


def test_renaming_a_geofence_keeps_who_is_inside(report, live_van, alice):
    geofence = services.geofence_create(
        company=live_van.company, name="Depot", radius_m=500, actor=Actor.customer(alice), **DEPOT
    )
    calm(report, live_van)
    services.geofence_update(
        company=live_van.company, geofence_id=geofence.pk, actor=Actor.customer(alice), name="Main depot"
    )
    assert GeofencePresence.objects.filter(vehicle=live_van, geofence=geofence).exists()
    event = AuditEvent.objects.get(action="geofence.changed")
    assert event.target == "Main depot" and event.details == {
        "geofence": geofence.pk,
        "name": ["Depot", "Main depot"],
    }
