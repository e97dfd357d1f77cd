from django.contrib import admin
from django.urls import include, path

from packs.views import dashboard
from users.views import set_language

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("account/", include("users.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("company/", include("companies.urls")),
    path("vehicles/", include("vehicles.urls")),
    path("products/", include("packs.urls")),
    path("dashboard/", dashboard, name="dashboard"),
    path("retail/", include("retail.urls")),
    path("api/v1/", include("mpro.api_urls")),
    path("", include("helpcentre.urls")),
]
