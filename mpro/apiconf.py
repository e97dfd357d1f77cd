"""The REST API's settings (DRF and drf-spectacular), read by mpro/settings.py."""

from mpro.env import env_str


def rest_framework(trusted_proxy_count: int) -> dict:
    return {
        "DEFAULT_AUTHENTICATION_CLASSES": [
            "users.authentication.TokenAuthentication",
            "rest_framework.authentication.SessionAuthentication",
        ],
        "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
        "DEFAULT_PAGINATION_CLASS": "mpro.api.CursorPagination",
        # DRF's JSON bytes, written by orjson (mpro/renderers.py).
        "DEFAULT_RENDERER_CLASSES": [
            "mpro.renderers.JSONRenderer",
            "rest_framework.renderers.BrowsableAPIRenderer",
        ],
        # DRF's parsers, refusing NUL characters, lone surrogates and deep nesting (mpro/input_guard.py).
        "DEFAULT_PARSER_CLASSES": [
            "mpro.input_guard.JSONParser",
            "mpro.input_guard.FormParser",
            "mpro.input_guard.MultiPartParser",
        ],
        "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
        "DEFAULT_SCHEMA_CLASS": "mpro.api_schema.AutoSchema",
        "EXCEPTION_HANDLER": "mpro.api.exception_handler",
        # No OPTIONS metadata: it described other companies' objects' fields under any URL (it never
        # looks the object up) and no browser client needs it (same origin, no CORS). OPTIONS answers
        # 405 once the caller passed the same checks as GET (companies.tenancy.required_capability).
        "DEFAULT_METADATA_CLASS": None,
        "DEFAULT_THROTTLE_CLASSES": [
            "mpro.throttling.AnonRateThrottle",
            "mpro.throttling.UserRateThrottle",
        ],
        "DEFAULT_THROTTLE_RATES": {
            "anon": env_str("API_THROTTLE_ANON", "60/min"),
            "user": env_str("API_THROTTLE_USER", "1200/min"),
            "token_create": "20/hour",
            "retail_search": env_str("RETAIL_SEARCH_THROTTLE", "60/min"),
            "data_client": env_str("DATA_INTERFACE_THROTTLE", "120/min"),
        },
        "TEST_REQUEST_DEFAULT_FORMAT": "json",
        "NUM_PROXIES": trusted_proxy_count,
    }


SPECTACULAR = {
    "TITLE": "mpro API",
    "DESCRIPTION": "Fleet portal for commercial vans: customers, vehicles, service packs and the dealer Retail API.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    # No validator badge: it would send the schema's URL to validator.swagger.io (CSP: img-src).
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "PREPROCESSING_HOOKS": ["mpro.api.drop_slash_duplicates"],
    "ENUM_NAME_OVERRIDES": {
        "FuelEnum": "vehicles.models.Fuel",
        "KnownFuelEnum": [("combustion", "Combustion"), ("electric", "Electric")],
    },
}
