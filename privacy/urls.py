from django.urls import path

from . import views

app_name = "privacy"
urlpatterns = [
    path("", views.policy, name="policy"),
    path("me/", views.your_data, name="your_data"),
    path("me/export/", views.export, name="export"),
    path("me/erase/", views.erase, name="erase"),
    path("company/close/", views.close_company, name="close_company"),
]
