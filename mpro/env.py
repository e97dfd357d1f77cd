"""Reading the environment: the typed helpers every setting uses, and the database URL.

Every variable is listed in README.md ("Configuration"); mpro/settings.py reads them all through
these functions."""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def env_float(name: str, default: float) -> float:
    value = os.environ.get(name)
    return float(value) if value not in (None, "") else default


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


def env_not_blank(name: str, hint: str) -> None:
    """A variable that is set but empty (`DATABASE_URL=` in an .env file, a compose `${X:-}`) is a
    mistake, not a request for the development default: stop with a message that names it."""
    value = os.environ.get(name)
    if value is not None and not value.strip():
        raise ImproperlyConfigured(f"{name} is empty. {hint}")


def database_from_env(base_dir: Path) -> dict:
    """DATABASE_URL (default: the development SQLite file in `base_dir`), with the PostgreSQL
    options mpro runs with."""
    env_not_blank(
        "DATABASE_URL",
        "Set it to e.g. postgres://user:password@host:5432/mpro, or remove it to use the "
        "development SQLite file.",
    )
    try:
        database = dj_database_url.config(
            env="DATABASE_URL",
            default=f"sqlite:///{base_dir / 'db.sqlite3'}",
            conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
        )
    except ValueError as error:  # dj_database_url.UnknownSchemeError and malformed URLs
        raise ImproperlyConfigured(
            f"DATABASE_URL cannot be read ({error}). Expected e.g. postgres://user:password@host:5432/mpro."
        ) from None
    if database["ENGINE"].endswith("postgresql"):
        # django-prometheus's wrapper of the same backend counts queries and errors for /metrics
        # (PostgreSQL only: tools such as pytest-django recognise SQLite by its engine's name).
        database["ENGINE"] = "django_prometheus.db.backends.postgresql"
        # Behind PgBouncer in transaction pooling (docker-compose's `scale` profile), a connection
        # belongs to us only inside a transaction: server-side cursors (QuerySet.iterator() outside
        # an atomic block) would be lost between statements, so they must be off there.
        database["DISABLE_SERVER_SIDE_CURSORS"] = env_bool("DB_DISABLE_SERVER_SIDE_CURSORS", False)
    return database
