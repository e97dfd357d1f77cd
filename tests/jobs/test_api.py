"""Jobs through the API (API-CONNECTED.md, "Jobs between fleet manager and driver"): the rights
matrix, the transitions, bad input, and the e-mail sent once through the outbox."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from companies.models import AuditEvent
from jobs.models import Job
from mpro.models import OutboxMessage


def test_it_sends_a_job_to_a_driver(send, dora, fred, company):
    due = timezone.now() + datetime.timedelta(hours=3)
    response = send(
        notes="Gate 4, ask for Jens",
        destination={"address": "Roskildevej 10, Glostrup", "lat": 55.66, "lon": 12.40},
        due_at=due.isoformat(),
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "sent" and body["sent_at"] and body["read_at"] is None
    assert body["driver"] == {"id": dora.membership.pk, "name": "Dora Dahl"}
    assert body["destination"] == {"address": "Roskildevej 10, Glostrup", "lat": 55.66, "lon": 12.40}
    job = Job.objects.get(pk=body["id"])
    assert (job.company, job.created_by, job.driver) == (company, fred, dora)
    event = AuditEvent.objects.get(action="job.sent")
    assert event.actor == fred and event.details["driver"] == dora.email


def test_it_sends_a_job_to_a_vans_current_driver(send, dora, dora_van):
    response = send(driver=None, vehicle=dora_van.vin.lower() + " ")
    assert response.status_code == 201, response.json()
    assert response.json()["driver"]["id"] == dora.membership.pk
    assert response.json()["vehicle"] == dora_van.vin


def test_it_also_lets_an_administrator_send(send, api, alice):
    assert send(client=api(alice)).status_code == 201


def test_it_refuses_drivers_sending_jobs(send, api, dora, dan):
    response = send(client=api(dan))
    assert response.status_code == 403
    assert not Job.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"title": ""}, "title"),
        ({"title": "x" * 121}, "title"),
        ({"notes": "x" * 2001}, "notes"),
        ({"destination": {"address": "x" * 201}}, "destination"),
        ({"destination": {"address": "Somewhere", "lat": 95, "lon": 12}}, "destination"),
        ({"destination": {"address": "Somewhere", "lat": 55}}, "destination"),
        ({"due_at": "2020-01-01T10:00:00Z"}, "due_at"),
        ({"due_at": "tomorrow"}, "due_at"),
        ({"driver": None}, "driver"),
        ({"driver": "dora"}, "driver"),
    ],
)
def test_it_refuses_bad_input_with_field_errors(send, body, field):
    response = send(**body)
    assert response.status_code == 400 and field in response.json(), response.json()
    assert not Job.objects.exists() and not AuditEvent.objects.filter(action="job.sent").exists()
    assert not OutboxMessage.objects.exists()


def test_it_refuses_a_member_who_is_not_a_driver(send, alice):
    response = send(driver=alice.membership.pk)
    assert response.status_code == 400 and "driver" in response.json()
    assert not Job.objects.exists()


def test_it_refuses_another_companys_member_as_if_it_did_not_exist(send, oliver):
    response = send(driver=oliver.membership.pk)
    missing = send(driver=999_999)
    assert response.status_code == missing.status_code == 400
    assert response.json() == missing.json()
    assert not Job.objects.exists()


def test_it_refuses_a_van_of_another_company_or_without_driver(send, other_van, van):
    assert "vehicle" in send(driver=None, vehicle=other_van.vin).json()
    assert "vehicle" in send(driver=None, vehicle=van.vin).json()  # ACME's van, nobody drives it
    assert not Job.objects.exists()


def test_it_e_mails_the_driver_once_in_their_language(send, api, dan, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = send(driver=dan.membership.pk, destination={"address": "Hauptstraße 1"})
    assert response.status_code == 201
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [dan.email]
    assert "Pick up pallets" in message.subject and "Neuer Auftrag" in message.subject
    assert f"/app/jobs/{response.json()['id']}/" in message.body
    outbox_row = OutboxMessage.objects.get(kind="job.sent")
    # Delivered again (the sweeper, a broker's redelivery): the consumer does not e-mail twice.
    from mpro import outbox

    assert outbox.consume(message_id=outbox_row.pk, consumer_name="jobs.notices.job_sent") == "skipped"
    assert len(mail.outbox) == 1


# --- reading: who sees what ------------------------------------------------------------------
@pytest.fixture
def jobs(send, dora, dan):
    to_dora = send().json()["id"]
    to_dan = send(driver=dan.membership.pk, title="For Dan").json()["id"]
    return {"dora": to_dora, "dan": to_dan}


def test_it_lists_the_companys_jobs_to_managers(api, fred, alice, jobs):
    for person in (fred, alice):
        listed = api(person).get("/api/v1/jobs").json()
        assert {j["id"] for j in listed["results"]} == set(jobs.values())


def test_it_lists_a_driver_only_their_own_jobs(api, dora, jobs):
    listed = api(dora).get("/api/v1/jobs").json()
    assert [j["id"] for j in listed["results"]] == [jobs["dora"]]
    assert api(dora).get(f"/api/v1/jobs/{jobs['dora']}").status_code == 200
    assert api(dora).get(f"/api/v1/jobs/{jobs['dan']}").status_code == 404


def test_it_filters_by_status_and_driver(api, fred, dora, jobs):
    api(dora).post(f"/api/v1/jobs/{jobs['dora']}/status", {"status": "accepted"}, format="json")
    client = api(fred)
    assert [j["id"] for j in client.get("/api/v1/jobs?status=accepted").json()["results"]] == [jobs["dora"]]
    by_driver = client.get(f"/api/v1/jobs?driver={dora.membership.pk}").json()["results"]
    assert [j["id"] for j in by_driver] == [jobs["dora"]]
    assert client.get("/api/v1/jobs?status=lost").status_code == 400


def test_it_hides_jobs_from_another_company(api, oscar, jobs):
    client = api(oscar)
    assert client.get("/api/v1/jobs").json()["results"] == []
    for job_id in jobs.values():
        assert client.get(f"/api/v1/jobs/{job_id}").status_code == 404
        assert (
            client.post(f"/api/v1/jobs/{job_id}/status", {"status": "read"}, format="json").status_code == 404
        )
    assert set(Job.objects.values_list("status", flat=True)) == {"sent"}


# --- status changes --------------------------------------------------------------------------
def test_it_walks_a_job_through_read_accepted_done(api, dora, fred, jobs):
    client = api(dora)
    url = f"/api/v1/jobs/{jobs['dora']}/status"
    for status in ("read", "accepted", "done"):
        response = client.post(url, {"status": status}, format="json")
        assert response.status_code == 200 and response.json()["status"] == status
    body = api(fred).get(f"/api/v1/jobs/{jobs['dora']}").json()
    assert body["read_at"] <= body["accepted_at"] <= body["done_at"]
    assert AuditEvent.objects.filter(action="job.status_changed").count() == 3


def test_it_declines_with_a_reason_only(api, dora, jobs):
    url = f"/api/v1/jobs/{jobs['dora']}/status"
    response = api(dora).post(url, {"status": "declined"}, format="json")
    assert response.status_code == 400 and "reason" in response.json()
    response = api(dora).post(url, {"status": "declined", "reason": "x" * 301}, format="json")
    assert response.status_code == 400 and "reason" in response.json()
    assert Job.objects.get(pk=jobs["dora"]).status == "sent"
    response = api(dora).post(
        url, {"status": "declined", "reason": "The van is in the workshop"}, format="json"
    )
    assert response.status_code == 200
    assert (
        response.json()["decline_reason"] == "The van is in the workshop" and response.json()["declined_at"]
    )


@pytest.mark.parametrize(
    ("path", "refused"),
    [
        ([], "done"),
        (["declined"], "accepted"),
        (["accepted", "done"], "declined"),
        (["accepted", "done"], "read"),
        (["accepted"], "read"),
    ],
)
def test_it_refuses_transitions_that_are_not_allowed(api, dora, jobs, path, refused):
    url = f"/api/v1/jobs/{jobs['dora']}/status"
    client = api(dora)
    for status in path:
        body = {"status": status, "reason": "busy"}
        assert client.post(url, body, format="json").status_code == 200
    before = Job.objects.get(pk=jobs["dora"])
    response = client.post(url, {"status": refused, "reason": "busy"}, format="json")
    assert response.status_code == 409 and response.json()["code"] == "job_status_not_allowed"
    after = Job.objects.get(pk=jobs["dora"])
    assert (after.status, after.read_at) == (before.status, before.read_at)


def test_it_answers_the_same_status_again_without_change(api, dora, jobs):
    url = f"/api/v1/jobs/{jobs['dora']}/status"
    first = api(dora).post(url, {"status": "accepted"}, format="json").json()
    again = api(dora).post(url, {"status": "accepted"}, format="json")
    assert again.status_code == 200 and again.json()["accepted_at"] == first["accepted_at"]


def test_it_lets_only_the_addressed_driver_change_the_status(api, fred, alice, dan, jobs):
    url = f"/api/v1/jobs/{jobs['dora']}/status"
    assert api(fred).post(url, {"status": "read"}, format="json").status_code == 403
    assert api(alice).post(url, {"status": "read"}, format="json").status_code == 403
    assert api(dan).post(url, {"status": "read"}, format="json").status_code == 404
    assert Job.objects.get(pk=jobs["dora"]).status == "sent"


def test_it_refuses_an_unknown_status(api, dora, jobs):
    response = api(dora).post(f"/api/v1/jobs/{jobs['dora']}/status", {"status": "sent"}, format="json")
    assert response.status_code == 400 and "status" in response.json()


def test_it_lists_jobs_in_a_fixed_number_of_queries(api, fred, send, django_assert_max_num_queries):
    for n in range(3):
        send(title=f"Job {n}")
    client = api(fred)
    with django_assert_max_num_queries(6):
        few = client.get("/api/v1/jobs")
    for n in range(10):
        send(title=f"More {n}")
    with django_assert_max_num_queries(6):
        many = client.get("/api/v1/jobs")
    assert len(many.json()["results"]) == 13 > len(few.json()["results"])
