"""Personas shared by the whole suite (STYLE.md):

- alice: administrator (first, primary admin) of ACME, a Danish company
- fred: fleet manager of ACME;  dora: driver of ACME
- oscar: administrator of another company (Other Co)
- sam: dealer staff at outlet DK00001;  sid: dealer staff at another outlet
- an anonymous visitor: `client` / `anon_api`
"""

import os
import shutil
from io import StringIO

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client
from django.utils import translation
from rest_framework.test import APIClient

from companies.models import Role
from mpro.celery import app as celery_app
from tests import factories as f

CHROMIUM = "/usr/bin/chromium"


def pytest_collection_modifyitems(config, items):
    skip_browser = pytest.mark.skip(reason=f"needs Chromium at {CHROMIUM} (apt-get install chromium)")
    skip_worker = pytest.mark.skip(reason="needs Redis and a real Celery worker: set REDIS_URL")
    skip_pg = pytest.mark.skip(reason="needs PostgreSQL: set DATABASE_URL=postgres://...")
    has_chromium = os.path.exists(CHROMIUM) or shutil.which("chromium")
    for item in items:
        if "browser" in item.keywords and not has_chromium:
            item.add_marker(skip_browser)
        if "worker" in item.keywords and not settings.REDIS_URL:
            item.add_marker(skip_worker)
        if "postgres" in item.keywords and not settings.USING_POSTGRES:
            item.add_marker(skip_pg)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database holds the help centre's content, as a deployed one does after
    `helpcentre_sync` (migrations carry schema only)."""
    with django_db_blocker.unblock():
        call_command("helpcentre_sync", verbosity=0, stdout=StringIO())


@pytest.fixture(autouse=True)
def _isolation(request, settings):
    """Every test starts in English, with an empty cache (throttles, rate limits) and in-process
    tasks, except worker tests, which talk to a real Celery worker through Redis."""
    cache.clear()
    # A request in another language leaves that language active in the thread: start from English.
    translation.activate(settings.LANGUAGE_CODE)
    eager = "worker" not in request.keywords
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = eager
    settings.CELERY_TASK_ALWAYS_EAGER = eager
    yield
    celery_app.conf.task_always_eager = previous
    translation.deactivate()


# --- companies and people -------------------------------------------------------------------
@pytest.fixture
def dealer(db):
    return f.DealerFactory(code="DK00001", name="Glostrup Van Centre")


@pytest.fixture
def other_dealer(db):
    return f.DealerFactory(code="DK00002", name="Odense Erhvervsbiler", postal_code="5000", city="Odense")


@pytest.fixture
def company(db):
    return f.CompanyFactory(name="ACME Transport ApS", pro_id="PRO-ACMEXX")


@pytest.fixture
def other_company(db):
    return f.CompanyFactory(name="Other Co", pro_id="PRO-OTHERC")


@pytest.fixture
def alice(company):
    user = f.UserFactory(email="alice@acme.example", first_name="Alice", last_name="Andersen")
    f.MembershipFactory(user=user, company=company, role=Role.ADMIN, is_primary_admin=True)
    return user


@pytest.fixture
def fred(company):
    user = f.UserFactory(email="fred@acme.example", first_name="Fred", last_name="Frost")
    f.MembershipFactory(user=user, company=company, role=Role.FLEET_MANAGER)
    return user


@pytest.fixture
def dora(company):
    user = f.UserFactory(email="dora@acme.example", first_name="Dora", last_name="Dahl")
    f.MembershipFactory(user=user, company=company, role=Role.DRIVER)
    return user


@pytest.fixture
def oscar(other_company):
    user = f.UserFactory(email="oscar@other.example", first_name="Oscar", last_name="Olsen")
    f.MembershipFactory(user=user, company=other_company, role=Role.ADMIN, is_primary_admin=True)
    return user


@pytest.fixture
def newcomer(db):
    """A confirmed account without a company yet."""
    return f.UserFactory(email="newcomer@example.com", first_name="Nina", last_name="Nielsen")


@pytest.fixture
def sam(dealer):
    user = f.UserFactory(email="sam@dealer.example", first_name="Sam", last_name="Sørensen")
    return f.DealerStaffFactory(user=user, dealer=dealer, d5_id="D5SAM001")


@pytest.fixture
def sid(other_dealer):
    user = f.UserFactory(email="sid@dealer2.example", first_name="Sid", last_name="Skov")
    return f.DealerStaffFactory(user=user, dealer=other_dealer, d5_id="D5SID002")


@pytest.fixture
def verified_company(company, alice):
    """ACME with the company and its first administrator verified by a dealer."""
    from django.utils import timezone

    company.verification_status = "verified"
    company.verified_at = timezone.now()
    company.save()
    alice.verification_status = "verified"
    alice.verification_mode = "passport"
    alice.verified_at = timezone.now()
    alice.save()
    return company


# --- clients ----------------------------------------------------------------------------------
def _logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def login():
    """login(user) → a Django test client with that user's session."""
    return _logged_in


@pytest.fixture
def api():
    """api(user) → a DRF APIClient authenticated as that user (None: anonymous)."""

    def make(user=None) -> APIClient:
        client = APIClient()
        if user is not None:
            client.force_authenticate(user)
        return client

    return make


@pytest.fixture
def anon_api():
    return APIClient()


# --- the catalogue and a van on each side (shared by the app folders) --------------------------
@pytest.fixture
def catalogue(db):
    """The real pack catalogue, by code, with each pack's services prefetched."""
    from packs.catalogue import seed_catalogue
    from packs.models import Pack

    seed_catalogue()
    return {pack.code: pack for pack in Pack.objects.prefetch_related("services")}


@pytest.fixture
def van(company):
    """ACME's unverified diesel Sprinter, with a communication module."""
    return f.VehicleFactory(
        company=company, vin="W1V9076331P100001", licence_plate="AB 10 001", nickname="Blue van"
    )


@pytest.fixture
def other_van(other_company):
    """Other Co's unverified Sprinter."""
    return f.VehicleFactory(company=other_company, vin="W1V9076331P200001", nickname="Other van")
