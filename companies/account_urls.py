from django.urls import path

from . import account_views as views

# The namespace stays "users": these are the person's own pages (see account_views).
app_name = "users"
urlpatterns = [
    path("profile/", views.profile, name="profile"),
    path("support-password/", views.support_password, name="support_password"),
    path("tokens/", views.tokens, name="tokens"),
    path("tokens/<int:token_id>/revoke/", views.token_revoke, name="token_revoke"),
]
