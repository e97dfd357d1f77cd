"""Dealer staff's password lock-out holds at every door that checks their password.

Staff log in with their dealer ID (retail.services.staff_authenticate), but their account also has
an e-mail address and password that Django's `authenticate()` accepts: the customer login page
(which sends staff to the Retail dashboard), re-authentication, and the customer API token
endpoint (which then refuses staff). Without this module a dealer ID locked after wrong passwords
could be guessed further, or used, through those doors.

- `StaffLockBackend` (first in AUTHENTICATION_BACKENDS) refuses a staff member's e-mail while their
  dealer ID is locked for the client address (or from everywhere): PermissionDenied stops Django
  from asking the other backends, so not even the right password gets through.
- `count_failure` (on Django's `user_login_failed`) counts a wrong password for a staff member's
  e-mail towards the same dealer-ID lock as a wrong password on the Retail login."""

from __future__ import annotations

from django.contrib.auth.backends import BaseBackend, ModelBackend
from django.core.exceptions import PermissionDenied

from mpro.clientip import client_address

from .throttling import login_failed, login_locked


def _staff_of(credentials: dict):
    from .models import DealerStaff

    login = (credentials.get("email") or credentials.get("username") or "").strip()
    if not login or "@" not in login:
        return None
    return DealerStaff.objects.filter(user__email__iexact=login).only("d5_id").first()


def _address(request) -> str:
    return client_address(request) if request is not None else ""


class StaffLockBackend(BaseBackend):
    def authenticate(self, request, **credentials):
        staff = _staff_of(credentials)
        if staff is not None and login_locked(d5_id=staff.d5_id, address=_address(request)):
            raise PermissionDenied
        return None  # the other backends check the password

    def get_user(self, user_id):
        # A session started with this backend's name (Django's login() without a backend takes
        # the first one listed) loads its user as ModelBackend does.
        return ModelBackend().get_user(user_id)


def count_failure(sender, credentials, request=None, **kwargs) -> None:
    staff = _staff_of(credentials)
    if staff is not None:
        login_failed(d5_id=staff.d5_id, address=_address(request))
