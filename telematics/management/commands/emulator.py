"""`manage.py emulator`: drives the telematics emulator (API-CONNECTED.md, "The emulated module").

emulator --vin VIN --set FIELD=VALUE ...   override report fields (FIELD= clears one)
emulator --vin VIN --trip KM [--minutes M] drive a trip now
emulator --tick                            one reporting round of every reporting van
emulator --loop                            a round every TELEMATICS_REPORT_SECONDS (make run)
"""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from telematics import services
from vehicles.telematics import EmulatedBackend, get_backend
from vehicles.telematics.simulation import parse_setting
from vehicles.vin import normalize_vin


class Command(BaseCommand):
    help = "Drive the telematics emulator: set a van's fields, drive a trip, run reporting rounds."

    def add_arguments(self, parser):
        parser.add_argument("--vin")
        parser.add_argument("--set", nargs="+", metavar="FIELD=VALUE", dest="fields")
        parser.add_argument("--trip", type=float, metavar="KM")
        parser.add_argument("--minutes", type=float, help="how long the trip takes (default: at 40 km/h)")
        parser.add_argument("--tick", action="store_true")
        parser.add_argument("--loop", action="store_true")

    def handle(
        self, *args, vin=None, fields=None, trip=None, minutes=None, tick=False, loop=False, **options
    ):
        if not (fields or trip is not None or tick or loop):
            raise CommandError("Give --set, --trip, --tick or --loop (see --help).")
        if fields or trip is not None:
            backend = get_backend()
            if not isinstance(backend, EmulatedBackend):
                raise CommandError("The configured telematics backend is not the emulator.")
            if not vin:
                raise CommandError("--set and --trip need --vin.")
            vin = normalize_vin(vin)
            if fields:
                self._set(backend, vin, fields)
            if trip is not None:
                self._trip(backend, vin, trip, minutes)
        if tick:
            self._tick()
        if loop:
            self._loop()

    def _set(self, backend, vin: str, pairs: list[str]) -> None:
        fields = {}
        for pair in pairs:
            name, sep, raw = pair.partition("=")
            if not sep:
                raise CommandError(f"{pair!r}: write FIELD=VALUE")
            try:
                fields[name.strip()] = parse_setting(name.strip(), raw.strip())
            except ValueError as error:
                raise CommandError(str(error)) from None
        overrides = backend.set_fields(vin, fields)
        self.stdout.write(f"{vin}: {overrides or 'no overrides'}")

    def _trip(self, backend, vin: str, km: float, minutes: float | None) -> None:
        if km <= 0 or km > 2000:
            raise CommandError("--trip takes a distance between 0 and 2,000 km.")
        minutes = km / 40 * 60 if minutes is None else minutes
        if minutes < 0:
            raise CommandError("--minutes cannot be negative.")
        backend.drive_trip(vin, km=km, minutes=minutes)
        self.stdout.write(f"{vin}: driving {km:g} km in {minutes:g} min from now")

    def _tick(self) -> None:
        started = time.monotonic()
        outcome = services.reporting_round()
        self.stdout.write(
            f"round: {outcome.stored} stored, {outcome.readings} readings, {outcome.unreachable} unreachable, "
            f"{sum(outcome.rejected.values())} refused, {time.monotonic() - started:.2f} s"
        )

    def _loop(self) -> None:
        interval = settings.TELEMATICS_REPORT_SECONDS
        self.stdout.write(f"Reporting every {interval} s (Ctrl+C stops).")
        while True:
            started = time.monotonic()
            try:
                self._tick()
            except Exception as error:  # a bad round must not end the demo's loop
                self.stderr.write(f"round failed: {error}")
            time.sleep(max(1.0, interval - (time.monotonic() - started)))
