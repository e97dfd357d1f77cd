"""API foundation: pagination, the error format, and path helpers shared by every app's API."""

from django.urls import path
from rest_framework import pagination, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from .errors import DomainError, FieldErrors, RateLimitedError


class CursorPagination(pagination.CursorPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 100
    ordering = "-id"


def exception_handler(exc, context):
    if isinstance(exc, DomainError):
        if isinstance(exc, FieldErrors) or exc.status_code == status.HTTP_400_BAD_REQUEST:
            return Response(exc.as_field_errors(), status=status.HTTP_400_BAD_REQUEST)
        headers = {"Retry-After": str(exc.retry_after)} if isinstance(exc, RateLimitedError) else None
        body = {"detail": str(exc.message), "code": exc.code, **getattr(exc, "extra", {})}
        return Response(body, status=exc.status_code, headers=headers)
    return drf_exception_handler(exc, context)


def api_path(route: str, view, name: str | None = None) -> list:
    """Registers `route` with and without a trailing slash (API.md: both forms are accepted)."""
    route = route.rstrip("/")
    return [path(route, view, name=name), path(route + "/", view)]


def drop_slash_duplicates(endpoints, **kwargs):
    """drf-spectacular hook: document each path once, without its trailing-slash twin."""
    seen = {(p, m) for p, _r, m, _c in endpoints}
    return [(p, r, m, c) for p, r, m, c in endpoints if not (p.endswith("/") and (p.rstrip("/"), m) in seen)]


def max_length_of(model, field: str) -> int:
    """A serializer field's limit, taken from the model field it fills, so the rule is written once."""
    return model._meta.get_field(field).max_length
