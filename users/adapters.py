from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from mpro.clientip import client_address
from mpro.errors import RateLimitedError

from . import lockout


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        # A new account speaks the language the visitor was browsing in.
        user.language = (translation.get_language() or "en")[:2]
        return super().save_user(request, user, form, commit)

    def send_mail(self, template_prefix, email, context):
        # Our e-mail templates (templates/account/email/) sign with the product and its address,
        # not with the host name the request came in on ("Hello from 127.0.0.1:8000").
        super().send_mail(template_prefix, email, {**context, "site_url": settings.SITE_URL})

    def get_login_redirect_url(self, request):
        user = request.user
        if hasattr(user, "dealer_staff"):
            return reverse("retail:dashboard")
        return reverse("dashboard")

    # --- the login lock-out (users.lockout), in place of allauth's own login_failed limit, which
    # keyed on the Host header (port included) and so gave each port a fresh budget.
    def get_client_ip(self, request):
        return client_address(request)

    def pre_authenticate(self, request, **credentials):
        try:
            lockout.customer_login_check(request, self._login_of(credentials))
        except RateLimitedError as error:
            request._mpro_lockout_retry_after = error.retry_after
            raise self.validation_error("too_many_login_attempts") from None

    def authenticate(self, request, **credentials):
        user = super().authenticate(request, **credentials)
        if user is not None:
            lockout.customer_login_succeeded(self._login_of(credentials))
        return user

    def authentication_failed(self, request, **credentials):
        lockout.customer_login_failed(request, self._login_of(credentials))

    def _delete_login_attempts_cached_email(self, request, **credentials):
        # A password reset through the e-mailed link frees the account.
        lockout.customer_login_succeeded(self._login_of(credentials))

    @staticmethod
    def _login_of(credentials) -> str:
        return credentials.get("email") or credentials.get("username") or ""
