"""What the fleet overview page (vehicles.views.vehicle_list) computes once per page instead of
once per van or per request: the filter form's HTML, each van's link and fuel label.

Its template rendered the same filter form's widgets (one template per widget and per option) on
every request, a reverse() per van for its link and a lazy translation per van for its fuel:
together about a fifth of the page's CPU at 50 vans."""

from __future__ import annotations

from functools import partial
from urllib.parse import quote

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import get_language

from . import selectors
from .filters import VehicleFilterSet
from .models import Fuel
from .panels import OverviewColumn

# The filter form's HTML by (form's name, language, its fields and their values). It is a function
# of those alone (the choices and labels are code and catalogues, fixed for the life of the
# process; the form's errors follow from the values), so it needs no invalidation. Bounded: the
# values are typed by users, and the whole dictionary is dropped when full.
_FILTERS_HTML: dict[tuple, str] = {}
FILTERS_HTML_MAX = 256
# A stand-in VIN (VINs never contain the letter O) to cut the van page's URL around, and what
# reverse() leaves unquoted in a path (django.urls.resolvers: RFC 3986 sub-delimiters and /~:@).
_VIN_SLOT = "O" * 17
_PATH_SAFE = "!$&'()*+,;=/~:@"


def filters_html(form) -> str:
    """The overview's filter fields (label and widget each), rendered once per language and
    values. `form` is the bound form of the page's VehicleFilterSet."""
    # By the form's name and fields, not its class: django-filter makes a new form class for
    # every FilterSet it builds, so a class in the key missed on every request.
    key = (type(form).__name__, get_language(), tuple((name, form.data.get(name)) for name in form.fields))
    html = _FILTERS_HTML.get(key)
    if html is None:
        if len(_FILTERS_HTML) >= FILTERS_HTML_MAX:
            _FILTERS_HTML.clear()
        html = _FILTERS_HTML[key] = render_to_string("vehicles/_filters.html", {"form": form})
    return html


def decorate_rows(vehicles: list) -> None:
    """Sets `detail_url`, `fuel_label`, `verification_html` and each live subscription's
    `badge_html` on the page's vans: one reverse() for the page, one translation per label, and
    each badge template rendered once per distinct badge (three verification states, a few
    pack and status pairs) instead of once per van (100-150 includes a page)."""
    prefix, suffix = reverse("vehicles:detail", args=[_VIN_SLOT]).split(_VIN_SLOT)
    labels = {value: str(label) for value, label in Fuel.choices}
    verification: dict[str, str] = {}
    badges: dict[tuple, str] = {}
    for vehicle in vehicles:
        vehicle.detail_url = f"{prefix}{quote(vehicle.vin, safe=_PATH_SAFE)}{suffix}"
        vehicle.fuel_label = labels.get(vehicle.fuel, vehicle.fuel)
        status = vehicle.verification_status
        if status not in verification:
            verification[status] = render_to_string("vehicles/_verification.html", {"vehicle": vehicle})
        vehicle.verification_html = verification[status]
        for subscription in getattr(vehicle, "live_subscriptions", ()):
            key = (subscription.status, subscription.pack_id)
            if key not in badges:
                badges[key] = render_to_string("packs/_state_badge.html", {"subscription": subscription})
            subscription.badge_html = badges[key]


def overview_page(request, columns: list[OverviewColumn], page_size: int):
    """The filtered fleet and its page of vans, with the higher apps' columns on each van.

    A column's annotation joins the fleet query only when the page is sorted by it (a filter on it
    adds it itself). Otherwise it is computed for the page's vans alone, in a query of their ids:
    over the whole fleet PostgreSQL evaluated its EXISTS as a hashed scan of every live
    subscription (60 ms at 50,000 vans) for 50 rows."""
    sort = request.GET.get("sort", selectors.DEFAULT_SORT)
    base = selectors.vehicles_for_overview(request.company)
    for column in columns:
        if sort.lstrip("-") == column.key:
            base = column.annotate(base)
    filterset = VehicleFilterSet(request.GET, queryset=base, columns=columns)
    queryset = filterset.qs if filterset.is_valid() else base.none()
    page = selectors.keyset_page(
        queryset,
        sort=sort,
        cursor=request.GET.get("cursor"),
        size=page_size,
        numeric_sorts={column.key: column.sort_field for column in columns},
    )
    for vehicle in selectors.with_company(page.items, request.company):
        vehicle.live_subscriptions = selectors.live_subscriptions(vehicle)
    decorate_rows(page.items)
    for column in columns:
        if column.sort_field not in queryset.query.annotations:
            (column.annotate_page or partial(selectors.annotate_page, annotate=column.annotate))(page.items)
        if column.decorate is not None:
            column.decorate(page.items)
    return filterset, queryset, page
