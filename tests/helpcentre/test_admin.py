"""Staff edit articles and their translations in the admin."""

import pytest
from django.urls import reverse

from companies.models import AuditEvent
from helpcentre.models import Article, ArticleTranslation

from .conftest import article


def change_data(obj: Article, **overrides) -> dict:
    """The admin's change form for `obj` as a browser would post it back."""
    rows = list(obj.translations.order_by("language"))
    data = {
        "category": obj.category_id,
        "slug": obj.slug,
        "sort_order": obj.sort_order,
        "is_published": "on",
        "translations-TOTAL_FORMS": len(rows),
        "translations-INITIAL_FORMS": len(rows),
        "translations-MIN_NUM_FORMS": 1,
        "translations-MAX_NUM_FORMS": 4,
    }
    for index, row in enumerate(rows):
        data.update(
            {
                f"translations-{index}-id": row.id,
                f"translations-{index}-article": obj.id,
                f"translations-{index}-language": row.language,
                f"translations-{index}-question": row.question,
                f"translations-{index}-answer": row.answer,
            }
        )
    data.update(overrides)
    return data


def form_index(obj: Article, language: str) -> int:
    return [row.language for row in obj.translations.order_by("language")].index(language)


@pytest.mark.django_db
def test_it_lets_an_admin_open_the_lists_and_change_pages(login, staff_admin):
    client = login(staff_admin)
    roaming = article("roaming")
    for url in (
        reverse("admin:helpcentre_article_changelist"),
        reverse("admin:helpcentre_article_change", args=[roaming.pk]),
        reverse("admin:helpcentre_article_add"),
        reverse("admin:helpcentre_category_changelist"),
        reverse("admin:helpcentre_category_change", args=[roaming.category_id]),
    ):
        assert client.get(url).status_code == 200, url
    html = client.get(reverse("admin:helpcentre_article_change", args=[roaming.pk])).content.decode()
    assert "Can I use mpro across borders?" in html and "Puis-je utiliser mpro à l" in html


@pytest.mark.django_db
def test_it_saves_an_edited_translation_and_reindexes_it(login, staff_admin, reader):
    roaming = article("roaming")
    index = form_index(roaming, "fr")
    response = login(staff_admin).post(
        reverse("admin:helpcentre_article_change", args=[roaming.pk]),
        change_data(roaming, **{f"translations-{index}-answer": "Oui, partout en Europe, même en Laponie."}),
    )
    assert response.status_code == 302
    row = ArticleTranslation.objects.get(article=roaming, language="fr")
    assert row.answer_plain == "Oui, partout en Europe, même en Laponie."
    assert [
        hit.article.slug for hit in reader("fr").get("/help/search/", {"q": "Laponie"}).context["hits"]
    ] == ["roaming"]
    assert AuditEvent.objects.filter(
        action="help.article_saved", target="roaming", actor=staff_admin
    ).exists()


@pytest.mark.django_db
def test_it_adds_a_missing_translation_inline(login, staff_admin):
    roaming = article("roaming")
    ArticleTranslation.objects.filter(article=roaming, language="de").delete()
    data = change_data(roaming)
    data.update(
        {
            "translations-TOTAL_FORMS": 4,
            "translations-3-article": roaming.id,
            "translations-3-language": "de",
            "translations-3-question": "Funktioniert mpro im Ausland?",
            "translations-3-answer": "Ja, siehe [Fahrzeuge](page:vehicles:list).",
        }
    )
    response = login(staff_admin).post(reverse("admin:helpcentre_article_change", args=[roaming.pk]), data)
    assert response.status_code == 302
    assert (
        ArticleTranslation.objects.get(article=roaming, language="de").answer_plain == "Ja, siehe Fahrzeuge."
    )


@pytest.mark.django_db
def test_it_refuses_a_link_to_nowhere(login, staff_admin):
    roaming = article("roaming")
    index = form_index(roaming, "en")
    before = ArticleTranslation.objects.get(article=roaming, language="en").answer
    response = login(staff_admin).post(
        reverse("admin:helpcentre_article_change", args=[roaming.pk]),
        change_data(roaming, **{f"translations-{index}-answer": "See [this](page:no:such-page)."}),
    )
    assert response.status_code == 200
    assert "These links lead nowhere: page:no:such-page" in response.content.decode()
    assert ArticleTranslation.objects.get(article=roaming, language="en").answer == before


@pytest.mark.django_db
def test_it_requires_the_english_translation(login, staff_admin):
    roaming = article("roaming")
    index = form_index(roaming, "en")
    response = login(staff_admin).post(
        reverse("admin:helpcentre_article_change", args=[roaming.pk]),
        change_data(roaming, **{f"translations-{index}-DELETE": "on"}),
    )
    assert response.status_code == 200
    assert "An English translation is required" in response.content.decode()
    assert ArticleTranslation.objects.filter(article=roaming, language="en").exists()


@pytest.mark.django_db
def test_it_refuses_a_category_slug_taken_by_a_help_page(login, staff_admin):
    response = login(staff_admin).post(
        reverse("admin:helpcentre_category_add"),
        {
            "slug": "search",
            "sort_order": 99,
            "translations-TOTAL_FORMS": 1,
            "translations-INITIAL_FORMS": 0,
            "translations-MIN_NUM_FORMS": 1,
            "translations-MAX_NUM_FORMS": 4,
            "translations-0-language": "en",
            "translations-0-title": "Search",
        },
    )
    assert response.status_code == 200
    assert "This address is taken by another help page." in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["alice", "sam"])
def test_it_keeps_customers_and_dealer_staff_out_of_the_admin(request, login, persona):
    user = request.getfixturevalue(persona)
    client = login(getattr(user, "user", user))
    roaming = article("roaming")
    response = client.get(reverse("admin:helpcentre_article_change", args=[roaming.pk]))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
    before = ArticleTranslation.objects.get(article=roaming, language="fr").answer
    client.post(reverse("admin:helpcentre_article_change", args=[roaming.pk]), change_data(roaming))
    assert ArticleTranslation.objects.get(article=roaming, language="fr").answer == before
