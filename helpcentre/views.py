from django.shortcuts import redirect, render


def home(request):
    if request.user.is_authenticated:
        return redirect("dashboard")
    return render(request, "placeholder.html", {"title": "mpro"})


def index(request):
    return render(request, "placeholder.html", {"title": "Help"})
