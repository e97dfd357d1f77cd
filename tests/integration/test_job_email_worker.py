"""A job sent through the API reaches a real worker: the `job.sent` event is published after
commit and its e-mail consumer runs there once (the outbox records it as done)."""

import pytest
from rest_framework.test import APIClient

from companies.models import Role
from mpro.models import OutboxMessage
from tests import factories as f
from tests.integration.conftest import wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_the_drivers_e_mail_is_sent_by_the_worker_once(celery_worker, company, fred):
    driver = f.UserFactory(email="wendy@acme.example", first_name="Wendy", last_name="Wulf")
    f.MembershipFactory(user=driver, company=company, role=Role.DRIVER)
    celery_worker()
    client = APIClient()
    client.force_authenticate(fred)
    response = client.post(
        "/api/v1/jobs", {"driver": driver.membership.pk, "title": "Load the trailer"}, format="json"
    )
    assert response.status_code == 201, response.content
    message = wait_for(
        lambda: OutboxMessage.objects.filter(kind="job.sent", delivered_at__isnull=False).first()
    )
    assert message.payload == {"job": response.json()["id"]}
    assert message.done == ["jobs.notices.job_sent"]
