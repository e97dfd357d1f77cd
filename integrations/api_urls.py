from oauth2_provider.views import TokenView

from mpro.api import api_path

from . import api, data_api

urlpatterns = [
    *api_path("oauth/token", TokenView.as_view(), name="api-oauth-token"),
    *api_path("company/data-clients", api.DataClientsView.as_view(), name="api-data-clients"),
    *api_path("company/data-clients/<int:client_id>", api.DataClientView.as_view(), name="api-data-client"),
    *api_path("webhooks", api.WebhooksView.as_view(), name="api-webhooks"),
    *api_path("webhooks/<int:webhook_id>", api.WebhookView.as_view(), name="api-webhook"),
    *api_path(
        "webhooks/<int:webhook_id>/deliveries",
        api.WebhookDeliveriesView.as_view(),
        name="api-webhook-deliveries",
    ),
    *api_path(
        "webhooks/<int:webhook_id>/deliveries/<int:delivery_id>/redeliver",
        api.WebhookRedeliverView.as_view(),
        name="api-webhook-redeliver",
    ),
    *api_path("data/vehicles", data_api.DataVehiclesView.as_view(), name="api-data-vehicles"),
    *api_path("data/vehicles/<str:vin>/signals", data_api.DataSignalsView.as_view(), name="api-data-signals"),
]
