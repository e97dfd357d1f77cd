"""Issue 16's flows and wording: counts, the dealer finder, invitations, times, Activity."""

import datetime

import pytest

from companies import demo as companies_demo
from companies.models import AuditEvent, Dealer, InvitationStatus, Membership, Role
from packs.catalogue import seed_catalogue
from packs.models import Price
from tests import factories as f


def test_it_counts_what_the_filters_show(login, fred, company):
    f.VehicleFactory(company=company, fuel="electric")
    f.VehicleFactory(company=company, fuel="electric")
    f.VehicleFactory(company=company)
    html = login(fred).get("/vehicles/?fuel=electric").content.decode()
    assert "Fleet overview: 2 of 3 vans" in html
    assert "Fleet overview: 3 vans" in login(fred).get("/vehicles/").content.decode()


def test_it_shows_dealers_with_readable_phones_and_opening_hours(client, db):
    f.DealerFactory(
        code="DK8200", city="Aarhus N", phone="+4587410000", opening_hours=[[0, 4, "07:00", "17:00"]]
    )
    html = client.get("/dealers/?country=DK").content.decode()
    assert "+45 87 41 00 00" in html and 'href="tel:+4587410000"' in html
    assert "Mon–Fri 07:00–17:00" in html


def test_it_links_the_verification_notice_to_dealers_in_the_companys_country(login, alice):
    html = login(alice).get("/company/").content.decode()
    assert 'href="/dealers/?country=DK"' in html


def test_it_has_demo_dealers_in_every_country_with_prices(db):
    seed_catalogue()
    companies_demo.seed_dealers()
    priced = set(Price.objects.values_list("country", flat=True))
    with_dealers = set(Dealer.objects.values_list("country", flat=True))
    assert priced and priced <= with_dealers


def test_it_offers_to_send_a_pending_invitation_again(login, alice, company):
    invited = f.UserFactory(email="ivan@acme.example")
    member = f.MembershipFactory(
        user=invited, company=company, role=Role.DRIVER, invitation_status=InvitationStatus.PENDING
    )
    before = Membership.objects.count()
    response = login(alice).post(
        "/company/members/invite/",
        {"email": "IVAN@acme.example", "role": "driver", "first_name": "Ivan", "last_name": "Iversen"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "already a member" not in html
    assert f'action="/company/members/{member.pk}/resend/"' in html
    assert Membership.objects.count() == before


def test_it_shows_activity_in_the_companys_time_zone_and_lets_it_change(login, alice, company):
    event = AuditEvent.objects.create(
        company=company, actor_kind="system", action="vehicle.added", target="X"
    )
    AuditEvent.objects.filter(pk=event.pk).update(
        at=datetime.datetime(2026, 1, 15, 12, 0, tzinfo=datetime.UTC)
    )
    client = login(alice)
    html = client.get("/company/activity/").content.decode()
    assert "15/01/2026 13:00" in html and "Europe/Copenhagen" in html  # CET is UTC+1 in January
    company.time_zone = "Europe/London"
    company.save()
    html = client.get("/company/activity/").content.decode()
    assert "15/01/2026 12:00" in html and "Europe/London" in html


def test_it_refuses_an_unknown_time_zone(login, alice, company):
    response = login(alice).post(
        "/company/edit/",
        {
            "name": company.name,
            "manager_name": "K",
            "street": company.street,
            "postal_code": "8000",
            "city": "Aarhus",
            "email": company.email,
            "phone": company.phone,
            "time_zone": "Mars/Olympus",
        },
    )
    assert response.status_code == 200
    company.refresh_from_db()
    assert company.time_zone == ""


@pytest.mark.parametrize(
    ("query", "expected", "absent"),
    [
        ("what=vehicles", "Van added", "Role changed"),
        ("who=system", "Van added", "Role changed"),
        ("vin=w1v9076331p000001", "Van added", "Role changed"),
    ],
)
def test_it_filters_activity(login, alice, company, query, expected, absent):
    AuditEvent.objects.create(
        company=company, actor_kind="system", action="vehicle.added", target="W1V9076331P000001"
    )
    AuditEvent.objects.create(
        company=company,
        actor_kind="user",
        actor=alice,
        actor_name="Alice",
        action="member.role_changed",
        target="x",
    )
    html = login(alice).get(f"/company/activity/?{query}").content.decode()
    assert expected in html and absent not in html


def test_it_pages_filtered_activity_with_its_filters(login, alice, company):
    AuditEvent.objects.bulk_create(
        [
            AuditEvent(company=company, actor_kind="system", action="vehicle.added", target=str(i))
            for i in range(55)
        ]
    )
    html = login(alice).get("/company/activity/?what=vehicles").content.decode()
    assert "?what=vehicles&amp;page=2" in html


def test_it_keeps_activity_queries_flat(login, alice, company, django_assert_max_num_queries):
    AuditEvent.objects.bulk_create(
        [
            AuditEvent(company=company, actor_kind="system", action="vehicle.added", target=str(i))
            for i in range(40)
        ]
    )
    client = login(alice)
    with django_assert_max_num_queries(12):
        client.get("/company/activity/?what=vehicles")


def test_it_records_one_terms_event_for_both_documents(alice, company):
    from companies.audit import Actor
    from companies.services import terms_accept

    terms_accept(
        user=alice, documents=["terms_of_use", "pack_terms"], actor=Actor.customer(alice), company=company
    )
    assert AuditEvent.objects.filter(action="terms.accepted").count() == 1


def test_it_lets_a_driver_take_a_free_van_and_hand_it_back(login, dora, company):
    van = f.VehicleFactory(company=company, nickname="Free van")
    client = login(dora)
    page = client.get("/vehicles/").content.decode()
    assert "Free van" in page and f'action="/vehicles/{van.vin}/take/"' in page
    response = client.post(f"/vehicles/{van.vin}/take/")
    assert response.status_code == 302
    van.refresh_from_db()
    assert van.driver_id == dora.pk
    assert "Hand this van back" in client.get(f"/vehicles/{van.vin}/").content.decode()
    client.post(f"/vehicles/{van.vin}/hand-back/")
    van.refresh_from_db()
    assert van.driver_id is None


def test_it_refuses_a_driver_a_van_someone_else_drives(login, dora, company):
    other = f.UserFactory(email="otto@acme.example")
    f.MembershipFactory(user=other, company=company, role=Role.DRIVER)
    van = f.VehicleFactory(company=company, driver=other)
    login(dora).post(f"/vehicles/{van.vin}/take/")
    van.refresh_from_db()
    assert van.driver_id == other.pk


def test_it_refuses_take_and_hand_back_to_a_fleet_manager(login, fred, company):
    van = f.VehicleFactory(company=company)
    assert login(fred).post(f"/vehicles/{van.vin}/take/").status_code == 403
    van.refresh_from_db()
    assert van.driver_id is None


def test_it_names_orders_by_an_opaque_reference(login, alice, company):
    from packs.models import Order

    seed_catalogue()
    first = f.OrderFactory(company=company)
    second = f.OrderFactory(company=company)
    assert first.reference != second.reference
    assert first.reference.startswith("MP-") and len(first.reference) == 12
    html = login(alice).get("/products/orders/").content.decode()
    assert first.reference in html and f">#{first.pk}<" not in html
    assert Order.objects.filter(reference=first.reference).count() == 1
