"""Operations: `manage.py create_dealer_staff`, the demo staff login of `seed_demo`, the admin."""

import pytest
from allauth.account.models import EmailAddress
from django.core.management import CommandError, call_command

from companies import demo as companies_demo
from retail import demo
from retail.models import DealerStaff, RetailRegistration

pytestmark = pytest.mark.django_db

ARGS = [
    "--d5-id",
    "d5new001",
    "--password",
    "Outlet-Pass-2026",
    "--dealer",
    "DK00001",
    "--email",
    "New.Staff@Dealer.example",
    "--first-name",
    "Nora",
    "--last-name",
    "Nyborg",
]


def test_it_creates_dealer_staff_who_can_log_in(dealer, client):
    call_command("create_dealer_staff", *ARGS)
    staff = DealerStaff.objects.select_related("user", "dealer").get()
    assert (staff.d5_id, staff.dealer, staff.user.email) == ("D5NEW001", dealer, "new.staff@dealer.example")
    assert staff.user.get_full_name() == "Nora Nyborg"
    assert EmailAddress.objects.get(user=staff.user).verified
    response = client.post("/retail/login/", {"d5_id": "D5NEW001", "password": "Outlet-Pass-2026"})
    assert response.status_code == 302


@pytest.mark.parametrize(
    "change, message",
    [
        ({"--dealer": "XX999"}, "No outlet"),
        ({"--d5-id": "D5 NEW"}, "dealer ID"),
        ({"--email": "nope"}, "e-mail"),
        ({"--password": "123"}, "password"),
    ],
)
def test_it_refuses_bad_options_clearly(dealer, change, message):
    args = list(ARGS)
    for option, value in change.items():
        args[args.index(option) + 1] = value
    with pytest.raises(CommandError, match=message):
        call_command("create_dealer_staff", *args)
    assert not DealerStaff.objects.exists()


def test_it_refuses_a_taken_dealer_id_or_e_mail(dealer, sam, alice):
    args = list(ARGS)
    args[1] = sam.d5_id
    with pytest.raises(CommandError, match="taken"):
        call_command("create_dealer_staff", *args)
    args = list(ARGS)
    args[args.index("--email") + 1] = alice.email
    with pytest.raises(CommandError, match="exists"):
        call_command("create_dealer_staff", *args)
    assert DealerStaff.objects.count() == 1


def test_it_seeds_a_demo_staff_login_idempotently(client):
    company = companies_demo.seed_company()
    lines = demo.seed(company)
    assert demo.seed(company) == lines
    staff = DealerStaff.objects.get()
    assert (staff.d5_id, staff.dealer.code) == ("D5DEMO01", "DK8200")
    assert any("D5DEMO01" in line and companies_demo.DEMO_PASSWORD in line for line in lines)
    assert RetailRegistration.objects.get().company.pro_id == demo.WAITING_PRO_ID
    response = client.post("/retail/login/", {"d5_id": "D5DEMO01", "password": companies_demo.DEMO_PASSWORD})
    assert response.status_code == 302
    queue = client.get("/retail/").context["queue_companies"]
    assert [c.pro_id for c in queue] == [demo.WAITING_PRO_ID]


def test_it_lists_dealer_staff_in_the_admin(client, sam):
    from tests import factories as f

    admin = f.UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    response = client.get("/admin/retail/dealerstaff/")
    assert response.status_code == 200 and "D5SAM001" in response.content.decode()
    assert client.get("/admin/retail/supportpasswordattempt/").status_code == 200


def test_it_creates_dealer_staff_with_their_login_in_the_admin(client, dealer):
    from tests import factories as f

    admin = f.UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    assert client.get("/admin/retail/dealerstaff/add/").status_code == 200
    form = {
        "d5_id": "d5adm001",
        "dealer": dealer.pk,
        "email": "Admin.Made@Dealer.example",
        "first_name": "Ada",
        "last_name": "Admin",
        "password": "Outlet-Pass-2026",
    }
    response = client.post("/admin/retail/dealerstaff/add/", {**form, "password": "123"})
    assert response.status_code == 200 and not DealerStaff.objects.exists()
    response = client.post("/admin/retail/dealerstaff/add/", form)
    assert response.status_code == 302
    staff = DealerStaff.objects.get()
    assert (staff.d5_id, staff.user.email, staff.dealer) == ("D5ADM001", "admin.made@dealer.example", dealer)
    response = client.post("/admin/retail/dealerstaff/add/", {**form, "email": "other@dealer.example"})
    assert response.status_code == 200 and "taken" in response.content.decode()
    assert client.get(f"/admin/retail/dealerstaff/{staff.pk}/change/").status_code == 200
    anon = type(client)()
    assert (
        anon.post("/retail/login/", {"d5_id": "D5ADM001", "password": "Outlet-Pass-2026"}).status_code == 302
    )
