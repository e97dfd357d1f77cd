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


@require_POST
@member_required("integrations.manage")
def data_client_create(request):
    form = DataClientForm(request.POST)
    if form.is_valid():
        try:
            client, secret = services.data_client_create(
                company=request.company,
                name=form.cleaned_data["name"],
                scopes=form.cleaned_data["scopes"],
                actor=Actor.customer(request.user),
            )
        except DomainError as error:
            show_error(form, error)
        else:
            return _overview(request, new_client=client, new_client_secret=secret)
    return _overview(request, client_form=form)


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
    form = WebhookForm(request.POST)
    if form.is_valid():
        try:
            endpoint, secret = services.webhook_endpoint_create(
                company=request.company,
                url=form.cleaned_data["url"],
                events=form.cleaned_data["events"],
                actor=Actor.customer(request.user),
            )
        except DomainError as error:
            show_error(form, error)
        else:
            return _overview(request, new_endpoint=endpoint, new_endpoint_secret=secret)
    return _overview(request, webhook_form=form)


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
