"""The error pages are the site's own: layout, plain words, a way back, the reader's language."""

from django.test import Client, RequestFactory
from django.utils import translation
from django.views.defaults import server_error


def test_it_shows_404_inside_the_layout_with_a_way_back(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert 'class="topbar"' in html and "This page does not exist" in html
    assert 'href="/help/"' in html  # a way back


def test_it_shows_404_in_the_users_language(login, alice):
    alice.language = "de"
    alice.save()
    response = login(alice).get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert '<html lang="de">' in html
    assert "Fehler 404" in html
    assert 'href="/dashboard/"' in html  # logged in: back to the dashboard


def test_it_tells_a_driver_why_a_page_is_refused(login, dora):
    response = login(dora).get("/company/members/invite/")
    assert response.status_code == 403
    html = response.content.decode()
    assert 'class="topbar"' in html and "Your role does not include this page" in html


def test_it_explains_an_expired_form(alice):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    response = client.post("/company/edit/", {"name": "Changed"})
    assert response.status_code == 403
    html = response.content.decode()
    assert "The form could not be sent" in html and 'class="topbar"' in html


def test_it_renders_500_inside_the_layout_without_a_request_context(db):
    with translation.override("fr"):
        response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    html = response.content.decode()
    assert 'class="topbar"' in html and 'lang="fr"' in html
