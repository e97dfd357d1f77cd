import re

import pytest
from django.utils import translation

from companies.audit import Actor
from companies.models import TermsAcceptance
from packs import services
from packs.models import Order, Subscription
from tests import factories as f

PAGES = [
    ("/dashboard/", None),
    ("/products/", "packs.view"),
    ("/products/buy/connect-complete/", "orders.place"),
    ("/products/orders/", "orders.view"),
    ("/products/subscriptions/", "subscriptions.manage"),
    ("/products/subscriptions/status/?ids=1", "subscriptions.manage"),
    ("/products/billing/", "orders.view"),
]


# --- access -------------------------------------------------------------------------------------
@pytest.mark.parametrize("url", [p for p, _ in PAGES])
def test_it_sends_anonymous_visitors_to_the_login(client, catalogue, url):
    response = client.get(url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("url", [p for p, _ in PAGES])
def test_it_hides_every_page_from_dealer_staff(login, sam, catalogue, url):
    assert login(sam.user).get(url).status_code == 404


@pytest.mark.parametrize(
    "url,persona,expected",
    [
        ("/products/", "fred", 200),
        ("/products/", "dora", 403),
        ("/products/buy/connect-complete/", "fred", 403),
        ("/products/buy/connect-complete/", "dora", 403),
        ("/products/orders/", "fred", 403),
        ("/products/billing/", "fred", 403),
        ("/products/subscriptions/", "fred", 200),
        ("/products/subscriptions/", "dora", 403),
        ("/dashboard/", "dora", 200),
        ("/dashboard/", "fred", 200),
    ],
)
def test_it_checks_the_role(login, catalogue, alice, fred, dora, url, persona, expected):
    user = {"fred": fred, "dora": dora}[persona]
    assert login(user).get(url).status_code == expected


def test_it_refuses_a_fleet_manager_buying_and_nothing_is_bought(login, fred, alice, verified_van, catalogue):
    response = login(fred).post(
        "/products/buy/connect-complete/",
        {"step": "confirm", "vin": [verified_van.vin], "accept_terms": "on"},
    )
    assert response.status_code == 403
    assert not Order.objects.exists()


def test_it_answers_404_for_another_companys_order_and_subscription(
    login, oscar, ready, alice, verified_van, catalogue
):
    order = services.order_place(
        company=ready, pack_code="connect-complete", vins=[verified_van.vin], actor=Actor.customer(alice)
    )
    sub = order.subscriptions.get()
    client = login(oscar)
    assert client.get(f"/products/orders/{order.pk}/").status_code == 404
    assert client.post(f"/products/subscriptions/{sub.pk}/cancel/", {"when": "now"}).status_code == 404
    assert client.post(f"/products/subscriptions/{sub.pk}/retry/").status_code == 404
    assert client.get(f"/products/subscriptions/status/?ids={sub.pk}").json() == {"subscriptions": {}}
    sub.refresh_from_db()
    assert sub.status != "cancelled"


def test_it_refuses_a_driver_cancelling(login, dora, ready, alice, verified_van, catalogue):
    order = services.order_place(
        company=ready, pack_code="connect-complete", vins=[verified_van.vin], actor=Actor.customer(alice)
    )
    sub = order.subscriptions.get()
    assert login(dora).post(f"/products/subscriptions/{sub.pk}/cancel/", {"when": "now"}).status_code == 403
    sub.refresh_from_db()
    assert sub.is_live


def test_it_only_cancels_by_post(login, alice, ready, catalogue):
    assert login(alice).get("/products/subscriptions/1/cancel/").status_code == 405


def test_it_answers_404_for_an_unknown_pack(login, alice, catalogue):
    assert login(alice).get("/products/buy/gold/").status_code == 404


# --- catalogue ------------------------------------------------------------------------------------
def test_it_shows_the_catalogue_in_the_company_currency_and_language(login, alice, catalogue):
    alice.language = "da"
    alice.save()
    html = login(alice).get("/products/").content.decode()
    assert "1.870,00\xa0kr." in html
    assert "Connect komplet" in html  # the Danish name from the data
    assert "eCharging" in html


def test_it_shows_euro_prices_to_a_french_company(login, catalogue):
    company = f.CompanyFactory(country="FR", pro_id="PRO-FRANCE")
    user = f.UserFactory(language="fr")
    f.MembershipFactory(user=user, company=company, role="admin", is_primary_admin=True)
    html = login(user).get("/products/").content.decode()
    assert "250,00\xa0€" in html
    assert "Connect complet" in html


# --- purchase flow ----------------------------------------------------------------------------------
def test_it_shows_per_vehicle_whether_the_pack_fits_and_why_not(
    login, alice, verified_van, evan, no_module_van, catalogue
):
    html = login(alice).get("/products/buy/echarging/").content.decode()
    rows = dict(re.findall(r'<td class="vin">(\w{17})</td>.*?<td class="fit">(.*?)</td>', html, re.S))
    assert "Fits" in rows[evan.vin]
    assert "electric vans only" in rows[verified_van.vin]
    assert "communication module" in rows[no_module_van.vin]
    assert f'value="{evan.vin}"' in html and f'value="{verified_van.vin}"' not in html


def test_it_marks_vans_that_already_have_the_pack_and_offers_them_no_box(
    login, alice, ready, verified_van, evan, catalogue
):
    services.order_place(
        company=ready, pack_code="connect-complete", vins=[verified_van.vin], actor=Actor.customer(alice)
    )
    html = login(alice).get("/products/buy/connect-complete/").content.decode()
    rows = dict(re.findall(r'<td class="vin">(\w{17})</td>.*?<td class="fit">(.*?)</td>', html, re.S))
    assert "Already booked" in rows[verified_van.vin] and "Already booked" not in rows[evan.vin]
    assert f'value="{verified_van.vin}"' not in html and f'value="{evan.vin}"' in html
    # Another pack is still offered for the same van.
    html = login(alice).get("/products/buy/fleet-management/").content.decode()
    assert f'value="{verified_van.vin}"' in html


def test_it_filters_the_vehicles(login, alice, verified_van, evan, catalogue):
    html = login(alice).get("/products/buy/connect-complete/?fuel=electric").content.decode()
    assert evan.vin in html and verified_van.vin not in html
    html = login(alice).get("/products/buy/connect-complete/?search=Van+two").content.decode()
    assert verified_van.vin in html and evan.vin not in html


def test_it_reviews_price_trial_end_and_yearly_total(login, alice, ready, verified_van, evan, catalogue):
    response = login(alice).post(
        "/products/buy/connect-complete/",
        {"step": "review", "vin": [verified_van.vin], "vins_text": evan.vin},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "3,740.00" in html  # 2 × DKK 1,870
    quote = response.context["quote"]
    assert [line.vehicle.vin for line in quote.lines] == [verified_van.vin, evan.vin]
    assert quote.trial_ends_at.strftime("%Y") in html
    assert not Order.objects.exists()


def test_it_asks_for_the_pack_terms_and_keeps_the_selection(
    login, alice, verified_company, verified_van, catalogue
):
    client = login(alice)
    response = client.post("/products/buy/connect-complete/", {"step": "confirm", "vin": [verified_van.vin]})
    assert response.status_code == 400
    assert "Accept the service pack terms" in response.content.decode()
    assert f'name="vin" value="{verified_van.vin}"' in response.content.decode()
    assert not Order.objects.exists()

    response = client.post(
        "/products/buy/connect-complete/",
        {"step": "confirm", "vin": [verified_van.vin], "accept_terms": "on"},
    )
    order = Order.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/products/orders/{order.pk}/"
    assert TermsAcceptance.objects.filter(user=alice, document="pack_terms").exists()


def test_it_shows_a_refusal_as_a_form_error(login, alice, ready, verified_van, catalogue):
    client = login(alice)
    client.post("/products/buy/connect-complete/", {"step": "confirm", "vin": [verified_van.vin]})
    response = client.post("/products/buy/connect-complete/", {"step": "confirm", "vin": [verified_van.vin]})
    assert response.status_code == 400
    assert "already has" in response.content.decode()
    assert Subscription.objects.count() == 1


def test_it_refuses_an_empty_selection(login, alice, ready, catalogue):
    response = login(alice).post("/products/buy/connect-complete/", {"step": "review"})
    assert response.status_code == 400
    assert "Select at least one vehicle" in response.content.decode()


def test_it_refuses_a_pasted_list_longer_than_one_order_instead_of_cutting_it(
    login, alice, ready, verified_van, catalogue
):
    vins = [verified_van.vin] + [f"W1V9076331P{n:06d}" for n in range(services.MAX_ORDER_VEHICLES)]
    response = login(alice).post(
        "/products/buy/connect-complete/", {"step": "review", "vins_text": "\n".join(vins)}
    )
    assert response.status_code == 400
    assert "at most 5000 vehicles" in response.content.decode()
    assert "quote" not in response.context
    assert not Order.objects.exists()


def test_it_refuses_a_vehicle_of_another_company_in_the_form(login, alice, ready, other_van, catalogue):
    response = login(alice).post(
        "/products/buy/connect-complete/", {"step": "confirm", "vins_text": other_van.vin}
    )
    assert response.status_code == 400
    assert not Order.objects.exists()
    assert f"Not in your fleet: {other_van.vin}." in response.content.decode()
    assert not Subscription.objects.filter(vehicle=other_van).exists()


# --- after the purchase ----------------------------------------------------------------------------------
def test_it_shows_the_order_with_status_blockers_and_generation(login, alice, ready, van, catalogue):
    order = services.order_place(
        company=ready, pack_code="connect-complete", vins=[van.vin], actor=Actor.customer(alice)
    )
    html = login(alice).get(f"/products/orders/{order.pk}/").content.decode()
    assert "Waiting for dealer verification" in html
    assert f"The dealer has not verified the vehicle {van.vin} yet." in html
    assert 'data-status-url="/products/subscriptions/status/"' in html
    assert "Contract generation" in html


def test_it_reports_statuses_as_json_for_the_polling(
    login, alice, ready, van, verified_van, catalogue, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        order = services.order_place(
            company=ready,
            pack_code="connect-complete",
            vins=[van.vin, verified_van.vin],
            actor=Actor.customer(alice),
        )
    subs = {s.vehicle.vin: s for s in order.subscriptions.select_related("vehicle")}
    ids = ",".join(str(s.pk) for s in subs.values())
    data = login(alice).get(f"/products/subscriptions/status/?ids={ids},x").json()["subscriptions"]
    waiting, active = data[str(subs[van.vin].pk)], data[str(subs[verified_van.vin].pk)]
    assert waiting["status"] == "awaiting_verification" and not waiting["final"]
    assert waiting["blockers"] == [f"The dealer has not verified the vehicle {van.vin} yet."]
    assert active["status"] == "active" and active["final"] and active["badge"].split()[0] == "badge-ok"


def test_it_cancels_and_retries_from_the_page(
    login, alice, ready, verified_van, bundle, django_capture_on_commit_callbacks
):
    failed = f.SubscriptionFactory(
        order__company=ready, order__pack=bundle, vehicle=verified_van, status="activation_failed"
    )
    client = login(alice)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/products/subscriptions/{failed.pk}/retry/", {"next": "/products/subscriptions/"}
        )
    assert response.status_code == 302
    failed.refresh_from_db()
    assert failed.status == "active"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/products/subscriptions/{failed.pk}/cancel/", {"when": "now", "next": "//evil.example/"}
        )
    failed.refresh_from_db()
    assert failed.status == "cancelled"
    response = client.post(f"/products/subscriptions/{failed.pk}/retry/", follow=True)
    assert "Only a failed activation can be tried again." in response.content.decode()


def test_it_filters_the_subscriptions(login, fred, ready, verified_van, evan, catalogue):
    f.SubscriptionFactory(
        order__company=ready, order__pack=catalogue["connect-complete"], vehicle=verified_van
    )
    f.SubscriptionFactory(
        order__company=ready, order__pack=catalogue["echarging"], vehicle=evan, status="active"
    )
    client = login(fred)
    html = client.get("/products/subscriptions/?status=active").content.decode()
    assert evan.vin in html and verified_van.vin not in html
    html = client.get(f"/products/subscriptions/?vehicle={verified_van.vin.lower()}").content.decode()
    assert verified_van.vin in html and evan.vin not in html
    assert client.get("/products/subscriptions/?status=<script>").status_code == 200


def test_it_lists_what_will_be_charged(login, alice, ready, verified_van, evan, catalogue):
    services.order_place(
        company=ready,
        pack_code="connect-complete",
        vins=[verified_van.vin, evan.vin],
        actor=Actor.customer(alice),
    )
    with translation.override("da"):
        alice.language = "da"
        alice.save()
        html = login(alice).get("/products/billing/").content.decode()
    assert "3.740,00\xa0kr." in html
    assert verified_van.vin in html and evan.vin in html


# --- dashboard ---------------------------------------------------------------------------------------
def test_it_shows_the_fleet_at_a_glance(login, alice, company, van, verified_van, evan, bundle):
    from django.conf import settings

    TermsAcceptance.objects.create(user=alice, document="pack_terms", version=settings.PACK_TERMS_VERSION)
    f.SubscriptionFactory(
        order__company=company,
        order__pack=bundle,
        vehicle=verified_van,
        status="activation_failed",
        failure_reason="The vehicle's communication module did not answer in time.",
    )
    f.SubscriptionFactory(order__company=company, order__pack=bundle, vehicle=evan, status="active")
    f.SubscriptionFactory(order__company=company, order__pack=bundle, vehicle=van)
    response = login(alice).get("/dashboard/")
    html = response.content.decode()
    stats = response.context["stats"]
    assert stats["vehicles_by_state"] == {"verified": 2, "unverified": 1, "rejected": 0}
    assert stats["failed_count"] == 1
    assert stats["trials"] == {"d30": 0, "d60": 0, "d90": 0}
    assert [(r["pack__code"], r["active"], r["total"]) for r in stats["live_per_pack"]] == [
        ("connect-complete", 1, 3)
    ]
    assert "The dealer has not verified the company yet." in html
    assert "did not answer in time" in html
    assert 'class="bars"' in html


def test_the_dashboard_counts_per_pack_and_status_in_flat_queries(
    login, alice, company, bundle, django_assert_max_num_queries
):
    from packs.models import Pack

    single = Pack.objects.exclude(pk=bundle.pk).order_by("sort_order").first()
    client = login(alice)

    def add(pack, status, n):
        for _ in range(n):
            f.SubscriptionFactory(
                order__company=company, order__pack=pack, vehicle__company=company, status=status
            )

    add(bundle, "active", 1)
    with django_assert_max_num_queries(30) as few:
        client.get("/dashboard/")
    add(bundle, "active", 2)
    add(bundle, "awaiting_verification", 2)
    add(bundle, "cancelled", 1)
    add(single, "activation_failed", 1)
    add(single, "activation_pending", 1)
    with django_assert_max_num_queries(len(few.captured_queries)):
        stats = client.get("/dashboard/").context["stats"]
    rows = {
        r["pack__code"]: (r["total"], r["active"], r["waiting"], r["pending"], r["failed"])
        for r in stats["live_per_pack"]
    }
    assert rows == {bundle.code: (5, 3, 2, 0, 0), single.code: (2, 0, 0, 1, 1)}
    order = sorted(stats["live_per_pack"], key=lambda r: (r["pack__sort_order"], r["pack__code"]))
    assert stats["live_per_pack"] == order and stats["failed_count"] == 1
    assert all(r["name"] for r in stats["live_per_pack"])


def test_it_counts_trials_ending_in_30_60_90_days(login, alice, company, bundle):
    import datetime

    from django.utils import timezone

    today = timezone.localdate()
    for days in (5, 45, 75, 200):
        f.SubscriptionFactory(
            order__company=company,
            order__pack=bundle,
            vehicle__company=company,
            trial_ends_at=today + datetime.timedelta(days=days),
        )
    stats = login(alice).get("/dashboard/").context["stats"]
    assert stats["trials"] == {"d30": 1, "d60": 2, "d90": 3}


def test_it_shows_a_driver_their_own_vehicle(login, dora, company, verified_van, bundle):
    verified_van.driver = dora
    verified_van.save()
    f.SubscriptionFactory(order__company=company, order__pack=bundle, vehicle=verified_van, status="active")
    response = login(dora).get("/dashboard/")
    assert "stats" not in response.context
    assert verified_van.vin in response.content.decode()


# --- query counts ------------------------------------------------------------------------------------
def _fleet(company, bundle, n):
    for _ in range(n):
        vehicle = f.VehicleFactory(company=company, verification_status="verified")
        f.SubscriptionFactory(order__company=company, order__pack=bundle, vehicle=vehicle)


@pytest.mark.parametrize(
    "url",
    [
        "/dashboard/",
        "/products/",
        "/products/buy/connect-complete/",
        "/products/orders/",
        "/products/subscriptions/",
        "/products/billing/",
    ],
)
def test_it_keeps_queries_constant_in_fleet_size(
    login, alice, company, bundle, catalogue, url, django_assert_max_num_queries
):
    client = login(alice)
    _fleet(company, bundle, 3)
    with django_assert_max_num_queries(16) as small:
        assert client.get(url).status_code == 200
    _fleet(company, bundle, 30)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200


def test_it_keeps_the_order_page_constant_in_size(login, alice, ready, bundle, django_assert_max_num_queries):
    order = f.OrderFactory(company=ready, pack=bundle)

    def grow(n):
        for _ in range(n):
            f.SubscriptionFactory(order=order, vehicle__company=ready)

    client = login(alice)
    grow(3)
    with django_assert_max_num_queries(16) as small:
        assert client.get(f"/products/orders/{order.pk}/").status_code == 200
    grow(30)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(f"/products/orders/{order.pk}/").status_code == 200


def test_it_lists_only_the_companys_own_orders(login, oscar, alice, ready, verified_van, catalogue):
    order = services.order_place(
        company=ready, pack_code="connect-complete", vins=[verified_van.vin], actor=Actor.customer(alice)
    )
    assert f"/products/orders/{order.pk}/" in login(alice).get("/products/orders/").content.decode()
    html = login(oscar).get("/products/orders/").content.decode()
    assert f"/products/orders/{order.pk}/" not in html
    assert verified_van.vin not in login(oscar).get("/products/billing/").content.decode()
    assert verified_van.vin not in login(oscar).get("/products/subscriptions/").content.decode()


def test_it_tells_what_the_dealer_must_still_verify(login, alice, ready, van, bundle):
    f.SubscriptionFactory(order__company=ready, order__pack=bundle, vehicle=van)
    html = login(alice).get("/dashboard/").content.decode()
    assert "1 vehicle still needs the dealer" in html
    assert "1 subscription waits for these checks" in html
    assert "has not verified the company yet" not in html
