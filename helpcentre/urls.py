from django.urls import path

from . import views

app_name = "help"
urlpatterns = [
    path("", views.home, name="home"),
    path("help/", views.index, name="index"),
]
