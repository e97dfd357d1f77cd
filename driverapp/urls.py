from django.urls import path

from . import views

app_name = "driverapp"
urlpatterns = [
    path("", views.my_van, name="van"),
    path("take/<str:vin>/", views.van_take, name="take"),
    path("release/", views.van_release, name="release"),
    path("jobs/", views.job_list, name="jobs"),
    path("jobs/<int:job_id>/", views.job_detail, name="job"),
    path("jobs/<int:job_id>/status/", views.job_status, name="job_status"),
    path("trips/", views.trips, name="trips"),
    path("offline/", views.offline, name="offline"),
    path("manifest.webmanifest", views.manifest, name="manifest"),
    path("sw.js", views.service_worker, name="service_worker"),
]
