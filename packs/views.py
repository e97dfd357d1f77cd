from django.shortcuts import render

from companies.tenancy import member_required


@member_required()
def dashboard(request):
    return render(request, "placeholder.html", {"title": "Dashboard"})


@member_required()
def catalogue(request):
    return render(request, "placeholder.html", {"title": "Products"})
