"""The portal's jobs pages (administrators and fleet managers): send with the form, list with
status and times, filters; bad input shows on the form and saves nothing."""

import datetime

import pytest
from django.utils import timezone

from companies.audit import Actor
from jobs import services
from jobs.models import Job


def _send(actor_user, driver, **extra):
    return services.job_send(
        company=driver.membership.company,
        actor=Actor.customer(actor_user),
        driver_member_id=driver.membership.pk,
        title=extra.pop("title", "Deliver parcels"),
        **extra,
    )


def form(who, **overrides):
    return {
        "driver": str(who.membership.pk),
        "vehicle": "",
        "title": "Bring the ladder",
        "notes": "",
        "destination": "Hovedgaden 1, Glostrup",
        "destination_lat": "",
        "destination_lon": "",
        "due_at": "",
        **overrides,
    }


def test_it_sends_a_job_with_the_form(login, fred, dora):
    client = login(fred)
    page = client.get("/jobs/new/")
    assert page.status_code == 200 and "Dora Dahl" in page.content.decode()
    response = client.post("/jobs/new/", form(dora))
    job = Job.objects.get()
    assert response.status_code == 302 and response.url == f"/jobs/{job.pk}/"
    assert (job.driver, job.created_by, job.destination) == (dora, fred, "Hovedgaden 1, Glostrup")
    detail = client.get(response.url).content.decode()
    assert "Bring the ladder" in detail and "Sent" in detail


def test_it_sends_to_the_driver_of_a_van(login, fred, dora, dora_van):
    response = login(fred).post("/jobs/new/", form(dora, driver="", vehicle=dora_van.vin))
    assert response.status_code == 302
    assert Job.objects.get().vehicle == dora_van


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"title": ""}, "title"),
        ({"title": "x" * 121}, "title"),
        ({"notes": "x" * 2001}, "notes"),
        ({"due_at": "2020-05-01T08:00"}, "due_at"),
        ({"driver": ""}, "driver"),
        ({"destination_lat": "55.6"}, "destination"),
    ],
)
def test_it_shows_bad_input_on_the_form(login, fred, dora, overrides, field):
    response = login(fred).post("/jobs/new/", form(dora, **overrides))
    assert response.status_code == 200
    assert field in response.context["form"].errors, response.context["form"].errors
    assert not Job.objects.exists()


def test_it_refuses_a_non_driver_on_the_form(login, fred, alice, dora):
    response = login(fred).post("/jobs/new/", form(dora, driver=str(alice.membership.pk)))
    assert response.status_code == 200 and not Job.objects.exists()


def test_it_lists_jobs_with_status_and_filters(login, fred, dora, dan):
    first = _send(fred, dora, title="First job")
    _send(fred, dan, title="Dan's job")
    services.job_mark(job=first, status="accepted", actor=Actor.customer(dora))
    client = login(fred)
    page = client.get("/jobs/").content.decode()
    assert "First job" in page and "Dan&#x27;s job" in page and "Accepted" in page
    accepted = client.get("/jobs/?status=accepted").content.decode()
    assert "First job" in accepted and "Dan&#x27;s job" not in accepted
    by_dan = client.get(f"/jobs/?driver={dan.membership.pk}").content.decode()
    assert "Dan&#x27;s job" in by_dan and "First job" not in by_dan


def test_it_shows_each_change_with_its_time_and_the_decline_reason(login, fred, dora):
    job = _send(fred, dora, due_at=timezone.now() + datetime.timedelta(days=1))
    services.job_mark(job=job, status="read", actor=Actor.customer(dora))
    services.job_mark(job=job, status="declined", reason="No room in the van", actor=Actor.customer(dora))
    page = login(fred).get(f"/jobs/{job.pk}/").content.decode()
    assert "Read" in page and "Declined" in page and "No room in the van" in page


@pytest.mark.parametrize("persona", ["dora"])
def test_it_keeps_the_pages_from_drivers(request, login, persona, fred, dora):
    job = _send(fred, dora)
    client = login(request.getfixturevalue(persona))
    assert client.get("/jobs/").status_code == 403
    assert client.post("/jobs/new/", form(dora)).status_code == 403
    assert client.get(f"/jobs/{job.pk}/").status_code == 403
    assert Job.objects.count() == 1


def test_it_answers_404_to_another_company(login, oscar, fred, dora):
    job = _send(fred, dora)
    assert login(oscar).get(f"/jobs/{job.pk}/").status_code == 404
    assert "Deliver parcels" not in login(oscar).get("/jobs/").content.decode()


def test_it_lists_in_a_fixed_number_of_queries(login, fred, dora, django_assert_max_num_queries):
    client = login(fred)
    for n in range(3):
        _send(fred, dora, title=f"Job {n}")
    with django_assert_max_num_queries(14):
        client.get("/jobs/")
    for n in range(15):
        _send(fred, dora, title=f"More {n}")
    with django_assert_max_num_queries(14):
        assert "More 14" in client.get("/jobs/").content.decode()
