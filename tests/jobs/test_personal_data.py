"""Jobs in the personal-data registries: the export, a driver's erasure, a company's closure and
retention."""

import datetime

from django.utils import timezone

from companies.audit import Actor
from jobs import services
from jobs.models import Job
from mpro import personal_data as pd
from mpro import retention


def _job(fred, dora, title="Sort the returns"):
    return services.job_send(
        company=dora.membership.company,
        actor=Actor.customer(fred),
        driver_member_id=dora.membership.pk,
        title=title,
        destination="Depot 2",
    )


def test_it_exports_the_jobs_sent_to_the_person(fred, dora):
    job = _job(fred, dora)
    services.job_mark(job=job, status="declined", reason="On leave", actor=Actor.customer(dora))
    exported = pd.SECTIONS["jobs"].collect(dora)
    assert exported == [
        {
            **exported[0],
            "title": "Sort the returns",
            "status": "declined",
            "decline_reason": "On leave",
            "destination": {"address": "Depot 2", "lat": None, "lon": None},
        }
    ]
    assert pd.SECTIONS["jobs"].collect(fred) == []


def test_it_deletes_the_drivers_jobs_on_erasure_and_keeps_the_senders(fred, dora):
    _job(fred, dora)
    step = pd.PERSON_STEPS["jobs"]
    assert [item.outcome for item in step.plan(dora)] == [pd.DELETED]
    assert [item.outcome for item in step.plan(fred)] == [pd.KEPT]
    step.erase(dora, pd.ErasureContext(actor=Actor.system(), pseudonym="Former user 1"))
    assert not Job.objects.exists()


def test_it_deletes_the_companys_jobs_on_closure(fred, dora, company):
    _job(fred, dora)
    step = pd.COMPANY_STEPS["jobs"]
    assert step.plan(company)[0].count == 1
    step.erase(company, pd.ErasureContext(actor=Actor.system(), pseudonym=""))
    assert not Job.objects.exists()


def test_it_purges_jobs_after_their_retention(fred, dora, settings):
    settings.RETENTION_JOBS_DAYS = 30
    old = _job(fred, dora, "Old")
    _job(fred, dora, "New")
    Job.objects.filter(pk=old.pk).update(sent_at=timezone.now() - datetime.timedelta(days=31))
    rule = next(r for r in retention.rules() if r.key == "jobs")
    assert rule.run(now=timezone.now()) == 1
    assert list(Job.objects.values_list("title", flat=True)) == ["New"]
