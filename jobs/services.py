"""Every write on jobs: a fleet manager (or administrator) sends one to a driver, the driver moves
it along (read, accepted, done, declined). Pages, the driver app and the API call these."""

from __future__ import annotations

import datetime
import math

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from companies.audit import Actor, record
from companies.models import Company, InvitationStatus, Membership, Role
from companies.permissions import allows
from mpro import outbox
from mpro.errors import ConflictError, FieldErrors, ForbiddenError
from vehicles.models import Vehicle
from vehicles.vin import normalize_vin

from .models import ADDRESS_MAX, NOTES_MAX, REASON_MAX, TITLE_MAX, Job, JobStatus

JOB_SENT = "job.sent"


def _too_long(limit: int) -> str:
    return _("Keep it to %(limit)s characters.") % {"limit": limit}


def _sender_membership(*, company: Company, actor: Actor) -> Membership:
    membership = (
        Membership.objects.for_company(company)
        .filter(user=actor.user, invitation_status=InvitationStatus.ACCEPTED)
        .first()
        if actor.user is not None
        else None
    )
    if membership is None or not allows(membership.role, "jobs.manage"):
        raise ForbiddenError(_("Only administrators and fleet managers send jobs."), code="permission_denied")
    return membership


def _addressee(*, company: Company, driver_member_id: int | None, vehicle_vin: str | None):
    """(driver user, vehicle or None) from a member id or a van's VIN (its current driver)."""
    if driver_member_id is None and not vehicle_vin:
        raise FieldErrors({"driver": [_("Choose a driver or a van.")]})
    vehicle = None
    if vehicle_vin:
        vehicle = (
            Vehicle.objects.for_company(company)
            .select_related("driver")
            .filter(vin=normalize_vin(vehicle_vin))
            .first()
        )
        if vehicle is None:
            raise FieldErrors({"vehicle": [_("No van of your company has this VIN.")]})
        if vehicle.driver is None:
            raise FieldErrors(
                {"vehicle": [_("This van has no driver at the moment. Choose a driver instead.")]}
            )
        user = vehicle.driver
        member = Membership.objects.for_company(company).filter(user=user).first()
        if driver_member_id is not None and (member is None or member.pk != driver_member_id):
            raise FieldErrors({"driver": [_("This driver does not drive the van you chose.")]})
    else:
        # Another company's member reads as no member at all: its existence is none of our business.
        member = (
            Membership.objects.for_company(company).select_related("user").filter(pk=driver_member_id).first()
        )
        if member is None:
            raise FieldErrors({"driver": [_("No member of your company has this id.")]})
        user = member.user
    if member is None or member.role != Role.DRIVER or member.invitation_status != InvitationStatus.ACCEPTED:
        raise FieldErrors({"driver": [_("Jobs go to members with the driver role who have joined.")]})
    if vehicle is None:
        vehicle = Vehicle.objects.for_company(company).filter(driver=user).first()
    return user, vehicle


def _validate(*, title, notes, destination, lat, lon, due_at, now) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not title:
        errors["title"] = [_("Give the job a title.")]
    elif len(title) > TITLE_MAX:
        errors["title"] = [_too_long(TITLE_MAX)]
    if len(notes) > NOTES_MAX:
        errors["notes"] = [_too_long(NOTES_MAX)]
    if len(destination) > ADDRESS_MAX:
        errors["destination"] = [_too_long(ADDRESS_MAX)]
    if (lat is None) != (lon is None):
        errors["destination"] = [_("Give both latitude and longitude, or neither.")]
    elif lat is not None and not (
        math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180
    ):
        errors["destination"] = [_("Latitude runs from -90 to 90 and longitude from -180 to 180.")]
    if due_at is not None and due_at <= now:
        errors["due_at"] = [_("The due time has passed already. Choose a time in the future.")]
    return errors


def job_send(
    *,
    company: Company,
    actor: Actor,
    title: str,
    driver_member_id: int | None = None,
    vehicle_vin: str | None = None,
    notes: str = "",
    destination: str = "",
    destination_lat: float | None = None,
    destination_lon: float | None = None,
    due_at: datetime.datetime | None = None,
) -> Job:
    """Sends a job to a driver of the company, or to the current driver of one of its vans. The
    driver is e-mailed (in their language) after commit, through the outbox."""
    _sender_membership(company=company, actor=actor)
    now = timezone.now()
    title, notes, destination = (title or "").strip(), (notes or "").strip(), (destination or "").strip()
    errors = _validate(
        title=title,
        notes=notes,
        destination=destination,
        lat=destination_lat,
        lon=destination_lon,
        due_at=due_at,
        now=now,
    )
    try:
        driver, vehicle = _addressee(
            company=company, driver_member_id=driver_member_id, vehicle_vin=vehicle_vin
        )
    except FieldErrors as error:
        errors = {**error.errors, **errors}
    if errors:
        raise FieldErrors(errors)
    with transaction.atomic():
        job = Job.objects.create(
            company=company,
            created_by=actor.user,
            driver=driver,
            vehicle=vehicle,
            title=title,
            notes=notes,
            destination=destination,
            destination_lat=destination_lat,
            destination_lon=destination_lon,
            due_at=due_at,
            sent_at=now,
        )
        record(
            actor=actor,
            company=company,
            action="job.sent",
            target=title,
            details={"job": job.pk, "driver": driver.email, "vehicle": vehicle.vin if vehicle else None},
        )
        outbox.emit(JOB_SENT, company_id=company.pk, payload={"job": job.pk})
    return job


def job_mark(*, job: Job, status: str, actor: Actor, reason: str = "") -> Job:
    """The addressed driver moves the job on. Allowed: sent → read / accepted / declined,
    read → accepted / declined, accepted → done / declined; done and declined are final (409).
    Asking for the status the job already has changes nothing (a retried request is harmless)."""
    if status not in JobStatus.values or status == JobStatus.SENT:
        raise FieldErrors({"status": [_("Choose read, accepted, done or declined.")]})
    reason = (reason or "").strip()
    if actor.user is None or actor.user.pk != job.driver_id:
        raise ForbiddenError(_("Only the driver the job was sent to can change its status."))
    if status == JobStatus.DECLINED and not reason:
        raise FieldErrors({"reason": [_("Say why you decline the job.")]})
    if len(reason) > REASON_MAX:
        raise FieldErrors({"reason": [_too_long(REASON_MAX)]})
    with transaction.atomic():
        job = Job.objects.select_for_update().get(pk=job.pk)
        if job.status == status:
            return job
        if status not in job.allowed_next:
            raise ConflictError(
                _("This job is %(status)s; it cannot become %(new)s now.")
                % {"status": job.get_status_display().lower(), "new": JobStatus(status).label.lower()},
                code="job_status_not_allowed",
            )
        now = timezone.now()
        before = job.status
        job.status = status
        setattr(job, f"{status}_at", now)
        fields = ["status", f"{status}_at"]
        if status == JobStatus.DECLINED:
            job.decline_reason = reason
            fields.append("decline_reason")
        job.save(update_fields=fields)
        record(
            actor=actor,
            company=job.company,
            action="job.status_changed",
            target=job.title,
            details={"job": job.pk, "from": before, "to": status},
        )
    return job
