"""What an API view can answer besides success, read from its code rather than written by hand.

`statuses_raised(view_class, method)` walks the view's handler, its `initial`, its permission checks
and every project function they call (through `self.…`, module functions and `module.function`),
and collects the HTTP status of each exception raised or built on the way (a helper may return the
error its caller raises): a domain error's `status_code`
(mpro.errors), a DRF exception's, `Http404`, Django's `PermissionDenied`. The schema declares these
(mpro.api_schema), so a service that starts raising `ConflictError` gets its 409 documented without
anyone editing a list. Calls the walk cannot resolve (methods of objects other than the view) are not
followed; what they raise is still found by schemathesis (tests/test_schemathesis.py)."""

from __future__ import annotations

import ast
import builtins
import inspect
import textwrap
from functools import cache
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from rest_framework.exceptions import APIException

from .errors import DomainError

_IN_PROGRESS: set = set()  # functions being walked: a recursive call is not walked again
# Library functions views call that answer with an error status of their own.
KNOWN = {"get_object_or_404": 404, "get_list_or_404": 404}


def statuses_raised(view_class, method: str) -> frozenset[int]:
    # (function, the class its `self` is): the handler and `initial` are the view's own methods.
    roots = [(getattr(view_class, name, None), view_class) for name in (method.lower(), "initial")]
    for permission in getattr(view_class, "permission_classes", ()):
        roots += [
            (getattr(permission, name, None), permission)
            for name in ("has_permission", "has_object_permission")
        ]
    found: set[int] = set()
    for root, owner in roots:
        if root is not None and _is_project(root):
            found |= _walk(root, owner)
    return frozenset(found)


def status_of(exc) -> int | None:
    """The status the API's exception handler (mpro.api) answers for an exception class."""
    if not inspect.isclass(exc):
        return None
    if issubclass(exc, DomainError):
        return exc.status_code
    if issubclass(exc, APIException):
        return exc.status_code
    if issubclass(exc, Http404):
        return 404
    if issubclass(exc, DjangoPermissionDenied):
        return 403
    return None


@cache
def _is_project(func) -> bool:
    try:
        path = Path(inspect.getfile(inspect.unwrap(func))).resolve()
    except (TypeError, OSError):
        return False
    base = Path(settings.BASE_DIR).resolve()
    return base in path.parents and ".venv" not in path.parts and "site-packages" not in path.parts


@cache
def _walk(func, owner) -> frozenset[int]:
    func = inspect.unwrap(func)
    if (func, owner) in _IN_PROGRESS:
        return frozenset()
    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(func)))
    except (OSError, TypeError, SyntaxError):
        return frozenset()
    _IN_PROGRESS.add((func, owner))
    try:
        return _statuses(tree, getattr(func, "__globals__", {}), owner)
    finally:
        _IN_PROGRESS.discard((func, owner))


def _statuses(tree, scope: dict, owner) -> frozenset[int]:
    found: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Name | ast.Attribute):
            status = status_of(_resolve(node.exc, scope, owner))  # `raise NotFound`
            if status is not None:
                found.add(status)
        elif isinstance(node, ast.Call):
            callee = _resolve(node.func, scope, owner)
            name = getattr(callee, "__name__", None)
            if status_of(callee) is not None:
                # An error built is an error answered: raised here, or returned to be raised
                # (`vin_taken_error` gives the ConflictError that `vehicle_add` raises).
                found.add(status_of(callee))
            elif name in KNOWN and not _is_project(callee):
                found.add(KNOWN[name])
            elif inspect.isfunction(inspect.unwrap(callee or _none)) and _is_project(callee):
                # A function reached through `self.` still belongs to the view; any other is free.
                self_call = isinstance(node.func, ast.Attribute) and _is_self(node.func.value)
                found |= _walk(callee, owner if self_call else None)
    return frozenset(found)


def _none():
    """Stands in for an unresolved callee."""


def _is_self(node) -> bool:
    return isinstance(node, ast.Name) and node.id in ("self", "cls")


def _resolve(node, scope: dict, owner):
    """The object an expression names: `name`, `module.name`, `self.name`; None when unknown."""
    if isinstance(node, ast.Name):
        if node.id in scope:
            return scope[node.id]
        return getattr(builtins, node.id, None)
    if isinstance(node, ast.Attribute):
        if _is_self(node.value):
            return getattr(owner, node.attr, None) if owner is not None else None
        base = _resolve(node.value, scope, owner)
        if inspect.ismodule(base) or inspect.isclass(base):
            return getattr(base, node.attr, None)
    return None
