"""Structured logs: one JSON object per line in production, with the request id on every line.

- `RequestIdMiddleware` takes the caller's `X-Request-ID` (if it looks like one) or makes one,
  keeps it in a context variable for the request and answers with it.
- Tasks enqueued during the request carry it in a Celery header (`mpro.task_signals`), and the
  worker puts it back in the context variable while the task runs, so one id follows a click from
  the web line to every task line it caused.
- `JsonFormatter` writes the line; `redact` takes secrets and personal data out of the message
  (e-mail addresses, phone numbers, tokens, passwords, Authorization headers) before it is written.

`LOG_FORMAT=json` (the default when DEBUG is off) switches it on; `text` keeps plain lines.
"""

from __future__ import annotations

import contextvars
import datetime
import json
import logging
import re
import uuid

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")
task_var: contextvars.ContextVar[str] = contextvars.ContextVar("task", default="")

_VALID_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
REDACTIONS = [
    (re.compile(r"(?i)\b(authorization\s*[:=]\s*)(token|bearer|basic)\s+\S+"), r"\1\2 [redacted]"),
    (
        re.compile(
            r"(?i)((?:support_)?password|passwd|secret|token|api_key|dsn)(['\"]?\s*[:=]\s*['\"]?)[^\s'\",&}]+"
        ),
        r"\1\2[redacted]",
    ),
    (re.compile(r"\bmpro_[A-Za-z0-9_-]{20,}"), "[token]"),
    # Secrets carried in URL paths: invitation tokens, e-mail confirmation and password-reset keys.
    (
        re.compile(r"(/(?:invitations|confirm-email|password/reset/key)/)[^/\s?\"']+"),
        r"\1[redacted]",
    ),
    (re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}"), "[email]"),
    (re.compile(r"(?<![\w.])\+\d[\d \-]{7,}\d"), "[phone]"),
]


def redact(text: str) -> str:
    for pattern, replacement in REDACTIONS:
        text = pattern.sub(replacement, text)
    return text


def new_request_id() -> str:
    return uuid.uuid4().hex


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get("X-Request-ID", "")
        request.request_id = given if _VALID_ID.match(given) else new_request_id()
        token = request_id_var.set(request.request_id)
        try:
            response = self.get_response(request)
        finally:
            request_id_var.reset(token)
        response["X-Request-ID"] = request.request_id
        return response


class ContextFilter(logging.Filter):
    """Adds request_id (and the running task) to every record, for any formatter."""

    def filter(self, record: logging.LogRecord) -> bool:
        # django.request logs a response after the middleware has returned: it passes the request.
        record.request_id = request_id_var.get() or getattr(
            getattr(record, "request", None), "request_id", ""
        )
        record.task = task_var.get()
        return True


class RedactingFormatter(logging.Formatter):
    """Plain text, redacted: development and `LOG_FORMAT=text`."""

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.datetime.fromtimestamp(record.created, tz=datetime.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": redact(record.getMessage()),
            "request_id": getattr(record, "request_id", "") or request_id_var.get(),
        }
        task = getattr(record, "task", "") or task_var.get()
        if task:
            line["task"] = task
        if record.exc_info:
            line["exception"] = redact(self.formatException(record.exc_info))
        return json.dumps(line, ensure_ascii=False)


def redact_event(event: dict, hint: dict) -> dict:
    """sentry-sdk's before_send: the same redaction for error reports, which carry messages,
    exception values and breadcrumbs."""

    def scrub(value):
        if isinstance(value, str):
            return redact(value)
        if isinstance(value, dict):
            return {k: scrub(v) for k, v in value.items()}
        if isinstance(value, list):
            return [scrub(v) for v in value]
        return value

    event.pop("user", None)
    return scrub(event)
