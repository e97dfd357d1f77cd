from django.shortcuts import render

from .tenancy import customer_required, member_required


@member_required()
def detail(request):
    return render(request, "placeholder.html", {"title": "Company"})


@customer_required
def register(request):
    return render(request, "placeholder.html", {"title": "Register"})


@member_required("members.view")
def members(request):
    return render(request, "placeholder.html", {"title": "Members"})


@member_required("events.view")
def activity(request):
    return render(request, "placeholder.html", {"title": "Activity"})


def terms(request):
    return render(request, "placeholder.html", {"title": "Terms"})
