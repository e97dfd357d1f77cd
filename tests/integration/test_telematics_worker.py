"""The reporting round through a real Celery worker on PostgreSQL and Redis (marker `worker`):
what beat runs every TELEMATICS_REPORT_SECONDS updates a van's status."""

import pytest

from packs.catalogue import seed_catalogue
from packs.models import Pack
from telematics.models import Reading, VehicleState
from telematics.tasks import reporting_round
from tests import factories as f
from tests.integration.conftest import wait_for
from vehicles.models import EmulatedModule

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_a_beat_round_updates_a_vans_status(celery_worker, company):
    seed_catalogue()
    van = f.VehicleFactory(company=company, vin="W1V9076331P600001", module_status="active")
    f.SubscriptionFactory(
        order__company=company,
        order__pack=Pack.objects.get(code="fleet-management"),
        vehicle=van,
        status="active",
    )
    EmulatedModule.objects.create(vin=van.vin, active_services=["fleet-management"])
    celery_worker()

    reporting_round.delay()  # what beat sends

    state = wait_for(lambda: VehicleState.objects.filter(vehicle=van).first(), timeout=30)
    assert state.company_id == company.pk and state.odometer_km > 0
    assert Reading.objects.filter(vehicle_id=van.pk).count() == 1
