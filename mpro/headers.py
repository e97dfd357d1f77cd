"""Response headers Django has no setting for (issue 17, item 20): Permissions-Policy.

The portal uses none of the browser's powerful features (camera, microphone, location, sensors,
payment, USB): they are switched off for the site and anything it could ever embed. The header is
set on every response that does not carry one already; settings.PERMISSIONS_POLICY holds the value.

The Content-Security-Policy itself is django-csp's; `content_security_policy` builds its setting,
and `ContentSecurityPolicyMiddleware` gives JSON its own constant one."""

import re
from urllib.parse import urlsplit

from csp.middleware import CSPMiddleware
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


# Scripts, styles, fonts and fetches come only from this site: no inline script, no `on…=` handler,
# no `style=` attribute, no eval (pages mark elements with data- attributes; the API docs' Swagger UI
# starts from static/js/api_docs.js). Map tiles are the one outside source: img-src adds the origin
# of MAP_TILES_URL (a `{s}` subdomain becomes `*`; a relative URL is 'self'). The driver app's
# service worker and manifest are this site's. No page may be framed, no plugin runs, forms post
# here only (and to the Mercedes me issuer when that log-in is configured).
def _origin(url: str) -> list[str]:
    parts = urlsplit(url)
    if not parts.scheme or not parts.netloc:
        return []
    host = re.sub(r"\{[^}]*\}", "*", parts.netloc)
    return [f"{parts.scheme}://{host}"]


def content_security_policy(map_tiles_url: str, login_issuer: str) -> dict:
    """django-csp's CONTENT_SECURITY_POLICY setting (issue 17, item 20)."""
    return {
        "DIRECTIVES": {
            "default-src": ["'self'"],
            "script-src": ["'self'"],
            "style-src": ["'self'"],
            "img-src": ["'self'", "data:", *_origin(map_tiles_url)],
            "connect-src": ["'self'"],
            "font-src": ["'self'"],
            "object-src": ["'none'"],
            "base-uri": ["'self'"],
            "form-action": ["'self'", *_origin(login_issuer)],
            "frame-ancestors": ["'none'"],
            "worker-src": ["'self'"],
            "manifest-src": ["'self'"],
        }
    }


# A JSON body is data, never a document: nothing in it may load, run or be framed. The policy is
# stricter than the pages' and the same for every response, so it is not built each time.
JSON_POLICY = "default-src 'none'; frame-ancestors 'none'"


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, except for JSON responses (the API's), which get JSON_POLICY:
    django-csp built the pages' policy string anew for every response, a tenth of the CPU of the
    API's cheapest request. Everything else (pages, the browsable API, the API docs, the driver
    app's service worker and manifest) gets django-csp's policy as before."""

    def process_response(self, request, response):
        if response.get("Content-Type", "").startswith("application/json"):
            if not getattr(response, "_csp_exempt", False):
                response.headers.setdefault("Content-Security-Policy", JSON_POLICY)
            return response
        return super().process_response(request, response)
