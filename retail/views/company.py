"""Retail pages of an opened company: its profile and details, verifying or rejecting it, and
its users (verifying their identity)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from companies.models import Membership
from mpro.errors import DomainError
from mpro.forms import show_error

from .. import forms, selectors, services
from ..access import company_required, pop_draft_initial, staff_required
from .common import company_context, posted


@company_required
def company_profile(request: HttpRequest) -> HttpResponse:
    company = request.company
    return render(
        request,
        "retail/company_profile.html",
        company_context(
            request,
            admin_membership=selectors.primary_admin_membership(company),
            **selectors.company_verification_counts(company),
        ),
    )


@staff_required
@require_POST
def company_leave(request: HttpRequest, pro_id: str) -> HttpResponse:
    """ "Leave this company": ends this staff member's identity confirmation and support session on
    it at once. Needs no open window (leaving twice is harmless)."""
    company = selectors.company_by_pro_id(pro_id)
    if company is None:
        raise Http404
    services.company_leave(staff=request.staff, company=company)
    messages.success(
        request,
        _("You left %(name)s: its pages need the customer's identity confirmation again.")
        % {"name": company.name},
    )
    return redirect("retail:search")


@company_required
def company_details(request: HttpRequest) -> HttpResponse:
    company = request.company
    events = selectors.company_recent_events(company)
    return render(
        request,
        "retail/company_details.html",
        company_context(request, admin_membership=selectors.primary_admin_membership(company), events=events),
    )


@company_required
def company_verify(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        services.company_verify(company=request.company, actor=request.actor)
        messages.success(request, _("The company is verified."))
        return redirect("retail:company", request.company.pro_id)
    return render(request, "retail/company_verify.html", company_context(request))


@company_required
def company_reject(request: HttpRequest) -> HttpResponse:
    initial = pop_draft_initial(request, forms.ReasonForm)
    form = forms.ReasonForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.company_reject(
                company=request.company, reason=form.cleaned_data["reason"], actor=request.actor
            )
        except DomainError as error:
            show_error(form, error)
        else:
            messages.success(request, _("The company is rejected; the customer sees your reason."))
            return redirect("retail:company", request.company.pro_id)
    return render(request, "retail/company_reject.html", company_context(request, form=form))


@company_required
def member_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "retail/member_list.html",
        company_context(request, memberships=list(selectors.company_members(request.company))),
    )


def _membership(request: HttpRequest, member_id: int) -> Membership:
    return get_object_or_404(selectors.company_members(request.company), pk=member_id)


@company_required
def member_detail(request: HttpRequest, member_id: int) -> HttpResponse:
    return render(
        request,
        "retail/member_detail.html",
        company_context(request, membership=_membership(request, member_id)),
    )


@company_required
def member_verify(request: HttpRequest, member_id: int) -> HttpResponse:
    membership = _membership(request, member_id)
    form = forms.MemberVerifyForm(posted(request), initial=pop_draft_initial(request, forms.MemberVerifyForm))
    if request.method == "POST" and form.is_valid():
        try:
            services.member_verify(membership=membership, mode=form.cleaned_data["mode"], actor=request.actor)
        except DomainError as error:
            show_error(form, error)
        else:
            messages.success(
                request,
                _("%(name)s is verified.")
                % {"name": membership.user.get_full_name() or membership.user.email},
            )
            return redirect("retail:member", request.company.pro_id, membership.pk)
    return render(
        request, "retail/member_verify.html", company_context(request, membership=membership, form=form)
    )
