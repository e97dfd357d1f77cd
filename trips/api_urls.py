from mpro.api import api_path

from . import api

urlpatterns = [
    *api_path("trips", api.TripsView.as_view(), "trips"),
    *api_path("trips/<int:trip_id>", api.TripView.as_view(), "trip"),
    *api_path("trips/<int:trip_id>/history", api.TripHistoryView.as_view(), "trip-history"),
    *api_path("logbook/<str:vin>/<str:month>", api.LogbookView.as_view(), "logbook"),
    *api_path("me/private-mode", api.PrivateModeView.as_view(), "private-mode"),
    *api_path("company/working-hours", api.WorkingHoursView.as_view(), "working-hours"),
]
