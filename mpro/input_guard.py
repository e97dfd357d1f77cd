"""Malformed input is refused once, here, with a 400 (issue 17, item 10), before it can reach the
database (PostgreSQL refuses NUL characters and lone surrogates in text: a 500) or the parser's
recursion (a RecursionError: a 500).

- `InputGuardMiddleware`: NUL characters in the path, in query values and in form fields (names too).
- `JSONParser`: the API's parser, which also refuses NUL characters and lone surrogates in any string
  (keys included) and JSON nested deeper than `MAX_JSON_DEPTH`.
- `text_is_clean` / `check_text`: for the other doors (pagination cursors, uploaded CSV files).
"""

from __future__ import annotations

import json

from django.http import HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError

# Far deeper than any request body of the API (two or three levels), far below Python's recursion limit.
MAX_JSON_DEPTH = 32


def text_is_clean(text: str) -> bool:
    """No NUL character and no lone surrogate (a string that UTF-8 cannot encode)."""
    if "\x00" in text:
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def forbidden_text_message() -> str:
    return _("The request contains characters that are not allowed (a NUL character or broken Unicode).")


class InputGuardMiddleware:
    """Refuses a request whose path, query or form values carry a NUL character: 400, JSON for the API."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not self._is_clean(request):
            message = forbidden_text_message()
            if request.path_info.startswith("/api/"):
                return JsonResponse({"detail": message, "code": "malformed_input"}, status=400)
            return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")
        return self.get_response(request)

    @staticmethod
    def _is_clean(request) -> bool:
        if not text_is_clean(request.path_info):
            return False
        if not all(text_is_clean(key) and text_is_clean(value) for key, value in _pairs(request.GET)):
            return False
        content_type = request.content_type or ""
        if request.method == "POST" and content_type in (
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        ):
            return all(text_is_clean(key) and text_is_clean(value) for key, value in _pairs(request.POST))
        return True


def _pairs(query_dict):
    for key, values in query_dict.lists():
        for value in values:
            yield key, value if isinstance(value, str) else ""


def check_json(data, max_depth: int = MAX_JSON_DEPTH) -> None:
    """Walks parsed JSON without recursion: ParseError for deep nesting or a forbidden string."""
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict | list):
            if depth > max_depth:
                raise ParseError(_("The JSON document is nested too deeply."))
            items = value.items() if isinstance(value, dict) else enumerate(value)
            for key, item in items:
                if isinstance(key, str) and not text_is_clean(key):
                    raise ParseError(forbidden_text_message())
                stack.append((item, depth + 1))
        elif isinstance(value, str) and not text_is_clean(value):
            raise ParseError(forbidden_text_message())


def _nesting_depth(text: str) -> int:
    """The deepest bracket nesting outside strings, counted before parsing, so that a document
    nested a thousand levels deep never reaches the recursive parser."""
    depth = deepest = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth -= 1
    return deepest


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        parser_context = parser_context or {}
        encoding = parser_context.get("encoding", "utf-8")
        try:
            text = stream.read().decode(encoding)
        except UnicodeDecodeError:
            raise ParseError(_("The request body is not valid UTF-8.")) from None
        if _nesting_depth(text) > MAX_JSON_DEPTH:
            raise ParseError(_("The JSON document is nested too deeply."))
        try:
            data = json.loads(text, parse_constant=_refuse_constant)
        except (ValueError, RecursionError) as exc:
            raise ParseError(_("JSON parse error: %(error)s") % {"error": exc}) from None
        check_json(data)
        return data


def _refuse_constant(name: str):
    # NaN and Infinity are not JSON; DRF's strict parser refuses them too.
    raise ValueError(f"{name} is not valid JSON")


class FormParser(parsers.FormParser):
    """Form bodies of PUT and PATCH, which the middleware does not see (Django parses only POST)."""

    def parse(self, stream, media_type=None, parser_context=None):
        data = super().parse(stream, media_type, parser_context)
        if not all(text_is_clean(key) and text_is_clean(value) for key, value in _pairs(data)):
            raise ParseError(forbidden_text_message())
        return data


class MultiPartParser(parsers.MultiPartParser):
    def parse(self, stream, media_type=None, parser_context=None):
        parsed = super().parse(stream, media_type, parser_context)
        if not all(text_is_clean(key) and text_is_clean(value) for key, value in _pairs(parsed.data)):
            raise ParseError(forbidden_text_message())
        return parsed
