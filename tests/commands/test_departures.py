"""Repeating departure times for pre-climatisation ("weekdays at 06:30"): the API's fields, the
service's checks, the van page's form, and the emulated van climatising at most 55 minutes before
each occurrence, in the company's time zone."""

import datetime
import html
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import translation

from commands import prerequisites
from commands.models import Command
from vehicles.models import EmulatedModule
from vehicles.telematics import get_backend

from .conftest import set_state

pytestmark = pytest.mark.django_db

WEEKDAYS = ["mon", "tue", "wed", "thu", "fri"]
COPENHAGEN = ZoneInfo("Europe/Copenhagen")  # ACME is in Aarhus
# A Friday morning in Denmark (UTC+1 in November).
FRIDAY = datetime.datetime(2026, 11, 27, 10, 0, tzinfo=COPENHAGEN)


def send(client, van, **body):
    return client.post(f"/api/v1/vehicles/{van.vin}/commands", body, format="json")


def local(day: int, hour: int, minute: int) -> datetime.datetime:
    return datetime.datetime(2026, 11, day, hour, minute, tzinfo=COPENHAGEN)


def test_weekdays_at_0630_through_the_api(api, fred, ecell_van, company):
    assert company.time_zone_name == "Europe/Copenhagen"
    with time_machine.travel(FRIDAY, tick=False):
        set_state(ecell_van)
        response = send(
            api(fred),
            ecell_van,
            kind="precondition",
            departure_days=["fri", "mon", "tue", "wed", "thu", "mon"],
            departure_time="06:30",
            target_temp_c=21,
        )
        assert response.status_code == 202, response.json()
        body = response.json()
        # in week order, each once; the next occurrence after Friday 10:00 is Monday 06:30 local
        assert body["departure_days"] == WEEKDAYS and body["departure_time"] == "06:30"
        assert body["time_zone"] == "Europe/Copenhagen" and body["departure_at"] is None
        assert datetime.datetime.fromisoformat(body["next_departure_at"]) == local(30, 6, 30)
        detail = api(fred).get(f"/api/v1/vehicles/{ecell_van.vin}/commands/{body['id']}").json()
    assert detail["status"] == "succeeded"
    plan = EmulatedModule.objects.get(vin=ecell_van.vin).overrides["precondition"]
    assert plan == {
        "repeat": {"time": "06:30", "days": WEEKDAYS, "tz": "Europe/Copenhagen"},
        "target": 21.0,
    }


def test_the_emulated_van_climatises_at_most_55_minutes_before_each_weekday_departure(api, fred, ecell_van):
    with time_machine.travel(FRIDAY, tick=False):
        set_state(ecell_van)
        response = send(
            api(fred),
            ecell_van,
            kind="precondition",
            departure_days=WEEKDAYS,
            departure_time="06:30",
            target_temp_c=28,
        )
        assert response.status_code == 202, response.json()
    backend = get_backend()
    moments = {
        "monday, 65 min before": local(30, 5, 25),
        "monday, 54 min before": local(30, 5, 36),
        "monday, 10 min before": local(30, 6, 20),
        "monday, after departure": local(30, 6, 45),
        "saturday, 10 min before": local(28, 6, 20),
        "tuesday, 10 min before": datetime.datetime(2026, 12, 1, 6, 20, tzinfo=COPENHAGEN),
    }

    def cabins():
        return {
            name: backend.fetch_reports([ecell_van.vin], at=at)[0].cabin_temp_c
            for name, at in moments.items()
        }

    planned = cabins()
    backend.set_fields(ecell_van.vin, {"precondition": None})
    unplanned = cabins()
    for name in ("monday, 65 min before", "monday, after departure", "saturday, 10 min before"):
        assert planned[name] == unplanned[name], name
    for name in ("monday, 54 min before", "monday, 10 min before", "tuesday, 10 min before"):
        assert abs(28 - planned[name]) < abs(28 - unplanned[name]), name
    # the cabin keeps moving toward the target as the departure nears
    assert abs(28 - planned["monday, 10 min before"]) <= abs(28 - planned["monday, 54 min before"])


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"departure_days": WEEKDAYS}, "departure_time"),
        ({"departure_days": ["mon", "someday"], "departure_time": "06:30"}, "departure_days"),
        ({"departure_days": WEEKDAYS, "departure_time": "25:00"}, "departure_time"),
        ({"departure_time": "06:30"}, "departure_days"),
        (
            {"departure_days": WEEKDAYS, "departure_time": "06:30", "departure_at": "2030-01-01T06:30:00Z"},
            "departure_days",
        ),
        ({"departure_at": "2020-01-01T06:30:00Z"}, "departure_at"),
    ],
)
def test_bad_departures_are_400_with_the_field(api, fred, ecell_van, body, field):
    response = send(api(fred), ecell_van, kind="precondition", target_temp_c=21, **body)
    assert response.status_code == 400
    assert field in response.json(), response.json()
    assert not Command.objects.exists()


def test_only_pre_climatisation_repeats(api, fred, ecell_van):
    response = send(
        api(fred), ecell_van, kind="charge_start", departure_days=WEEKDAYS, departure_time="06:30"
    )
    assert response.status_code == 400 and "departure_days" in response.json()


def test_the_van_page_form_sets_a_repeating_departure_and_shows_the_plan(
    client, fred, ecell_van, run_on_commit
):
    client.force_login(fred)
    with time_machine.travel(FRIDAY, tick=False):
        set_state(ecell_van)
        response = client.post(
            f"/vehicles/{ecell_van.vin}/commands/",
            {
                "kind": "precondition",
                "departure_days": WEEKDAYS,
                "departure_time": "06:30",
                "target_temp_c": "21",
                "departure_at": "",
            },
            follow=True,
        )
    assert response.status_code == 200
    command = Command.objects.get()
    assert command.repeating and command.departure_days == WEEKDAYS and command.status == "succeeded"
    page = client.get(f"/vehicles/{ecell_van.vin}/").content.decode()
    assert "data-climate-plan" in page and "06:30" in page and "Europe/Copenhagen" in page


def test_the_van_page_lists_what_the_van_still_lacks(client, fred, ecell_van):
    set_state(ecell_van, bonnet_closed=False, rfid_authorised=False)
    client.force_login(fred)
    page = client.get(f"/vehicles/{ecell_van.vin}/").content.decode()
    assert 'data-unmet="charging"' in page
    assert 'data-code="bonnet_open"' in page and 'data-code="rfid_not_authorised"' in page
    set_state(ecell_van)
    page = client.get(f"/vehicles/{ecell_van.vin}/").content.decode()
    assert 'data-unmet="charging"' not in page and "Ready to charge." in page


def test_the_van_page_shows_a_refusal_in_german(client, fred, ecell_van):
    set_state(ecell_van, gear="N")
    fred.language = "de"
    fred.save()
    client.force_login(fred)
    response = client.post(
        f"/vehicles/{ecell_van.vin}/commands/",
        {"kind": "charge_start"},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="de",
    )
    page = html.unescape(response.content.decode())
    with translation.override("de"):
        reason = str(prerequisites.MESSAGES["gear_not_p"])
    assert reason != "Put the gear selector in P." and reason in page
    assert not Command.objects.exists()


def test_the_openapi_schema_documents_repeating_departures(client):
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    components = schema["components"]["schemas"]
    given = components["CommandInputRequest"]["properties"]
    assert given["departure_time"]["type"] == "string" and "06:30" in given["departure_time"]["description"]
    days = given["departure_days"]["items"]["$ref"].rsplit("/", 1)[1]
    assert components[days]["enum"] == ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
    answered = components["Command"]["properties"]
    assert {"departure_time", "departure_days", "time_zone", "next_departure_at"} <= set(answered)


def test_a_bad_time_posted_to_the_page_is_a_message_not_an_error(client, fred, ecell_van):
    client.force_login(fred)
    response = client.post(
        f"/vehicles/{ecell_van.vin}/commands/",
        {"kind": "precondition", "departure_days": ["mon"], "departure_time": "25:00", "target_temp_c": "21"},
        follow=True,
    )
    assert response.status_code == 200
    assert "Check the departure and the target temperature." in response.content.decode()
    response = client.post(
        f"/vehicles/{ecell_van.vin}/commands/",
        {"kind": "precondition", "departure_days": ["mon"], "target_temp_c": "21"},
        follow=True,
    )
    assert "Choose the time of departure." in response.content.decode()
    assert not Command.objects.exists()
