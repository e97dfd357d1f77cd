from django.urls import path

from . import views

app_name = "trips"
urlpatterns = [
    path("", views.trip_list, name="list"),
    path("<int:trip_id>/", views.trip_detail, name="detail"),
    path("<int:trip_id>/classify/", views.trip_classify, name="classify"),
    path("logbook/<str:vin>/", views.logbook_export, name="logbook_export"),
    path("logbook-check/", views.logbook_verify, name="logbook_verify"),
    path("private-mode/", views.private_mode, name="private_mode"),
    path("working-hours/", views.working_hours, name="working_hours"),
]
