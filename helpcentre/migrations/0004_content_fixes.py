"""Corrections to help answers that 0003_load_content already put into existing databases (its
loader only adds missing rows, so it cannot correct them; a fresh database gets the corrected text
from helpcentre/content.py and this migration then finds nothing to do):

- contact-support: the workshops page is for administrators and fleet managers, not for every
  logged-in user (a driver gets a 403 there);
- French: the fleet manager role is "gestionnaire de flotte" in the portal, not "responsable de
  flotte";
- Danish: the login page's link reads "Glemt din adgangskode?".

Each fix replaces one passage, and only where the answer still holds it as first published, so an
answer staff have reworded in the admin is left alone. The search columns of the changed rows are
refreshed."""

from django.db import migrations

FIXES = [
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
    ("software", "fr", "responsables de flotte et administrateurs", "gestionnaires de flotte et administrateurs"),
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


def _replace(apps, pairs) -> int:
    """Replaces `old` by `new` in the named answers that still contain `old`; returns how many
    answers changed."""
    from helpcentre.indexing import refresh

    ArticleTranslation = apps.get_model("helpcentre", "ArticleTranslation")
    wanted = {(slug, language) for slug, language, _old, _new in pairs}
    rows = ArticleTranslation.objects.filter(
        article__slug__in={slug for slug, _ in wanted}, language__in={language for _, language in wanted}
    ).select_related("article")
    changed = []
    for row in rows:
        answer = row.answer
        for slug, language, old, new in pairs:
            if (row.article.slug, row.language) == (slug, language) and old in answer:
                answer = answer.replace(old, new)
        if answer != row.answer:
            row.answer = answer
            changed.append(row)
    if changed:
        ArticleTranslation.objects.bulk_update(changed, ["answer"])
        refresh(ArticleTranslation.objects.filter(id__in=[row.id for row in changed]))
    return len(changed)


def correct(apps, schema_editor):
    _replace(apps, FIXES)


def restore(apps, schema_editor):
    _replace(apps, [(slug, language, new, old) for slug, language, old, new in FIXES])


class Migration(migrations.Migration):
    dependencies = [("helpcentre", "0003_load_content")]

    operations = [migrations.RunPython(correct, restore)]
