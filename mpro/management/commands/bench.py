"""`make bench`: seeds realistic volumes on PostgreSQL and prints a table of figures.

Each app contributes a `bench.py` with `run(stdout) -> list[Row]`; a row is
(area, measure, value, unit, target). Figures are measured here, never asserted in tests."""

import importlib
import resource
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

AREAS = ["vehicles.bench", "packs.bench", "retail.bench"]


class Command(BaseCommand):
    help = "Seed realistic volumes and print speed and memory figures (PostgreSQL)."

    def add_arguments(self, parser):
        parser.add_argument("--only", help="run one area: vehicles, packs or retail")

    def handle(self, *args, only=None, **options):
        if not settings.USING_POSTGRES:
            raise CommandError("make bench measures on PostgreSQL: set DATABASE_URL=postgres://...")
        call_command("migrate", verbosity=0)
        rows = []
        started = time.perf_counter()
        for module_name in AREAS:
            if only and not module_name.startswith(only):
                continue
            try:
                module = importlib.import_module(module_name)
            except ModuleNotFoundError:
                continue
            self.stdout.write(f"running {module_name} ...")
            rows += module.run(self.stdout)
            # ru_maxrss is in KiB on Linux: the high-water mark of this process so far.
            peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            rows.append((module_name.split(".")[0], "peak memory of the bench process so far", f"{peak_mib:.0f}",
                         "MiB", "< 1024"))
        header = ("area", "measure", "value", "unit", "target")
        table = [header] + [tuple(str(cell) for cell in row) for row in rows]
        widths = [max(len(r[i]) for r in table) for i in range(len(header))]
        self.stdout.write("")
        for index, row in enumerate(table):
            self.stdout.write("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)))
            if index == 0:
                self.stdout.write("  ".join("-" * w for w in widths))
        self.stdout.write(f"\n(total {time.perf_counter() - started:.1f} s)")
