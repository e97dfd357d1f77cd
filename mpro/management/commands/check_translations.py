"""Fail when a translation is missing or fuzzy, or when the .po files are out of date with the code.

Out of date: running `make messages` would add or remove a message. The check runs makemessages on
a copy of the catalogues and compares the message ids, so the tree is left as it was."""

import shutil
import tempfile
from pathlib import Path

from babel.messages.pofile import read_po
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

DOMAINS = ("django", "djangojs")
IGNORE = [".venv", "staticfiles", "tests", "benchmarks"]


def _ids(path: Path) -> set:
    if not path.exists():
        return set()
    with path.open("rb") as fh:
        return {m.id if isinstance(m.id, str) else tuple(m.id) for m in read_po(fh) if m.id}


class Command(BaseCommand):
    help = "Check that every message is translated in every language and the catalogues match the code."

    def handle(self, *args, **options):
        locale_dir = Path(settings.LOCALE_PATHS[0])
        languages = [code for code, _name in settings.LANGUAGES if code != "en"]
        problems: list[str] = []

        for language in languages:
            for domain in DOMAINS:
                po_path = locale_dir / language / "LC_MESSAGES" / f"{domain}.po"
                if not po_path.exists():
                    if domain == "django":
                        problems.append(f"{po_path}: missing")
                    continue
                with po_path.open("rb") as fh:
                    catalog = read_po(fh)
                for message in catalog:
                    if not message.id:
                        continue
                    label = message.id if isinstance(message.id, str) else message.id[0]
                    strings = message.string if isinstance(message.string, tuple | list) else [message.string]
                    if message.fuzzy:
                        problems.append(f"{po_path}: fuzzy: {label!r}")
                    elif not all(strings):
                        problems.append(f"{po_path}: untranslated: {label!r}")

        # Up to date with the code: extract again into a scratch copy and compare the ids.
        with tempfile.TemporaryDirectory() as scratch:
            backup = Path(scratch) / "locale"
            shutil.copytree(locale_dir, backup)
            try:
                call_command("makemessages", all=True, no_obsolete=True, ignore_patterns=IGNORE, verbosity=0)
                call_command(
                    "makemessages",
                    all=True,
                    no_obsolete=True,
                    domain="djangojs",
                    ignore_patterns=IGNORE,
                    verbosity=0,
                )
                for language in languages:
                    for domain in DOMAINS:
                        fresh = _ids(locale_dir / language / "LC_MESSAGES" / f"{domain}.po")
                        kept = _ids(backup / language / "LC_MESSAGES" / f"{domain}.po")
                        for missing in sorted(map(str, fresh - kept))[:20]:
                            problems.append(
                                f"{language}/{domain}.po: not extracted yet (run `make messages`): {missing!r}"
                            )
                        for stale in sorted(map(str, kept - fresh))[:20]:
                            problems.append(f"{language}/{domain}.po: no longer in the code: {stale!r}")
            finally:
                shutil.rmtree(locale_dir)
                shutil.copytree(backup, locale_dir)

        if problems:
            for problem in problems[:200]:
                self.stderr.write(problem)
            raise CommandError(f"{len(problems)} translation problem(s).")
        self.stdout.write(self.style.SUCCESS(f"Translations complete for {', '.join(languages)}."))
