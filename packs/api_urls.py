from mpro.api import api_path

from . import api

urlpatterns = [
    *api_path("packs", api.PackListView.as_view(), "api-packs"),
    *api_path("orders", api.OrderListView.as_view(), "api-orders"),
    *api_path("orders/<int:order_id>", api.OrderDetailView.as_view(), "api-order"),
    *api_path("subscriptions", api.SubscriptionListView.as_view(), "api-subscriptions"),
    *api_path(
        "subscriptions/<int:subscription_id>/cancel",
        api.SubscriptionCancelView.as_view(),
        "api-subscription-cancel",
    ),
    *api_path(
        "subscriptions/<int:subscription_id>/retry",
        api.SubscriptionRetryView.as_view(),
        "api-subscription-retry",
    ),
]
