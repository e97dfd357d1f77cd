from django import forms
from django.utils.translation import gettext_lazy as _

from . import services


class GeofenceForm(forms.Form):
    """A circle placed on the map (a click fills the centre) or typed in."""

    name = forms.CharField(label=_("Name"), max_length=services.GEOFENCE_NAME_MAX)
    lat = forms.FloatField(label=_("Latitude of the centre"), min_value=-90, max_value=90)
    lon = forms.FloatField(label=_("Longitude of the centre"), min_value=-180, max_value=180)
    radius_m = forms.IntegerField(
        label=_("Radius (m)"),
        min_value=services.GEOFENCE_RADIUS_MIN_M,
        max_value=services.GEOFENCE_RADIUS_MAX_M,
        initial=500,
    )


class AlertSettingsForm(forms.Form):
    fuel_low_percent = forms.IntegerField(label=_("Fuel low below (%)"), min_value=1, max_value=100)
    battery_low_percent = forms.IntegerField(label=_("Battery low below (%)"), min_value=1, max_value=100)
    service_due_days = forms.IntegerField(label=_("Service due within (days)"), min_value=0, max_value=365)
    service_due_km = forms.IntegerField(label=_("Service due within (km)"), min_value=0, max_value=50_000)
