"""What every Retail page shares: bound forms, the client address, the company context, and one
way to answer a refused form (429 with Retry-After when a rate limit refused it)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from mpro.clientip import client_address  # noqa: F401 - the Retail views' import of it
from mpro.errors import DomainError, RateLimitedError


def posted(request: HttpRequest):
    """The POSTed data, also when empty (an empty form must be bound, so it shows its errors)."""
    return request.POST if request.method == "POST" else None


def company_context(request: HttpRequest, **extra) -> dict:
    return {
        "company": request.company,
        "attestation": request.attestation,
        "support_session": request.support_session,
        **extra,
    }


def render_page(
    request: HttpRequest,
    template: str,
    context: dict,
    *,
    status: int = 200,
    refusal: DomainError | None = None,
) -> HttpResponse:
    """Renders the page; when a rate limit refused the form (`refusal`), answers 429 with
    Retry-After, as the API does."""
    limited = isinstance(refusal, RateLimitedError)
    response = render(request, template, context, status=429 if limited else status)
    if limited:
        response["Retry-After"] = str(refusal.retry_after)
    return response
