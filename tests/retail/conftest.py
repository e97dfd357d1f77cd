"""Fixtures of the Retail tests.

Personas come from tests/conftest.py: sam (staff at DK00001) and sid (staff at another outlet,
DK00002); alice (ACME's first administrator), fred, dora; oscar (Other Co). Here:

- `staff_client(staff)`: a test client logged in as that staff member;
- `attest(staff, company)` / `open_support(staff, company)`: open the windows through the services;
- `expire(window)`: lets an attestation or support session run out;
- `support_password`: alice's support password, set;
- `waiting_subscription`: a subscription of ACME's van waiting for the dealer's verification.
"""

import datetime

import pytest
from django.conf import settings
from django.utils import timezone

from companies.models import TermsAcceptance
from retail import services
from tests import factories as f

SUPPORT_PASSWORD = "blue-van-42"
VIN = "W1V9076331P100001"  # the VIN of the shared `van` fixture (tests/conftest.py)


@pytest.fixture
def staff_client(login):
    def make(staff):
        return login(staff.user)

    return make


@pytest.fixture
def attest():
    def make(staff, company):
        return services.attestation_open(staff=staff, company=company, identity_checked=True)

    return make


@pytest.fixture
def open_support(attest, support_password):
    def make(staff, company):
        attestation = attest(staff, company)
        return services.support_session_open(
            staff=staff,
            company=company,
            support_password=SUPPORT_PASSWORD,
            actor=services.staff_actor(staff=staff, window=attestation),
        )

    return make


@pytest.fixture
def expire():
    def make(window):
        window.expires_at = timezone.now() - datetime.timedelta(seconds=1)
        window.save(update_fields=["expires_at"])
        return window

    return make


@pytest.fixture
def support_password(alice):
    alice.set_support_password(SUPPORT_PASSWORD)
    alice.save()
    return SUPPORT_PASSWORD


@pytest.fixture
def pack_terms(alice):
    TermsAcceptance.objects.get_or_create(
        user=alice, document="pack_terms", version=settings.PACK_TERMS_VERSION
    )


@pytest.fixture
def waiting_subscription(company, alice, van, catalogue):
    """The complete bundle bought for ACME's van, waiting for the dealer."""
    order = f.OrderFactory(company=company, pack=catalogue["connect-complete"])
    return f.SubscriptionFactory(order=order, vehicle=van)
