from mpro.api import api_path

from . import api

urlpatterns = [
    *api_path("vehicles", api.VehicleListCreate.as_view(), "vehicles"),
    *api_path("vehicles/imports", api.ImportCreate.as_view(), "vehicle-imports"),
    *api_path("vehicles/imports/<int:pk>", api.ImportDetail.as_view(), "vehicle-import"),
    *api_path("vehicles/<str:vin>", api.VehicleDetail.as_view(), "vehicle"),
    *api_path("vehicles/<str:vin>/driver", api.VehicleDriver.as_view(), "vehicle-driver"),
    *api_path("vehicles/<str:vin>/workshop", api.VehicleWorkshop.as_view(), "vehicle-workshop"),
    *api_path("dealers", api.DealerList.as_view(), "dealers"),
]
