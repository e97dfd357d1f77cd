from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from mpro.errors import DomainError, FieldErrors
from mpro.forms import show_error

from . import selectors, services
from .audit import Actor, action_label
from .forms import (
    ActivityFilterForm,
    CompanyEditForm,
    CompanyForm,
    InvitationAcceptForm,
    InviteForm,
    PersonForm,
    RegisterCompanyForm,
    RoleForm,
    SupportPasswordForm,
)
from .models import Membership
from .permissions import MANAGED_ROLES, allows
from .tenancy import customer_required, member_required

REGISTER_STEPS = ("person", "company", "support_password")


def _company_home(request):
    """A member who is already in a company: its page, or the dashboard for a role that may not
    see the company's record (drivers)."""
    if allows(request.membership.role, "company.view"):
        return redirect("companies:detail")
    return redirect("dashboard")


# --- registration: (1) the person, (2) the company, (3) the support password -------------------
@customer_required
def register(request):
    """Step 1: personal information (the dealer compares it with the ID document)."""
    if request.company is not None:
        return _company_home(request)
    form = PersonForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.profile_update(
                user=request.user,
                actor=Actor.customer(request.user),
                **{f: form.cleaned_data[f] for f in form.Meta.fields},
            )
        except DomainError as error:
            show_error(form, error)
        else:
            return redirect("companies:register_company")
    return render(request, "companies/register_person.html", {"form": form, "step": 1})


@customer_required
def register_company(request):
    """Step 2: the company profile and the terms. Creates the company with its PRO ID."""
    if request.company is not None:
        return _company_home(request)
    if not (request.user.first_name and request.user.birth_date):
        return redirect("companies:register")
    form = RegisterCompanyForm(
        request.POST or None,
        initial={"manager_name": request.user.get_full_name(), "email": request.user.email},
    )
    if request.method == "POST" and form.is_valid():
        data = {f: form.cleaned_data[f] for f in CompanyForm.Meta.fields}
        try:
            services.company_register(
                user=request.user,
                accept_terms=form.cleaned_data["accept_terms"],
                actor=Actor.customer(request.user),
                **data,
            )
        except DomainError as error:
            show_error(form, error)
        else:
            return redirect("companies:register_support_password")
    elif request.method == "POST":
        _add_company_data_errors(form)
    return render(request, "companies/register_company.html", {"form": form, "step": 2})


def _add_company_data_errors(form) -> None:
    """The form's own errors (a missing field, the terms) come with the service's checks of what
    was typed (postal code, phone, VAT number), so the customer fixes everything in one round."""
    typed = {name: form.data.get(name, "") for name in CompanyForm.Meta.fields}
    try:
        services.company_data_check(data=typed)
    except FieldErrors as error:
        for field, field_messages in error.errors.items():
            if field in form.fields and field not in form.errors and typed.get(field):
                for message in field_messages:
                    form.add_error(field, str(message))


@member_required()
def register_support_password(request):
    """Step 3: the personal support password, then the new PRO ID and what the dealer checks.
    Only the company's first administrator, once; later changes need the account page."""
    if not services.registration_needs_support_password(request.user):
        return (
            redirect("companies:registered") if request.user.has_support_password else _company_home(request)
        )
    form = SupportPasswordForm(request.POST or None)
    if request.method == "POST" and form.save(user=request.user, at_registration=True):
        return redirect("companies:registered")
    return render(request, "companies/register_support_password.html", {"form": form, "step": 3})


@member_required()
def registered(request):
    return render(
        request,
        "companies/registered.html",
        {"company": request.company, "steps": selectors.verification_steps(request.company)},
    )


# --- the company -------------------------------------------------------------------------------
@member_required("company.view")
def detail(request):
    company = request.company
    return render(
        request,
        "companies/detail.html",
        {
            "company": company,
            "steps": selectors.verification_steps(company),
            "primary_admin": selectors.primary_admin(company),
            "generations": selectors.generations(company)[:10],
        },
    )


@member_required("company.manage")
def edit(request):
    form = CompanyEditForm(request.POST or None, instance=request.company)
    if request.method == "POST" and form.is_valid():
        data = {f: form.cleaned_data[f] for f in CompanyEditForm.Meta.fields if f != "country"}
        before = request.company.contract_generation
        try:
            company = services.company_update(
                company=request.company, actor=Actor.customer(request.user), **data
            )
        except DomainError as error:
            show_error(form, error)
        else:
            tell_company_saved(request, company, generation_before=before)
            return redirect("companies:detail")
    return render(request, "companies/edit.html", {"form": form})


def tell_company_saved(request, company, *, generation_before: int) -> None:
    """What both company edit pages (the customer's, and the dealer's in a support session) say
    after a save: saved, and a new contract generation when the name or address changed."""
    messages.success(request, _("The company details are saved."))
    if company.contract_generation != generation_before:
        messages.info(
            request,
            _("Because the name or address changed, contract generation %(number)s has started.")
            % {"number": company.contract_generation},
        )


# --- members -----------------------------------------------------------------------------------
def _managed_roles(request) -> set[str]:
    return MANAGED_ROLES.get(request.membership.role, set())


@member_required("members.view")
def members(request):
    managed = _managed_roles(request)
    return render(
        request,
        "companies/members.html",
        {
            "members": selectors.members(request.company),
            "role_form": RoleForm(),
            "managed_roles": managed,
            # A fleet manager manages drivers only: no role to change them to.
            "can_change_roles": len(managed) > 1,
        },
    )


@member_required("members.manage")
def member_invite(request):
    form = InviteForm(request.POST or None, roles=_managed_roles(request))
    pending = None
    if request.method == "POST" and form.is_valid():
        try:
            membership = services.member_invite(
                company=request.company, actor=Actor.customer(request.user), **form.cleaned_data
            )
        except DomainError as error:
            email = form.cleaned_data["email"]
            show_error(form, error)
            if error.code == "invitation_pending":
                # Offer to send the invitation again instead of a dead end.
                pending = selectors.pending_invitation(request.company, email=email)
        else:
            messages.success(
                request, _("The invitation was sent to %(email)s.") % {"email": membership.person_email}
            )
            return redirect("companies:members")
    return render(
        request,
        "companies/member_invite.html",
        {"form": form, "valid_days": settings.INVITATION_VALID_DAYS, "pending": pending},
    )


def _member(request, member_id) -> Membership:
    return get_object_or_404(
        Membership.with_invitees.for_company(request.company).select_related("user", "company"), pk=member_id
    )


# What each member button does: the service it calls and what it says afterwards.
MEMBER_ACTIONS = {
    "remove": (services.member_remove, gettext_lazy("%(email)s was removed from the company.")),
    "resend": (services.invitation_resend, gettext_lazy("A new invitation was sent to %(email)s.")),
    "revoke": (services.invitation_revoke, gettext_lazy("The invitation of %(email)s was revoked.")),
}


@require_POST
@member_required("members.manage")
def member_action(request, member_id, action):
    membership = _member(request, member_id)  # another company's member is a 404
    service, success_message = MEMBER_ACTIONS[action]
    try:
        service(membership=membership, actor=Actor.customer(request.user))
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, success_message % {"email": membership.person_email})
    return redirect("companies:members")


@require_POST
@member_required("members.manage")
def member_role(request, member_id):
    membership = _member(request, member_id)  # another company's member is a 404 before anything else
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose one of the roles: administrator, fleet manager, driver."))
        return redirect("companies:members")
    try:
        services.member_change_role(
            membership=membership, role=form.cleaned_data["role"], actor=Actor.customer(request.user)
        )
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(
            request, _("The role of %(email)s was changed.") % {"email": membership.person_email}
        )
    return redirect("companies:members")


# --- joining by invitation -------------------------------------------------------------------
def invitation(request, token):
    try:
        invitation = services.invitation_lookup(token)
    except DomainError as error:
        return render(request, "companies/invitation_invalid.html", {"message": error.message}, status=410)
    user = invitation.invitee
    if request.user.is_authenticated and request.user != user:
        return render(
            request,
            "companies/invitation_invalid.html",
            {"message": _("This invitation is for another person. Log out first, then open the link again.")},
            status=403,
        )
    needs = services.invitation_needs(invitation)
    if not needs["password"] and not request.user.is_authenticated:
        # An existing account joins after logging in as itself.
        from django.contrib.auth.views import redirect_to_login

        return redirect_to_login(request.get_full_path())
    if request.method == "POST" and "decline" in request.POST:
        try:
            company = services.invitation_decline(token=token)
        except DomainError as error:
            return render(
                request, "companies/invitation_invalid.html", {"message": error.message}, status=410
            )
        messages.info(request, _("You declined the invitation of %(company)s.") % {"company": company.name})
        return redirect("companies:register" if request.user.is_authenticated else "account_login")
    form = InvitationAcceptForm(request.POST or None, needs=needs)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.invitation_accept(
                token=token,
                password=form.cleaned_data.get("password1"),
                accept_terms=form.cleaned_data.get("accept_terms", False),
                accept_pack_terms=form.cleaned_data.get("accept_pack_terms", False),
                support_password=form.cleaned_data.get("support_password"),
            )
        except DomainError as error:
            show_error(form, error)
        else:
            from django.contrib.auth import login

            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(
                request, _("Welcome to %(company)s.") % {"company": invitation.membership.company.name}
            )
            return redirect("dashboard")
    return render(
        request, "companies/invitation.html", {"form": form, "invitation": invitation, "invitee": user}
    )


# --- activity and terms ----------------------------------------------------------------------
@member_required("events.view")
def activity(request):
    form = ActivityFilterForm(request.GET or None, members=selectors.members(request.company))
    filters = form.cleaned_data if form.is_valid() else {}
    events = selectors.events(
        request.company,
        who=filters.get("who", ""),
        what=filters.get("what", ""),
        vin=filters.get("vin", ""),
    )
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    for event in page.object_list:
        event.label = action_label(event.action)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "companies/activity.html",
        {
            "page": page,
            "form": form,
            "query": query.urlencode(),
            "filtered": bool(filters and any(filters.values())),
        },
    )


def terms(request):
    return render(
        request,
        "companies/terms.html",
        {"terms_version": settings.TERMS_OF_USE_VERSION, "pack_terms_version": settings.PACK_TERMS_VERSION},
    )
