import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_it_renders_the_login_page_in_chromium(page):
    page.goto("/accounts/login/")
    assert page.locator("input[name=login]").is_visible()
