"""The pages: the van's panel, the fleet overview's column and filter (flat query count), the
dashboard card, answering in the portal, the .ics export parsed back, the company's switch, and
the Retail queue (dashboard, propose, record) scoped to the outlet."""

import datetime

import pytest
from django.utils import timezone
from icalendar import Calendar

from maintenance.models import Appointment, AppointmentStatus, DueItem, MaintenanceSettings, ServiceRecord
from telematics.models import VehicleState
from tests import factories as f
from tests.telematics.conftest import connect

from .conftest import set_counters


@pytest.fixture
def due_van(maint_van, dealer):
    set_counters(maint_van, 5, 8000)
    DueItem.objects.create(
        vehicle=maint_van,
        company=maint_van.company,
        dealer=dealer,
        opened_at=timezone.now(),
        informed_at=timezone.now(),
        due_in_days=5,
        due_in_km=8000,
    )
    return maint_van


def proposal(van, dealer, sam, *, days=3, status=AppointmentStatus.PROPOSED):
    return Appointment.objects.create(
        vehicle=van,
        company=van.company,
        dealer=dealer,
        due_item=DueItem.objects.filter(vehicle=van).first(),
        proposed_at=(timezone.now() + datetime.timedelta(days=days)).replace(microsecond=0),
        note="Bay 3, please",
        proposed_by=sam.user,
        created_at=timezone.now(),
        status=status,
    )


# --- portal --------------------------------------------------------------------------------------
def test_the_van_page_shows_level_counters_and_workshop(login, fred, due_van):
    html = login(fred).get(f"/vehicles/{due_van.vin}/").content.decode()
    assert 'data-maintenance-level="due"' in html
    assert "Next service in 5 days" in html and "8,000 km" in html
    assert "Glostrup Van Centre" in html


def test_the_van_page_says_what_to_book_without_the_service(login, alice, plain_van):
    html = login(alice).get(f"/vehicles/{plain_van.vin}/").content.decode()
    assert "Maintenance management is not active on this van" in html
    assert "/products/maintenance-management/" in html or "maintenance-management" in html


def test_the_fleet_manager_accepts_on_the_van_page(login, fred, sam, dealer, due_van):
    appointment = proposal(due_van, dealer, sam)
    client = login(fred)
    html = client.get(f"/vehicles/{due_van.vin}/").content.decode()
    assert f'data-appointment="{appointment.pk}"' in html and "Bay 3, please" in html
    response = client.post(
        f"/vehicles/{due_van.vin}/appointments/{appointment.pk}/answer/",
        {"decision": "accept", "message": "Fine"},
    )
    assert response.status_code == 302
    appointment.refresh_from_db()
    assert appointment.status == "accepted" and appointment.answer_message == "Fine"
    html = client.get(f"/vehicles/{due_van.vin}/").content.decode()
    assert f'data-accepted="{appointment.pk}"' in html


def test_a_bad_answer_changes_nothing(login, fred, sam, dealer, due_van):
    appointment = proposal(due_van, dealer, sam)
    response = login(fred).post(
        f"/vehicles/{due_van.vin}/appointments/{appointment.pk}/answer/", {"decision": "maybe"}
    )
    assert response.status_code == 302
    appointment.refresh_from_db()
    assert appointment.status == "proposed"


def test_the_ics_export_parses_back(login, fred, sam, dealer, due_van):
    accepted = proposal(due_van, dealer, sam, status=AppointmentStatus.ACCEPTED)
    proposal(due_van, dealer, sam, days=9)  # still proposed: not in the calendar
    response = login(fred).get(f"/vehicles/{due_van.vin}/appointments.ics")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    [event] = calendar.walk("VEVENT")
    assert event.decoded("dtstart") == accepted.proposed_at
    assert event.decoded("dtend") - event.decoded("dtstart") == datetime.timedelta(hours=2)
    assert "Glostrup Van Centre" in str(event["summary"]) and "Glostrup" in str(event["location"])
    assert due_van.vin in str(event["description"]) and "Bay 3, please" in str(event["description"])
    assert str(event["uid"]).startswith(f"appointment-{accepted.pk}@")


def test_another_company_gets_404_on_the_van_pages(login, oscar, sam, dealer, due_van):
    appointment = proposal(due_van, dealer, sam)
    client = login(oscar)
    assert client.get(f"/vehicles/{due_van.vin}/appointments.ics").status_code == 404
    response = client.post(
        f"/vehicles/{due_van.vin}/appointments/{appointment.pk}/answer/", {"decision": "accept"}
    )
    assert response.status_code == 404
    appointment.refresh_from_db()
    assert appointment.status == "proposed"


def test_the_overview_sorts_and_filters_by_service_due(login, fred, company, catalogue, maint_van, plain_van):
    set_counters(maint_van, 5, 8000)
    later = connect(
        f.VehicleFactory(company=company, vin="W1V9076331P400010"), catalogue["maintenance-management"]
    )
    set_counters(later, 200, 30_000)
    set_counters(plain_van, 1, 10)  # counters, but maintenance is not live: not "due" here
    client = login(fred)
    html = client.get("/vehicles/?sort=service_due").content.decode()
    assert html.index(maint_van.vin) < html.index(later.vin) < html.index(plain_van.vin)
    html = client.get("/vehicles/?sort=-service_due").content.decode()
    assert html.index(plain_van.vin) < html.index(later.vin) < html.index(maint_van.vin)
    html = client.get("/vehicles/?service_due=soon_or_worse").content.decode()
    assert maint_van.vin in html and later.vin not in html and plain_van.vin not in html
    html = client.get("/vehicles/?service_due=ok").content.decode()
    assert later.vin in html and maint_van.vin not in html
    row = html[html.index(later.vin) : html.index("</tr>", html.index(later.vin))]
    assert '<span class="badge badge-ok" data-level="ok">OK</span>' in row and "200 days · 30,000 km" in row


def test_the_overview_pages_through_the_service_due_sort(login, fred, company, catalogue, settings):
    from vehicles import views

    vans = []
    for n in range(5):
        van = connect(
            f.VehicleFactory(company=company, vin=f"W1V9076331P4100{n:02d}"),
            catalogue["maintenance-management"],
        )
        vans.append(set_counters(van, 10 + n, 5000))
    settings.DEBUG = False
    original = views.PAGE_SIZE
    views.PAGE_SIZE = 2
    try:
        client = login(fred)
        seen = []
        url = "/vehicles/?sort=service_due"
        for _ in range(3):
            response = client.get(url)
            page = response.context["page"]
            seen += [v.vin for v in page.items]
            if not page.next_cursor:
                break
            url = f"/vehicles/?sort=service_due&cursor={page.next_cursor}"
    finally:
        views.PAGE_SIZE = original
    assert seen == [v.vin for v in vans]


def test_the_overview_query_count_stays_flat(login, fred, company, catalogue, django_assert_max_num_queries):
    client = login(fred)
    for n in range(3):
        set_counters(
            connect(
                f.VehicleFactory(company=company, vin=f"W1V9076331P4200{n:02d}"),
                catalogue["maintenance-management"],
            ),
            5,
            500,
        )
    url = "/vehicles/?sort=service_due&service_due=soon_or_worse"
    client.get(url)
    with django_assert_max_num_queries(15) as few:
        client.get(url)
    for n in range(3, 25):
        set_counters(
            connect(
                f.VehicleFactory(company=company, vin=f"W1V9076331P4200{n:02d}"),
                catalogue["maintenance-management"],
            ),
            5,
            500,
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert response.content.decode().count('data-level="due"') == 25


def test_the_dashboard_counts_vans_coming_due(login, fred, sam, dealer, due_van, company, catalogue):
    later = connect(
        f.VehicleFactory(company=company, vin="W1V9076331P400011"), catalogue["maintenance-management"]
    )
    set_counters(later, 300, 30_000)
    proposal(due_van, dealer, sam)
    html = login(fred).get("/dashboard/").content.decode()
    assert '<div class="stat failed" id="service-due-count">1</div>' in html
    assert due_van.vin in html and "Appointments to answer" in html


def test_the_admin_switches_informing_off(login, alice, fred, company):
    assert login(fred).get("/maintenance/settings/").status_code == 403
    client = login(alice)
    assert client.get("/maintenance/settings/").status_code == 200
    assert client.post("/maintenance/settings/", {}).status_code == 302  # unticked
    assert MaintenanceSettings.objects.get(company=company).inform_workshop is False
    client.post("/maintenance/settings/", {"inform_workshop": "on"})
    assert MaintenanceSettings.objects.get(company=company).inform_workshop is True


# --- Retail --------------------------------------------------------------------------------------
def test_the_retail_dashboard_shows_the_outlet_queue(login, sam, sid, due_van):
    html = login(sam.user).get("/retail/").content.decode()
    assert f'data-vin="{due_van.vin}"' in html
    assert (
        "ACME Transport ApS" in html and "PRO-ACMEXX" in html and "MT 40 001" in html and "Sprinter" in html
    )
    assert due_van.vin not in login(sid.user).get("/retail/").content.decode()
    assert login(sid.user).get(f"/retail/service-due/{due_van.vin}/").status_code == 404


def test_staff_propose_then_record_on_the_pages(login, sam, due_van):
    client = login(sam.user)
    assert client.get(f"/retail/service-due/{due_van.vin}/").status_code == 200
    day = timezone.localdate() + datetime.timedelta(days=2)
    response = client.post(
        f"/retail/service-due/{due_van.vin}/propose/",
        {"date": day.isoformat(), "time": "08:30", "note": "Hi"},
    )
    assert response.status_code == 302
    appointment = Appointment.objects.get()
    assert appointment.proposed_at.astimezone(timezone.get_current_timezone()).hour in range(0, 24)
    assert appointment.note == "Hi" and appointment.proposed_by == sam.user
    odometer = int(VehicleState.objects.get(vehicle=due_van).odometer_km)
    response = client.post(
        f"/retail/service-due/{due_van.vin}/service/",
        {"performed_on": timezone.localdate().isoformat(), "odometer_km": odometer},
    )
    assert response.status_code == 302
    assert ServiceRecord.objects.get().odometer_km == odometer
    assert client.get(f"/retail/service-due/{due_van.vin}/").status_code == 404  # left the queue


def test_a_bad_proposal_on_the_page_is_a_form_error(login, sam, due_van):
    response = login(sam.user).post(
        f"/retail/service-due/{due_van.vin}/propose/", {"date": "2020-01-01", "time": "08:30"}
    )
    assert response.status_code == 400
    assert "Propose a date and time in the future." in response.content.decode()
    assert not Appointment.objects.exists()


def test_a_bad_service_on_the_page_is_a_form_error(login, sam, due_van):
    response = login(sam.user).post(
        f"/retail/service-due/{due_van.vin}/service/", {"performed_on": "2099-01-01", "odometer_km": "x"}
    )
    assert response.status_code == 400
    assert not ServiceRecord.objects.exists()


def test_customers_and_other_outlets_get_404_on_the_queue_pages(login, alice, sid, due_van):
    for user in (alice, sid.user):
        client = login(user)
        assert client.get(f"/retail/service-due/{due_van.vin}/").status_code == 404
        assert client.post(f"/retail/service-due/{due_van.vin}/propose/", {}).status_code == 404
    assert login(alice).get("/retail/service-due/").status_code == 404


def test_the_default_overview_computes_the_service_column_for_its_page_only(
    login, fred, company, catalogue, maint_van, plain_van
):
    """Not sorted by service due: the fleet query carries no maintenance gate; one more query
    computes the column for the page's vans, and the cells show the same levels."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    set_counters(maint_van, 5, 8000)
    set_counters(plain_van, 1, 10)  # counters, but maintenance is not live: no level
    client = login(fred)
    client.get("/vehicles/")
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/vehicles/")
    fleet = [q["sql"] for q in captured.captured_queries if 'FROM "vehicles_vehicle"' in q["sql"]]
    gated = [sql for sql in fleet if "packs_subscription" in sql and "EXISTS" in sql]
    assert len(gated) == 1 and '"vehicles_vehicle"."id" IN' in gated[0]  # the page's ids only
    assert gated[0].count("EXISTS") == 1  # the gate asked once per van, not in every expression
    levels = {v.vin: v.maintenance_level for v in response.context["page"].items}
    assert levels == {maint_van.vin: "due", plain_van.vin: None}
    counters = {v.vin: (v.maintenance_days, v.maintenance_km) for v in response.context["page"].items}
    assert counters == {maint_van.vin: (5, 8000), plain_van.vin: (None, None)}
    assert "5 days · 8,000 km" in response.content.decode()
    with CaptureQueriesContext(connection) as sorted_queries:
        client.get("/vehicles/?sort=service_due")
    assert len(sorted_queries.captured_queries) == len(captured.captured_queries) - 1


def test_the_dashboard_counts_only_vans_near_their_service(login, fred, company, catalogue, due_van):
    far = connect(
        f.VehicleFactory(company=company, vin="W1V9076331P400012"), catalogue["maintenance-management"]
    )
    set_counters(far, 300, 30_000)
    silent = connect(
        f.VehicleFactory(company=company, vin="W1V9076331P400013"), catalogue["maintenance-management"]
    )
    assert silent.pk  # no state reported yet: not counted
    html = login(fred).get("/dashboard/").content.decode()
    assert '<div class="stat failed" id="service-due-count">1</div>' in html


def test_the_dashboard_counts_every_van_soon_or_worse_and_lists_the_closest_first(
    login, fred, company, catalogue, maint_van, plain_van
):
    """Overdue, due and soon count, by days or by km alone; a van near its service without
    maintenance live does not, nor one that is OK; the list comes closest first."""
    from maintenance.selectors import fleet_coming_due

    vans = {}
    for n, (days, km) in enumerate([(-3, 500), (25, 40_000), (200, 1_000), (200, 40_000)], start=20):
        vans[(days, km)] = connect(
            f.VehicleFactory(company=company, vin=f"W1V9076331P4000{n}"), catalogue["maintenance-management"]
        )
        set_counters(vans[(days, km)], days, km)
    set_counters(maint_van, 5, 8000)
    set_counters(plain_van, 1, 10)  # near, but maintenance is not live on it
    count, first = fleet_coming_due(company)
    assert count == 4
    assert [v.vin for v in first] == [
        vans[(-3, 500)].vin,
        maint_van.vin,
        vans[(25, 40_000)].vin,
        vans[(200, 1_000)].vin,
    ]
    assert [v.maintenance_level for v in first] == ["overdue", "due", "soon", "soon"]
    html = login(fred).get("/dashboard/").content.decode()
    assert '<div class="stat failed" id="service-due-count">4</div>' in html
