import pytest

from companies.audit import Actor
from packs import services
from packs.models import Order, Subscription
from tests import factories as f


def buy(client, pack="connect-complete", vehicles=(), **extra):
    return client.post("/api/v1/orders", {"pack": pack, "vehicles": list(vehicles), **extra}, format="json")


@pytest.fixture
def alice_order(ready, alice, verified_van, catalogue, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return services.order_place(
            company=ready, pack_code="connect-complete", vins=[verified_van.vin], actor=Actor.customer(alice)
        )


# --- access ---------------------------------------------------------------------------------------
ENDPOINTS = [
    ("get", "/api/v1/packs"),
    ("get", "/api/v1/orders"),
    ("post", "/api/v1/orders"),
    ("get", "/api/v1/subscriptions"),
]


@pytest.mark.parametrize("method,url", ENDPOINTS)
def test_it_answers_401_without_credentials(anon_api, catalogue, method, url):
    response = getattr(anon_api, method)(url, format="json")
    assert response.status_code == 401
    assert "detail" in response.json()


@pytest.mark.parametrize("method,url", ENDPOINTS)
def test_it_answers_404_to_dealer_staff(api, sam, catalogue, method, url):
    assert getattr(api(sam.user), method)(url, format="json").status_code == 404


@pytest.mark.parametrize(
    "persona,method,url,expected",
    [
        ("fred", "get", "/api/v1/packs", 200),
        ("dora", "get", "/api/v1/packs", 403),
        ("fred", "get", "/api/v1/orders", 403),
        ("dora", "get", "/api/v1/orders", 403),
        ("fred", "get", "/api/v1/subscriptions", 200),
        ("dora", "get", "/api/v1/subscriptions", 403),
    ],
)
def test_it_checks_the_role(api, alice, fred, dora, catalogue, persona, method, url, expected):
    user = {"fred": fred, "dora": dora}[persona]
    assert getattr(api(user), method)(url).status_code == expected


@pytest.mark.parametrize("persona", ["fred", "dora"])
def test_it_refuses_fleet_managers_and_drivers_buying(
    api, ready, alice, fred, dora, verified_van, catalogue, persona
):
    user = {"fred": fred, "dora": dora}[persona]
    response = buy(api(user), vehicles=[verified_van.vin], accept_terms=True)
    assert response.status_code == 403
    assert not Order.objects.exists()


def test_it_hides_another_companys_orders_and_subscriptions(api, oscar, alice_order):
    client = api(oscar)
    sub = alice_order.subscriptions.get()
    assert client.get(f"/api/v1/orders/{alice_order.pk}").status_code == 404
    assert client.post(f"/api/v1/subscriptions/{sub.pk}/cancel").status_code == 404
    assert client.post(f"/api/v1/subscriptions/{sub.pk}/retry").status_code == 404
    assert client.get("/api/v1/orders").json()["results"] == []
    assert client.get("/api/v1/subscriptions").json()["results"] == []
    sub.refresh_from_db()
    assert sub.status == "active"


def test_it_refuses_a_driver_cancelling(api, dora, alice_order):
    sub = alice_order.subscriptions.get()
    assert api(dora).post(f"/api/v1/subscriptions/{sub.pk}/cancel").status_code == 403
    sub.refresh_from_db()
    assert sub.status == "active"


# --- packs ----------------------------------------------------------------------------------------------
def test_it_lists_the_catalogue_priced_for_the_company(api, alice, catalogue):
    data = api(alice).get("/api/v1/packs", HTTP_ACCEPT_LANGUAGE="fr").json()
    bundle = next(p for p in data if p["code"] == "connect-complete")
    assert bundle["price"] == {"amount": "1870.00", "currency": "DKK", "period": "year"}
    assert bundle["trial_months"] == 12
    assert bundle["name"] == "Connect complet"
    assert {"code": "echarging", "name": "eCharging"} in bundle["services"]
    assert len(data) == 10


# --- orders ----------------------------------------------------------------------------------------------
def test_it_places_an_order(
    api, ready, alice, verified_van, van, catalogue, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = buy(api(alice), vehicles=[verified_van.vin.lower(), f" {van.vin}"])
    assert response.status_code == 201, response.json()
    data = response.json()
    assert set(data) >= {"id", "pack", "placed_at", "placed_by", "total", "subscriptions"}
    assert data["pack"] == "connect-complete" and data["placed_by"] == "Alice Andersen"
    assert data["total"] == {"amount": "3740.00", "currency": "DKK"}
    statuses = {s["vehicle"]: s["status"] for s in data["subscriptions"]}
    # The answer is built before the commit; the activation runs after it.
    assert statuses == {verified_van.vin: "activation_pending", van.vin: "awaiting_verification"}
    assert Subscription.objects.get(vehicle=verified_van).status == "active"
    assert api(alice).get(f"/api/v1/orders/{data['id']}").json()["id"] == data["id"]


def test_it_names_each_incompatible_vehicle(api, ready, alice, verified_van, no_module_van, evan, catalogue):
    response = buy(api(alice), pack="echarging", vehicles=[evan.vin, verified_van.vin, no_module_van.vin])
    assert response.status_code == 400
    messages = response.json()["vehicles"]
    assert len(messages) == 2
    assert messages[0].startswith(verified_van.vin) and messages[1].startswith(no_module_van.vin)
    assert not Order.objects.exists()


def test_it_answers_404_for_a_vehicle_of_another_company(
    api, ready, alice, verified_van, other_van, catalogue
):
    response = buy(api(alice), vehicles=[verified_van.vin, other_van.vin])
    assert response.status_code == 404
    assert not Order.objects.exists() and not Subscription.objects.exists()


def test_it_answers_409_when_already_subscribed(api, alice, alice_order, verified_van, van):
    response = buy(api(alice), vehicles=[van.vin, verified_van.vin])
    assert response.status_code == 409
    assert response.json()["code"] == "already_subscribed"
    assert Subscription.objects.count() == 1


@pytest.mark.parametrize(
    "body,field",
    [
        ({"pack": "gold", "vehicles": ["W1V9076331P100002"]}, "pack"),
        ({"pack": "connect-complete", "vehicles": []}, "vehicles"),
        ({"pack": "connect-complete", "vehicles": "W1V9076331P100002"}, "vehicles"),
        ({"pack": "connect-complete", "vehicles": ["W1V9076331P100002", "w1v9076331p100002"]}, "vehicles"),
        ({"pack": "connect-complete", "vehicles": [""]}, "vehicles"),
        ({"vehicles": ["W1V9076331P100002"]}, "pack"),
        ({"pack": "connect-complete", "vehicles": ["X" * 10000]}, "vehicles"),
    ],
)
def test_it_refuses_bad_input(api, ready, alice, verified_van, catalogue, body, field):
    response = api(alice).post("/api/v1/orders", body, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not Order.objects.exists()


def test_it_refuses_a_pack_without_a_price_in_the_country(api, alice, verified_van, catalogue):
    company = verified_van.company
    company.country = "GB"
    company.save()
    from packs.models import Price

    Price.objects.filter(country="GB").delete()
    response = buy(api(alice), vehicles=[verified_van.vin], accept_terms=True)
    assert response.status_code == 400
    assert "country" in response.json()["pack"][0]


def test_it_needs_the_pack_terms(api, verified_company, alice, verified_van, catalogue):
    response = buy(api(alice), vehicles=[verified_van.vin])
    assert response.status_code == 400 and "accept_terms" in response.json()
    assert not Order.objects.exists()
    assert buy(api(alice), vehicles=[verified_van.vin], accept_terms=True).status_code == 201


def test_it_answers_in_the_callers_language(api, ready, alice, catalogue):
    response = buy(api(alice), vehicles=[])
    assert response.json() == {"vehicles": ["Select at least one vehicle."]}


# --- subscriptions ----------------------------------------------------------------------------------------
def test_it_lists_and_filters_subscriptions(api, fred, ready, verified_van, evan, catalogue):
    f.SubscriptionFactory(
        order__company=ready, order__pack=catalogue["connect-complete"], vehicle=verified_van
    )
    f.SubscriptionFactory(
        order__company=ready, order__pack=catalogue["echarging"], vehicle=evan, status="active"
    )
    client = api(fred)
    results = client.get("/api/v1/subscriptions").json()["results"]
    assert len(results) == 2
    assert set(results[0]) >= {
        "id",
        "vehicle",
        "pack",
        "status",
        "trial_ends_at",
        "activated_at",
        "failure_reason",
    }
    assert [
        s["vehicle"]
        for s in client.get(f"/api/v1/subscriptions?vehicle={evan.vin.lower()}").json()["results"]
    ] == [evan.vin]
    assert [
        s["pack"] for s in client.get("/api/v1/subscriptions?pack=connect-complete").json()["results"]
    ] == ["connect-complete"]
    assert [s["status"] for s in client.get("/api/v1/subscriptions?status=active").json()["results"]] == [
        "active"
    ]
    assert client.get("/api/v1/subscriptions?status=bogus").status_code == 400


def test_it_cancels_and_retries(api, alice, fred, alice_order, django_capture_on_commit_callbacks):
    sub = alice_order.subscriptions.get()
    client = api(fred)
    assert client.post(f"/api/v1/subscriptions/{sub.pk}/retry").json()["code"] == "not_failed"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/api/v1/subscriptions/{sub.pk}/cancel/")
    assert response.status_code == 200 and response.json()["status"] == "cancelled"
    again = client.post(f"/api/v1/subscriptions/{sub.pk}/cancel")
    assert again.status_code == 409 and again.json()["code"] == "not_live"


def test_it_retries_a_failed_activation(
    api, alice, ready, verified_van, bundle, django_capture_on_commit_callbacks
):
    sub = f.SubscriptionFactory(
        order__company=ready, order__pack=bundle, vehicle=verified_van, status="activation_failed"
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = api(alice).post(f"/api/v1/subscriptions/{sub.pk}/retry")
    assert response.status_code == 200
    sub.refresh_from_db()
    assert sub.status == "active"


@pytest.mark.parametrize("url", ["/api/v1/subscriptions", "/api/v1/orders", "/api/v1/packs"])
def test_it_keeps_queries_constant(
    api, alice, company, bundle, catalogue, url, django_assert_max_num_queries
):
    client = api(alice)

    def grow(n):
        for _ in range(n):
            f.SubscriptionFactory(order__company=company, order__pack=bundle, vehicle__company=company)

    grow(3)
    with django_assert_max_num_queries(12) as small:
        assert client.get(url).status_code == 200
    grow(30)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200


def test_it_documents_the_endpoints_in_the_schema(client, catalogue):
    schema = client.get("/api/v1/schema/").content.decode()
    for path in [
        "/api/v1/packs",
        "/api/v1/orders",
        "/api/v1/orders/{order_id}",
        "/api/v1/subscriptions/{subscription_id}/retry",
    ]:
        assert path + ":" in schema


def test_the_subscriptions_page_is_what_the_serializer_gives(api, fred, ready, verified_van, evan, catalogue):
    """GET /subscriptions builds its page from plain rows (packs.api.subscription_list_data): the
    same JSON as SubscriptionSerializer, key order, dates, times and translated reasons included."""
    import datetime

    from django.utils import timezone

    from packs.api import SubscriptionSerializer

    f.SubscriptionFactory(
        order__company=ready,
        order__pack=catalogue["connect-complete"],
        vehicle=verified_van,
        status="activation_failed",
        failure_reason="The vehicle has no communication module.",
        trial_ends_at=datetime.date(2027, 1, 31),
        activated_at=timezone.now().replace(microsecond=123456),
        amount="1234.5",
    )
    f.SubscriptionFactory(
        order__company=ready, order__pack=catalogue["echarging"], vehicle=evan, status="active"
    )
    client = api(fred)
    for language in ("en", "de"):
        page = client.get("/api/v1/subscriptions", HTTP_ACCEPT_LANGUAGE=language).json()["results"]
        from django.utils import translation

        with translation.override(language):
            expected = SubscriptionSerializer(
                Subscription.objects.filter(company=ready).order_by("-created_at", "-id"), many=True
            ).data
        assert page == [dict(row) for row in expected]
        assert list(page[0]) == list(expected[0])


def test_the_subscriptions_page_reads_one_query(
    api, fred, ready, verified_van, evan, catalogue, django_assert_num_queries
):
    f.SubscriptionFactory(
        order__company=ready, order__pack=catalogue["echarging"], vehicle=evan, status="active"
    )
    client = api(fred)
    client.get("/api/v1/subscriptions")
    with django_assert_num_queries(2):  # the caller's tenancy (force_authenticate) and the page
        client.get("/api/v1/subscriptions")
