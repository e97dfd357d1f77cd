"""Domain errors: a broken business rule, with a message the user understands.

Services raise them; pages show them as form errors, the API turns them into DRF's standard
bodies (see mpro.api.exception_handler)."""

from django.utils.functional import Promise


class DomainError(Exception):
    """400: the input breaks a rule. `field` names the input it concerns, if one."""

    status_code = 400
    default_code = "invalid"

    def __init__(self, message: str | Promise, *, field: str | None = None, code: str | None = None):
        super().__init__(str(message))
        self.message = message
        self.field = field
        self.code = code or self.default_code

    def as_field_errors(self) -> dict[str, list[str]]:
        return {self.field or "non_field_errors": [str(self.message)]}


class FieldErrors(DomainError):
    """400 with several fields at once: {"field": ["message", ...]}."""

    def __init__(self, errors: dict[str, list[str | Promise]]):
        first = next(iter(errors.values()))[0] if errors else ""
        super().__init__(first)
        self.errors = errors

    def as_field_errors(self) -> dict[str, list[str]]:
        return {field: [str(m) for m in messages] for field, messages in self.errors.items()}


class ConflictError(DomainError):
    """409: the request conflicts with data that already exists."""

    status_code = 409
    default_code = "conflict"


class ForbiddenError(DomainError):
    """403: the caller is known but may not do this (yet)."""

    status_code = 403
    default_code = "permission_denied"


class RateLimitedError(DomainError):
    status_code = 429
    default_code = "throttled"

    def __init__(self, message: str | Promise, *, retry_after: int, code: str | None = None):
        super().__init__(message, code=code)
        self.retry_after = retry_after
