"""Full-text search on PostgreSQL: the language's stemming and stop words, ranking, highlighting
by ts_headline (escaped before the marks go in), and the GIN index behind it.

Run with DATABASE_URL=postgres://postgres@127.0.0.1:5432/mpro_helpcentre."""

import pytest
from django.db import connection

from companies.audit import Actor
from helpcentre.models import Article, ArticleTranslation, Category
from helpcentre.services import article_saved

pytestmark = pytest.mark.postgres


def slugs(response) -> list[str]:
    return [hit.article.slug for hit in response.context["hits"]]


@pytest.mark.django_db
def test_it_keeps_a_search_vector_for_every_translation():
    assert not ArticleTranslation.objects.filter(search_vector__isnull=True).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "query", "expected"),
    [
        ("en", "charges", "charging"),  # charge, charging, charges: one stem
        ("en", "forgotten passwords", "vehicle-management-password"),
        ("da", "opladning", "charging"),  # found in "Opladningen"
        ("fr", "recharger", "charging"),
        ("fr", "mots de passe oubliés", "driver-app-password"),
        ("de", "Passwörter vergessen", "vehicle-management-password"),
        ("de", "Vorklimatisierung", "pre-conditioning"),
    ],
)
def test_it_matches_word_forms_in_the_readers_language(reader, language, query, expected):
    response = reader(language).get("/help/search/", {"q": query})
    assert expected in slugs(response)
    assert all(not hit.article.is_fallback for hit in response.context["hits"])


@pytest.mark.django_db
def test_it_ranks_questions_above_answers_that_mention_the_words(reader):
    found = slugs(reader("en").get("/help/search/", {"q": "roaming"}))
    assert found[0] == "roaming"
    assert "driver-app-abroad" in found


@pytest.mark.django_db
def test_it_understands_quotes_and_exclusions(reader):
    assert "support-password" in slugs(reader("en").get("/help/search/", {"q": '"support password"'}))
    assert "support-password" not in slugs(
        reader("en").get("/help/search/", {"q": "support password -dealer"})
    )


@pytest.mark.django_db
def test_it_searches_only_the_current_language(reader):
    assert slugs(reader("da").get("/help/search/", {"q": "bonnet"})) == []


@pytest.mark.django_db
def test_it_highlights_with_marks_after_escaping(reader):
    article = Article.objects.create(category=Category.objects.get(slug="general"), slug="escaping")
    ArticleTranslation.objects.create(
        article=article,
        language="en",
        question="Is <b>charging</b> & safe?",
        answer="Charging <script>alert(1)</script> works.",
    )
    article_saved(article=article, actor=Actor.system())
    html = reader("en").get("/help/search/", {"q": "charging"}).content.decode()
    assert "<mark>charging</mark>" in html.lower()
    assert "&lt;b&gt;<mark>charging</mark>&lt;/b&gt; &amp; safe?" in html
    assert "<script>alert" not in html and "<b>charging" not in html  # the page has its own scripts
    # ts_headline leaves tag-like words out of fragments; what remains is escaped text.
    assert "<mark>Charging</mark>  alert(1)  works" in html


@pytest.mark.django_db
def test_it_falls_back_to_the_english_text_with_the_english_configuration(reader):
    ArticleTranslation.objects.filter(article__slug="roaming", language="de").delete()
    hits = reader("de").get("/help/search/", {"q": "charges"}).context["hits"]
    fallback = [hit for hit in hits if hit.article.is_fallback]
    assert [hit.article.slug for hit in fallback] == ["roaming"]
    assert "<mark>charges</mark>" in fallback[0].snippet_html


@pytest.mark.django_db
def test_it_copes_with_stop_words_and_odd_input(reader):
    for query in ("the", "&&& ||| !!!", "'", "<b>"):
        assert reader("en").get("/help/search/", {"q": query}).status_code == 200


@pytest.mark.django_db
def test_it_uses_the_gin_index(reader):
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'help_translation_search_idx'")
        assert "USING gin (search_vector)" in cursor.fetchone()[0]
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(
            "EXPLAIN SELECT id FROM helpcentre_articletranslation "
            "WHERE search_vector @@ websearch_to_tsquery('danish'::regconfig, 'opladning')"
        )
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "help_translation_search_idx" in plan


@pytest.mark.django_db
def test_it_keeps_the_query_count_flat(reader, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        response = reader("fr").get("/help/search/", {"q": "véhicule"})
    assert len(response.context["hits"]) > 5
