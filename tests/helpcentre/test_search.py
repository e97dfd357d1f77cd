"""Search over questions and answers in the reader's language (the simple LIKE match that runs on
SQLite; tests/helpcentre/test_search_postgres.py covers full-text search)."""

import re

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from companies.audit import Actor
from helpcentre.models import Article, ArticleTranslation, Category
from helpcentre.services import article_saved

from .conftest import translation

pytestmark = pytest.mark.skipif(settings.USING_POSTGRES, reason="the SQLite search path")


def slugs(response) -> list[str]:
    return [hit.article.slug for hit in response.context["hits"]]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "query", "expected"),
    [
        ("en", "support password", "support-password"),
        ("fr", "mot de passe d'assistance", "support-password"),
        ("da", "support-password", "support-password"),
        ("de", "Support-Passwort", "support-password"),
        ("da", "forklimatisering", "pre-conditioning"),
        ("de", "Motorhaube", "charging"),
        ("fr", "itinérance", "roaming"),
    ],
)
def test_it_finds_answers_in_the_readers_language(reader, language, query, expected):
    response = reader(language).get("/help/search/", {"q": query})
    assert response.status_code == 200
    assert expected in slugs(response)
    assert all(not hit.article.is_fallback for hit in response.context["hits"])


@pytest.mark.django_db
def test_it_searches_only_the_current_language(reader):
    assert slugs(reader("da").get("/help/search/", {"q": "bonnet"})) == []
    assert "charging" in slugs(reader("en").get("/help/search/", {"q": "bonnet"}))


@pytest.mark.django_db
def test_it_needs_every_word(reader):
    assert slugs(reader("en").get("/help/search/", {"q": "bonnet RFID"})) == ["charging"]
    assert slugs(reader("en").get("/help/search/", {"q": "bonnet xylophone"})) == []


@pytest.mark.django_db
def test_it_puts_questions_with_the_words_first(reader):
    found = slugs(reader("en").get("/help/search/", {"q": "roaming"}))
    assert found[0] == "roaming"
    assert "driver-app-abroad" in found


@pytest.mark.django_db
def test_it_highlights_the_words_found(reader):
    html = reader("en").get("/help/search/", {"q": "Roaming"}).content.decode()
    assert "Can I use mpro across borders?" in html
    assert "<mark>roaming</mark>" in html
    assert "1 answer" not in html  # several answers mention roaming


@pytest.mark.django_db
def test_it_escapes_before_highlighting(reader):
    category = Category.objects.get(slug="general")
    article = Article.objects.create(category=category, slug="escaping")
    ArticleTranslation.objects.create(
        article=article,
        language="en",
        question="Is <b>bold</b> & safe?",
        answer="Say <script>alert(1)</script> bold",
    )
    article_saved(article=article, actor=Actor.system())
    html = reader("en").get("/help/search/", {"q": "<b>bold</b>"}).content.decode()
    assert "Is &lt;b&gt;<mark>bold</mark>&lt;/b&gt; &amp; safe?" in html
    assert "<script>alert" not in html and "<b>bold" not in html
    assert "&lt;script&gt;" in html
    # The query is echoed escaped too.
    assert "&lt;b&gt;bold&lt;/b&gt;" in html


@pytest.mark.django_db
def test_it_carries_the_words_to_the_answer_page(reader):
    html = reader("en").get("/help/search/", {"q": "bonnet"}).content.decode()
    assert 'href="/help/ecell/charging/?q=bonnet"' in html
    page = reader("en").get("/help/ecell/charging/", {"q": "bonnet"}).content.decode()
    assert "the <mark>bonnet</mark> is closed" in page


@pytest.mark.django_db
def test_it_says_when_nothing_matches(reader):
    response = reader("en").get("/help/search/", {"q": "xylophone"})
    assert response.context["hits"] == []
    assert "No answer matches “xylophone”." in response.content.decode()


@pytest.mark.django_db
def test_it_shows_the_form_without_a_query(reader):
    response = reader("en").get("/help/search/")
    assert response.status_code == 200
    assert response.context["hits"] == []
    assert reader("en").get("/help/search/", {"q": "x" * 500}).status_code == 200  # too long: ignored


@pytest.mark.django_db
def test_it_reflects_an_edit_at_once(reader):
    row = translation("vehicle-limit", "en")
    row.answer = "No. Manage a whole armada of vans."
    row.save()
    article_saved(article=row.article, actor=Actor.system())
    assert slugs(reader("en").get("/help/search/", {"q": "armada"})) == ["vehicle-limit"]


@pytest.mark.django_db
def test_it_keeps_the_query_count_flat(reader, django_assert_max_num_queries):
    client = reader("fr")
    with django_assert_max_num_queries(4):
        response = client.get("/help/search/", {"q": "véhicule"})
    assert len(response.context["hits"]) > 5


@pytest.mark.django_db
def test_it_titles_hits_without_counting_every_categorys_articles(reader):
    client = reader("fr")
    with CaptureQueriesContext(connection) as found:
        response = client.get("/help/search/", {"q": "véhicule"})
    assert response.context["hits"][0].article.category.title  # hits still carry their category
    assert not any("COUNT(" in query["sql"].upper() for query in found.captured_queries)
    with CaptureQueriesContext(connection) as nothing:
        assert client.get("/help/search/", {"q": "xylophone"}).context["hits"] == []
    # No hit: no category lookup either (the rows, then the words a typo could have meant).
    assert len(nothing.captured_queries) <= len(found.captured_queries)


def test_it_matches_whole_words_and_word_starts_only(reader):
    from helpcentre import selectors

    hits = selectors.search(query="vin", language="en")
    for hit in hits:
        text = (hit.article.question + " " + hit.article.answer_plain).lower()
        assert re.search(r"(?<!\w)vin", text), hit.article.question


def test_it_ignores_stop_words(reader):
    from helpcentre import selectors

    with_stop_words = selectors.search(query="how do I add a van", language="en")
    assert with_stop_words
    assert [h.article.question for h in with_stop_words] == [
        h.article.question for h in selectors.search(query="add van", language="en")
    ]


def test_it_does_not_find_french_de_inside_mercedes(reader):
    from helpcentre import selectors

    assert not selectors.search(query="de", language="fr") or all(
        re.search(r"(?<!\w)de", (h.article.question + " " + h.article.answer_plain).lower())
        for h in selectors.search(query="de", language="fr")
    )


def test_it_forgives_a_typo(reader):
    from helpcentre import selectors

    right = selectors.search(query="verified", language="en")
    assert right
    typo = selectors.search(query="verifed", language="en")
    assert [h.article.question for h in typo] == [h.article.question for h in right]
