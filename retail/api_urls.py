"""/api/v1/retail/: the dealer staff API (API.md, "Dealer staff (Retail)")."""

from mpro.api import api_path

from . import api

company = "companies/<str:pro_id>"
urlpatterns = [
    *api_path("auth/tokens", api.TokenCreateView.as_view(), "retail-api-tokens"),
    *api_path("companies", api.CompanySearchView.as_view(), "retail-api-companies"),
    *api_path("registrations", api.RegistrationCreateView.as_view(), "retail-api-registrations"),
    *api_path(company, api.CompanyDetailView.as_view(), "retail-api-company"),
    *api_path(company + "/attestations", api.AttestationCreateView.as_view(), "retail-api-attestations"),
    *api_path(company + "/verify", api.CompanyVerifyView.as_view(), "retail-api-company-verify"),
    *api_path(company + "/reject", api.CompanyRejectView.as_view(), "retail-api-company-reject"),
    *api_path(company + "/members", api.MemberListView.as_view(), "retail-api-members"),
    *api_path(
        company + "/members/<int:member_id>/verify",
        api.MemberVerifyView.as_view(),
        "retail-api-member-verify",
    ),
    *api_path(company + "/vehicles", api.VehicleListView.as_view(), "retail-api-vehicles"),
    *api_path(
        company + "/vehicles/<str:vin>/verify", api.VehicleVerifyView.as_view(), "retail-api-vehicle-verify"
    ),
    *api_path(
        company + "/vehicles/<str:vin>/reject", api.VehicleRejectView.as_view(), "retail-api-vehicle-reject"
    ),
    *api_path(company + "/transfers", api.TransferView.as_view(), "retail-api-transfers"),
    *api_path(
        company + "/support-sessions", api.SupportSessionCreateView.as_view(), "retail-api-support-sessions"
    ),
    *api_path(company + "/orders", api.OrderCreateView.as_view(), "retail-api-orders"),
]
