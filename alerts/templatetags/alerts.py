"""Cards other apps' pages include without importing us: the dashboard's open alerts and the
profile page's e-mail opt-in (`{% load alerts %}{% alerts_dashboard_card %}`)."""

from django import template

from companies.permissions import allows

from .. import selectors

register = template.Library()


def _manager(context) -> bool:
    request = context.get("request")
    membership = getattr(request, "membership", None) if request else None
    return membership is not None and allows(membership.role, "vehicles.view_all")


@register.inclusion_tag("alerts/_dashboard_card.html", takes_context=True)
def alerts_dashboard_card(context):
    if not _manager(context):
        return {"show": False}
    company = context["request"].company
    recent = list(selectors.alerts(company, status="open")[:5])
    return {
        "show": True,
        "recent": recent,
        "count": selectors.open_alert_count(company),
        "request": context["request"],
    }


@register.inclusion_tag("alerts/_profile_card.html", takes_context=True)
def alerts_profile_card(context):
    request = context["request"]
    from companies.tenancy import get_membership

    membership = get_membership(request)
    if membership is None or not allows(membership.role, "vehicles.view_all"):
        return {"show": False}
    return {
        "show": True,
        "enabled": selectors.wants_alert_emails(request.user),
        "csrf_token": context.get("csrf_token"),
    }
