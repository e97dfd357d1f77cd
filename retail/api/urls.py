"""/api/v1/retail/: the dealer staff API (API.md, "Dealer staff (Retail)")."""

from mpro.api import api_path

from . import companies, network, service_due, sessions, vehicles

company = "companies/<str:pro_id>"
urlpatterns = [
    *api_path("auth/tokens", sessions.TokenCreateView.as_view(), "retail-api-tokens"),
    *api_path("companies", companies.CompanySearchView.as_view(), "retail-api-companies"),
    *api_path("service-due", service_due.ServiceDueListView.as_view(), "retail-api-service-due"),
    *api_path(
        "service-due/<str:vin>/appointments",
        service_due.ServiceDueAppointmentsView.as_view(),
        "retail-api-service-due-appointments",
    ),
    *api_path(
        "vehicles/<str:vin>/services",
        service_due.VehicleServicesView.as_view(),
        "retail-api-vehicle-services",
    ),
    *api_path("vehicles", network.VinSearchView.as_view(), "retail-api-vin-search"),
    *api_path("registrations", companies.RegistrationCreateView.as_view(), "retail-api-registrations"),
    *api_path(company, companies.CompanyDetailView.as_view(), "retail-api-company"),
    *api_path(company + "/attestations", sessions.AttestationCreateView.as_view(), "retail-api-attestations"),
    *api_path(company + "/leave", network.CompanyLeaveView.as_view(), "retail-api-company-leave"),
    *api_path(company + "/verify", companies.CompanyVerifyView.as_view(), "retail-api-company-verify"),
    *api_path(company + "/reject", companies.CompanyRejectView.as_view(), "retail-api-company-reject"),
    *api_path(company + "/members", companies.MemberListView.as_view(), "retail-api-members"),
    *api_path(
        company + "/members/<int:member_id>/verify",
        companies.MemberVerifyView.as_view(),
        "retail-api-member-verify",
    ),
    *api_path(company + "/vehicles", vehicles.VehicleListView.as_view(), "retail-api-vehicles"),
    *api_path(
        company + "/vehicles/<str:vin>/verify",
        vehicles.VehicleVerifyView.as_view(),
        "retail-api-vehicle-verify",
    ),
    *api_path(
        company + "/vehicles/<str:vin>/reject",
        vehicles.VehicleRejectView.as_view(),
        "retail-api-vehicle-reject",
    ),
    *api_path(company + "/transfers", vehicles.TransferView.as_view(), "retail-api-transfers"),
    *api_path(
        company + "/support-sessions",
        sessions.SupportSessionCreateView.as_view(),
        "retail-api-support-sessions",
    ),
    *api_path(company + "/orders", vehicles.OrderCreateView.as_view(), "retail-api-orders"),
    *api_path(company + "/orders/review", vehicles.OrderReviewView.as_view(), "retail-api-order-review"),
]
