from django.urls import path

from . import views

app_name = "companies"
urlpatterns = [
    path("", views.detail, name="detail"),
    path("register/", views.register, name="register"),
    path("members/", views.members, name="members"),
    path("activity/", views.activity, name="activity"),
    path("terms/", views.terms, name="terms"),
]
