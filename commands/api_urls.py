from mpro.api import api_path

from . import api

urlpatterns = [
    *api_path("vehicles/<str:vin>/commands", api.VehicleCommandsView.as_view(), "vehicle-commands"),
    *api_path(
        "vehicles/<str:vin>/commands/<int:command_id>", api.VehicleCommandView.as_view(), "vehicle-command"
    ),
]
