"""The ceiling of any Django request on this machine: one JSON view, no database, no middleware.

`make bench-http` serves it under the same gunicorn options as the app (`benchmarks.bare:application`)
and reports every endpoint as a share of its req/s, measured in the same run."""

from django.conf import settings

if not settings.configured:
    settings.configure(
        DEBUG=False,
        SECRET_KEY="bench-bare-only",
        ALLOWED_HOSTS=["127.0.0.1", "localhost"],
        ROOT_URLCONF=__name__,
        MIDDLEWARE=[],
        INSTALLED_APPS=[],
        USE_TZ=True,
    )

from django.core.wsgi import get_wsgi_application  # noqa: E402
from django.http import JsonResponse  # noqa: E402
from django.urls import path  # noqa: E402


def ping(request):
    return JsonResponse({"status": "ok", "items": [{"id": n} for n in range(3)]})


urlpatterns = [path("ping", ping)]
application = get_wsgi_application()
