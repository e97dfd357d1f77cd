"""Both bench commands print a table and keep the same figures as JSON in benchmarks/results/
(git-ignored), so that two runs can be compared: `<kind>-<UTC time>.json` and `<kind>-latest.json`."""

from __future__ import annotations

import json
import os
import platform
from datetime import UTC, datetime
from pathlib import Path

RESULTS_DIR = Path(__file__).resolve().parent / "results"


# The planner settings production's PostgreSQL runs with (docker-compose.yml, `postgres` command):
# the data sits on SSD and mostly in memory, so a random page read costs little more than a
# sequential one. With the default 4.0 the planner walked the primary key backwards through another
# company's 50,000 subscriptions (13 ms) instead of the (company, -id) index (0.05 ms).
PLANNER_SETTINGS = {"random_page_cost": "1.1"}


def ensure_database() -> None:
    """Creates the bench database when the server does not have it yet (a fresh machine), and gives
    it production's planner settings, so the bench measures the plans production gets."""
    from django.db import connection
    from django.db.utils import OperationalError

    name = connection.settings_dict["NAME"]
    try:
        connection.ensure_connection()
    except OperationalError as error:
        if "does not exist" not in str(error):
            raise
        with connection._nodb_cursor() as cursor:
            cursor.execute(f"CREATE DATABASE {connection.ops.quote_name(name)}")
    with connection.cursor() as cursor:
        for setting, value in PLANNER_SETTINGS.items():
            cursor.execute(f"ALTER DATABASE {connection.ops.quote_name(name)} SET {setting} = {value}")
    connection.close()  # the next connection starts with them


def machine() -> dict:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as info:
            names = [line.split(":", 1)[1].strip() for line in info if line.startswith("model name")]
        cpu = names[0] if names else cpu
    except OSError:
        pass
    return {
        "host": platform.node(),
        "cpu": cpu,
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "load_average": os.getloadavg(),
    }


def write(kind: str, rows: list[tuple], header: tuple[str, ...], extra: dict | None = None) -> Path:
    RESULTS_DIR.mkdir(exist_ok=True)
    now = datetime.now(UTC)
    document = {
        "kind": kind,
        "measured_at": now.isoformat(timespec="seconds"),
        "machine": machine(),
        "rows": [dict(zip(header, (str(cell) for cell in row), strict=True)) for row in rows],
        **(extra or {}),
    }
    text = json.dumps(document, indent=2, ensure_ascii=False)
    path = RESULTS_DIR / f"{kind}-{now:%Y%m%dT%H%M%SZ}.json"
    path.write_text(text)
    (RESULTS_DIR / f"{kind}-latest.json").write_text(text)
    return path


def table(rows: list[tuple], header: tuple[str, ...]) -> list[str]:
    """Rows as aligned text lines, the header underlined."""
    cells = [header] + [tuple(str(cell) for cell in row) for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
    lines = []
    for index, row in enumerate(cells):
        lines.append("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip())
        if index == 0:
            lines.append("  ".join("-" * w for w in widths))
    return lines
