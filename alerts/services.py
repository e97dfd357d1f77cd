"""Every write of the alerts app: evaluating reported batches, acknowledging, geofences, the
company's thresholds and a person's e-mail opt-in. Each runs in one transaction and is audited."""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from companies.audit import Actor, record, record_many
from companies.models import Company
from mpro import outbox
from mpro.errors import ConflictError, FieldErrors
from packs.selectors import vehicles_with_live_service
from telematics.selectors import FLEET_MANAGEMENT
from telematics.signals import IngestedReport
from vehicles.models import Vehicle

from . import conditions, selectors
from .models import Alert, AlertEmailOptIn, AlertKind, AlertSettings, Geofence, GeofencePresence

ALERT_RAISED = "alert.raised"
GEOFENCE_RADIUS_MIN_M = 50
GEOFENCE_RADIUS_MAX_M = 50_000
GEOFENCE_NAME_MAX = 60


class AlreadyAcknowledgedError(ConflictError):
    default_code = "alert_acknowledged"

    def __init__(self):
        super().__init__(_("Someone has acknowledged this alert already."), code="alert_acknowledged")


# --- evaluation of reports ------------------------------------------------------------------------
@dataclass
class EvaluationOutcome:
    raised: list[Alert] = field(default_factory=list)
    cleared: int = 0


def alerts_evaluate(
    *, batch: list[IngestedReport], now: datetime.datetime | None = None
) -> EvaluationOutcome:
    """Raises the alerts whose condition started with this batch and clears those whose condition
    ended. A fixed number of queries per batch, whatever its size (tested). Only vans with fleet
    management live are watched."""
    now = now or timezone.now()
    outcome = EvaluationOutcome()
    live = vehicles_with_live_service(FLEET_MANAGEMENT, [item.vehicle_id for item in batch])
    batch = [item for item in batch if item.vehicle_id in live]
    if not batch:
        return outcome
    vehicle_ids = [item.vehicle_id for item in batch]
    company_ids = {item.company_id for item in batch}
    with transaction.atomic():
        circles = selectors.geofence_circles(company_ids)
        changes = _Changes(
            thresholds=selectors.thresholds_for(company_ids),
            circles=circles,
            presence=selectors.presences(vehicle_ids) if circles else {},
            uncleared=selectors.uncleared_alerts(vehicle_ids),
        )
        for item in batch:
            changes.follow(item)
        if changes.to_clear:
            outcome.cleared = Alert.objects.filter(pk__in=changes.to_clear, cleared_at__isnull=True).update(
                cleared_at=now
            )
        _move_presences(changes.enter, changes.leave)
        if changes.new_alerts:
            outcome.raised = Alert.objects.bulk_create(changes.new_alerts)
            _announce(outcome.raised)
    return outcome


@dataclass
class _Changes:
    """What a batch changes, van by van: alerts to raise and to clear, geofences entered and left.
    Reads what the batch's queries loaded (thresholds, circles, presences, unfinished alerts)."""

    thresholds: dict
    circles: dict
    presence: dict
    uncleared: dict
    new_alerts: list[Alert] = field(default_factory=list)
    to_clear: list[int] = field(default_factory=list)
    enter: list[GeofencePresence] = field(default_factory=list)
    leave: list[tuple[int, int]] = field(default_factory=list)

    def follow(self, item: IngestedReport) -> None:
        report = item.report
        mine = self.uncleared.get(item.vehicle_id, {})
        inside_now = conditions.inside(report, self.circles.get(item.company_id, []))
        was_inside = self.presence.get(item.vehicle_id, set())
        still_out = {
            alert.geofence_id
            for (kind, _subject), alert in mine.items()
            if kind == AlertKind.GEOFENCE_EXIT and alert.geofence_id is not None
        }
        left = (was_inside | still_out) - inside_now
        holding = conditions.evaluate(report, self.thresholds[item.company_id], left_geofences=left)
        for (kind, subject), value in holding.items():
            if (kind, subject) not in mine:
                self.new_alerts.append(_alert(item, kind, subject, value))
        self.to_clear += [alert.pk for key, alert in mine.items() if key not in holding]
        self.enter += [
            GeofencePresence(vehicle_id=item.vehicle_id, geofence_id=g, since=report.at)
            for g in inside_now - was_inside
        ]
        self.leave += [(item.vehicle_id, g) for g in was_inside - inside_now]


def _alert(item: IngestedReport, kind: str, subject: str, value) -> Alert:
    return Alert(
        company_id=item.company_id,
        vehicle_id=item.vehicle_id,
        kind=kind,
        subject=subject,
        geofence_id=int(subject.split(":")[1]) if subject else None,
        value=value,
        lat=item.report.lat,
        lon=item.report.lon,
        raised_at=item.report.at,
    )


def _move_presences(enter: list[GeofencePresence], leave: list[tuple[int, int]]) -> None:
    if enter:
        GeofencePresence.objects.bulk_create(enter, ignore_conflicts=True)
    if leave:
        gone = Q()
        for vehicle_id, geofence_id in leave:
            gone |= Q(vehicle_id=vehicle_id, geofence_id=geofence_id)
        GeofencePresence.objects.filter(gone).delete()


def _announce(alerts: list[Alert]) -> None:
    """Audit and outbox for raised alerts: e-mail and webhooks are consumers of `alert.raised`."""
    vins = dict(Vehicle.objects.filter(pk__in={a.vehicle_id for a in alerts}).values_list("pk", "vin"))
    pro_ids = dict(Company.objects.filter(pk__in={a.company_id for a in alerts}).values_list("pk", "pro_id"))
    record_many(
        actor=Actor.system(),
        action="alert.raised",
        events=[
            (
                Company(pk=a.company_id, pro_id=pro_ids[a.company_id]),
                vins[a.vehicle_id],
                {"alert": a.pk, "kind": a.kind},
            )
            for a in alerts
        ],
    )
    outbox.emit_many(
        ALERT_RAISED,
        [
            (
                alert.company_id,
                {
                    "alert_id": alert.pk,
                    "kind": alert.kind,
                    "vin": vins[alert.vehicle_id],
                    "pro_id": pro_ids[alert.company_id],
                },
            )
            for alert in alerts
        ],
    )


# --- acknowledging ---------------------------------------------------------------------------------
def alert_acknowledge(*, company: Company, alert_id: int, actor: Actor) -> Alert:
    """Marks an alert seen; it stops showing as open. Another company's alert does not exist (None
    is the caller's 404). Acknowledging twice is a conflict."""
    with transaction.atomic():
        alert = (
            Alert.objects.for_company(company)
            .select_for_update()
            .select_related("vehicle")
            .filter(pk=alert_id)
            .first()
        )
        if alert is None:
            raise Alert.DoesNotExist
        if alert.acknowledged_at is not None:
            raise AlreadyAcknowledgedError()
        alert.acknowledged_at = timezone.now()
        alert.acknowledged_by = actor.user
        alert.save(update_fields=["acknowledged_at", "acknowledged_by"])
        record(
            actor=actor,
            company=company,
            action="alert.acknowledged",
            target=alert.vehicle.vin,
            details={"alert": alert.pk, "kind": alert.kind},
        )
    return alert


# --- geofences -------------------------------------------------------------------------------------
def _geofence_errors(*, name: str, lat, lon, radius_m) -> dict[str, list]:
    errors: dict[str, list] = {}
    if not name:
        errors["name"] = [_("Give the geofence a name.")]
    elif len(name) > GEOFENCE_NAME_MAX:
        errors["name"] = [_("Keep the name to %(max)d characters.") % {"max": GEOFENCE_NAME_MAX}]
    for key, value, bound in (("lat", lat, 90), ("lon", lon, 180)):
        if value is None or not math.isfinite(value) or not -bound <= value <= bound:
            errors[key] = [
                _("Place the centre on the map (a number between -%(b)d and %(b)d).") % {"b": bound}
            ]
    if radius_m is None or not GEOFENCE_RADIUS_MIN_M <= radius_m <= GEOFENCE_RADIUS_MAX_M:
        errors["radius_m"] = [
            _("The radius must lie between %(min)d m and %(max)d m.")
            % {"min": GEOFENCE_RADIUS_MIN_M, "max": GEOFENCE_RADIUS_MAX_M}
        ]
    return errors


def geofence_create(
    *, company: Company, name: str, lat: float, lon: float, radius_m: int, actor: Actor
) -> Geofence:
    name = (name or "").strip()
    errors = _geofence_errors(name=name, lat=lat, lon=lon, radius_m=radius_m)
    if errors:
        raise FieldErrors(errors)
    with transaction.atomic():
        # The company row serialises concurrent creations, so the maximum holds.
        Company.objects.select_for_update().filter(pk=company.pk).first()
        existing = Geofence.objects.for_company(company)
        limit = settings.ALERTS_MAX_GEOFENCES
        if existing.count() >= limit:
            raise FieldErrors(
                {
                    "non_field_errors": [
                        _("Your company has %(max)d geofences, the most it can have. Delete one first.")
                        % {"max": limit}
                    ]
                }
            )
        if existing.filter(name__iexact=name).exists():
            raise FieldErrors({"name": [_("Your company has a geofence of this name already.")]})
        geofence = Geofence.objects.create(
            company=company, name=name, lat=lat, lon=lon, radius_m=radius_m, created_by=actor.user
        )
        record(
            actor=actor,
            company=company,
            action="geofence.created",
            target=name,
            details={"geofence": geofence.pk, "lat": lat, "lon": lon, "radius_m": radius_m},
        )
    return geofence


GEOFENCE_FIELDS = ("name", "lat", "lon", "radius_m")


def geofence_update(*, company: Company, geofence_id: int, actor: Actor, **changes) -> Geofence:
    """Renames, moves or resizes a geofence (the page's edit form, PATCH /geofences/{id}): the
    fields given change, under the rules of geofence_create. Moving or resizing forgets who was
    inside: a van inside the new circle counts as inside from its next report, and one outside it
    never was (no exit alert for a van the circle moved away from); open exit alerts end when
    their van is inside the new circle. Another company's geofence does not exist (the 404)."""
    unknown = set(changes) - set(GEOFENCE_FIELDS)
    if unknown:
        raise TypeError(f"not geofence fields: {sorted(unknown)}")
    with transaction.atomic():
        geofence = Geofence.objects.for_company(company).select_for_update().filter(pk=geofence_id).first()
        if geofence is None:
            raise Geofence.DoesNotExist
        values = {**{f: getattr(geofence, f) for f in GEOFENCE_FIELDS}, **changes}
        values["name"] = (values["name"] or "").strip()
        errors = _geofence_errors(**values)
        if errors:
            raise FieldErrors(errors)
        same_name = Geofence.objects.for_company(company).filter(name__iexact=values["name"])
        if same_name.exclude(pk=geofence.pk).exists():
            raise FieldErrors({"name": [_("Your company has a geofence of this name already.")]})
        changed = {f: (getattr(geofence, f), v) for f, v in values.items() if getattr(geofence, f) != v}
        if not changed:
            return geofence
        for name, (_before, after) in changed.items():
            setattr(geofence, name, after)
        geofence.save(update_fields=list(changed))
        if changed.keys() & {"lat", "lon", "radius_m"}:
            GeofencePresence.objects.filter(geofence=geofence).delete()
        record(
            actor=actor,
            company=company,
            action="geofence.changed",
            target=geofence.name,
            details={"geofence": geofence.pk, **{f: list(pair) for f, pair in changed.items()}},
        )
    return geofence


def geofence_delete(*, company: Company, geofence_id: int, actor: Actor) -> None:
    """Deletes the geofence; its open exit alerts clear (their condition can no longer hold)."""
    with transaction.atomic():
        geofence = Geofence.objects.for_company(company).select_for_update().filter(pk=geofence_id).first()
        if geofence is None:
            raise Geofence.DoesNotExist
        Alert.objects.filter(
            company=company, kind=AlertKind.GEOFENCE_EXIT, geofence=geofence, cleared_at__isnull=True
        ).update(cleared_at=timezone.now())
        record(
            actor=actor,
            company=company,
            action="geofence.deleted",
            target=geofence.name,
            details={"geofence": geofence.pk},
        )
        geofence.delete()


# --- thresholds and e-mail opt-in ----------------------------------------------------------------
THRESHOLD_BOUNDS = {
    "fuel_low_percent": (1, 100),
    "battery_low_percent": (1, 100),
    "service_due_days": (0, 365),
    "service_due_km": (0, 50_000),
}


def alert_settings_update(*, company: Company, actor: Actor, **values: int) -> AlertSettings:
    errors = {}
    for key, value in values.items():
        low, high = THRESHOLD_BOUNDS[key]
        if value is None or not low <= value <= high:
            errors[key] = [_("Choose a value from %(low)d to %(high)d.") % {"low": low, "high": high}]
    if errors:
        raise FieldErrors(errors)
    with transaction.atomic():
        current, _created = AlertSettings.objects.select_for_update().get_or_create(company=company)
        changed = {k: v for k, v in values.items() if getattr(current, k) != v}
        for key, value in changed.items():
            setattr(current, key, value)
        current.save()
        if changed:
            record(actor=actor, company=company, action="alerts.settings_changed", details=changed)
    return current


def alert_emails_set(*, user, enabled: bool, actor: Actor) -> bool:
    """A person's own choice: alerts by e-mail or not. Only administrators and fleet managers get
    them; the caller checks the role."""
    with transaction.atomic():
        if enabled:
            _row, created = AlertEmailOptIn.objects.get_or_create(user=user)
            changed = created
        else:
            changed = AlertEmailOptIn.objects.filter(user=user).delete()[0] > 0
        if changed:
            company = user.membership.company if hasattr(user, "membership") else None
            record(actor=actor, company=company, action="alerts.emails_changed", details={"enabled": enabled})
    return enabled
