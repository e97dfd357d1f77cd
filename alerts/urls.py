from django.urls import path

from . import views

app_name = "alerts"
urlpatterns = [
    path("map/", views.fleet_map, name="map"),
    path("map/markers.json", views.fleet_markers, name="markers"),
    path("alerts/", views.alert_list, name="list"),
    path("alerts/settings/", views.alert_settings, name="settings"),
    path("alerts/emails/", views.alert_emails, name="emails"),
    path("alerts/<int:alert_id>/acknowledge/", views.alert_acknowledge, name="acknowledge"),
    path("geofences/", views.geofence_list, name="geofences"),
    path("geofences/<int:geofence_id>/edit/", views.geofence_edit, name="geofence_edit"),
    path("geofences/<int:geofence_id>/delete/", views.geofence_delete, name="geofence_delete"),
]
