from django.urls import path

from . import mercedes_me, views

app_name = "integrations"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("clients/", views.data_client_create, name="client_create"),
    path("clients/<int:client_id>/revoke/", views.data_client_revoke, name="client_revoke"),
    path("webhooks/", views.webhook_create, name="webhook_create"),
    path("webhooks/<int:webhook_id>/", views.webhook_detail, name="webhook"),
    path("webhooks/<int:webhook_id>/delete/", views.webhook_delete, name="webhook_delete"),
    path(
        "webhooks/<int:webhook_id>/deliveries/<int:delivery_id>/redeliver/",
        views.delivery_redeliver,
        name="redeliver",
    ),
    path("mercedes-me/link/", mercedes_me.link, name="mercedes_me_link"),
]
