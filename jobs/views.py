"""Portal pages of jobs for administrators and fleet managers: the list (filters by status and
driver) and the form that sends one. Drivers answer jobs in the driver app (/app/jobs/)."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from companies.audit import Actor
from companies.tenancy import member_required
from mpro.errors import DomainError
from mpro.forms import show_error
from vehicles.models import Vehicle

from . import selectors, services
from .forms import JobFilterForm, JobSendForm

PAGE_SIZE = 50


@member_required("jobs.manage")
def job_list(request):
    drivers = list(selectors.drivers_to_address(request.company))
    filters = JobFilterForm(request.GET or None, drivers=drivers)
    status, member = None, None
    if filters.is_valid():
        status = filters.cleaned_data["status"] or None
        member_id = filters.cleaned_data["driver"]
        member = next((m for m in drivers if str(m.pk) == member_id), None)
    jobs = selectors.jobs_for_managers(request.company, status=status, driver_member=member)
    page = Paginator(jobs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "jobs/list.html", {"page": page, "filters": filters})


@member_required("jobs.manage")
def job_send(request):
    drivers = list(selectors.drivers_to_address(request.company))
    vehicles = list(
        Vehicle.objects.for_company(request.company)
        .filter(driver__isnull=False)
        .select_related("driver")
        .order_by("nickname", "vin")[:500]
    )
    initial = {"driver": request.GET.get("driver", ""), "vehicle": request.GET.get("vehicle", "")}
    form = JobSendForm(request.POST or None, initial=initial, drivers=drivers, vehicles=vehicles)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            job = services.job_send(
                company=request.company,
                actor=Actor.customer(request.user),
                driver_member_id=int(data["driver"]) if data["driver"] else None,
                vehicle_vin=data["vehicle"] or None,
                title=data["title"],
                notes=data["notes"],
                destination=data["destination"],
                destination_lat=data["destination_lat"],
                destination_lon=data["destination_lon"],
                due_at=data["due_at"],
            )
        except DomainError as error:
            show_error(form, error)
        else:
            messages.success(
                request,
                _("The job was sent to %(driver)s.")
                % {"driver": job.driver.get_full_name() or job.driver.email},
            )
            return redirect("jobs:detail", job_id=job.pk)
    return render(request, "jobs/send.html", {"form": form, "has_drivers": bool(drivers)})


@member_required("jobs.manage")
def job_detail(request, job_id: int):
    job = selectors.job_in_reach(request.company, request.membership, job_id)
    if job is None:
        raise Http404
    return render(request, "jobs/detail.html", {"job": job})
