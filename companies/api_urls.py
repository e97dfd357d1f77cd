from mpro.api import api_path

from . import api

urlpatterns = [
    *api_path("company", api.CompanyView.as_view(), name="api-company"),
    *api_path("company/members", api.MembersView.as_view(), name="api-members"),
    *api_path("company/members/<int:member_id>", api.MemberView.as_view(), name="api-member"),
    *api_path("company/events", api.EventsView.as_view(), name="api-events"),
]
