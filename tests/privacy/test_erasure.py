import io

import pytest
from allauth.account.models import EmailAddress
from django.core.management import call_command

from companies.models import AuditEvent, Membership
from packs.models import Order
from tests.factories import PASSWORD
from users.models import ApiToken, User
from vehicles.models import DriverAssignment

pytestmark = pytest.mark.django_db


def dump() -> str:
    out = io.StringIO()
    call_command("dumpdata", stdout=out)
    return out.getvalue()


def state():
    return {
        # last_login moves when a test logs someone in; every other field must not.
        "users": [
            {k: v for k, v in u.items() if k != "last_login"} for u in User.objects.order_by("pk").values()
        ],
        "memberships": Membership.objects.count(),
        "events": list(AuditEvent.objects.order_by("pk").values("pk", "actor_name", "target", "details")),
        "tokens": ApiToken.objects.count(),
        "emails": EmailAddress.objects.count(),
        "orders": list(Order.objects.order_by("pk").values("placed_by_name")),
    }


def test_it_shows_what_goes_and_what_stays_without_changing_anything(api, dora, acme_world):
    before = state()
    response = api(dora).get("/api/v1/me/erasure")
    assert response.status_code == 200
    plan = response.json()
    assert plan["allowed"] is True and plan["blockers"] == []
    outcomes = {item["outcome"] for item in plan["items"]}
    assert outcomes == {"deleted", "anonymised", "kept"}
    audit = next(i for i in plan["items"] if i["outcome"] == "anonymised" and "Activity" in i["what"])
    assert audit["count"] == 4 and "pseudonym" in audit["why"]
    assert all(item["why"] for item in plan["items"] if item["outcome"] != "deleted")
    assert state() == before


def test_it_erases_the_account_and_leaves_no_personal_field_outside_the_kept_records(api, dora, acme_world):
    traces = [dora.email, dora.first_name, dora.last_name, dora.phone, dora.mobile, "1990-02-03"]
    events_before = AuditEvent.objects.count()
    response = api(dora).post("/api/v1/me/erasure", {"confirm": True, "password": PASSWORD}, format="json")
    assert response.status_code == 204, response.content
    everything = dump()
    for trace in traces:
        assert trace not in everything, trace
    dora.refresh_from_db()
    assert dora.email.endswith("@erased.invalid") and not dora.is_active
    assert not dora.has_usable_password() and not dora.support_password
    assert (dora.first_name, dora.last_name, dora.phone, dora.mobile, dora.birth_date) == (
        "",
        "",
        "",
        "",
        None,
    )
    assert dora.verification_mode == "" and dora.verified_by is None
    assert not Membership.objects.filter(user=dora).exists()
    assert not ApiToken.objects.filter(user=dora).exists()
    assert not EmailAddress.objects.filter(user=dora).exists()
    # What the law keeps stays, naming the pseudonym.
    pseudonym = Order.objects.get(pk=acme_world["order"].pk).placed_by_name
    assert pseudonym.startswith("Former user ")
    assert DriverAssignment.objects.filter(driver=dora).count() == 1
    assert AuditEvent.objects.count() >= events_before
    assert AuditEvent.objects.filter(target=pseudonym, action="member.invited").count() == 1


def test_it_leaves_everyone_else_as_they_were(api, dora, alice, fred, acme_world):
    api(dora).post("/api/v1/me/erasure", {"confirm": True, "password": PASSWORD}, format="json")
    assert AuditEvent.objects.filter(action="member.invited", target=fred.email).count() == 1
    assert AuditEvent.objects.filter(actor=alice, actor_name="Alice Andersen").count() >= 3
    alice.refresh_from_db()
    assert alice.is_active and alice.email == "alice@acme.example"


def test_it_ends_the_session_and_the_login(client, dora, acme_world):
    client.force_login(dora)
    client.post("/accounts/reauthenticate/", {"password": PASSWORD})
    response = client.post("/privacy/me/erase/", {"confirm": "on"})
    assert response.status_code == 302 and response.url == "/privacy/"
    assert client.get("/privacy/me/").status_code == 302  # logged out
    assert not client.login(email="dora@acme.example", password=PASSWORD)


def test_it_refuses_without_the_password_or_the_confirmation(api, dora, acme_world):
    before = state()
    wrong = api(dora).post("/api/v1/me/erasure", {"confirm": True, "password": "nope"}, format="json")
    assert wrong.status_code == 400 and "password" in wrong.json()
    unconfirmed = api(dora).post(
        "/api/v1/me/erasure", {"confirm": False, "password": PASSWORD}, format="json"
    )
    assert unconfirmed.status_code == 400 and "confirm" in unconfirmed.json()
    assert api(dora).post("/api/v1/me/erasure", {}, format="json").status_code == 400
    assert state() == before


def test_it_refuses_the_company_s_first_administrator_and_says_why(api, alice, acme_world):
    before = state()
    plan = api(alice).get("/api/v1/me/erasure").json()
    assert plan["allowed"] is False and "first administrator" in plan["blockers"][0]
    response = api(alice).post("/api/v1/me/erasure", {"confirm": True, "password": PASSWORD}, format="json")
    assert response.status_code == 409 and response.json()["code"] == "erasure_blocked"
    assert state() == before


def test_it_asks_to_reauthenticate_on_the_page_and_shows_the_plan(client, dora, acme_world):
    client.force_login(dora)
    response = client.get("/privacy/me/erase/")
    assert response.status_code == 302 and "/accounts/reauthenticate/" in response.url
    client.post("/accounts/reauthenticate/", {"password": PASSWORD})
    page = client.get("/privacy/me/erase/").content.decode()
    assert "kept under a pseudonym" in page and "Erase my account" in page


def test_it_checks_ownership_of_erasure(client, api, login, sam, dora, acme_world):
    before = state()
    assert api().get("/api/v1/me/erasure").status_code in (401, 403)
    assert api().post(
        "/api/v1/me/erasure", {"confirm": True, "password": PASSWORD}, format="json"
    ).status_code in (401, 403)
    assert (
        api(sam.user)
        .post("/api/v1/me/erasure", {"confirm": True, "password": PASSWORD}, format="json")
        .status_code
        == 404
    )
    assert client.get("/privacy/me/erase/").status_code == 302
    assert login(sam.user).get("/privacy/me/erase/").status_code == 404
    assert state() == before
