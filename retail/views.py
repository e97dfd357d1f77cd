from django.http import Http404
from django.shortcuts import render


def dashboard(request):
    if not (request.user.is_authenticated and hasattr(request.user, "dealer_staff")):
        raise Http404
    return render(request, "placeholder.html", {"title": "Retail"})
