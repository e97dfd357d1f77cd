"""Fixtures of the packs tests: the real catalogue, and ACME's vans in the states that matter."""

import pytest
from django.utils import timezone

from tests import factories as f


@pytest.fixture
def bundle(catalogue):
    return catalogue["connect-complete"]


def verify(obj):
    obj.verification_status = "verified"
    obj.verified_at = timezone.now()
    obj.save()
    return obj


@pytest.fixture
def verified_van(company):
    return verify(f.VehicleFactory(company=company, vin="W1V9076331P100002", nickname="Van two"))


@pytest.fixture
def evan(company):
    """A verified electric eSprinter of ACME."""
    return verify(
        f.VehicleFactory(
            company=company,
            vin="W1V9076331P100003",
            model_family="eSprinter",
            fuel="electric",
            nickname="E-van",
        )
    )


@pytest.fixture
def citan(company):
    return verify(
        f.VehicleFactory(company=company, vin="W1V4152331P100004", model_family="Citan", nickname="Citan")
    )


@pytest.fixture
def no_module_van(company):
    """Serial number starting with 9: the emulator treats it as built without a module."""
    return verify(f.VehicleFactory(company=company, vin="W1V9076331P900005", nickname="Old van"))


@pytest.fixture
def ready(verified_company):
    """ACME and alice verified by a dealer; alice accepted the pack terms."""
    from django.conf import settings

    from companies.models import TermsAcceptance

    alice = verified_company.memberships.get(is_primary_admin=True).user
    TermsAcceptance.objects.create(user=alice, document="pack_terms", version=settings.PACK_TERMS_VERSION)
    return verified_company
