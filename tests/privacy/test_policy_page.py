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


@pytest.mark.parametrize(
    ("language", "attestation", "session"),
    [
        ("en", "for 5 hours", "of 45 minutes"),
        ("de", "für 5 Stunden", "von 45 Minuten"),
        ("fr", "pendant 5 heures", "de 45 minutes"),
        ("da", "i 5 timer", "på 45 minutter"),
    ],
)
def test_it_states_the_dealer_windows_from_the_settings_in_force(
    client, settings, language, attestation, session
):
    settings.ATTESTATION_HOURS = 5
    settings.SUPPORT_SESSION_MINUTES = 45
    page = client.get("/privacy/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert attestation in page and session in page
    assert "8 hours" not in page and "60 minutes" not in page
