"""Tenancy: a customer request resolves its company once, here, and every customer query is
scoped to it with the models' `for_company(company)`. Another company's object is a 404.

- pages:  @member_required("vehicles.manage") sets request.membership and request.company
- API:    permission_classes = [CompanyPermission] with `capability = "..."` on the view
"""

from __future__ import annotations

from functools import wraps
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from rest_framework import permissions

from .models import Company, Membership
from .permissions import allows

if TYPE_CHECKING:
    from django.http import HttpRequest


def is_dealer_staff(user) -> bool:
    return bool(user.is_authenticated and hasattr(user, "dealer_staff"))


# Read with the caller, in one query: their membership (its company and the company's default
# workshop, which most pages and GET /vehicles show) and whether they are dealer staff.
TENANCY_RELATIONS = ("membership__company__default_workshop", "dealer_staff")


def tenancy_from_user(user) -> Membership | None:
    """The accepted membership of a user loaded with TENANCY_RELATIONS (None if there is none)."""
    membership = getattr(user, "membership", None)
    return membership if membership is not None and membership.is_accepted else None


def get_membership(request: HttpRequest) -> Membership | None:
    """The caller's active membership, looked up once per request (a token client's comes with its
    token, users.authentication). The same query tells whether the caller is dealer staff, so
    `is_dealer_staff` afterwards costs nothing."""
    if not hasattr(request, "_mpro_membership"):
        membership = None
        user = request.user
        if user.is_authenticated:
            loaded = (
                get_user_model()
                ._default_manager.select_related(*TENANCY_RELATIONS)
                .filter(pk=user.pk)
                .first()
            )
            membership = tenancy_from_user(loaded) if loaded else None
            # What hasattr(user, "dealer_staff") would have cached on the user, read fresh here.
            user._state.fields_cache["dealer_staff"] = getattr(loaded, "dealer_staff", None)
        request._mpro_membership = membership
    return request._mpro_membership


def get_company(request: HttpRequest) -> Company | None:
    membership = get_membership(request)
    return membership.company if membership else None


def member_required(capability: str | None = None):
    """Page decorator: a logged-in customer of a company, optionally with a capability.

    Anonymous → login; dealer staff → 404 (they have no customer pages); no company yet →
    company registration; wrong role → 403."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            membership = get_membership(request)
            if is_dealer_staff(request.user):
                raise Http404
            if membership is None:
                return redirect("companies:register")
            if capability and not allows(membership.role, capability):
                raise PermissionDenied
            request.membership = membership
            request.company = membership.company
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def customer_required(view):
    """Page decorator: a logged-in customer, with or without a company (profile, onboarding)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        request.membership = get_membership(request)
        if is_dealer_staff(request.user):
            raise Http404
        request.company = request.membership.company if request.membership else None
        return view(request, *args, **kwargs)

    return wrapper


class CompanyPermission(permissions.BasePermission):
    """DRF: the caller is a customer with a company. A view's `capability` (or
    `capabilities = {"GET": ..., "POST": ...}`) names what the role must allow (403 otherwise).
    Dealer staff get 404 on customer endpoints, like customers on Retail ones."""

    message = None

    def has_permission(self, request, view) -> bool:
        if not request.user or not request.user.is_authenticated:
            return False
        membership = get_membership(request)
        if is_dealer_staff(request.user):
            raise Http404
        if membership is None:
            # Known but without a company: nothing to see yet.
            self.message = _("You do not belong to a company yet. Register your company first.")
            return False
        request.membership = membership
        request.company = membership.company
        capability = required_capability(view, request.method)
        return capability is None or (capability is not DENIED and allows(membership.role, capability))


DENIED = object()  # a method a view's `capabilities` does not name: nobody may use it


def required_capability(view, method: str):
    """What the caller's role must allow for `method` on `view` (None: being a member is enough).

    Fails closed: HEAD and OPTIONS need what GET needs (they answer about the same resource), and a
    view that lists per-method capabilities refuses a method it implements but does not list,
    unless its general `capability` covers it. GET left out of the list is open to every member
    (the vehicle list and detail, which drivers read); a method the view lacks is left to its 405."""
    method = "GET" if method in ("HEAD", "OPTIONS") else method
    capabilities = getattr(view, "capabilities", None)
    fallback = getattr(view, "capability", None)
    if not capabilities or method in capabilities:
        return (capabilities or {}).get(method, fallback)
    if fallback is not None or method == "GET" or not hasattr(view, method.lower()):
        return fallback
    return DENIED


class CustomerPermission(permissions.BasePermission):
    """DRF: any logged-in customer (with or without a company); dealer staff get 404."""

    def has_permission(self, request, view) -> bool:
        if not request.user or not request.user.is_authenticated:
            return False
        request.membership = get_membership(request)
        if is_dealer_staff(request.user):
            raise Http404
        request.company = request.membership.company if request.membership else None
        return True
