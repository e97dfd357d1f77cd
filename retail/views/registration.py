"""Retail pages that register a company for a customer at the outlet: the main user (step 1,
kept in the session), then the company (step 2), then its new PRO ID."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from mpro.errors import DomainError

from .. import forms, services
from ..access import staff_required
from ..models import RetailRegistration
from ..registration import ADMIN, registration_errors
from .common import posted

REGISTRATION_KEY = "retail_registration_admin"


@staff_required
def register_admin(request: HttpRequest) -> HttpResponse:
    """Step 1 of 2: the main user. Kept in the session until step 2 is done."""
    saved = request.session.get(REGISTRATION_KEY)
    form = forms.RegistrationAdminForm(posted(request), initial=saved)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["birth_date"] = data["birth_date"].isoformat()
        request.session[REGISTRATION_KEY] = data
        return redirect("retail:register_company")
    return render(request, "retail/register_admin.html", {"form": form, "step": 1})


@staff_required
def register_company(request: HttpRequest) -> HttpResponse:
    """Step 2 of 2: the company. Registers both and shows the new PRO ID."""
    admin = request.session.get(REGISTRATION_KEY)
    if not admin:
        messages.info(request, _("Start with the company's main user."))
        return redirect("retail:register")
    form = forms.RegistrationCompanyForm(posted(request), initial={"country": request.staff.dealer.country})
    if request.method == "POST" and form.is_valid():
        try:
            company = services.registration_create(
                staff=request.staff, admin=_registration_admin(admin), company=dict(form.cleaned_data)
            )
        except DomainError as error:
            _add_registration_error(request, form, error)
        else:
            request.session.pop(REGISTRATION_KEY, None)
            return redirect("retail:register_done", company.pro_id)
    return render(request, "retail/register_company.html", {"form": form, "step": 2, "admin": admin})


def _registration_admin(saved: dict) -> dict:
    admin = dict(saved)
    admin["birth_date"] = datetime.date.fromisoformat(admin["birth_date"])
    return admin


def _add_registration_error(request: HttpRequest, form, error: DomainError) -> None:
    """A refusal about the main user (e.g. the e-mail has an account already) belongs to step 1:
    say so on step 2, where the staff member is."""
    for part, field, message in registration_errors(error):
        if part == ADMIN:
            form.add_error(None, _("Main user: %(message)s") % {"message": message})
        else:
            form.add_error(field if field in form.fields else None, message)


@staff_required
def register_done(request: HttpRequest, pro_id: str) -> HttpResponse:
    registration = get_object_or_404(
        RetailRegistration.objects.select_related("company"), company__pro_id=pro_id, staff=request.staff
    )
    return render(request, "retail/register_done.html", {"company": registration.company})
