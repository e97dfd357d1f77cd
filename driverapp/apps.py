from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DriverappConfig(AppConfig):
    name = "driverapp"
    verbose_name = _("Driver app")
