from allauth.account.adapter import DefaultAccountAdapter
from django.urls import reverse
from django.utils import translation


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        # A new account speaks the language the visitor was browsing in.
        user.language = (translation.get_language() or "en")[:2]
        return super().save_user(request, user, form, commit)

    def get_login_redirect_url(self, request):
        user = request.user
        if hasattr(user, "dealer_staff"):
            return reverse("retail:dashboard")
        return reverse("dashboard")
