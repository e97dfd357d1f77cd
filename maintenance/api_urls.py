from mpro.api import api_path

from . import api

appointment = "vehicles/<str:vin>/appointments/<int:appointment_id>"
urlpatterns = [
    *api_path("vehicles/<str:vin>/maintenance", api.VehicleMaintenanceView.as_view(), "vehicle-maintenance"),
    *api_path(appointment + "/accept", api.AppointmentAcceptView.as_view(), "vehicle-appointment-accept"),
    *api_path(appointment + "/decline", api.AppointmentDeclineView.as_view(), "vehicle-appointment-decline"),
    *api_path("company/maintenance", api.MaintenanceSettingsView.as_view(), "api-maintenance-settings"),
]
