from mpro.api import api_path

from . import account_api as api

urlpatterns = [
    *api_path("auth/tokens", api.TokensView.as_view(), name="api-tokens"),
    *api_path("auth/tokens/<int:token_id>", api.TokenDetailView.as_view(), name="api-token"),
    *api_path("me", api.MeView.as_view(), name="api-me"),
    *api_path("me/support-password", api.SupportPasswordView.as_view(), name="api-support-password"),
]
