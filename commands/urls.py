from django.urls import path

from . import views

app_name = "commands"
urlpatterns = [path("<str:vin>/commands/", views.command_send, name="send")]
