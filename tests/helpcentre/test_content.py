"""The help content: seven categories with their questions, every answer in four languages,
every portal link valid, the seed FAQ's facts present, and no invented contact details."""

import re
from html import unescape
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.translation import gettext, override

from companies.models import Role
from helpcentre import markup
from helpcentre.models import Article, ArticleTranslation, Category, CategoryTranslation
from helpcentre.sync import content_sync, digest, read_content

from .conftest import LANGUAGES, translation

EXPECTED_COUNTS = {
    "general": 6,
    "getting-started": 7,
    "communication-module": 2,
    "driver-app": 8,
    "vehicle-management-tool": 4,
    "contract-legal-roles": 3,
    "ecell": 3,
}


@pytest.mark.django_db
def test_it_has_the_seven_faq_categories_with_their_questions():
    assert list(Category.objects.values_list("slug", flat=True)) == list(EXPECTED_COUNTS)
    for slug, count in EXPECTED_COUNTS.items():
        assert Article.objects.filter(category__slug=slug, is_published=True).count() == count


@pytest.mark.django_db
def test_it_has_every_question_and_category_in_four_languages():
    for article in Article.objects.prefetch_related("translations"):
        assert sorted(t.language for t in article.translations.all()) == sorted(LANGUAGES), article.slug
    for category in Category.objects.prefetch_related("translations"):
        assert sorted(t.language for t in category.translations.all()) == sorted(LANGUAGES)
    # Translated, not copied: no question is the same in two languages.
    for article in Article.objects.prefetch_related("translations"):
        questions = [t.question for t in article.translations.all()]
        assert len(set(questions)) == 4, article.slug


@pytest.mark.django_db
def test_it_links_only_to_pages_that_exist():
    for row in ArticleTranslation.objects.all():
        assert markup.broken_links(row.answer) == [], (row.article_id, row.language)


@pytest.mark.django_db
def test_it_writes_no_phone_number_or_e_mail_address():
    for row in ArticleTranslation.objects.all():
        text = row.question + row.answer
        assert "@" not in text
        assert not re.search(r"\+\d|\d{3}[ -]\d{3,4}[ -]\d{3,4}", text), (row.article_id, row.language)


FACTS = [
    # (article, language, words that must appear)
    ("costs", "en", ["12 months", "DKK 1,870", "excluding VAT", "data interface", "Denmark"]),
    ("costs", "da", ["12 måneder", "1.870 kr.", "ekskl. moms", "datagrænsefladen"]),
    ("costs", "fr", ["12 premiers mois", "1 870 DKK HT", "interface de données"]),
    ("costs", "de", ["12 Monaten", "1.870 DKK zzgl. MwSt.", "Datenschnittstelle"]),
    ("mercedes-me-login", "en", ["still need an mpro account", "no other Mercedes me data is transferred"]),
    ("software", "en", ["None", "web browser"]),
    ("smartphone", "en", ["SIM card", "without a smartphone"]),
    ("date-of-birth", "en", ["ID document"]),
    ("company-details", "en", ["except the country", "new generation"]),
    ("personal-details", "en", ["All of them", "ID document"]),
    ("support-password", "en", ["on your behalf", "Only you can set it", "change it at any time"]),
    ("module-activation", "en", ["buy a service", "assigned to the vehicle"]),
    ("roaming", "en", ["roaming charges", "does not cover"]),
    ("driver-app-cost", "en", ["free", "App Store", "Google Play"]),
    ("vehicle-management-cost", "en", ["free of charge"]),
    ("vehicle-limit", "en", ["as many vehicles"]),
    ("vehicle-management-password", "en", ["Forgot your password?"]),
    ("contact-support", "en", ["dealer", "help centre"]),
    ("charging", "en", ["bonnet is closed", "in P", "locked", "RFID"]),
]
PRE_CONDITIONING = {
    "en": [
        "above 15 %",
        "doors and windows are closed",
        "bonnet is closed",
        "in P",
        "locked",
        "departure time",
        "differs from the outside temperature",
    ],
    "fr": [
        "plus de 15 %",
        "portes et vitres sont fermées",
        "capot est fermé",
        "sur P",
        "verrouillé",
        "heure de départ",
        "diffère de la température extérieure",
    ],
    "da": [
        "over 15 %",
        "døre og vinduer er lukket",
        "motorhjelmen er lukket",
        "i P",
        "låst",
        "afgangstidspunkt",
        "forskellig fra udetemperaturen",
    ],
    "de": [
        "mehr als 15 %",
        "Türen und Fenster sind geschlossen",
        "Motorhaube ist geschlossen",
        "auf P",
        "verriegelt",
        "Abfahrtszeit",
        "unterscheidet sich von der Außentemperatur",
    ],
}


@pytest.mark.django_db
@pytest.mark.parametrize(("slug", "language", "words"), FACTS)
def test_it_states_the_facts_of_the_seed_faq(slug, language, words):
    text = translation(slug, language).answer
    for word in words:
        assert word in text, word


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_it_lists_every_pre_conditioning_prerequisite(language):
    text = translation("pre-conditioning", language).answer
    for word in PRE_CONDITIONING[language]:
        assert word in text, word


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("slug", "url_name"),
    [
        ("support-password", "page:users:support_password"),
        ("company-details", "page:companies:detail"),
        ("module-activation", "page:vehicles:list"),
        ("module-activation", "page:packs:catalogue"),
        ("contact-support", "page:help:dealers"),
        ("contact-support", "page:vehicles:workshops"),
        ("date-of-birth", "page:users:profile"),
        ("roles", "page:companies:members"),
        ("vehicle-management-password", "page:account_reset_password"),
    ],
)
def test_it_links_each_rule_to_the_page_that_applies_it(slug, url_name):
    for language in LANGUAGES:
        assert f"]({url_name})" in translation(slug, language).answer, language


@pytest.mark.django_db
def test_it_loads_idempotently_and_keeps_staff_edits():
    row = translation("roaming", "fr")
    row.question = "Edited by staff"
    row.save()
    ArticleTranslation.objects.filter(article__slug="charging", language="de").delete()

    report = content_sync()
    assert (report.created, report.updated) == (1, 0)  # only the missing German answer comes back
    assert report.kept == ["roaming (fr)"]
    with CaptureQueriesContext(connection) as queries:
        report = content_sync()
    assert (report.created, report.updated) == (0, 0)
    assert len(queries) <= 4
    assert translation("roaming", "fr").question == "Edited by staff"
    assert translation("charging", "de").answer_plain.startswith("Das Laden funktioniert")
    assert CategoryTranslation.objects.count() == 7 * 4


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_it_names_the_roles_as_the_portal_does(language):
    text = translation("roles", language).answer
    with override(language):
        for role in Role:
            assert re.search(rf"^- {re.escape(str(role.label))}\s?:", text, re.MULTILINE), role


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_it_labels_the_password_reset_link_as_the_login_page_does(client, language):
    with override(language):
        label = gettext("Forgot your password?")
    login_page = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert f">{label}</a>" in unescape(login_page)
    for slug in ("vehicle-management-password", "driver-app-password"):
        assert f"[{label}](page:account_reset_password)" in translation(slug, language).answer, slug


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("en", "company administrators and fleet managers"),
        ("fr", "les administrateurs de l'entreprise et les gestionnaires de flotte"),
        ("da", "virksomhedsadministratorer og flådeansvarlige"),
        ("de", "Unternehmensadministratoren und Fuhrparkleiter"),
    ],
)
def test_it_offers_the_workshops_page_only_to_the_roles_that_open_it(language, words):
    # A driver gets a 403 on the workshops page (vehicles.manage).
    assert words in translation("contact-support", language).answer


# Passages an earlier version of the content files held, and what they say now.
OLD_PASSAGES = [
    # (article slug, language, passage as first published, corrected passage)
    (
        "contact-support",
        "en",
        "Once logged in, you can also see and choose your workshop under "
        "[Workshops](page:vehicles:workshops).",
        "Once logged in, company administrators and fleet managers can also choose your company's "
        "workshops under [Workshops](page:vehicles:workshops).",
    ),
    (
        "contact-support",
        "fr",
        "Une fois connecté, vous voyez et choisissez aussi votre atelier sous "
        "[Ateliers](page:vehicles:workshops).",
        "Une fois connectés, les administrateurs de l'entreprise et les gestionnaires de flotte "
        "choisissent aussi les ateliers de l'entreprise sous [Ateliers](page:vehicles:workshops).",
    ),
    (
        "contact-support",
        "da",
        "Når du er logget ind, kan du også se og vælge dit værksted under "
        "[Værksteder](page:vehicles:workshops).",
        "Når de er logget ind, kan virksomhedsadministratorer og flådeansvarlige også vælge "
        "virksomhedens værksteder under [Værksteder](page:vehicles:workshops).",
    ),
    (
        "contact-support",
        "de",
        "Wenn Sie angemeldet sind, sehen und wählen Sie Ihre Werkstatt auch unter "
        "[Werkstätten](page:vehicles:workshops).",
        "Nach der Anmeldung wählen Unternehmensadministratoren und Fuhrparkleiter außerdem die "
        "Werkstätten des Unternehmens unter [Werkstätten](page:vehicles:workshops).",
    ),
    (
        "software",
        "fr",
        "responsables de flotte et administrateurs",
        "gestionnaires de flotte et administrateurs",
    ),
    (
        "what-is-the-driver-app",
        "fr",
        "entre le responsable de flotte et les conducteurs",
        "entre le gestionnaire de flotte et les conducteurs",
    ),
    (
        "register-as-driver",
        "fr",
        "à moins que votre responsable de flotte ne vous en ait",
        "à moins que votre gestionnaire de flotte ne vous en ait",
    ),
    ("roles", "fr", "- Responsable de flotte : gère", "- Gestionnaire de flotte : gère"),
    (
        "driver-app-password",
        "da",
        "[Glemt adgangskode?](page:account_reset_password)",
        "[Glemt din adgangskode?](page:account_reset_password)",
    ),
    (
        "vehicle-management-password",
        "da",
        "[Glemt adgangskode?](page:account_reset_password)",
        "[Glemt din adgangskode?](page:account_reset_password)",
    ),
]


@pytest.mark.django_db
def test_it_brings_changed_files_into_rows_nobody_edited():
    # The rows as a sync of older files wrote them, then two edits by staff: one rewords a passage
    # the files have since corrected, one adds a sentence to an answer.
    for slug, language, old, new in OLD_PASSAGES:
        row = translation(slug, language)
        row.answer = row.answer.replace(new, old)
        row.synced_digest = digest(row.question, row.answer)
        row.save()
    assert "Responsable de flotte" in translation("roles", "fr").answer
    reworded = translation("contact-support", "de")
    reworded.answer = "Fragen Sie Ihren Händler. Werkstätten wählt Ihr Fuhrparkleiter."
    reworded.save()
    added = translation("vehicle-management-password", "da")
    added.answer += "\n\nTilføjet af redaktionen."
    added.save()

    report = content_sync()

    roles = translation("roles", "fr")
    assert "- Gestionnaire de flotte : gère" in roles.answer and "Responsable" not in roles.answer
    assert "Gestionnaire de flotte : gère" in roles.answer_plain  # the search text follows
    edited = {("contact-support", "de"), ("vehicle-management-password", "da")}
    for slug, language, _old, _new in OLD_PASSAGES:
        if (slug, language) not in edited:
            assert translation(slug, language).answer == published(slug, language), (slug, language)
    assert translation("contact-support", "de").answer == reworded.answer  # left as staff wrote it
    assert translation("vehicle-management-password", "da").answer == added.answer
    assert sorted(report.kept) == ["contact-support (de)", "vehicle-management-password (da)"]

    # --overwrite: the files win over the admin's edits too.
    call_command("helpcentre_sync", overwrite=True, stdout=StringIO())
    assert translation("contact-support", "de").answer == published("contact-support", "de")
    assert translation("vehicle-management-password", "da").answer == published(
        "vehicle-management-password", "da"
    )


def published(slug: str, language: str) -> str:
    """The answer as the content files (helpcentre/articles/) write it today."""
    return next(
        article.texts[language][1]
        for category in read_content()
        for article in category.articles
        if article.slug == slug
    )
