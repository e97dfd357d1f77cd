"""The dashboard: three entries, and the outlet's queue of companies and vehicles waiting; the
knowledge bank; what the customer sees of the dealer's work on their Activity page."""

import pytest
from django.urls import reverse
from django.utils import timezone

from retail import services
from retail.models import RetailRegistration
from tests import factories as f

pytestmark = pytest.mark.django_db


def _verify(obj):
    obj.verification_status = "verified"
    obj.verified_at = timezone.now()
    obj.save()
    return obj


@pytest.fixture
def outlet_data(dealer, other_dealer, company, alice, other_company, oscar):
    """ACME chose sam's outlet as default workshop; Other Co has a van whose workshop is sid's
    outlet; a third company was registered at sam's outlet; a fourth has nothing to do with either."""
    company.default_workshop = dealer
    company.save()
    acme_van = f.VehicleFactory(company=company)
    other_van = f.VehicleFactory(company=other_company, workshop=other_dealer)
    registered = f.CompanyFactory(name="Registered Here ApS")
    RetailRegistration.objects.create(company=registered, dealer=dealer)
    stranger = f.CompanyFactory(name="Stranger ApS")
    stranger_van = f.VehicleFactory(company=stranger)
    return {
        "acme_van": acme_van,
        "other_van": other_van,
        "registered": registered,
        "stranger": stranger,
        "stranger_van": stranger_van,
    }


def test_it_shows_the_three_entries(staff_client, sam):
    html = staff_client(sam).get(reverse("retail:dashboard")).content.decode()
    for name in ("retail:search", "retail:register", "retail:knowledge"):
        assert f'class="card card-link" href="{reverse(name)}"' in html


def test_it_queues_this_outlets_companies_and_vehicles(
    staff_client, sam, sid, company, other_company, outlet_data
):
    response = staff_client(sam).get(reverse("retail:dashboard"))
    assert {c.pk for c in response.context["queue_companies"]} == {company.pk, outlet_data["registered"].pk}
    assert [v.pk for v in response.context["queue_vehicles"]] == [outlet_data["acme_van"].pk]
    response = staff_client(sid).get(reverse("retail:dashboard"))
    assert {c.pk for c in response.context["queue_companies"]} == {other_company.pk}
    assert [v.pk for v in response.context["queue_vehicles"]] == [outlet_data["other_van"].pk]


def test_it_keeps_a_verified_company_in_the_queue_until_its_administrator_is_verified(
    staff_client, sam, company, alice, outlet_data
):
    _verify(company)
    queue = staff_client(sam).get(reverse("retail:dashboard")).context["queue_companies"]
    assert company in queue and queue[queue.index(company)].admin_status == "unverified"
    _verify(alice)
    _verify(outlet_data["acme_van"])
    response = staff_client(sam).get(reverse("retail:dashboard"))
    assert company not in response.context["queue_companies"]
    assert response.context["queue_vehicles"] == []


def test_it_builds_the_queue_in_a_fixed_number_of_queries(
    staff_client, sam, dealer, django_assert_max_num_queries
):
    for _ in range(25):
        waiting = f.CompanyFactory(default_workshop=dealer)
        f.MembershipFactory(company=waiting, is_primary_admin=True)
        f.VehicleFactory(company=waiting)
    client = staff_client(sam)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("retail:dashboard"))
    assert len(response.context["queue_companies"]) == 25
    assert len(response.context["queue_vehicles"]) == 25


def test_it_explains_the_validation_procedure(staff_client, sam):
    html = staff_client(sam).get(reverse("retail:knowledge")).content.decode()
    for text in (
        "Select the company",
        "Confirm the identity",
        "Verify the company",
        "support password",
        "8 hours",
    ):
        assert text in html


def test_it_shows_the_customer_who_did_what_from_which_outlet_and_under_what(
    login, sam, company, alice, attest
):
    attestation = attest(sam, company)
    services.company_verify(company=company, actor=services.staff_actor(staff=sam, window=attestation))
    html = login(alice).get(reverse("companies:activity")).content.decode()
    assert "Sam Sørensen" in html
    assert "Glostrup Van Centre" in html and "DK00001" in html
    assert f"attestation #{attestation.pk}" in html
    assert "Company verified by the dealer" in html


def test_the_window_reads_in_the_customers_language(login, sam, company, alice, attest):
    """`acting_under` is stored in English ("attestation #12"); pages show it translated."""
    attestation = attest(sam, company)
    services.company_verify(company=company, actor=services.staff_actor(staff=sam, window=attestation))
    alice.language = "de"
    alice.save(update_fields=["language"])
    html = login(alice).get(reverse("companies:activity")).content.decode()
    assert f"Identitätsbestätigung Nr. {attestation.pk}" in html
    assert "attestation #" not in html
