"""Where the translation catalogues live.

The project catalogue is `locale/` (LOCALE_PATHS); an app that carries its own templates may also
carry its own `<app>/locale/`, which `makemessages` fills from that app's files and Django loads for
every installed app. Keeping a connected-service app's texts beside its code lets it grow without
touching the project catalogue."""

from pathlib import Path

from django.apps import apps
from django.conf import settings


def locale_dirs() -> list[Path]:
    """Every catalogue folder of the project: LOCALE_PATHS first, then each project app's own."""
    base = Path(settings.BASE_DIR).resolve()
    dirs = [Path(p).resolve() for p in settings.LOCALE_PATHS]
    for config in apps.get_app_configs():
        path = Path(config.path).resolve() / "locale"
        if path.is_dir() and path not in dirs and _is_ours(base, path):
            dirs.append(path)
    return dirs


def _is_ours(base: Path, path: Path) -> bool:
    """An app of this project, not one installed into .venv (which lies inside the project folder)."""
    if base not in path.parents:
        return False
    return not path.relative_to(base).parts[0].startswith(".")
