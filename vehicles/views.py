from django.shortcuts import render

from companies.tenancy import member_required


@member_required()
def vehicle_list(request):
    return render(request, "placeholder.html", {"title": "Vehicles"})


@member_required()
def workshop_list(request):
    return render(request, "placeholder.html", {"title": "Workshops"})
