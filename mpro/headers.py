"""Response headers Django has no setting for (issue 17, item 20): Permissions-Policy.

The portal uses none of the browser's powerful features (camera, microphone, location, sensors,
payment, USB): they are switched off for the site and anything it could ever embed. The header is
set on every response that does not carry one already; settings.PERMISSIONS_POLICY holds the value."""

from django.conf import settings


class PermissionsPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.value = ", ".join(
            f"{feature}=({' '.join(allow)})" for feature, allow in settings.PERMISSIONS_POLICY.items()
        )

    def __call__(self, request):
        response = self.get_response(request)
        if self.value:
            response.headers.setdefault("Permissions-Policy", self.value)
        return response
