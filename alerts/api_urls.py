from mpro.api import api_path

from . import api

urlpatterns = [
    *api_path("alerts", api.AlertListView.as_view(), "api-alerts"),
    *api_path("alerts/settings", api.AlertSettingsView.as_view(), "api-alert-settings"),
    *api_path(
        "alerts/<int:alert_id>/acknowledge", api.AlertAcknowledgeView.as_view(), "api-alert-acknowledge"
    ),
    *api_path("geofences", api.GeofenceListView.as_view(), "api-geofences"),
    *api_path("geofences/<int:geofence_id>", api.GeofenceView.as_view(), "api-geofence"),
    *api_path("me/alert-emails", api.AlertEmailsView.as_view(), "api-alert-emails"),
]
