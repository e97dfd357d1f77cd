from django.shortcuts import render
from django.views.i18n import set_language as django_set_language

from companies.tenancy import customer_required


def set_language(request):
    return django_set_language(request)


@customer_required
def profile(request):
    return render(request, "placeholder.html", {"title": "Profile"})


@customer_required
def support_password(request):
    return render(request, "placeholder.html", {"title": "Support password"})


@customer_required
def tokens(request):
    return render(request, "placeholder.html", {"title": "Tokens"})
