"""`make bench`: seeds realistic volumes on PostgreSQL and prints a table of figures.

The areas live in the top-level `benchmarks` package (outside the production apps; imported by
name, so mpro imports no app), each with `run(stdout) -> list[Row]`; a row is
(area, measure, value, unit, target). Figures are measured here, never asserted in tests."""

import importlib
import resource
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

AREAS = ["benchmarks.vehicles", "benchmarks.packs", "benchmarks.retail", "benchmarks.telematics"]


class Command(BaseCommand):
    help = "Seed realistic volumes and print speed and memory figures (PostgreSQL)."

    def add_arguments(self, parser):
        parser.add_argument("--only", help="run one area: vehicles, packs, retail or telematics")

    def handle(self, *args, only=None, **options):
        if not settings.USING_POSTGRES:
            raise CommandError("make bench measures on PostgreSQL: set DATABASE_URL=postgres://...")
        importlib.import_module("benchmarks.results").ensure_database()
        call_command("migrate", verbosity=0)
        rows = []
        started = time.perf_counter()
        for module_name in AREAS:
            area = module_name.rpartition(".")[2]
            if only and area != only:
                continue
            try:
                module = importlib.import_module(module_name)
            except ModuleNotFoundError:
                continue
            self.stdout.write(f"running {module_name} ...")
            rows += module.run(self.stdout)
            # ru_maxrss is in KiB on Linux: the high-water mark of this process so far.
            peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            rows.append(
                (
                    area,
                    "peak memory of the bench process so far",
                    f"{peak_mib:.0f}",
                    "MiB",
                    "< 1024",
                )
            )
        header = ("area", "measure", "value", "unit", "target")
        results = importlib.import_module("benchmarks.results")
        self.stdout.write("")
        for line in results.table(rows, header):
            self.stdout.write(line)
        self.stdout.write(f"\n(total {time.perf_counter() - started:.1f} s)")
        self.stdout.write(f"written to {results.write('bench', rows, header, {'only': only})}")
