from django.urls import path

from . import views

app_name = "retail"

company = "companies/<str:pro_id>/"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("knowledge/", views.knowledge, name="knowledge"),
    path("companies/", views.company_search, name="search"),
    path("register/", views.register_admin, name="register"),
    path("register/company/", views.register_company, name="register_company"),
    path("register/done/<str:pro_id>/", views.register_done, name="register_done"),
    path(company + "attest/", views.attest, name="attest"),
    path(company, views.company_profile, name="company"),
    path(company + "company/", views.company_details, name="company_details"),
    path(company + "verify/", views.company_verify, name="company_verify"),
    path(company + "reject/", views.company_reject, name="company_reject"),
    path(company + "users/", views.member_list, name="members"),
    path(company + "users/<int:member_id>/", views.member_detail, name="member"),
    path(company + "users/<int:member_id>/verify/", views.member_verify, name="member_verify"),
    path(company + "vehicles/", views.vehicle_list, name="vehicles"),
    path(company + "vehicles/transfer/", views.vehicle_transfer, name="vehicle_transfer"),
    path(company + "vehicles/<str:vin>/", views.vehicle_detail, name="vehicle"),
    path(company + "vehicles/<str:vin>/verify/", views.vehicle_verify, name="vehicle_verify"),
    path(company + "vehicles/<str:vin>/reject/", views.vehicle_reject, name="vehicle_reject"),
    path(company + "support/", views.support, name="support"),
    path(company + "support/end/", views.support_end, name="support_end"),
    path(company + "support/vehicles/add/", views.support_vehicle_add, name="support_vehicle_add"),
    path(company + "support/orders/new/", views.support_order, name="support_order"),
]
