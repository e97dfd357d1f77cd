"""Portal pages: the company's data clients and webhook endpoints (administrators only)."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from companies.audit import Actor
from companies.tenancy import member_required
from mpro.errors import DomainError
from mpro.forms import show_error

from . import selectors, services
from .forms import DataClientForm, WebhookForm


def _overview(request, **context):
    context.setdefault("client_form", DataClientForm())
    context.setdefault("webhook_form", WebhookForm())
    context["clients"] = selectors.data_clients(request.company)
    context["endpoints"] = selectors.webhook_endpoints(request.company)
    return render(request, "integrations/overview.html", context)


@require_GET
@member_required("integrations.manage")
def overview(request):
    return _overview(request)


def _create_showing_secret(request, form, create, *, shown_as: str, form_name: str):
    """The two create pages (data client, webhook endpoint): a valid form creates the object and
    the overview shows its secret this once (only its hash is stored); otherwise the overview
    shows the form with its errors."""
    if form.is_valid():
        try:
            created, secret = create(
                form.cleaned_data, company=request.company, actor=Actor.customer(request.user)
            )
        except DomainError as error:
            show_error(form, error)
        else:
            return _overview(request, **{f"new_{shown_as}": created, f"new_{shown_as}_secret": secret})
    return _overview(request, **{form_name: form})


@require_POST
@member_required("integrations.manage")
def data_client_create(request):
    return _create_showing_secret(
        request,
        DataClientForm(request.POST),
        lambda data, **owner: services.data_client_create(name=data["name"], scopes=data["scopes"], **owner),
        shown_as="client",
        form_name="client_form",
    )


@require_POST
@member_required("integrations.manage")
def data_client_revoke(request, client_id: int):
    client = selectors.data_client(request.company, client_id)
    if client is None:
        raise Http404
    services.data_client_revoke(client=client, actor=Actor.customer(request.user))
    messages.success(
        request, _("The client “%(name)s” is revoked. Its tokens stop working now.") % {"name": client.name}
    )
    return redirect("integrations:overview")


@require_POST
@member_required("integrations.manage")
def webhook_create(request):
    return _create_showing_secret(
        request,
        WebhookForm(request.POST),
        lambda data, **owner: services.webhook_endpoint_create(
            url=data["url"], events=data["events"], **owner
        ),
        shown_as="endpoint",
        form_name="webhook_form",
    )


def _endpoint(request, webhook_id: int):
    endpoint = selectors.webhook_endpoint(request.company, webhook_id)
    if endpoint is None:
        raise Http404
    return endpoint


@require_POST
@member_required("integrations.manage")
def webhook_delete(request, webhook_id: int):
    endpoint = _endpoint(request, webhook_id)
    services.webhook_endpoint_delete(endpoint=endpoint, actor=Actor.customer(request.user))
    messages.success(request, _("The endpoint %(url)s is removed.") % {"url": endpoint.url})
    return redirect("integrations:overview")


@require_GET
@member_required("integrations.manage")
def webhook_detail(request, webhook_id: int):
    endpoint = _endpoint(request, webhook_id)
    deliveries = selectors.deliveries(endpoint)[:100]
    return render(request, "integrations/webhook.html", {"endpoint": endpoint, "deliveries": deliveries})


@require_POST
@member_required("integrations.manage")
def delivery_redeliver(request, webhook_id: int, delivery_id: int):
    endpoint = _endpoint(request, webhook_id)
    delivery = selectors.delivery(endpoint, delivery_id)
    if delivery is None:
        raise Http404
    try:
        services.webhook_redeliver(delivery=delivery, actor=Actor.customer(request.user))
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("The event is being sent again."))
    return redirect("integrations:webhook", webhook_id=endpoint.pk)
