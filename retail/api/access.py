"""Who may call the Retail API: dealer staff, and on a company only through its windows."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import NotFound
from rest_framework.permissions import BasePermission
from rest_framework.views import APIView

from mpro.errors import ForbiddenError

from .. import selectors
from ..throttling import search_allowed
from ..windows import ATTESTATION, SUPPORT_SESSION, WindowRequired, open_window

__all__ = [
    "ATTESTATION",
    "SUPPORT_SESSION",
    "CompanyAPIView",
    "DealerStaffPermission",
    "NotACustomer",
    "valid",
]


class DealerStaffPermission(BasePermission):
    """Authenticated dealer staff (sets `request.staff`); a customer gets 404."""

    def has_permission(self, request, view) -> bool:
        if not request.user or not request.user.is_authenticated:
            return False
        staff = selectors.staff_for_user(request.user)
        if staff is None:
            raise Http404
        request.staff = staff
        return True


class NotACustomer(BasePermission):
    """For the token endpoint, open to anonymous callers: a logged-in customer still gets 404."""

    def has_permission(self, request, view) -> bool:
        if request.user and request.user.is_authenticated and selectors.staff_for_user(request.user) is None:
            raise Http404
        return True


# The API's words for a missing window: they name the endpoint that opens it.
WINDOW_REQUIRED = {
    ATTESTATION: _(
        "Confirm the customer's identity first: POST /api/v1/retail/companies/%(pro_id)s/attestations."
    ),
    SUPPORT_SESSION: _(
        "Acting for the customer needs a support session: POST the customer's support password "
        "to /api/v1/retail/companies/%(pro_id)s/support-sessions."
    ),
}


class CompanyAPIView(APIView):
    """A company addressed by PRO ID (any case, with or without PRO-; 404 when none), and the window
    the caller needs on it: `window` (default) or `windows = {"GET": ..., "POST": ...}`."""

    permission_classes = [DealerStaffPermission]
    window: str | None = ATTESTATION
    windows: dict[str, str | None] = {}

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        company = selectors.company_by_pro_id(kwargs.get("pro_id"))
        if company is None:
            search_allowed(request)  # a lookup without a window costs a search (retail.access)
            raise NotFound()
        need = self.windows.get(request.method, self.window)
        try:
            window = open_window(staff=request.staff, company=company, need=need)
        except WindowRequired as refusal:
            search_allowed(request)
            message = WINDOW_REQUIRED[refusal.need] % {"pro_id": company.pro_id}
            raise ForbiddenError(message, code=refusal.code) from refusal
        if need is None:
            search_allowed(request)  # e.g. opening an attestation: the first look at a company
        self.company = company
        self.attestation = window.attestation
        self.support_session = window.support_session
        self.actor = window.actor


def valid(serializer_class, data) -> dict:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data
