"""The API's OpenAPI schema declares the errors each operation can answer, in one place.

drf-spectacular documents what a view returns on success. `AutoSchema` adds the error answers,
derived from facts about the operation rather than listed by hand:

- 400 when it takes a request body, query parameters or path parameters (field errors, and the
  malformed-input refusal of mpro.input_guard for any value it reads), or raises a 400 error;
- 401 when it authenticates at all (a wrong token is refused even where none is needed), 403 when
  it needs authentication (not only `AllowAny`), for an unsafe method a browser session may call
  (CSRF), or when its code raises a 403 error;
- 404 when it has path parameters, or its code raises a 404 error;
- 409 (and any other status) when its code raises it: mpro.raises reads the view, its permission
  checks and the services they call;
- 429 when it is throttled, or raises `RateLimitedError`.

Bodies are the project's error envelope (mpro.api.exception_handler, API.md): `{"detail", "code"}`
(plus a domain error's extra keys), and for 400 either that or `{"field": ["message", ...]}`.
A description written on the view (`extend_schema(responses={409: OpenApiResponse(...)})`) is kept;
the body is added when it has none."""

from __future__ import annotations

from drf_spectacular import openapi
from drf_spectacular.plumbing import ResolvedComponent
from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import AllowAny

from .raises import statuses_raised

ERROR = {
    "type": "object",
    "description": "An error: a message for people and, for the project's own errors, a stable code.",
    "properties": {
        "detail": {"type": "string"},
        "code": {"type": "string", "description": "e.g. `vin_registered`, `attestation_required`"},
    },
    "required": ["detail"],
}
FIELD_ERRORS = {
    "type": "object",
    "description": "Field errors: each input's messages (`non_field_errors` for the request as a whole); "
    "a nested input answers with its own errors nested the same way.",
    "additionalProperties": {"anyOf": [{"type": "array", "items": {}}, {"type": "object"}]},
}
DESCRIPTIONS = {
    400: "Bad input: field errors, or a malformed request (`detail`).",
    401: "Not authenticated: no credentials, or a token that is invalid or revoked.",
    403: "Authenticated, but this role or caller may not do this (`detail`, `code`).",
    404: "Not found, or not the caller's (never 403 for another company's data).",
    409: "Conflicts with existing data (`detail`, `code`).",
    429: "Rate-limited: retry after the `Retry-After` header's seconds.",
}
RETRY_AFTER = {"Retry-After": {"schema": {"type": "integer"}, "description": "Seconds to wait."}}
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


class AutoSchema(openapi.AutoSchema):
    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:
            return None
        responses = operation.setdefault("responses", {})
        for status in sorted(self.error_statuses(operation) | _declared_errors(responses)):
            response = responses.setdefault(str(status), {})
            response.setdefault("description", DESCRIPTIONS.get(status, "An error."))
            if not response.get("content"):
                response["content"] = {"application/json": {"schema": self._error_schema(status)}}
            if status == 429:
                response.setdefault("headers", RETRY_AFTER)
        return operation

    def error_statuses(self, operation) -> set[int]:
        view = self.view
        places = {parameter["in"] for parameter in operation.get("parameters", ())}
        statuses = set(statuses_raised(type(view), self.method))
        if "requestBody" in operation or places & {"query", "path"}:
            statuses.add(400)
        if "path" in places:
            statuses.add(404)
        if view.authentication_classes:
            statuses.add(401)  # a wrong or revoked credential is refused even where none is needed
        if not all(issubclass(p, AllowAny) for p in view.permission_classes):
            statuses |= {401, 403}
        if self.method in UNSAFE and any(
            issubclass(a, SessionAuthentication) for a in view.authentication_classes
        ):
            statuses.add(403)
        if view.throttle_classes:
            statuses.add(429)
        return statuses

    def _error_schema(self, status: int) -> dict:
        error = self._component("Error", ERROR)
        if status != 400:
            return error
        return {"anyOf": [self._component("FieldErrors", FIELD_ERRORS), error]}

    def _component(self, name: str, schema: dict) -> dict:
        component = ResolvedComponent(name=name, type=ResolvedComponent.SCHEMA, object=name, schema=schema)
        self.registry.register_on_missing(component)
        return component.ref


def _declared_errors(responses: dict) -> set[int]:
    return {int(code) for code in responses if code.isdigit() and int(code) >= 400}
