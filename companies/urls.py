from django.urls import path

from . import views

app_name = "companies"
urlpatterns = [
    path("", views.detail, name="detail"),
    path("edit/", views.edit, name="edit"),
    path("register/", views.register, name="register"),
    path("register/company/", views.register_company, name="register_company"),
    path("register/support-password/", views.register_support_password, name="register_support_password"),
    path("register/done/", views.registered, name="registered"),
    path("members/", views.members, name="members"),
    path("members/invite/", views.member_invite, name="member_invite"),
    path("members/<int:member_id>/role/", views.member_role, name="member_role"),
    path("members/<int:member_id>/remove/", views.member_action, {"action": "remove"}, name="member_remove"),
    path(
        "members/<int:member_id>/resend/", views.member_action, {"action": "resend"}, name="invitation_resend"
    ),
    path(
        "members/<int:member_id>/revoke/", views.member_action, {"action": "revoke"}, name="invitation_revoke"
    ),
    path("invitations/<str:token>/", views.invitation, name="invitation"),
    path("activity/", views.activity, name="activity"),
    path("terms/", views.terms, name="terms"),
]
