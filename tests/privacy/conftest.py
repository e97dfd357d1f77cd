import datetime

import pytest
from django.utils import timezone

from companies.audit import Actor, record
from retail.models import Attestation
from tests import factories as f
from users.models import ApiToken


@pytest.fixture
def acme_world(company, alice, fred, dora, oscar, sam):
    """ACME with data about dora in every kind mpro keeps, and data about everyone else beside it."""
    from companies.models import TermsAcceptance
    from vehicles.models import DriverAssignment

    dora.mobile = "+4520987654"
    dora.phone = "+4540111222"
    dora.birth_date = datetime.date(1990, 2, 3)
    dora.licence_category = "C1"
    dora.verification_status = "verified"
    dora.verification_mode = "id_card"
    dora.verified_at = timezone.now()
    dora.verified_by = sam.user
    dora.save()
    ApiToken.issue(user=dora, name="dora's script")
    ApiToken.issue(user=alice, name="alice's script")
    TermsAcceptance.objects.create(user=dora, document="terms_of_use", version="2026-01")
    van = f.VehicleFactory(company=company, vin="W1V9076331P300001", licence_plate="AB 12 345", driver=dora)
    DriverAssignment.objects.create(vehicle=van, driver=dora, started_at=timezone.now())
    f.VehicleFactory(company=company, vin="W1V9076331P300002", licence_plate="FRED 2")
    order = f.OrderFactory(company=company, placed_by=dora, placed_by_name="Dora Dahl")
    f.OrderFactory(company=company, placed_by=alice, placed_by_name="Alice Andersen")
    assert order.pk
    record(
        actor=Actor.customer(alice),
        company=company,
        action="member.invited",
        target=dora.email,
        details={"role": "driver"},
    )
    record(
        actor=Actor.customer(alice),
        company=company,
        action="member.invited",
        target=fred.email,
        details={"role": "fleet_manager"},
    )
    record(
        actor=Actor.customer(alice),
        company=company,
        action="driver.assigned",
        target=van.vin,
        details={"driver": dora.email, "name": dora.get_full_name()},
    )
    record(
        actor=Actor.customer(dora),
        company=company,
        action="user.profile_updated",
        target=dora.email,
        details={"fields": ["phone"]},
    )
    attestation = Attestation.objects.create(staff=sam, company=company, expires_at=timezone.now())
    record(
        actor=Actor.dealer_staff(user=sam.user, dealer=sam.dealer, acting_under=attestation.label),
        company=company,
        action="retail.member_verified",
        target=dora.email,
        details={"mode": "id_card"},
    )
    record(
        actor=Actor.customer(oscar),
        company=oscar.membership.company,
        action="user.profile_updated",
        target=oscar.email,
    )
    return {"van": van, "order": order}


PEOPLE = ("alice", "fred", "oscar", "sam")


def traces_of(user) -> list[str]:
    """Strings that identify the person (the factories give everyone the same phone and birth date:
    those identify no one here)."""
    return [v for v in (user.email, user.first_name, user.last_name) if v]
