"""The help centre's pages: public, in each language, with stable addresses and a query count
that does not grow with the content."""

import pytest
from django.urls import reverse

from helpcentre.models import Article, Category

from .conftest import LANGUAGES, article, translation

TITLES = {"en": "eCell vehicles", "fr": "Véhicules eCell", "da": "eCell-køretøjer", "de": "eCell-Fahrzeuge"}


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_it_lists_the_categories_with_their_counts_in_each_language(reader, language):
    response = reader(language).get(reverse("help:index"))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    assert TITLES[language] in html
    for category in Category.objects.prefetch_related("translations"):
        title = next(t.title for t in category.translations.all() if t.language == language)
        assert title in html
    counts = {view.slug: view.count for view in response.context["categories"]}
    assert counts == {
        "general": 6,
        "getting-started": 7,
        "communication-module": 2,
        "driver-app": 8,
        "vehicle-management-tool": 4,
        "contract-legal-roles": 3,
        "ecell": 3,
    }


@pytest.mark.django_db
def test_it_follows_the_browsers_accept_language(client):
    response = client.get(reverse("help:index"), HTTP_ACCEPT_LANGUAGE="de-DE,de;q=0.9")
    assert "Fahrer-App" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_it_shows_each_answer_on_its_own_page_in_each_language(reader, language):
    row = translation("support-password", language)
    response = reader(language).get("/help/getting-started/support-password/")
    assert response.status_code == 200
    html = response.content.decode()
    assert row.question.replace("'", "&#x27;") in html
    assert 'href="/account/support-password/"' in html
    assert "help-fallback" not in html
    assert "http://testserver/help/getting-started/support-password/" in html  # the link to share


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_it_lists_a_categorys_questions_in_each_language(reader, language):
    response = reader(language).get("/help/ecell/")
    html = response.content.decode()
    assert response.status_code == 200
    for slug in ("ecell-questions", "charging", "pre-conditioning"):
        assert translation(slug, language).question.replace("'", "&#x27;") in html
        assert f'href="/help/ecell/{slug}/"' in html


@pytest.mark.django_db
def test_it_gives_every_article_a_stable_address():
    for row in Article.objects.select_related("category"):
        assert row.get_absolute_url() == f"/help/{row.category.slug}/{row.slug}/"
    assert (
        reverse("help:article", kwargs={"category": "ecell", "article": "charging"})
        == "/help/ecell/charging/"
    )


@pytest.mark.django_db
def test_it_redirects_an_old_address_after_the_article_moved(client):
    moved = article("roaming")
    moved.category = Category.objects.get(slug="general")
    moved.save()
    response = client.get("/help/communication-module/roaming/")
    assert response.status_code == 301
    assert response["Location"] == "/help/general/roaming/"
    assert client.get("/help/general/roaming/").status_code == 200


@pytest.mark.django_db
def test_it_hides_unpublished_articles_and_does_not_count_them(client):
    hidden = article("roaming")
    hidden.is_published = False
    hidden.save()
    assert client.get("/help/communication-module/roaming/").status_code == 404
    counts = {view.slug: view.count for view in client.get("/help/").context["categories"]}
    assert counts["communication-module"] == 1
    assert "roaming" not in client.get("/help/communication-module/").content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/help/no-such-category/", "/help/ecell/no-such-article/", "/help/ecell/roam ing/"]
)
def test_it_answers_404_for_unknown_addresses(client, path):
    assert client.get(path).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["alice", "dora", "oscar", "newcomer", "sam"])
def test_it_serves_help_to_every_kind_of_logged_in_user(request, login, persona):
    user = request.getfixturevalue(persona)
    user = getattr(user, "user", user)  # sam is a DealerStaff
    client = login(user)
    for path in ("/help/", "/help/ecell/", "/help/ecell/charging/", "/help/search/?q=charge", "/dealers/"):
        assert client.get(path).status_code == 200, path


@pytest.mark.django_db
def test_it_links_help_from_every_portal_page(client, login, alice):
    for response in (
        client.get("/accounts/login/"),
        login(alice).get("/dashboard/"),
        client.get("/help/ecell/"),
    ):
        assert 'href="/help/"' in response.content.decode()


@pytest.mark.django_db
def test_it_keeps_the_query_count_flat(client, django_assert_max_num_queries):
    for index in range(30):
        row = Article.objects.create(category=Category.objects.get(slug="ecell"), slug=f"extra-{index}")
        row.translations.create(language="en", question=f"Extra question {index}?", answer="Answer.")
    with django_assert_max_num_queries(2):
        assert client.get("/help/").status_code == 200
    with django_assert_max_num_queries(4):
        assert client.get("/help/ecell/").status_code == 200
    with django_assert_max_num_queries(5):
        assert client.get("/help/ecell/charging/").status_code == 200
