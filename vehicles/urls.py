from django.urls import path

from . import views

app_name = "vehicles"
urlpatterns = [
    path("", views.vehicle_list, name="list"),
    path("add/", views.vehicle_add, name="add"),
    path("vin-check/", views.vin_check, name="vin_check"),
    path("workshops/", views.workshop_list, name="workshops"),
    path("import/", views.import_upload, name="import"),
    path("import/<int:pk>/", views.import_detail, name="import_detail"),
    path("import/<int:pk>/status/", views.import_status, name="import_status"),
    path("import/<int:pk>/errors.csv", views.import_errors_csv, name="import_errors"),
    path("import/<int:pk>/confirm/", views.import_confirm, name="import_confirm"),
    path("<str:vin>/", views.vehicle_detail, name="detail"),
    path("<str:vin>/edit/", views.vehicle_edit, name="edit"),
    path("<str:vin>/remove/", views.vehicle_remove, name="remove"),
    path("<str:vin>/driver/", views.vehicle_driver, name="driver"),
    path("<str:vin>/driver/release/", views.vehicle_driver_release, name="driver_release"),
    path("<str:vin>/take/", views.vehicle_take, name="take"),
    path("<str:vin>/hand-back/", views.vehicle_hand_back, name="hand_back"),
    path("<str:vin>/module-check/", views.vehicle_module_check, name="module_check"),
]
