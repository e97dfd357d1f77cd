"""Who may open which Retail page, and what happens to a form whose window ran out.

- `staff_required`: anonymous → the Retail login; a customer → 404 (customers never see the
  dealer site); dealer staff → `request.staff`.
- `company_required(support_session=False)`: the company of the URL's PRO ID (404 if none), and
  an open attestation of this staff member for it; with `support_session=True` also an open
  support session (both checked by `retail.windows.open_window`, the API's door too). Without one, the staff member is sent to confirm identity (or to ask for the
  support password) and comes back afterwards; a form posted in the meantime is kept as a draft
  in the session and shown again, filled in, once the window is open again.

Sets `request.company`, `request.attestation`, `request.support_session` and `request.actor`
(the dealer-staff actor under the attestation, or under the support session when one is
required).
"""

from __future__ import annotations

from functools import wraps
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.forms import MultipleChoiceField
from django.http import Http404, HttpRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from mpro.errors import RateLimitedError

from . import selectors
from .throttling import search_allowed
from .windows import ATTESTATION, SUPPORT_SESSION, WindowRequired, open_window

DRAFTS_KEY = "retail_drafts"
# Never kept in a draft: secrets, and Django's own token.
NOT_DRAFTED = {"csrfmiddlewaretoken", "support_password", "password"}
MAX_DRAFTS = 10


def staff_required(view):
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), login_url=reverse("retail:login"))
        staff = selectors.staff_for_user(request.user)
        if staff is None:
            raise Http404
        request.staff = staff
        # The request's user is this staff member's: say so on it, so that what asks the user for
        # its staff row later (companies.tenancy.is_dealer_staff, on every page) reads no more.
        request.user.dealer_staff = staff
        # Staff read times on their outlet's clock (the portal middleware leaves /retail/ alone).
        timezone.activate(staff.dealer.time_zone_name)
        return view(request, *args, **kwargs)

    return wrapper


def company_required(view=None, *, support_session: bool = False):
    def decorator(view):
        @staff_required
        @wraps(view)
        def wrapper(request: HttpRequest, pro_id: str, *args, **kwargs):
            company = selectors.company_by_pro_id(pro_id)
            if company is None:
                return _lookup_refused(request) or _not_found()
            if company.pro_id != pro_id:
                # One address per company page: PRO-ABCDEF, not pro-abcdef or ABCDEF.
                return redirect(request.path.replace(f"/{pro_id}/", f"/{company.pro_id}/", 1))
            need = SUPPORT_SESSION if support_session else ATTESTATION
            try:
                window = open_window(staff=request.staff, company=company, need=need)
            except WindowRequired as refusal:
                # Without a window, a PRO ID in the address is a company lookup like a search.
                return _lookup_refused(request) or _send_to_open(request, company, refusal.need)
            request.company = company
            request.attestation = window.attestation
            request.support_session = window.support_session
            request.actor = window.actor
            return view(request, *args, **kwargs)

        return wrapper

    return decorator(view) if view is not None else decorator


def _not_found():
    raise Http404


def _lookup_refused(request: HttpRequest):
    """Spends one company search of the staff member's budget (retail.throttling): a 429 page when
    it is spent, else None. Addressing companies by PRO ID without an open window is how one
    would probe which PRO IDs exist, so it costs what a search costs, for known and unknown IDs
    alike."""
    try:
        search_allowed(request)
    except RateLimitedError as error:
        response = render(request, "retail/throttled.html", {"message": error.message}, status=429)
        response["Retry-After"] = str(error.retry_after)
        return response
    return None


def _send_to_open(request: HttpRequest, company, need: str):
    """To the page that opens the missing window, keeping a posted form as a draft."""
    expired = _keep_draft(request)
    if need == ATTESTATION:
        messages.warning(
            request,
            _(
                "Your identity confirmation for this company has run out. Confirm it again; "
                "what you entered is kept."
            )
            if expired
            else _("Confirm the customer's identity to open this company."),
        )
        return _redirect_with_next("retail:attest", company, request)
    messages.warning(
        request,
        _(
            "The support session for this company has run out. Ask the customer for "
            "the support password again; what you entered is kept."
        )
        if expired
        else _("Acting for the customer needs a support session: ask for the support password."),
    )
    return _redirect_with_next("retail:support", company, request)


def _redirect_with_next(url_name: str, company, request: HttpRequest):
    target = request.path if request.method == "POST" else request.get_full_path()
    return redirect(reverse(url_name, args=[company.pro_id]) + "?" + urlencode({"next": target}))


def safe_next(request: HttpRequest, company, default: str) -> str:
    """The `next` a window page sends back to: only a page of this same company."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    prefix = reverse("retail:company", args=[company.pro_id])
    if (
        target.startswith(prefix)
        and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()})
        and len(target) < 500
    ):
        return target
    return default


# --- drafts: a form posted after its window ran out ---------------------------------------------
def _keep_draft(request: HttpRequest) -> bool:
    """Keeps a POSTed form (minus secrets) under its URL; True when there was one."""
    if request.method != "POST":
        return False
    data = {key: request.POST.getlist(key)[:500] for key in request.POST if key not in NOT_DRAFTED}
    drafts = dict(request.session.get(DRAFTS_KEY, {}))
    drafts.pop(request.path, None)
    while len(drafts) >= MAX_DRAFTS:
        drafts.pop(next(iter(drafts)))
    drafts[request.path] = {key: [value[:2000] for value in values] for key, values in data.items()}
    request.session[DRAFTS_KEY] = drafts
    return True


def pop_draft_initial(request: HttpRequest, form_class) -> dict | None:
    """The kept draft of this URL as a form's `initial`, once; None when there is none."""
    drafts = request.session.get(DRAFTS_KEY) or {}
    data = drafts.get(request.path)
    if data is None:
        return None
    drafts = dict(drafts)
    drafts.pop(request.path)
    request.session[DRAFTS_KEY] = drafts
    initial = {}
    for name, field in form_class.base_fields.items():
        if name in data:
            values = data[name]
            initial[name] = (
                values if isinstance(field, MultipleChoiceField) else (values[-1] if values else "")
            )
    return initial
