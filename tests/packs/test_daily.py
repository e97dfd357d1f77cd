import datetime

from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from companies.audit import Actor
from companies.models import AuditEvent
from packs import services, tasks
from packs.models import Subscription
from tests import factories as f
from vehicles.models import EmulatedModule


def sub_for(company, vehicle, pack, **fields):
    return f.SubscriptionFactory(order__company=company, order__pack=pack, vehicle=vehicle, **fields)


def run(today, capture):
    with capture(execute=True):
        return services.subscriptions_daily(actor=Actor.system(), today=today)


def test_it_reminds_the_administrators_30_days_before_the_welcome_offer_ends_once(
    ready, alice, fred, verified_van, evan, bundle, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    alice.language = "da"
    alice.save()
    soon = sub_for(
        ready, verified_van, bundle, status="active", trial_ends_at=today + datetime.timedelta(days=30)
    )
    later = sub_for(ready, evan, bundle, status="active", trial_ends_at=today + datetime.timedelta(days=31))

    counts = run(today, django_capture_on_commit_callbacks)
    assert counts["reminded"] == 1
    assert [m.to for m in mail.outbox] == [[alice.email]]  # administrators only, not the fleet manager
    assert verified_van.vin in mail.outbox[0].body and evan.vin not in mail.outbox[0].body
    # In the administrator's language, with the amount written the Danish way and a working link.
    body = mail.outbox[0].body
    assert body.startswith("Hej ")
    assert "1.870,00\xa0kr." in body
    link = next(line for line in body.splitlines() if line.startswith(settings.SITE_URL))
    assert link == settings.SITE_URL + reverse("packs:billing")
    soon.refresh_from_db()
    later.refresh_from_db()
    assert soon.trial_reminder_sent_at and later.trial_reminder_sent_at is None

    assert run(today, django_capture_on_commit_callbacks)["reminded"] == 0
    assert len(mail.outbox) == 1
    assert AuditEvent.objects.filter(action="subscriptions.trial_reminder_sent", company=ready).count() == 1


def test_it_moves_subscriptions_into_their_paid_period(
    ready, verified_van, bundle, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    ended = today - datetime.timedelta(days=1)
    sub = sub_for(ready, verified_van, bundle, status="active", trial_ends_at=ended, paid_from=today)
    counts = run(today, django_capture_on_commit_callbacks)
    assert counts["paid"] == 1
    sub.refresh_from_db()
    assert sub.paid_from == today
    assert sub.paid_until == today.replace(year=today.year + 1) - datetime.timedelta(days=1)
    assert not sub.in_trial
    assert run(today, django_capture_on_commit_callbacks)["paid"] == 0
    # One audit event, on the customer's history, only for the day the paid year started.
    from companies.models import AuditEvent

    event = AuditEvent.objects.get(action="subscription.paid_period_started")
    assert (event.company, event.target, event.actor_kind) == (ready, verified_van.vin, "system")
    assert event.details["paid_until"] == sub.paid_until.isoformat()


def test_it_renews_a_paid_year(ready, verified_van, bundle, django_capture_on_commit_callbacks):
    today = timezone.localdate()
    sub = sub_for(
        ready,
        verified_van,
        bundle,
        status="active",
        trial_ends_at=None,
        paid_from=today - datetime.timedelta(days=366),
        paid_until=today - datetime.timedelta(days=1),
    )
    assert run(today, django_capture_on_commit_callbacks)["renewed"] == 1
    sub.refresh_from_db()
    assert sub.paid_from == today and sub.paid_until > today


def test_it_expires_subscriptions_whose_notice_period_ended(
    ready, alice, verified_van, bundle, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        order = services.order_place(
            company=ready, pack_code=bundle.code, vins=[verified_van.vin], actor=Actor.customer(alice)
        )
    sub = order.subscriptions.get()
    assert sub.status == "active"
    services.subscription_cancel(subscription=sub, actor=Actor.customer(alice), at_period_end=True)
    sub.refresh_from_db()
    assert run(sub.ends_at, django_capture_on_commit_callbacks)["expired"] == 0
    counts = run(sub.ends_at + datetime.timedelta(days=1), django_capture_on_commit_callbacks)
    assert counts["expired"] == 1
    sub.refresh_from_db()
    assert sub.status == "expired" and sub.deactivated_at
    assert EmulatedModule.objects.get(vin=verified_van.vin).active_services == []


def test_it_runs_as_the_beat_task(ready, verified_van, bundle, settings):
    assert settings.CELERY_BEAT_SCHEDULE["subscriptions-daily"]["task"] == tasks.subscriptions_daily.name
    today = timezone.localdate()
    sub_for(ready, verified_van, bundle, status="active", trial_ends_at=today + datetime.timedelta(days=10))
    result = tasks.subscriptions_daily.apply().get()
    assert result["reminded"] == 1
    assert Subscription.objects.filter(trial_reminder_sent_at__isnull=False).count() == 1


def test_it_renews_a_whole_fleet_in_a_constant_number_of_queries(
    ready, bundle, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    today = timezone.localdate()

    def due(n):
        return [
            sub_for(
                ready,
                f.VehicleFactory(company=ready, verification_status="verified"),
                bundle,
                status="active",
                trial_ends_at=None,
                paid_from=today - datetime.timedelta(days=366),
                paid_until=today - datetime.timedelta(days=1),
            )
            for _ in range(n)
        ]

    due(3)
    with django_assert_max_num_queries(20) as small:
        assert run(today, django_capture_on_commit_callbacks)["renewed"] == 3
    many = due(30)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert run(today, django_capture_on_commit_callbacks)["renewed"] == 30
    for sub in many:
        sub.refresh_from_db()
        assert sub.paid_from == today and sub.paid_until > today
