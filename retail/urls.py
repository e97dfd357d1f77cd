from django.urls import path

from . import views

app_name = "retail"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
]
