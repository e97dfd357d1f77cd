from mpro.api import api_path

from . import api

urlpatterns = [
    *api_path("me/export", api.ExportView.as_view(), name="api-me-export"),
    *api_path("me/erasure", api.ErasureView.as_view(), name="api-me-erasure"),
    *api_path("company/closure", api.ClosureView.as_view(), name="api-company-closure"),
]
