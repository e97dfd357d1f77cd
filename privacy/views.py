from allauth.account.decorators import reauthentication_required
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from companies.audit import Actor
from companies.tenancy import customer_required, member_required
from mpro import personal_data, retention
from mpro.errors import DomainError
from mpro.forms import show_error

from . import services
from .forms import CloseCompanyForm, EraseForm


def policy(request):
    """The privacy page: public, in the visitor's language, with the retention settings in force."""
    # Several kinds may share one setting (the dealer access records): one line per setting.
    rules = list({rule.setting: rule for rule in retention.rules()}.values())
    return render(
        request,
        "privacy/policy.html",
        {
            "rules": rules,
            "contact": settings.PRIVACY_CONTACT_EMAIL,
            "attestation_hours": settings.ATTESTATION_HOURS,
            "session_minutes": settings.SUPPORT_SESSION_MINUTES,
        },
    )


@customer_required
def your_data(request):
    sections = personal_data.ordered(personal_data.SECTIONS)
    return render(request, "privacy/your_data.html", {"sections": sections})


@customer_required
def export(request):
    name, content = services.export_archive(user=request.user, actor=Actor.customer(request.user))
    response = HttpResponse(content, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@customer_required
@reauthentication_required
def erase(request):
    form = EraseForm(request.POST or None)
    plan = services.account_erasure_plan(request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.account_erase(user=request.user, actor=Actor.customer(request.user))
        except DomainError as error:
            show_error(form, error)
        else:
            logout(request)
            messages.success(request, _("Your account is erased."))
            return redirect("privacy:policy")
    return render(request, "privacy/erase.html", {"form": form, "plan": plan})


@member_required("company.manage")
def close_company(request):
    form = CloseCompanyForm(request.POST or None)
    plan = services.company_closure_plan(request.company)
    if request.method == "POST" and form.is_valid():
        try:
            services.company_close(
                company=request.company,
                actor=Actor.customer(request.user),
                confirm_pro_id=form.cleaned_data["confirm_pro_id"],
            )
        except DomainError as error:
            show_error(form, error)
        else:
            messages.success(request, _("The company is closed and its data deleted."))
            return redirect("privacy:your_data")
    return render(
        request, "privacy/close_company.html", {"form": form, "plan": plan, "company": request.company}
    )
