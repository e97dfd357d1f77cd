"""A real OpenID provider for the tests: django-oauth-toolkit's OIDC support, served by the live test
server under /idp/ next to the portal. The tests reach it as http://127.0.0.1:PORT and the portal as
http://localhost:PORT, so the two keep separate session cookies, as two sites would.

Its people are ordinary User rows (DOT's grants need one); the address it vouches for comes from
IDENTITIES, so a Mercedes me identity can carry an e-mail that has, or has not, an mpro account."""

from django import forms
from django.contrib.auth import authenticate, login
from django.http import HttpResponse, HttpResponseRedirect
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from oauth2_provider import urls as dot_urls
from oauth2_provider.views import AuthorizationView

from integrations.oauth import DataClientValidator
from mpro.urls import urlpatterns as portal_urlpatterns

# IdP user pk → the e-mail address the provider asserts for them
IDENTITIES: dict[int, str] = {}


class Validator(DataClientValidator):
    def get_additional_claims(self, request):
        # Profile data the provider offers; mpro must not keep any of it.
        return {
            "email": IDENTITIES[request.user.pk],
            "email_verified": True,
            "given_name": "Mercedes",
            "family_name": "Person",
            "name": "Mercedes Person",
        }


class LoginForm(forms.Form):
    email = forms.EmailField()
    password = forms.CharField()


@csrf_exempt
def idp_login(request):
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = authenticate(
            request, username=form.cleaned_data["email"], password=form.cleaned_data["password"]
        )
        if user is not None:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            return HttpResponseRedirect(request.POST.get("next") or "/")
    return HttpResponse("<form method=post>Mercedes me login</form>")


class Authorize(AuthorizationView):
    login_url = "/idp/login/"


idp_patterns = [
    path("login/", idp_login),
    path("authorize/", Authorize.as_view(), name="authorize"),
    *[p for p in dot_urls.base_urlpatterns if getattr(p, "name", "") != "authorize"],
    *dot_urls.oidc_urlpatterns,
]
urlpatterns = [path("idp/", include((idp_patterns, "oauth2_provider"))), *portal_urlpatterns]
