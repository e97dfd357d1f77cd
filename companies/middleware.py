from django.utils import timezone

from .tenancy import get_membership


class CompanyTimezoneMiddleware:
    """Portal pages show times in the company's zone (its choice, else its country's), not in UTC.

    The membership is the one the request resolves anyway (cached on the request by
    companies.tenancy). The Retail site sets the outlet's zone itself (retail.access); the API
    speaks UTC (ISO 8601 with an offset)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(("/api/", "/retail/", "/admin/"))
        ):
            membership = get_membership(request)
            if membership is not None:
                timezone.activate(membership.company.time_zone_name)
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
