import datetime

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from companies.audit import Actor
from companies.models import AuditEvent, Role
from mpro.errors import ConflictError, DomainError, FieldErrors
from tests import factories as f
from vehicles import selectors, services
from vehicles.models import DriverAssignment, ModuleStatus, Vehicle

from .conftest import vin

pytestmark = pytest.mark.django_db


def test_it_adds_a_van_with_its_decoded_facts_and_an_audit_event(
    company, alice, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        vehicle = services.vehicle_add(
            company=company,
            vin=" w1v9106731p 000777",
            licence_plate=" ab 12  345",
            nickname=" Van  one ",
            actor=Actor.customer(alice),
        )
    vehicle.refresh_from_db()
    assert (vehicle.vin, vehicle.model_family, vehicle.fuel) == ("W1V9106731P000777", "eSprinter", "electric")
    assert (vehicle.licence_plate, vehicle.nickname) == ("AB 12 345", "Van one")
    assert vehicle.module_status == ModuleStatus.INACTIVE  # read from the telematics emulator on commit
    event = AuditEvent.objects.get(action="vehicle.added")
    assert (event.company, event.target, event.actor) == (company, vehicle.vin, alice)


def test_it_marks_a_van_without_module(company, alice, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        vehicle = services.vehicle_add(company=company, vin=vin(900001), actor=Actor.customer(alice))
    vehicle.refresh_from_db()
    assert vehicle.module_status == ModuleStatus.ABSENT


def test_it_refuses_an_invalid_vin_and_saves_nothing(company, alice):
    with pytest.raises(DomainError) as caught:
        services.vehicle_add(company=company, vin="W1V907633", actor=Actor.customer(alice))
    assert caught.value.field == "vin"
    assert not Vehicle.objects.exists() and not AuditEvent.objects.exists()


def test_it_says_a_vin_is_already_in_the_fleet(van, alice):
    with pytest.raises(DomainError) as caught:
        services.vehicle_add(company=van.company, vin=van.vin.lower(), actor=Actor.customer(alice))
    assert caught.value.code == "vin_in_fleet"
    assert not isinstance(caught.value, ConflictError)


def test_it_refuses_a_vin_of_another_company_without_naming_it(other_van, company, alice):
    with pytest.raises(ConflictError) as caught:
        services.vehicle_add(company=company, vin=other_van.vin, actor=Actor.customer(alice))
    assert caught.value.code == "vin_registered"
    assert other_van.company.name not in str(caught.value.message)
    assert "dealer" in str(caught.value.message)
    assert Vehicle.objects.get(vin=other_van.vin).company == other_van.company


def test_it_refuses_too_long_plates_and_nicknames(company, alice):
    with pytest.raises(FieldErrors) as caught:
        services.vehicle_add(
            company=company,
            vin=vin(1),
            licence_plate="X" * 16,
            nickname="N" * 61,
            actor=Actor.customer(alice),
        )
    assert set(caught.value.errors) == {"licence_plate", "nickname"}
    assert not Vehicle.objects.exists()


def test_it_keeps_one_company_per_vin_in_the_database(van, other_company):
    with pytest.raises(IntegrityError), transaction.atomic():
        Vehicle.objects.create(company=other_company, vin=van.vin)


def test_it_updates_plate_and_nickname_and_records_the_change(van, fred):
    services.vehicle_update(
        vehicle=van, actor=Actor.customer(fred), licence_plate="cd 99 999", nickname="Red van"
    )
    van.refresh_from_db()
    assert (van.licence_plate, van.nickname) == ("CD 99 999", "Red van")
    event = AuditEvent.objects.get(action="vehicle.updated")
    assert event.details["nickname"] == ["Blue van", "Red van"]


def test_it_records_nothing_when_nothing_changes(van, fred):
    services.vehicle_update(vehicle=van, actor=Actor.customer(fred), nickname=van.nickname)
    assert not AuditEvent.objects.filter(action="vehicle.updated").exists()


def test_it_lets_the_drive_be_set_only_while_unknown(van, fred):
    with pytest.raises(FieldErrors):
        services.vehicle_update(vehicle=van, actor=Actor.customer(fred), fuel="electric")
    van.fuel = "unknown"
    van.save()
    services.vehicle_update(vehicle=van, actor=Actor.customer(fred), fuel="electric")
    van.refresh_from_db()
    assert van.fuel == "electric"


def test_it_refuses_unknown_fields(van, fred):
    with pytest.raises(TypeError):
        services.vehicle_update(vehicle=van, actor=Actor.customer(fred), vin="X")


def test_it_removes_a_van(van, alice):
    services.vehicle_remove(vehicle=van, actor=Actor.customer(alice))
    assert not Vehicle.objects.filter(vin=van.vin).exists()
    assert AuditEvent.objects.filter(action="vehicle.removed", target=van.vin, company=van.company).exists()


def test_it_refuses_to_remove_a_van_with_a_live_service(live_subscription, alice):
    van = live_subscription.vehicle
    with pytest.raises(ConflictError) as caught:
        services.vehicle_remove(vehicle=van, actor=Actor.customer(alice))
    assert caught.value.code == "live_subscription"
    assert live_subscription.pack.name in str(caught.value.message)
    assert Vehicle.objects.filter(pk=van.pk).exists()
    assert not AuditEvent.objects.filter(action="vehicle.removed").exists()


def test_it_removes_a_van_whose_services_ended(live_subscription, alice):
    live_subscription.status = "cancelled"
    live_subscription.save()
    services.vehicle_remove(vehicle=live_subscription.vehicle, actor=Actor.customer(alice))
    assert not Vehicle.objects.filter(pk=live_subscription.vehicle_id).exists()


# --- drivers -------------------------------------------------------------------------------------
def test_it_assigns_a_driver_and_keeps_the_history(van, dora, fred):
    services.driver_assign(vehicle=van, driver=dora, actor=Actor.customer(fred))
    van.refresh_from_db()
    assert van.driver == dora
    assignment = DriverAssignment.objects.get(vehicle=van)
    assert (assignment.driver, assignment.ended_at) == (dora, None)
    assert AuditEvent.objects.filter(action="driver.assigned", target=van.vin).exists()


def test_it_answers_who_drove_a_van_on_a_date(van, dora, fred, company):
    dan = f.UserFactory(email="dan@acme.example")
    f.MembershipFactory(user=dan, company=company, role=Role.DRIVER)
    # ACME has held the van for a month (history is read from when the holder got it).
    Vehicle.objects.filter(pk=van.pk).update(held_since=timezone.now() - datetime.timedelta(days=30))
    van.refresh_from_db()
    services.driver_assign(vehicle=van, driver=dora, actor=Actor.customer(fred))
    DriverAssignment.objects.filter(vehicle=van).update(
        started_at=timezone.now() - datetime.timedelta(days=10)
    )
    services.driver_assign(vehicle=van, driver=dan, actor=Actor.customer(fred))
    DriverAssignment.objects.filter(vehicle=van, driver=dora).update(
        ended_at=timezone.now() - datetime.timedelta(days=2)
    )
    DriverAssignment.objects.filter(vehicle=van, driver=dan).update(
        started_at=timezone.now() - datetime.timedelta(days=2)
    )
    assert selectors.driver_on(van, timezone.now() - datetime.timedelta(days=5)) == dora
    assert selectors.driver_on(van, timezone.now()) == dan
    assert selectors.driver_on(van, timezone.now() - datetime.timedelta(days=20)) is None


def test_it_moves_a_driver_from_their_previous_van(driven_van, dora, fred, company):
    second = f.VehicleFactory(company=company)
    services.driver_assign(vehicle=second, driver=dora, actor=Actor.customer(fred))
    driven_van.refresh_from_db()
    second.refresh_from_db()
    assert driven_van.driver is None and second.driver == dora
    assert DriverAssignment.objects.filter(driver=dora, ended_at__isnull=True).get().vehicle == second


def test_it_replaces_the_previous_driver_of_a_van(driven_van, fred, company):
    dan = f.UserFactory()
    f.MembershipFactory(user=dan, company=company, role=Role.DRIVER)
    services.driver_assign(vehicle=driven_van, driver=dan, actor=Actor.customer(fred))
    assert DriverAssignment.objects.filter(vehicle=driven_van, ended_at__isnull=True).get().driver == dan
    assert DriverAssignment.objects.filter(vehicle=driven_van).count() == 2


def test_it_only_assigns_drivers_of_the_company(van, fred, oscar):
    for person in (fred, oscar):
        with pytest.raises(DomainError) as caught:
            services.driver_assign(vehicle=van, driver=person, actor=Actor.customer(fred))
        assert caught.value.code == "not_a_driver"
    van.refresh_from_db()
    assert van.driver is None and not DriverAssignment.objects.exists()


def test_it_lets_a_driver_take_only_a_free_van(driven_van, company):
    dan = f.UserFactory()
    f.MembershipFactory(user=dan, company=company, role=Role.DRIVER)
    with pytest.raises(ConflictError) as caught:
        services.driver_assign(vehicle=driven_van, driver=dan, actor=Actor.customer(dan))
    assert caught.value.code == "vehicle_taken"
    driven_van.refresh_from_db()
    assert driven_van.driver.email == "dora@acme.example"


def test_it_enforces_one_open_assignment_per_van_and_driver_in_the_database(driven_van, dora, company):
    second = f.VehicleFactory(company=company)
    with pytest.raises(IntegrityError), transaction.atomic():
        DriverAssignment.objects.create(vehicle=second, driver=dora, started_at=timezone.now())
    dan = f.UserFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        DriverAssignment.objects.create(vehicle=driven_van, driver=dan, started_at=timezone.now())
    with pytest.raises(IntegrityError), transaction.atomic():
        Vehicle.objects.filter(pk=second.pk).update(driver=dora)


def test_it_releases_a_driver(driven_van, fred):
    services.driver_release(vehicle=driven_van, actor=Actor.customer(fred))
    driven_van.refresh_from_db()
    assert driven_van.driver is None
    assert DriverAssignment.objects.get(vehicle=driven_van).ended_at is not None


def test_it_refuses_to_release_a_van_without_driver(van, fred):
    with pytest.raises(DomainError):
        services.driver_release(vehicle=van, actor=Actor.customer(fred))


def test_it_releases_a_user_who_leaves_the_driver_role(driven_van, dora):
    assert services.drivers_release_for_user(user=dora, actor=Actor.system()) == 1
    driven_van.refresh_from_db()
    assert driven_van.driver is None


# --- workshops -----------------------------------------------------------------------------------
def test_it_chooses_a_workshop_per_van_and_a_company_default(van, dealer, other_dealer, alice):
    services.default_workshop_set(company=van.company, dealer=dealer, actor=Actor.customer(alice))
    services.workshop_choose(vehicle=van, dealer=other_dealer, actor=Actor.customer(alice))
    van.refresh_from_db()
    van.company.refresh_from_db()
    assert (van.company.default_workshop, van.workshop) == (dealer, other_dealer)
    assert AuditEvent.objects.filter(action="vehicle.workshop_chosen", target=van.vin).exists()
    assert AuditEvent.objects.filter(action="company.default_workshop_set").exists()
    services.workshop_choose(vehicle=van, dealer=None, actor=Actor.customer(alice))
    van.refresh_from_db()
    assert van.workshop is None


# --- transfer ------------------------------------------------------------------------------------
def test_it_transfers_a_van_and_resets_what_belonged_to_the_old_company(
    driven_van, dealer, other_company, sam
):
    driven_van.workshop = dealer
    driven_van.verification_status = "verified"
    driven_van.verified_at = timezone.now()
    driven_van.save()
    actor = Actor.dealer_staff(user=sam.user, dealer=sam.dealer, acting_under="support session #1")
    moved = services.vehicle_transfer(vehicle=driven_van, to_company=other_company, actor=actor)
    moved.refresh_from_db()
    assert (moved.company, moved.driver, moved.workshop, moved.verification_status) == (
        other_company,
        None,
        None,
        "unverified",
    )
    assert DriverAssignment.objects.get(vehicle=moved).ended_at is not None
    assert AuditEvent.objects.filter(action="vehicle.transferred_out", company=driven_van.company).exists()
    event = AuditEvent.objects.get(action="vehicle.transferred_in")
    assert (event.company, event.dealer, event.acting_under) == (
        other_company,
        sam.dealer,
        "support session #1",
    )


def test_it_refuses_a_transfer_while_services_are_live(live_subscription, other_company):
    with pytest.raises(ConflictError):
        services.vehicle_transfer(
            vehicle=live_subscription.vehicle, to_company=other_company, actor=Actor.system()
        )
    assert Vehicle.objects.get(pk=live_subscription.vehicle_id).company == live_subscription.company


# --- verification read-out ----------------------------------------------------------------------
def test_it_lists_what_is_missing_before_activation(van, alice, verified_company):
    missing = selectors.activation_blockers(van)
    assert missing and all(isinstance(m, str) for m in missing)
    checklist = selectors.verification_checklist(van)
    assert [item.done for item in checklist] == [True, True, False]
