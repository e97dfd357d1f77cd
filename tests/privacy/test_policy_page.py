import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "heading"),
    [("en", "Who sees what"), ("fr", "Qui voit quoi"), ("da", "Hvem ser hvad"), ("de", "Wer sieht was")],
)
def test_it_shows_the_privacy_page_in_four_languages(client, settings, language, heading):
    settings.RETENTION_AUDIT_EVENTS_DAYS = 1095
    response = client.get("/privacy/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    page = response.content.decode()
    assert heading in page
    assert "1095" in page and "365" in page  # the retention settings in force
    assert "60" in page and "8" in page  # support session and attestation windows


def test_it_links_the_privacy_page_from_every_page(client):
    assert 'href="/privacy/"' in client.get("/help/").content.decode()
