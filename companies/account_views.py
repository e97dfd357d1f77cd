"""The signed-in person's own pages: profile, support password and API tokens. They live here, not
in users, because they act for a company member (audit trail, customer-only access).
"""

from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mpro.errors import DomainError
from mpro.forms import show_error
from users import services
from users.models import ApiToken

from . import services as company_services
from .audit import Actor
from .forms import ProfileForm, SupportPasswordForm, TokenForm
from .tenancy import customer_required


@customer_required
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user, required=False)
    confirm_reverification = None
    if request.method == "POST" and form.is_valid():
        try:
            company_services.profile_update(
                user=request.user,
                actor=Actor.customer(request.user),
                confirm_reverification=request.POST.get("confirm_reverification") == "1",
                **{f: form.cleaned_data[f] for f in ProfileForm.Meta.fields},
            )
        except DomainError as error:
            if error.code != "reverification_required":
                show_error(form, error)
            else:
                # The confirmation step: the same form, filled in, with what saving would do.
                confirm_reverification = str(error.message)
        else:
            messages.success(request, _("Your profile is saved."))
            if request.user.verification_grace_until:
                messages.warning(request, _("Your dealer has to check your identity again."))
            return redirect("users:profile")
    return render(
        request,
        "users/profile.html",
        {
            "form": form,
            "confirm_reverification": confirm_reverification,
            "identity_fields": company_services.IDENTITY_FIELDS,
        },
    )


@customer_required
@reauthentication_required
def support_password(request):
    form = SupportPasswordForm(request.POST or None)
    if request.method == "POST" and form.save(user=request.user):
        messages.success(request, _("Your support password is saved. It will not be shown again."))
        return redirect("users:profile")
    return render(request, "users/support_password.html", {"form": form})


@customer_required
def tokens(request):
    form = TokenForm(request.POST or None)
    secret = None
    if request.method == "POST" and form.is_valid():
        try:
            _token, secret = services.api_token_create(user=request.user, name=form.cleaned_data["name"])
        except DomainError as error:
            show_error(form, error)
        else:
            form = TokenForm()
    return render(
        request,
        "users/tokens.html",
        {"form": form, "secret": secret, "tokens": ApiToken.objects.filter(user=request.user)},
    )


@require_POST
@customer_required
def token_revoke(request, token_id):
    token = get_object_or_404(ApiToken, pk=token_id, user=request.user)
    services.api_token_revoke(token=token)
    messages.success(request, _("The token “%(name)s” is revoked.") % {"name": token.name})
    return redirect("users:tokens")
