"""The production worker (`celery -A mpro worker`) registers production tasks only: the bench's
no-op and the tests' probe are registered by their own worker apps."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

LIST_TASKS = (
    "import django; django.setup(); from mpro.celery import app; "
    "app.loader.import_default_modules(); print('\\n'.join(sorted(app.tasks)))"
)


def _registered(app_module: str) -> set[str]:
    script = LIST_TASKS.replace("from mpro.celery import app", f"from {app_module} import app")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "mpro.settings", "REDIS_URL": ""}
    output = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    ).stdout
    return set(output.split())


def test_it_keeps_bench_and_test_tasks_out_of_the_production_worker():
    production = _registered("mpro.celery")
    assert any(name.startswith("packs.") for name in production)  # it does list the real ones
    assert not {name for name in production if name.startswith(("benchmarks.", "tests."))}
    assert not production & {"mpro.tasks.noop", "mpro.tasks.record_probe"}  # mpro.tasks: the outbox's only
    assert "benchmarks.tasks.noop" in _registered("benchmarks.worker_app")
    assert "tests.integration.tasks.record_probe" in _registered("tests.integration.worker_app")
