from django.urls import path

from . import views

app_name = "packs"
urlpatterns = [
    path("", views.catalogue_page, name="catalogue"),
    path("buy/<slug:code>/", views.buy, name="buy"),
    path("orders/", views.order_list, name="orders"),
    path("orders/<int:order_id>/", views.order_detail, name="order"),
    path("subscriptions/", views.subscription_list, name="subscriptions"),
    path("subscriptions/status/", views.subscription_status, name="subscription_status"),
    path(
        "subscriptions/<int:subscription_id>/cancel/", views.subscription_cancel, name="subscription_cancel"
    ),
    path("subscriptions/<int:subscription_id>/retry/", views.subscription_retry, name="subscription_retry"),
    path("billing/", views.billing, name="billing"),
    path("billing/contract/", views.contract, name="contract"),
]
