"""A visitor, in a real browser, switches the portal to French with the header's language
selector, searches the help centre and opens the answer, with the words found highlighted."""

import pytest

from helpcentre import content

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def help_content():
    # Transactional tests run on tables another test may have emptied: load the help content
    # (idempotent) rather than trusting the data migration's rows to still be there.
    content.load()


def test_it_switches_to_french_and_finds_an_answer_by_search(page, help_content):
    page.goto("/help/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator(".help-categories").get_by_text("eCell vehicles").is_visible()

    with page.expect_navigation():
        page.select_option("#language-select", "fr")
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.url.endswith("/help/")
    assert page.locator(".help-categories").get_by_text("Véhicules eCell").is_visible()

    page.fill(".help-search input[name=q]", "mot de passe d'assistance")
    with page.expect_navigation():
        page.press(".help-search input[name=q]", "Enter")
    assert "/help/search/" in page.url
    first = page.locator(".help-hits li").first
    assert "Pourquoi dois-je définir un mot de passe d'assistance personnel ?" in first.inner_text()
    assert first.locator("mark").count() > 0

    with page.expect_navigation():
        first.locator("h2 a").click()
    assert page.url.split("?")[0].endswith("/help/getting-started/support-password/")
    assert (
        page.locator("h1").inner_text() == "Pourquoi dois-je définir un mot de passe d'assistance personnel ?"
    )
    assert page.locator(".help-answer mark").count() > 0
    link = page.locator(".help-answer a", has_text="Mot de passe d'assistance")
    assert link.get_attribute("href") == "/account/support-password/"
    assert page.locator(".help-fallback").count() == 0

    # The language sticks on the next page (cookie set by the selector).
    page.goto("/help/ecell/pre-conditioning/")
    assert "15 %" in page.locator(".help-answer").inner_text()
    assert page.locator("h1").inner_text() == "Comment préclimatiser mon véhicule eCell avant le départ ?"
