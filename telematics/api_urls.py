from mpro.api import api_path

from . import api

urlpatterns = [
    *api_path("vehicles/<str:vin>/status", api.VehicleStatusView.as_view(), "vehicle-status"),
    *api_path("vehicles/<str:vin>/positions", api.VehiclePositionsView.as_view(), "vehicle-positions"),
    *api_path("fleet/status", api.FleetStatusView.as_view(), "fleet-status"),
]
