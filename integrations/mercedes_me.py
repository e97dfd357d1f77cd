"""Log in with Mercedes me: django-allauth's OpenID Connect provider, on when configured.

Only the subject identifier and the e-mail address are taken from the identity provider; names and
other profile data are dropped before anything is stored (the FAQ promises that Mercedes me data is
not transferred). A first login either creates an mpro account for that address, or, if an mpro
account already has it, links to it only after its password is entered here: a matching address
alone never opens an existing account.
"""

from __future__ import annotations

from allauth.account.utils import perform_login, user_email
from allauth.core import ratelimit
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount import app_settings as social_settings
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialLogin
from django import forms
from django.conf import settings
from django.contrib.auth import authenticate, get_user_model
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from companies.audit import Actor, record
from companies.tenancy import is_dealer_staff

PENDING_KEY = "integrations_mercedes_me_pending"


def _minimal(sociallogin: SocialLogin) -> None:
    """Keeps only `sub` and `email` of what the provider sent."""
    email = sociallogin.email_addresses[0].email if sociallogin.email_addresses else ""
    sociallogin.account.extra_data = {"sub": sociallogin.account.uid, "email": email}
    sociallogin.token = None


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def populate_user(self, request, sociallogin, data):
        user = sociallogin.user
        user_email(user, data.get("email") or "")
        return user

    def pre_social_login(self, request, sociallogin):
        _minimal(sociallogin)
        if sociallogin.is_existing:
            if is_dealer_staff(sociallogin.user):
                raise ImmediateHttpResponse(redirect("account_login"))
            return
        email = sociallogin.email_addresses[0].email if sociallogin.email_addresses else ""
        if email and get_user_model().objects.filter(email__iexact=email).exists():
            request.session[PENDING_KEY] = sociallogin.serialize()
            raise ImmediateHttpResponse(redirect("integrations:mercedes_me_link"))


class LinkForm(forms.Form):
    password = forms.CharField(
        label=_("Your mpro password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


def link(request):
    """First Mercedes me login for an address that already has an mpro account: its password links them."""
    data = request.session.get(PENDING_KEY)
    if not data:
        return redirect("account_login")
    sociallogin = SocialLogin.deserialize(data)
    email = sociallogin.email_addresses[0].email
    form = LinkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not ratelimit.consume(request, action="login_failed", key=email.lower(), dry_run=True):
            form.add_error(None, _("Too many attempts. Try again later."))
        else:
            user = authenticate(request, username=email.lower(), password=form.cleaned_data["password"])
            if user is None or is_dealer_staff(user):
                ratelimit.consume(request, action="login_failed", key=email.lower())
                form.add_error("password", _("This password is not correct."))
            else:
                return _link(request, sociallogin, user)
    return render(request, "integrations/mercedes_me_link.html", {"form": form, "email": email})


def _link(request, sociallogin: SocialLogin, user):
    sociallogin.connect(request, user)
    del request.session[PENDING_KEY]
    membership = getattr(user, "membership", None)
    record(
        actor=Actor.customer(user),
        company=membership.company if membership else None,
        action="integrations.mercedes_me_linked",
        target=user.email,
    )
    return perform_login(
        request,
        user,
        email_verification=social_settings.EMAIL_VERIFICATION,
        redirect_url=settings.LOGIN_REDIRECT_URL,
    )
