"""A visitor, in a real browser, switches the portal to French with the header's language
selector, searches the help centre and opens the answer, with the words found highlighted."""

from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from packs.catalogue import seed_catalogue

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def help_content():
    # Transactional tests run on tables another test may have emptied: load the help content
    # (idempotent) rather than trusting the session's synced rows to still be there.
    call_command("helpcentre_sync", stdout=StringIO())


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


def test_it_jumps_to_the_search_box_with_the_slash_key(page, help_content):
    page.goto("/help/ecell/")
    search = page.locator(".help-search input[name=q]")
    page.locator("h1").click()  # focus on the page, not in a field
    page.keyboard.press("/")
    assert search.evaluate("element => element === document.activeElement")
    assert search.input_value() == ""  # the slash itself is not typed in
    page.keyboard.type("bonnet")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator(".help-hits h2 a").first.inner_text() == "How do I charge my eCell vehicle?"


def test_it_copies_the_answers_link(page, live_server, help_content):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page.goto("/help/ecell/charging/")
    button = page.get_by_role("button", name="Copy link")
    assert button.is_visible()  # hidden without JavaScript, shown once copying works
    button.click()
    expect(page.get_by_role("button", name="Copied")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == f"{live_server.url}/help/ecell/charging/"

    # Without JavaScript the button could do nothing, so it stays hidden.
    no_script = page.context.browser.new_context(base_url=live_server.url, java_script_enabled=False)
    try:
        bare = no_script.new_page()
        bare.goto("/help/ecell/charging/")
        assert bare.locator("[data-copy]").is_hidden()
        assert bare.locator("#help-share-link").input_value() == f"{live_server.url}/help/ecell/charging/"
    finally:
        no_script.close()


def test_it_shows_the_prices_of_a_country_as_soon_as_it_is_picked(page):
    seed_catalogue()
    page.goto("/")
    assert page.locator("#packs-heading").inner_text() == "Service packs and prices in United Kingdom"
    assert page.locator("#packs button[type=submit]").is_hidden()  # the select submits by itself
    with page.expect_navigation():
        page.select_option("#packs select", "DK")
    assert page.url.endswith("/?country=DK#packs")
    assert page.locator("#packs-heading").inner_text() == "Service packs and prices in Denmark"
    assert "DKK\xa01,870.00" in page.locator(".showcase-packs").inner_text()  # the bundle, in kroner
