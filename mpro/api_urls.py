"""The /api/v1/ root: each app contributes its own `api_urls`, plus the schema and its docs."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # Our page (templates/api/docs.html): Swagger UI started from a static file, no inline script.
    path(
        "docs/",
        SpectacularSwaggerView.as_view(url_name="api-schema", template_name="api/docs.html"),
        name="api-docs",
    ),
    path("", include("companies.account_api_urls")),
    path("", include("companies.api_urls")),
    path("", include("vehicles.api_urls")),
    path("", include("packs.api_urls")),
    path("", include("privacy.api_urls")),
    path("", include("telematics.api_urls")),
    path("", include("commands.api_urls")),
    path("", include("trips.api_urls")),
    path("", include("maintenance.api_urls")),
    path("", include("integrations.api_urls")),
    path("", include("jobs.api_urls")),
    path("", include("alerts.api_urls")),
    path("retail/", include("retail.api.urls")),
]
