"""The shipped production set-up passes `check --deploy`, and an empty required setting stops the
start with a message that names it (issue 17, item 22)."""

import os
import re
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
SECRET = "compose-test-" + "k" * 60


def _manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    # Not the test process's own settings: and the browser tests set DJANGO_ALLOW_ASYNC_UNSAFE,
    # which check --deploy rightly refuses.
    dropped = ("DATABASE_URL", "REDIS_URL", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE")
    base = {k: v for k, v in os.environ.items() if k not in dropped}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def _compose_web_environment() -> dict[str, str]:
    """The web service's environment as docker compose fills it from an .env holding only the
    SECRET_KEY the file asks for: every other `${NAME:-default}` takes its default."""
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    environment = compose["services"]["web"]["environment"]

    def fill(value: str) -> str:
        value = re.sub(r"\$\{SECRET_KEY:\?[^}]*\}", SECRET, str(value))
        return re.sub(r"\$\{\w+:-([^}]*)\}", lambda m: m.group(1), value)

    return {name: fill(value) for name, value in environment.items()}


def test_it_ships_docker_compose_defaults_that_pass_the_deploy_check():
    env = _compose_web_environment()
    assert env["DEBUG"] == "0"
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stdout + result.stderr


def test_it_names_an_empty_database_url_instead_of_crashing():
    result = _manage("check", env={"DATABASE_URL": ""})
    assert result.returncode != 0
    assert "KeyError" not in result.stderr
    assert "DATABASE_URL is empty" in result.stderr


def test_it_names_a_database_url_it_cannot_read():
    result = _manage("check", env={"DATABASE_URL": "postgress://db/mpro"})
    assert result.returncode != 0
    assert "DATABASE_URL" in result.stderr and "postgres://" in result.stderr
    assert "Traceback" not in result.stderr.split("ImproperlyConfigured")[-1]


def test_it_names_other_empty_required_settings_in_production():
    base = {"DEBUG": "0", "SECRET_KEY": SECRET, "ALLOWED_HOSTS": "mpro.example"}
    for name in ("ALLOWED_HOSTS", "REDIS_URL"):
        result = _manage("check", env={**base, name: ""})
        assert result.returncode != 0, name
        assert f"{name} is empty" in result.stderr, (name, result.stderr[-500:])


def test_it_still_starts_for_development_without_any_setting():
    result = _manage("check", env={})
    assert result.returncode == 0, result.stderr


def test_the_benches_plan_queries_with_the_planner_settings_production_runs_with():
    """make bench and make bench-http set their database's planner costs from
    benchmarks.results.PLANNER_SETTINGS; production's PostgreSQL gets the same on its command line."""
    from benchmarks.results import PLANNER_SETTINGS

    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    command = compose["services"]["postgres"]["command"]
    given = dict(command[i + 1].split("=", 1) for i, word in enumerate(command) if word == "-c")
    assert PLANNER_SETTINGS and {k: given.get(k) for k in PLANNER_SETTINGS} == PLANNER_SETTINGS
