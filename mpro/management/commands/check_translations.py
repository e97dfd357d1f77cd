"""Fail when a translation is missing or fuzzy, or when a catalogue is out of date with the code.

Every catalogue folder counts: the project's `locale/` and each app's own `<app>/locale/`.
Out of date: running `make messages` would add or remove a message. The check runs makemessages
over copies of the catalogues and compares the message ids, so the tree is left as it was."""

import shutil
import tempfile
from pathlib import Path

from babel.messages.pofile import read_po
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from mpro.i18n import locale_dirs

DOMAINS = ("django", "djangojs")
IGNORE = [".venv", "staticfiles", "tests", "benchmarks", "node_modules"]


def _ids(path: Path) -> set:
    if not path.exists():
        return set()
    with path.open("rb") as fh:
        return {m.id if isinstance(m.id, str) else tuple(m.id) for m in read_po(fh) if m.id}


def _untranslated(po_path: Path) -> list[str]:
    with po_path.open("rb") as fh:
        catalog = read_po(fh)
    problems = []
    for message in catalog:
        if not message.id:
            continue
        label = message.id if isinstance(message.id, str) else message.id[0]
        strings = message.string if isinstance(message.string, tuple | list) else [message.string]
        if message.fuzzy:
            problems.append(f"{po_path}: fuzzy: {label!r}")
        elif not all(strings):
            problems.append(f"{po_path}: untranslated: {label!r}")
    return problems


def extract() -> None:
    """What `make messages` does: both domains, every language, no source locations (so that
    parallel branches merge their catalogues without conflicts over line numbers)."""
    for domain in DOMAINS:
        call_command(
            "makemessages",
            all=True,
            no_obsolete=True,
            no_location=True,
            domain=domain,
            ignore_patterns=IGNORE,
            verbosity=0,
        )


class Command(BaseCommand):
    help = "Check that every message is translated in every language and the catalogues match the code."

    def handle(self, *args, **options):
        languages = [code for code, _name in settings.LANGUAGES if code != "en"]
        dirs = locale_dirs()
        problems: list[str] = []
        for locale_dir in dirs:
            for language in languages:
                for domain in DOMAINS:
                    po_path = locale_dir / language / "LC_MESSAGES" / f"{domain}.po"
                    if po_path.exists():
                        problems += _untranslated(po_path)
                    elif domain == "django" and locale_dir == dirs[0]:
                        problems.append(f"{po_path}: missing")

        # Up to date with the code: extract again and compare, then put every catalogue back.
        with tempfile.TemporaryDirectory() as scratch:
            backups = {d: Path(scratch) / str(i) for i, d in enumerate(dirs)}
            for locale_dir, backup in backups.items():
                shutil.copytree(locale_dir, backup)
            try:
                extract()
                for locale_dir, backup in backups.items():
                    for language in languages:
                        for domain in DOMAINS:
                            relative = Path(language) / "LC_MESSAGES" / f"{domain}.po"
                            fresh = _ids(locale_dir / relative)
                            kept = _ids(backup / relative)
                            where = locale_dir.relative_to(Path(settings.BASE_DIR).resolve()) / relative
                            for missing in sorted(map(str, fresh - kept))[:20]:
                                problems.append(
                                    f"{where}: not extracted yet (run `make messages`): {missing!r}"
                                )
                            for stale in sorted(map(str, kept - fresh))[:20]:
                                problems.append(f"{where}: no longer in the code: {stale!r}")
            finally:
                for locale_dir, backup in backups.items():
                    shutil.rmtree(locale_dir)
                    shutil.copytree(backup, locale_dir)

        if problems:
            for problem in problems[:200]:
                self.stderr.write(problem)
            raise CommandError(f"{len(problems)} translation problem(s).")
        self.stdout.write(self.style.SUCCESS(f"Translations complete for {', '.join(languages)}."))
