import datetime
import io

import pytest
import time_machine
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from companies.audit import Actor, record
from companies.models import AuditEvent
from retail.models import Attestation, SupportPasswordAttempt, SupportSession

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2026, 11, 23, 12, 0, tzinfo=datetime.UTC)


def event_at(moment, target):
    with time_machine.travel(moment, tick=False):
        return record(actor=Actor.system(), company=None, action="system.probe", target=target)


def session_at(moment, sam, company):
    with time_machine.travel(moment, tick=False):
        return SupportSession.objects.create(staff=sam, company=company, expires_at=timezone.now())


@pytest.fixture
def aged(settings, sam, company):
    settings.RETENTION_AUDIT_EVENTS_DAYS = 30
    settings.RETENTION_SUPPORT_SESSIONS_DAYS = 10
    cutoff = NOW - datetime.timedelta(days=30)
    event_at(cutoff - datetime.timedelta(seconds=1), "older")
    event_at(cutoff, "exactly-the-limit")
    event_at(cutoff + datetime.timedelta(days=1), "younger")
    session_cutoff = NOW - datetime.timedelta(days=10)
    old = session_at(session_cutoff - datetime.timedelta(minutes=1), sam, company)
    new = session_at(session_cutoff + datetime.timedelta(minutes=1), sam, company)
    with time_machine.travel(session_cutoff - datetime.timedelta(days=2), tick=False):
        Attestation.objects.create(staff=sam, company=company, expires_at=timezone.now())
        SupportPasswordAttempt.objects.create(staff=sam, company=company, succeeded=False)
    return old, new


def targets():
    return sorted(AuditEvent.objects.filter(action="system.probe").values_list("target", flat=True))


def test_it_deletes_exactly_what_is_older_than_each_setting(aged):
    old, new = aged
    out = io.StringIO()
    with time_machine.travel(NOW, tick=False):
        call_command("purge_expired", stdout=out)
    assert targets() == ["exactly-the-limit", "younger"]
    assert list(SupportSession.objects.values_list("pk", flat=True)) == [new.pk]
    assert not Attestation.objects.exists() and not SupportPasswordAttempt.objects.exists()
    assert "audit_events" in out.getvalue() and "deleted 1" in out.getvalue()


def test_it_counts_without_deleting_in_a_dry_run(aged):
    out = io.StringIO()
    with time_machine.travel(NOW, tick=False):
        call_command("purge_expired", "--dry-run", stdout=out)
    assert targets() == ["exactly-the-limit", "older", "younger"]
    assert SupportSession.objects.count() == 2
    assert "would delete 1" in out.getvalue()


def test_it_runs_daily_as_a_beat_task(aged):
    from privacy.tasks import purge_expired

    assert settings.CELERY_BEAT_SCHEDULE["purge-expired-daily"]["task"] == "privacy.tasks.purge_expired"
    with time_machine.travel(NOW, tick=False):
        result = purge_expired.delay().get()
    assert result["audit_events"] == 1 and result["support_sessions"] == 1
    assert targets() == ["exactly-the-limit", "younger"]


def test_it_goes_on_with_the_other_kinds_when_one_fails(aged):
    from mpro import retention

    def broken(cutoff, dry_run):
        raise RuntimeError("partition locked")

    retention.register(retention.RetentionRule("aaa_broken", "Broken", "NOPE", 1, purge=broken))
    try:
        with time_machine.travel(NOW, tick=False), pytest.raises(SystemExit):
            call_command("purge_expired", stdout=io.StringIO())
    finally:
        retention._RULES.pop("aaa_broken")
    assert targets() == ["exactly-the-limit", "younger"]
