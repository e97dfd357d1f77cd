from mpro.api import api_path

from . import api

urlpatterns = [
    *api_path("jobs", api.JobsView.as_view(), "jobs"),
    *api_path("jobs/<int:job_id>", api.JobView.as_view(), "job"),
    *api_path("jobs/<int:job_id>/status", api.JobStatusView.as_view(), "job-status"),
]
