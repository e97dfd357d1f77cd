"""The alerts and geofence endpoints: rights (admin, fleet manager, driver, other company), the
contract's 409s, geofence validation with nothing half-saved, and acknowledgement audited."""

import pytest

from alerts.models import Alert, AlertEmailOptIn, AlertKind, Geofence
from companies.models import AuditEvent

from .test_raising import calm

pytestmark = pytest.mark.django_db

DEPOT = {"name": "Depot", "lat": 48.7758, "lon": 9.1829, "radius_m": 500}


@pytest.fixture
def fuel_alert(report, live_van):
    calm(report, live_van)
    report(live_van.vin, fuel_percent=5.0)
    return Alert.objects.get(vehicle=live_van, kind=AlertKind.FUEL_LOW)


def test_managers_list_every_vans_alerts_and_a_driver_their_own_vans(
    api, alice, fred, dora, oscar, fuel_alert, report, electric_van
):
    calm(report, electric_van)
    report(electric_van.vin, battery_percent=4.0)
    battery = Alert.objects.get(vehicle=electric_van, kind=AlertKind.BATTERY_LOW)
    for user in (alice, fred):
        body = api(user).get("/api/v1/alerts?status=open").json()
        assert [(a["id"], a["vehicle"], a["kind"], a["open"]) for a in body["results"]] == [
            (battery.pk, electric_van.vin, "battery_low", True),
            (fuel_alert.pk, "W1V9076331P300001", "fuel_low", True),
        ]
    # Dora drives the live van: its alerts only, never another van's, even asked by VIN.
    driver = api(dora)
    body = driver.get("/api/v1/alerts").json()
    assert [(a["id"], a["vehicle"]) for a in body["results"]] == [(fuel_alert.pk, "W1V9076331P300001")]
    assert body["results"][0]["value"] == 5.0
    assert driver.get(f"/api/v1/alerts?vehicle={electric_van.vin}").status_code == 404
    assert len(driver.get("/api/v1/alerts?vehicle=W1V9076331P300001").json()["results"]) == 1
    assert api(oscar).get("/api/v1/alerts").json()["results"] == []  # another company's: none
    # Once the van is no longer hers, neither are its alerts.
    fuel_alert.vehicle.__class__.objects.filter(pk=fuel_alert.vehicle_id).update(driver=None)
    assert driver.get("/api/v1/alerts").json()["results"] == []


def test_acknowledging_is_audited_once_and_refused_to_others(api, fred, dora, oscar, fuel_alert):
    url = f"/api/v1/alerts/{fuel_alert.pk}/acknowledge"
    assert api(oscar).post(url).status_code == 404
    assert api(dora).post(url).status_code == 403
    fuel_alert.refresh_from_db()
    assert fuel_alert.acknowledged_at is None

    body = api(fred).post(url).json()
    assert body["open"] is False and body["acknowledged_by"]["name"] == "Fred Frost"
    event = AuditEvent.objects.get(action="alert.acknowledged")
    assert (event.actor, event.target, event.details) == (
        fred,
        fuel_alert.vehicle.vin,
        {"alert": fuel_alert.pk, "kind": "fuel_low"},
    )

    again = api(fred).post(url)
    assert again.status_code == 409 and again.json()["code"] == "alert_acknowledged"
    assert AuditEvent.objects.filter(action="alert.acknowledged").count() == 1


def test_a_manager_adds_lists_and_deletes_geofences(api, fred, alice, dora, oscar):
    created = api(fred).post("/api/v1/geofences", DEPOT, format="json")
    assert created.status_code == 201
    geofence_id = created.json()["id"]
    assert [g["name"] for g in api(alice).get("/api/v1/geofences").json()] == ["Depot"]
    assert api(dora).post("/api/v1/geofences", {**DEPOT, "name": "Mine"}, format="json").status_code == 403
    assert api(oscar).get(f"/api/v1/geofences/{geofence_id}").status_code == 404
    assert api(oscar).delete(f"/api/v1/geofences/{geofence_id}").status_code == 404
    renamed = api(oscar).patch(f"/api/v1/geofences/{geofence_id}", {"name": "Taken"}, format="json")
    assert renamed.status_code == 404  # another company's geofence: not found, untouched
    assert (
        api(dora).patch(f"/api/v1/geofences/{geofence_id}", {"name": "Mine"}, format="json").status_code
        == 403
    )
    assert Geofence.objects.get().name == "Depot"
    assert api(alice).get(f"/api/v1/geofences/{geofence_id}").json()["radius_m"] == 500
    assert api(alice).delete(f"/api/v1/geofences/{geofence_id}").status_code == 204
    assert not Geofence.objects.exists()
    actions = AuditEvent.objects.filter(action__startswith="geofence.").values_list("action", flat=True)
    assert sorted(actions) == ["geofence.created", "geofence.deleted"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"radius_m": 10}, "radius_m"),
        ({"radius_m": 60_000}, "radius_m"),
        ({"name": ""}, "name"),
        ({"name": "x" * 61}, "name"),
        ({"lat": 91}, "lat"),
        ({"lon": "east"}, "lon"),
    ],
)
def test_it_refuses_a_bad_geofence_with_field_errors(api, alice, change, field):
    response = api(alice).post("/api/v1/geofences", {**DEPOT, **change}, format="json")
    assert response.status_code == 400 and field in response.json()
    assert not Geofence.objects.exists() and not AuditEvent.objects.filter(action="geofence.created").exists()


def test_it_refuses_a_duplicate_name_and_more_than_the_maximum(api, alice, settings):
    settings.ALERTS_MAX_GEOFENCES = 2
    client = api(alice)
    assert client.post("/api/v1/geofences", DEPOT, format="json").status_code == 201
    duplicate = client.post("/api/v1/geofences", {**DEPOT, "name": "depot"}, format="json")
    assert duplicate.status_code == 400 and "already" in duplicate.json()["name"][0]
    assert client.post("/api/v1/geofences", {**DEPOT, "name": "Yard"}, format="json").status_code == 201
    third = client.post("/api/v1/geofences", {**DEPOT, "name": "Site"}, format="json")
    assert third.status_code == 400 and "2 geofences" in third.json()["non_field_errors"][0]
    assert Geofence.objects.count() == 2


def test_a_manager_edits_a_geofence_under_the_rules_of_creation(api, alice, fred, dora, oscar):
    client = api(fred)
    geofence_id = client.post("/api/v1/geofences", DEPOT, format="json").json()["id"]
    client.post("/api/v1/geofences", {**DEPOT, "name": "Yard"}, format="json")
    url = f"/api/v1/geofences/{geofence_id}"

    changed = client.patch(url, {"radius_m": 1200, "lat": 48.8}, format="json")
    assert changed.status_code == 200, changed.content
    assert (changed.json()["name"], changed.json()["lat"], changed.json()["radius_m"]) == (
        "Depot",
        48.8,
        1200,
    )
    event = AuditEvent.objects.get(action="geofence.changed")
    assert event.details == {"geofence": geofence_id, "lat": [48.7758, 48.8], "radius_m": [500, 1200]}

    for bad, field in (
        ({"radius_m": 10}, "radius_m"),
        ({"lat": 91}, "lat"),
        ({"name": "  "}, "name"),
        ({"name": "yard"}, "name"),  # another geofence's name, whatever the case
    ):
        response = client.patch(url, bad, format="json")
        assert response.status_code == 400 and field in response.json(), (bad, response.content)
    assert api(alice).get(url).json()["radius_m"] == 1200  # nothing half-saved
    assert AuditEvent.objects.filter(action="geofence.changed").count() == 1
    assert client.patch(url, {"name": "depot"}, format="json").status_code == 200  # its own name, recased

    assert api(dora).patch(url, {"radius_m": 900}, format="json").status_code == 403
    assert api(oscar).patch(url, {"radius_m": 900}, format="json").status_code == 404
    assert Geofence.objects.get(pk=geofence_id).radius_m == 1200


def test_thresholds_are_read_by_managers_and_validated(api, alice, dora):
    client = api(alice)
    assert client.get("/api/v1/alerts/settings").json() == {
        "fuel_low_percent": 15,
        "battery_low_percent": 20,
        "service_due_days": 14,
        "service_due_km": 1000,
    }
    body = {"fuel_low_percent": 25, "battery_low_percent": 30, "service_due_days": 7, "service_due_km": 500}
    assert client.put("/api/v1/alerts/settings", body, format="json").json() == body
    assert (
        client.put("/api/v1/alerts/settings", {**body, "fuel_low_percent": 0}, format="json").status_code
        == 400
    )
    assert api(dora).put("/api/v1/alerts/settings", body, format="json").status_code == 403
    assert client.get("/api/v1/alerts/settings").json() == body


def test_each_manager_chooses_alert_emails_for_themself(api, alice, fred, dora):
    assert api(alice).get("/api/v1/me/alert-emails").json() == {"enabled": False}
    assert api(alice).put("/api/v1/me/alert-emails", {"enabled": True}, format="json").json() == {
        "enabled": True
    }
    assert list(AlertEmailOptIn.objects.values_list("user", flat=True)) == [alice.pk]
    assert api(fred).get("/api/v1/me/alert-emails").json() == {"enabled": False}
    assert api(dora).put("/api/v1/me/alert-emails", {"enabled": True}, format="json").status_code == 403
    assert api(alice).put("/api/v1/me/alert-emails", {"enabled": "maybe"}, format="json").status_code == 400


def test_a_persons_export_and_erasure_cover_their_alert_data(fred, fuel_alert):
    from alerts import services as alert_services
    from companies.audit import Actor
    from mpro import personal_data as pd

    AlertEmailOptIn.objects.create(user=fred)
    alert_services.alert_acknowledge(
        company=fuel_alert.company, alert_id=fuel_alert.pk, actor=Actor.customer(fred)
    )
    exported = pd.SECTIONS["alerts"].collect(fred)
    assert exported["alert_emails"] is True and exported["alerts_acknowledged"][0]["alert"] == fuel_alert.pk
    plan = {item.label: (item.count, item.outcome) for item in pd.PERSON_STEPS["alerts"].plan(fred)}
    assert plan["Alerts you acknowledged"] == (1, pd.ANONYMISED)
    pd.PERSON_STEPS["alerts"].erase(fred, pd.ErasureContext(actor=None, pseudonym="x"))
    fuel_alert.refresh_from_db()
    assert fuel_alert.acknowledged_by is None and fuel_alert.acknowledged_at is not None
    assert not AlertEmailOptIn.objects.filter(user=fred).exists()
