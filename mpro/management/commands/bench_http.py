"""`make bench-http`: the app under gunicorn (DEBUG=0) against a bare Django view, driven by wrk.

The driver lives in the top-level `benchmarks` package (`benchmarks.http`, imported by name, so
mpro imports no app). Prints a table and writes it as JSON to benchmarks/results/. Figures are
measured here, never asserted in tests."""

import importlib
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Throughput of the main endpoints under gunicorn, as a share of bare Django's (wrk, loopback)."

    def add_arguments(self, parser):
        parser.add_argument("--seconds", type=float, default=10, help="load per endpoint (default 10)")
        parser.add_argument("--connections", type=int, default=16, help="wrk connections (default 16)")
        parser.add_argument(
            "--workers", type=int, default=None, help="gunicorn workers (default: gunicorn.conf.py)"
        )
        parser.add_argument("--threads", type=int, default=None, help="threads per worker (gthread when > 1)")
        parser.add_argument("--only", default="", help="drive only the endpoints whose path contains this")

    def handle(self, *args, seconds, connections, only, workers, threads, **options):
        if not settings.USING_POSTGRES or not settings.REDIS_URL:
            raise CommandError("make bench-http runs on PostgreSQL and Redis: set DATABASE_URL and REDIS_URL")
        if not 1 <= connections <= 64 or not 1 <= seconds <= 60:
            raise CommandError("keep the load bounded: 1-64 connections, 1-60 seconds per endpoint")
        http = importlib.import_module("benchmarks.http")
        results = importlib.import_module("benchmarks.results")
        if not http.wrk_available():
            raise CommandError("wrk is not installed: apt-get install wrk (make bench-http tries that)")
        results.ensure_database()
        call_command("migrate", verbosity=0)
        started = time.perf_counter()
        rows, document = http.run(
            self.stdout, seconds=seconds, connections=connections, only=only, workers=workers, threads=threads
        )
        header = ("endpoint", "req/s", "p50 ms", "p99 ms", "errors", "of bare", "target")
        self.stdout.write("")
        for line in results.table(rows, header):
            self.stdout.write(line)
        for note in document["notes"]:
            self.stdout.write(f"note: {note}")
        machine = results.machine()
        self.stdout.write(
            f"\n({machine['cores']} cores, {machine['cpu']}, load {machine['load_average'][0]:.1f}; "
            f"total {time.perf_counter() - started:.0f} s)"
        )
        path = results.write("http", rows, header, document)
        self.stdout.write(f"written to {path}")
