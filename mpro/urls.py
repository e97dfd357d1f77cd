from django.contrib import admin
from django.urls import include, path

from mpro.health import healthz, readyz
from mpro.metrics import metrics_view
from packs.views import dashboard
from users.views import set_language

handler404 = "mpro.api.not_found"  # JSON under /api/, the HTML page elsewhere

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path("metrics", metrics_view, name="metrics"),
    path("privacy/", include("privacy.urls")),
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("account/", include("companies.account_urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("company/", include("companies.urls")),
    path("vehicles/", include("vehicles.urls")),
    path("vehicles/", include("commands.urls")),
    path("", include("maintenance.urls")),
    path("products/", include("packs.urls")),
    path("trips/", include("trips.urls")),
    path("dashboard/", dashboard, name="dashboard"),
    path("integrations/", include("integrations.urls")),
    path("jobs/", include("jobs.urls")),
    path("app/", include("driverapp.urls")),
    path("fleet/", include("alerts.urls")),
    path("retail/", include("retail.urls")),
    path("api/v1/", include("mpro.api_urls")),
    path("", include("helpcentre.urls")),
]
