"""Reads of jobs: the driver's own, the company's for its managers, one job as the caller may see it."""

from __future__ import annotations

from django.db.models import QuerySet

from companies.models import Company, InvitationStatus, Membership, Role
from companies.permissions import allows

from .models import Job


def _base(company: Company) -> QuerySet[Job]:
    return Job.objects.for_company(company).select_related("driver", "vehicle", "created_by")


def jobs_for_driver(company: Company, user) -> QuerySet[Job]:
    """The driver's jobs, newest first."""
    return _base(company).filter(driver=user).order_by("-sent_at", "-id")


def jobs_for_managers(
    company: Company, *, status: str | None = None, driver_member: Membership | None = None
) -> QuerySet[Job]:
    """The company's jobs, newest first, optionally one status or one driver's."""
    qs = _base(company)
    if status:
        qs = qs.filter(status=status)
    if driver_member is not None:
        qs = qs.filter(driver_id=driver_member.user_id)
    return qs.order_by("-sent_at", "-id")


def jobs_in_reach(company: Company, membership: Membership) -> QuerySet[Job]:
    """What the caller may see: managers every job of the company, anyone else their own."""
    if allows(membership.role, "jobs.manage"):
        return jobs_for_managers(company)
    return jobs_for_driver(company, membership.user)


def job_in_reach(company: Company, membership: Membership, job_id: int) -> Job | None:
    """One job, or None (a 404: another company's job, or another driver's)."""
    return jobs_in_reach(company, membership).filter(pk=job_id).first()


def drivers_to_address(company: Company) -> QuerySet[Membership]:
    """Members a job can go to: drivers who have joined, with the van they drive."""
    return (
        Membership.objects.for_company(company)
        .filter(role=Role.DRIVER, invitation_status=InvitationStatus.ACCEPTED)
        .select_related("user", "user__driven_vehicle")
        .order_by("user__first_name", "user__last_name", "user__email")
    )
