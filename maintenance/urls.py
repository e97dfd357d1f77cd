from django.urls import path

from . import views

app_name = "maintenance"
urlpatterns = [
    path("maintenance/settings/", views.settings_page, name="settings"),
    path(
        "vehicles/<str:vin>/appointments/<int:appointment_id>/answer/",
        views.appointment_answer,
        name="appointment_answer",
    ),
    path("vehicles/<str:vin>/appointments.ics", views.appointments_calendar, name="calendar"),
]
