"""Schemathesis against every operation of the API's own OpenAPI schema (issue 17, item 12).

The schema is generated in-process (as `GET /api/v1/schema/` serves it) and every operation gets a
bounded, deterministic run of generated requests through the app's WSGI handler (no server, no
network), as alice (ACME's administrator, API token) for the customer API and as sam (dealer staff,
API token, with an open attestation and support session on ACME) for the Retail API. Examples are
drawn from valid and from invalid (negative) requests, with generated path values and with real
ones (ACME's PRO ID, its van's VIN, its order…) so the answers are the data's, not only 404s. Every answer must be no server error, a status the operation declares, the
declared content type and a body matching the declared schema (nullable where data can be null).

Nothing is excluded: an operation that would log the caller out or delete their token only meets
it through generated ids (which are not the token's) or an unconfirmed body (400); the database
is rolled back after each operation."""

import json
import os

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from alerts.services import geofence_create
from companies.audit import Actor
from jobs.services import job_send
from retail import services as retail
from tests import factories as f
from users.models import ApiToken

pytestmark = pytest.mark.django_db

# Per operation; derandomized, so the same examples every run. SCHEMATHESIS_MAX_EXAMPLES=200 digs deeper.
MAX_EXAMPLES = int(os.environ.get("SCHEMATHESIS_MAX_EXAMPLES", "12"))
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
SUPPORT_PASSWORD = "blue-van-42"


def _schema():
    raw = SchemaGenerator().get_schema(request=None, public=True)
    return schemathesis.openapi.from_dict(json.loads(OpenApiJsonRenderer().render(raw)))


SCHEMA = _schema()
OPERATIONS = {f"{op.method.upper()} {op.path}": op for op in (r.ok() for r in SCHEMA.get_all_operations())}


@pytest.fixture
def app():
    """The project's WSGI handler, sharing the test's database transaction: like Django's test
    client, it must not close the connection at the start and end of each request."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield get_wsgi_application()
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.fixture
def world(company, alice, fred, dora, van, catalogue, sam):
    """ACME unverified (nobody verified, fred without a date of birth), with an order on its van,
    and sam holding an attestation and a support session on it."""
    alice.set_support_password(SUPPORT_PASSWORD)
    alice.save()
    fred.birth_date = None
    fred.save()
    order = f.OrderFactory(company=company, pack=catalogue["connect-complete"])
    subscription = f.SubscriptionFactory(order=order, vehicle=van)
    actor = Actor.customer(alice)
    job = job_send(company=company, actor=actor, driver_member_id=dora.membership.pk, title="Deliver parcels")
    geofence = geofence_create(company=company, name="Depot", lat=55.67, lon=12.57, radius_m=300, actor=actor)
    attestation = retail.attestation_open(staff=sam, company=company, identity_checked=True)
    retail.support_session_open(
        staff=sam,
        company=company,
        support_password=SUPPORT_PASSWORD,
        actor=retail.staff_actor(staff=sam, window=attestation),
    )
    return {
        "customer": ApiToken.issue(user=alice, name="schemathesis")[1],
        "dealer": ApiToken.issue(user=sam.user, name="schemathesis")[1],
        "path": {
            "pro_id": company.pro_id,
            "vin": van.vin,
            "member_id": alice.membership.pk,
            "order_id": order.pk,
            "subscription_id": subscription.pk,
            "job_id": job.pk,
            "geofence_id": geofence.pk,
        },
    }


@pytest.mark.parametrize("label", sorted(OPERATIONS))
def test_the_operation_answers_as_its_schema_says(label, app, world):
    operation = OPERATIONS[label]
    token = world["dealer"] if operation.path.startswith("/api/v1/retail/") else world["customer"]
    headers = {"Authorization": f"Token {token}"}
    names = {p.name for p in operation.path_parameters}
    known = {name: value for name, value in world["path"].items() if name in names}
    strategies = [operation.as_strategy(), operation.as_strategy(schemathesis.GenerationMode.NEGATIVE)]
    if known:
        strategies.append(operation.as_strategy(path_parameters=known))
        strategies.append(operation.as_strategy(schemathesis.GenerationMode.NEGATIVE, path_parameters=known))
    strategy = st.one_of(*strategies)

    @settings(
        max_examples=MAX_EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy)
    def run(case):
        case.call_and_validate(headers=headers, checks=CHECKS, app=app)

    run()
