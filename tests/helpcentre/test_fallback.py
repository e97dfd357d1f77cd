"""A missing translation falls back to English, visibly marked; never an empty page."""

from html import unescape

import pytest
from django.utils.translation import gettext, override

from helpcentre.models import ArticleTranslation, CategoryTranslation

from .conftest import translation

NOTICE = "This answer is not yet available in your language; shown in English."


@pytest.fixture
def roaming_only_in_english(db):
    ArticleTranslation.objects.filter(article__slug="roaming").exclude(language="en").delete()


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["fr", "da", "de"])
def test_it_shows_the_english_answer_with_a_notice(reader, roaming_only_in_english, language):
    response = reader(language).get("/help/communication-module/roaming/")
    assert response.status_code == 200
    html = response.content.decode()
    with override(language):
        assert gettext(NOTICE) in unescape(html)  # the notice speaks the reader's language
    assert 'class="card help-article" lang="en"' in html
    assert "Can I use mpro across borders?" in html
    assert "roaming charges" in html


@pytest.mark.django_db
def test_it_does_not_mark_english_readers_or_translated_answers(reader, roaming_only_in_english):
    assert NOTICE not in reader("en").get("/help/communication-module/roaming/").content.decode()
    with override("fr"):
        notice_fr = gettext(NOTICE)
    page = unescape(reader("fr").get("/help/communication-module/module-activation/").content.decode())
    assert notice_fr not in page


@pytest.mark.django_db
def test_it_marks_the_untranslated_question_in_its_category(reader, roaming_only_in_english):
    html = reader("da").get("/help/communication-module/").content.decode()
    assert (
        '<a href="/help/communication-module/roaming/" lang="en">Can I use mpro across borders?</a>' in html
    )
    with override("da"):
        assert gettext("in English") in unescape(html)  # the badge, in the reader's language
    assert translation("module-activation", "da").question in html
    # Still counted: the question exists, only its translation is missing.
    counts = {v.slug: v.count for v in reader("da").get("/help/").context["categories"]}
    assert counts["communication-module"] == 2


@pytest.mark.django_db
def test_it_falls_back_for_category_titles_too(reader):
    CategoryTranslation.objects.filter(category__slug="ecell", language="de").delete()
    html = reader("de").get("/help/").content.decode()
    assert 'lang="en">eCell vehicles</h2>' in html


@pytest.mark.django_db
def test_it_finds_untranslated_answers_in_english(reader, roaming_only_in_english):
    response = reader("fr").get("/help/search/", {"q": "roaming"})
    hits = response.context["hits"]
    assert [hit.article.slug for hit in hits if hit.article.is_fallback] == ["roaming"]


@pytest.mark.django_db
def test_it_marks_only_the_english_text_of_a_search_hit_as_english(reader, roaming_only_in_english):
    html = reader("fr").get("/help/search/", {"q": "roaming"}).content.decode()
    assert '<li class="card" lang="en"' not in html
    items = html.split('<li class="card"')[1:]
    (hit,) = [item for item in items if 'href="/help/communication-module/roaming/' in item]
    assert '<h2 lang="en"><a href="/help/communication-module/roaming/?q=roaming">' in hit
    assert '<p class="help-snippet" lang="en">' in hit
    # The category title and the badge are in French: a screen reader must not read them as English.
    title = CategoryTranslation.objects.get(category__slug="communication-module", language="fr").title
    assert f'<a href="/help/communication-module/">{title}</a>' in unescape(hit)
    with override("fr"):
        assert gettext("in English") in unescape(hit)


@pytest.mark.django_db
def test_it_answers_404_rather_than_an_empty_page_without_any_text(reader):
    ArticleTranslation.objects.filter(article__slug="roaming").delete()
    assert reader("fr").get("/help/communication-module/roaming/").status_code == 404
    assert "roaming" not in reader("fr").get("/help/communication-module/").content.decode()
