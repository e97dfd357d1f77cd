"""Fixtures of the help-centre tests: the help content (synced into the test database once per
session, synced again here, idempotently, in case a transactional test emptied the tables), the
pack catalogue, an admin user, and a client that reads the portal in a given language."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from helpcentre.models import Article, ArticleTranslation
from tests import factories as f

LANGUAGES = ["en", "fr", "da", "de"]


@pytest.fixture(autouse=True)
def help_content(db):
    call_command("helpcentre_sync", stdout=StringIO())


@pytest.fixture
def reader():
    """reader(language, user=None) → a client whose pages come in `language` (django_language
    cookie, as the header's language selector sets it)."""

    def make(language: str, user=None) -> Client:
        client = Client()
        client.cookies["django_language"] = language
        if user is not None:
            client.force_login(user)
        return client

    return make


@pytest.fixture
def staff_admin(db):
    return f.UserFactory(email="editor@mpro.example", is_staff=True, is_superuser=True)


def translation(slug: str, language: str) -> ArticleTranslation:
    return ArticleTranslation.objects.get(article__slug=slug, language=language)


def article(slug: str) -> Article:
    return Article.objects.select_related("category").get(slug=slug)
