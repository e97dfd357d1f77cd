"""Compile every catalogue (locale/ and <app>/locale/) to .mo with Babel, so a fresh machine needs no GNU gettext."""

from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from django.core.management.base import BaseCommand

from mpro.i18n import locale_dirs


class Command(BaseCommand):
    help = "Compile the .po translation catalogues to .mo (pure Python, via Babel)."

    def handle(self, *args, **options):
        count = 0
        for locale_dir in locale_dirs():
            for po_path in sorted(Path(locale_dir).glob("*/LC_MESSAGES/*.po")):
                mo_path = po_path.with_suffix(".mo")
                if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
                    continue
                with po_path.open("rb") as po_file:
                    catalog = read_po(po_file, locale=po_path.parent.parent.name)
                with mo_path.open("wb") as mo_file:
                    write_mo(mo_file, catalog, use_fuzzy=False)
                count += 1
        self.stdout.write(f"Compiled {count} catalogue(s).")
