"""API foundation: pagination, the error format, and path helpers shared by every app's API."""

import copy

from django.core.exceptions import FieldDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import JsonResponse
from django.urls import path
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views import defaults
from rest_framework import pagination, serializers, status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from .errors import DomainError, FieldErrors, RateLimitedError
from .input_guard import text_is_clean


class ModelSerializer(serializers.ModelSerializer):
    """DRF's ModelSerializer, its fields built from the model once per class and language.

    DRF builds each field from its model field (kwargs, label, validators) every time a serializer
    is made: about a millisecond for a dozen fields, on every request that uses one. That build
    depends only on the class (its Meta, its declared fields) and, through the labels it compares,
    on the active language. So it runs once per class and language, and each serializer gets its
    own copies: a plain field is copied attribute by attribute (binding it to the serializer sets
    attributes on the copy only), a field that holds other fields (a nested serializer, a list's
    child) is deep-copied, as DRF copies declared fields. Every serializer on a model derives from
    this one (tests/mpro/test_model_serializer.py)."""

    def get_fields(self):
        cls = type(self)
        built = cls.__dict__.get("_built_fields")
        if built is None:
            built = {}
            cls._built_fields = built
        language = translation.get_language()
        prototypes = built.get(language)
        if prototypes is None:
            fields = super().get_fields()
            prototypes = built[language] = [
                (name, field, _holds_fields(field)) for name, field in fields.items()
            ]
        return {
            name: copy.deepcopy(field) if nested else copy.copy(field) for name, field, nested in prototypes
        }


def _holds_fields(field) -> bool:
    return isinstance(field, serializers.BaseSerializer) or any(
        isinstance(value, serializers.Field | list | dict) and _has_field(value)
        for value in vars(field).values()
    )


def _has_field(value) -> bool:
    if isinstance(value, serializers.Field):
        return True
    items = value.values() if isinstance(value, dict) else value
    return any(isinstance(item, serializers.Field) for item in items)


class CursorPagination(pagination.CursorPagination):
    """Every list's pagination. A cursor is the caller's input too: one that does not decode to a
    position of the ordering field's type (a NUL, a lone surrogate, text where a number or a time is
    expected) is a 400 here, not a database error."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 100
    ordering = "-id"

    def paginate_queryset(self, queryset, request, view=None):
        self._model = queryset.model
        return super().paginate_queryset(queryset, request, view)

    def decode_cursor(self, request):
        try:
            cursor = super().decode_cursor(request)
        except NotFound:
            cursor = None
            valid = False
        else:
            valid = cursor is None or cursor.position is None or self._position_is_valid(cursor.position)
        if not valid:
            raise ValidationError({self.cursor_query_param: [_("This cursor is not valid.")]})
        return cursor

    def _position_is_valid(self, position: str) -> bool:
        if not text_is_clean(position):
            return False
        name = (self.ordering if isinstance(self.ordering, str) else self.ordering[0]).lstrip("-")
        try:
            field = self._model._meta.get_field(name)
        except (AttributeError, FieldDoesNotExist):
            return True
        try:
            field.get_prep_value(field.to_python(position))
        except (DjangoValidationError, ValueError, TypeError, OverflowError):
            return False
        return True


def exception_handler(exc, context):
    if isinstance(exc, DomainError):
        if isinstance(exc, FieldErrors) or exc.status_code == status.HTTP_400_BAD_REQUEST:
            return Response(exc.as_field_errors(), status=status.HTTP_400_BAD_REQUEST)
        headers = {"Retry-After": str(exc.retry_after)} if isinstance(exc, RateLimitedError) else None
        body = {"detail": str(exc.message), "code": exc.code, **getattr(exc, "extra", {})}
        return Response(body, status=exc.status_code, headers=headers)
    return drf_exception_handler(exc, context)


def not_found(request, exception=None):
    """The site's 404 (`handler404`): under /api/ the API's JSON error, also for a URL no route
    matches (`/api/v1/jobs/-1`, an unknown path), which Django would answer with the HTML page."""
    if request.path_info.startswith("/api/"):
        return JsonResponse({"detail": str(NotFound.default_detail), "code": "not_found"}, status=404)
    return defaults.page_not_found(request, exception)


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


def validated(serializer_class, data, **kwargs) -> dict:
    """The one way an API view validates its input: the serializer's validated data, or
    FieldErrors (400 with each field's messages; a nested field's are prefixed with its name)."""
    serializer = serializer_class(data=data, **kwargs)
    if not serializer.is_valid():

        def flat(errors) -> list[str]:
            if isinstance(errors, dict):
                return [f"{k}: {m}" for k, v in errors.items() for m in flat(v)]
            return [str(m) for m in errors]

        raise FieldErrors({field: flat(errors) for field, errors in serializer.errors.items()})
    return serializer.validated_data


_DATETIME = serializers.DateTimeField()


def moment_formatter():
    """What DRF's DateTimeField writes for a time (ISO 8601 in the request's time zone, UTC as
    "Z"), for the lean list bodies that format a page of times: the zone is looked up once for the
    page instead of once per value (two thread-local reads and a settings read each)."""
    zone = timezone.get_current_timezone()

    def moment(value):
        if value is None:
            return None
        if timezone.is_naive(value):
            return _DATETIME.to_representation(value)
        text = value.astimezone(zone).isoformat()
        return text[:-6] + "Z" if text.endswith("+00:00") else text

    return moment
