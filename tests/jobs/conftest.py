import pytest

from companies.models import Role
from tests import factories as f


@pytest.fixture
def dan(company):
    """A second driver of ACME."""
    user = f.UserFactory(email="dan@acme.example", first_name="Dan", last_name="Dam", language="de")
    f.MembershipFactory(user=user, company=company, role=Role.DRIVER)
    return user


@pytest.fixture
def oliver(other_company):
    """A driver of the other company."""
    user = f.UserFactory(email="oliver@other.example", first_name="Oliver", last_name="Ohm")
    f.MembershipFactory(user=user, company=other_company, role=Role.DRIVER)
    return user


@pytest.fixture
def dora_van(company, dora):
    return f.VehicleFactory(company=company, vin="W1V9076331P400001", nickname="Red van", driver=dora)


@pytest.fixture
def send(api, fred, dora):
    """send(**body) → the API's answer to fred's POST /jobs (to dora unless said otherwise)."""

    def post(client=None, **body):
        body = {"driver": dora.membership.pk, "title": "Pick up pallets", **body}
        return (client or api(fred)).post("/api/v1/jobs", body, format="json")

    return post
