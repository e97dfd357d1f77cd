import pytest

from companies.models import AuditEvent
from tests.integration.conftest import wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_it_runs_a_task_in_a_real_worker_against_the_test_database(celery_worker):
    from tests.integration.tasks import record_probe

    celery_worker()
    record_probe.delay("probe-1")
    assert wait_for(lambda: AuditEvent.objects.filter(action="system.probe", target="probe-1").exists())
