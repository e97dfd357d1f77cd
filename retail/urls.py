from django.urls import path

from .views import company, registration, service_due, staff, support, vehicles

app_name = "retail"

opened = "companies/<str:pro_id>/"
urlpatterns = [
    path("", staff.dashboard, name="dashboard"),
    path("login/", staff.login_view, name="login"),
    path("logout/", staff.logout_view, name="logout"),
    path("knowledge/", staff.knowledge, name="knowledge"),
    path("companies/", staff.company_search, name="search"),
    path("service-due/", service_due.service_due, name="service_due"),
    path("service-due/<str:vin>/", service_due.service_due_vehicle, name="service_due_vehicle"),
    path("service-due/<str:vin>/propose/", service_due.service_due_propose, name="service_due_propose"),
    path("service-due/<str:vin>/service/", service_due.service_due_record, name="service_due_record"),
    path("vehicles/", staff.vin_search, name="vin_search"),
    path("register/", registration.register_admin, name="register"),
    path("register/company/", registration.register_company, name="register_company"),
    path("register/done/<str:pro_id>/", registration.register_done, name="register_done"),
    path(opened + "attest/", staff.attest, name="attest"),
    path(opened, company.company_profile, name="company"),
    path(opened + "leave/", company.company_leave, name="company_leave"),
    path(opened + "company/", company.company_details, name="company_details"),
    path(opened + "verify/", company.company_verify, name="company_verify"),
    path(opened + "reject/", company.company_reject, name="company_reject"),
    path(opened + "users/", company.member_list, name="members"),
    path(opened + "users/<int:member_id>/", company.member_detail, name="member"),
    path(opened + "users/<int:member_id>/verify/", company.member_verify, name="member_verify"),
    path(opened + "vehicles/", vehicles.vehicle_list, name="vehicles"),
    path(opened + "vehicles/transfer/", vehicles.vehicle_transfer, name="vehicle_transfer"),
    path(opened + "vehicles/verify/", vehicles.vehicles_verify, name="vehicles_verify"),
    path(opened + "vehicles/<str:vin>/", vehicles.vehicle_detail, name="vehicle"),
    path(opened + "vehicles/<str:vin>/verify/", vehicles.vehicle_verify, name="vehicle_verify"),
    path(opened + "vehicles/<str:vin>/reject/", vehicles.vehicle_reject, name="vehicle_reject"),
    path(opened + "support/", support.support, name="support"),
    path(opened + "support/end/", support.support_end, name="support_end"),
    path(opened + "support/company/", support.support_company_edit, name="support_company_edit"),
    path(opened + "support/vehicles/add/", support.support_vehicle_add, name="support_vehicle_add"),
    path(opened + "support/vehicles/vin-check/", support.support_vin_check, name="support_vin_check"),
    path(opened + "support/orders/new/", support.support_order, name="support_order"),
]
