from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.urls import reverse
from django.utils import translation


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
