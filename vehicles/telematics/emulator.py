"""`EmulatedBackend`: stands in for the manufacturer's backend.

- latency: every call waits TELEMATICS_LATENCY_MS milliseconds (half before the backend acts,
  half after: the answer travels back);
- transient failures: a call fails with `TransientTelematicsError` with probability
  TELEMATICS_FAILURE_RATE, decided by a hash of (TELEMATICS_SEED, VIN, request id, attempt), so the
  same inputs always give the same answer; a report times out the same way per (VIN, minute);
- vans without a module: a VIN whose serial number (its last six characters) starts with "9" has
  no communication module: `module_state` says so, activation fails with
  `PermanentTelematicsError` at once, and it never reports;
- idempotency: an activation or deactivation with a request id it has already handled does
  nothing, like a real backend that deduplicates requests;
- reports: `simulation.simulate` computes each van's state from its VIN and the time, plus what
  `manage.py emulator` asked for (`--set` overrides, `--trip` trips).

Its memory (`EmulatedModule`, the `EmulatorCall` journal) is written through its own database
connection (settings.TELEMATICS_DB_ALIAS) in autocommit, never inside the caller's transaction: a
worker killed mid-call rolls back mpro's work but not the backend's record of the call, which is
what lets the tests observe "exactly once" (see README, "The telematics emulator")."""

from __future__ import annotations

import datetime
import hashlib
import json
import time
from collections.abc import Sequence

from django.conf import settings
from django.db import connections, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .base import (
    ModuleState,
    NoAnswer,
    PermanentTelematicsError,
    Report,
    TelematicsBackend,
    TransientTelematicsError,
    has_module,
)

# Fields `--set` accepts besides those of a report: `online=false` makes the module stop answering.
EXTRA_FIELDS = {"online"}


def _db() -> str:
    return settings.TELEMATICS_DB_ALIAS


class EmulatedBackend(TelematicsBackend):
    def __init__(
        self, *, latency_ms: int | None = None, failure_rate: float | None = None, seed: str | None = None
    ):
        self.latency_ms = settings.TELEMATICS_LATENCY_MS if latency_ms is None else latency_ms
        self.failure_rate = settings.TELEMATICS_FAILURE_RATE if failure_rate is None else failure_rate
        self.seed = settings.TELEMATICS_SEED if seed is None else seed

    def _wait(self, share: float = 1.0) -> None:
        if self.latency_ms:
            time.sleep(self.latency_ms * share / 1000)

    def _fails(self, *parts) -> bool:
        if self.failure_rate <= 0:
            return False
        digest = hashlib.sha256("|".join(map(str, (self.seed, *parts))).encode()).digest()
        return int.from_bytes(digest[:8], "big") / 2**64 < self.failure_rate

    # --- modules --------------------------------------------------------------------------------
    def module_state(self, vin: str) -> ModuleState:
        from vehicles.models import EmulatedModule

        self._wait()
        if not has_module(vin):
            return ModuleState(present=False, active=False)
        module = EmulatedModule.objects.using(_db()).filter(vin=vin).first()
        services = frozenset(module.active_services) if module else frozenset()
        return ModuleState(present=True, active=bool(services), services=services)

    def _journal(self, vin: str, operation: str, request_id: str, attempt: int, outcome: str) -> None:
        from vehicles.models import EmulatorCall

        EmulatorCall.objects.using(_db()).create(
            vin=vin, operation=operation, request_id=request_id, attempt=attempt, outcome=outcome
        )

    def _change(
        self, vin: str, services: list[str], *, request_id: str, attempt: int, enable: bool
    ) -> ModuleState:
        operation = "activate" if enable else "deactivate"
        self._wait(0.5)
        if not has_module(vin):
            self._journal(vin, operation, request_id, attempt, "no_module")
            raise PermanentTelematicsError(
                _("This van has no communication module, so connected services cannot run on it.")
            )
        if self._fails(vin, request_id, attempt):
            self._journal(vin, operation, request_id, attempt, "transient_failure")
            self._wait(0.5)
            raise TransientTelematicsError(_("The vehicle's communication module did not answer in time."))
        if connections[_db()].vendor == "postgresql":
            services_now = _change_in_one_statement(
                vin, services, request_id=request_id, attempt=attempt, enable=enable
            )
        else:
            services_now = self._change_locked(
                vin, services, request_id=request_id, attempt=attempt, enable=enable
            )
        self._wait(0.5)
        return ModuleState(present=True, active=bool(services_now), services=frozenset(services_now))

    def _change_locked(
        self, vin: str, services: list[str], *, request_id: str, attempt: int, enable: bool
    ) -> list[str]:
        with transaction.atomic(using=_db()):
            module = _locked_module(vin)
            duplicate = request_id in module.handled_requests
            if not duplicate:
                current = set(module.active_services)
                if enable:
                    current |= set(services)
                    module.activations += 1
                else:
                    current -= set(services)
                    module.deactivations += 1
                module.active_services = sorted(current)
                module.handled_requests = [*module.handled_requests[-49:], request_id]
                module.save(using=_db())
            operation = "activate" if enable else "deactivate"
            self._journal(vin, operation, request_id, attempt, "duplicate" if duplicate else "handled")
        return module.active_services

    def activate(self, vin: str, services: list[str], *, request_id: str, attempt: int = 0) -> ModuleState:
        return self._change(vin, services, request_id=request_id, attempt=attempt, enable=True)

    def deactivate(self, vin: str, services: list[str], *, request_id: str, attempt: int = 0) -> ModuleState:
        return self._change(vin, services, request_id=request_id, attempt=attempt, enable=False)

    # --- reports --------------------------------------------------------------------------------
    def fetch_reports(self, vins: Sequence[str], *, at: datetime.datetime) -> list[Report | NoAnswer]:
        """One batch, three queries whatever its size: the vans, their modules, their towns.
        A whole batch waits one latency, as one request to the backend would."""

        from . import simulation, towns

        self._wait()
        modules = {m["vin"]: m for m in _modules(list(vins))}
        vans = _vans(list(modules))
        minute = int(at.timestamp() // 60)
        sim_at = simulated_time(at)
        answers: list[Report | NoAnswer] = []
        for vin, fuel, city, country in vans:
            module = modules[vin]
            if not module["active_services"] or not has_module(vin):
                continue  # a module that is off does not report
            overrides = module["overrides"] or {}
            if overrides.get("online") is False or self._fails(vin, "report", minute):
                answers.append(NoAnswer(vin))
                continue
            answers.append(
                simulation.simulate(
                    vin,
                    electric=fuel == "electric",
                    home=towns.home_of(vin, city, country),
                    at=at,
                    manual_trips=module["manual_trips"] or [],
                    service_reset=(module["service_reset_km"], module["service_reset_on"]),
                    overrides=overrides,
                    sim_at=sim_at,
                )
            )
        return answers

    # --- commands -------------------------------------------------------------------------------
    def send_command(self, vin: str, kind: str, params: dict, *, request_id: str, attempt: int = 0) -> str:
        """Lock / unlock set `doors_locked`, charge start / stop set `charging`, precondition plans
        the cabin's temperature (see simulation.precondition). A request id already handled is
        answered again without acting twice (the journal says `duplicate`)."""
        from vehicles.models import EmulatedModule

        self._wait(0.5)
        if not has_module(vin):
            self._journal(vin, kind, request_id, attempt, "no_module")
            raise PermanentTelematicsError(
                _("This van has no communication module, so connected services cannot run on it.")
            )
        if self._fails(vin, "command", request_id, attempt):
            self._journal(vin, kind, request_id, attempt, "transient_failure")
            self._wait(0.5)
            raise TransientTelematicsError(_("The vehicle's communication module did not answer in time."))
        with transaction.atomic(using=_db()):
            module, _created = EmulatedModule.objects.using(_db()).select_for_update().get_or_create(vin=vin)
            overrides = dict(module.overrides or {})
            offline = overrides.get("online") is False
            duplicate = request_id in module.handled_requests
            if offline:
                pass
            elif not duplicate:
                overrides.update(_command_effect(kind, params))
                module.overrides = overrides
                module.handled_requests = [*module.handled_requests[-49:], request_id]
                module.save(using=_db())
            outcome = "transient_failure" if offline else "duplicate" if duplicate else "handled"
            self._journal(vin, kind, request_id, attempt, outcome)
        self._wait(0.5)
        if offline:  # the van is out of reach: the backend cannot deliver it
            raise TransientTelematicsError(_("The vehicle's communication module did not answer in time."))
        return request_id

    # --- what `manage.py emulator` and the workshop do ------------------------------------------
    def set_fields(self, vin: str, fields: dict) -> dict:
        """Overrides report fields (None clears one). Returns the overrides now in force."""
        from vehicles.models import EmulatedModule

        with transaction.atomic(using=_db()):
            module, _created = EmulatedModule.objects.using(_db()).select_for_update().get_or_create(vin=vin)
            overrides = dict(module.overrides or {})
            for name, value in fields.items():
                if value is None:
                    overrides.pop(name, None)
                else:
                    overrides[name] = value
            module.overrides = overrides
            module.save(using=_db())
        return overrides

    def drive_trip(
        self, vin: str, *, km: float, minutes: float, start: datetime.datetime | None = None
    ) -> dict:
        """Drives a trip now: ignition on, moving for `minutes`, ignition off `km` further."""
        from vehicles.models import EmulatedModule

        start = start or timezone.now()
        bearing = int(hashlib.sha256(f"{vin}|{start.isoformat()}".encode()).digest()[0]) * 360 // 256
        trip = {"start": start.timestamp(), "km": float(km), "minutes": float(minutes), "bearing": bearing}
        with transaction.atomic(using=_db()):
            module, _created = EmulatedModule.objects.using(_db()).select_for_update().get_or_create(vin=vin)
            trips = [*(module.manual_trips or []), trip]
            if len(trips) > 50:  # the oldest fold into one, so their kilometres stay on the odometer
                first, second, *rest = trips
                trips = [{**first, "km": first["km"] + second["km"], "minutes": 0}, *rest]
            module.manual_trips = trips
            module.save(using=_db())
        return trip

    def record_service(self, vin: str, *, odometer_km: float, performed_on: datetime.date) -> None:
        """A workshop serviced the van: its service-due counters start again from here."""
        from vehicles.models import EmulatedModule

        with transaction.atomic(using=_db()):
            module, _created = EmulatedModule.objects.using(_db()).select_for_update().get_or_create(vin=vin)
            module.service_reset_km = odometer_km
            module.service_reset_on = performed_on
            # Counters pinned by `manage.py emulator --set` give way to the service just performed.
            overrides = dict(module.overrides or {})
            overrides.pop("service_due_days", None)
            overrides.pop("service_due_km", None)
            module.overrides = overrides
            module.save(using=_db())


def _locked_module(vin: str):
    """The VIN's module, created if new, locked until the transaction ends: an insert that does
    nothing when the module exists, then a locking read (two statements; `get_or_create` costs
    four, with its savepoint)."""
    from vehicles.models import EmulatedModule

    modules = EmulatedModule.objects.using(_db())
    modules.bulk_create([EmulatedModule(vin=vin)], ignore_conflicts=True)
    return modules.select_for_update().get(vin=vin)


# `_change_locked` in one statement (PostgreSQL): create the module if new, or change it unless it
# already handled the request id (the row is locked by the upsert, and PostgreSQL re-reads it
# when another call changed it meanwhile), and journal the call as handled or duplicate. The
# services stay sorted by code point, as Python's sorted() keeps them.
_CHANGE_SQL = """
WITH changed AS (
    INSERT INTO {module} AS m (vin, active_services, activations, deactivations, handled_requests,
                               overrides, manual_trips, updated_at)
    VALUES (%(vin)s, %(fresh)s::jsonb, %(activations)s, %(deactivations)s, %(handled)s::jsonb,
            '{{}}'::jsonb, '[]'::jsonb, %(now)s)
    ON CONFLICT (vin) DO UPDATE SET
        active_services = (
            SELECT COALESCE(jsonb_agg(code ORDER BY code COLLATE "C"), '[]'::jsonb) FROM (
                SELECT jsonb_array_elements_text(m.active_services) AS code
                {combine}
                SELECT jsonb_array_elements_text(%(services)s::jsonb)
            ) AS codes
        ),
        activations = m.activations + %(activations)s,
        deactivations = m.deactivations + %(deactivations)s,
        handled_requests = (
            SELECT COALESCE(jsonb_agg(handled ORDER BY n), '[]'::jsonb)
            FROM jsonb_array_elements(m.handled_requests) WITH ORDINALITY AS h(handled, n)
            WHERE n > jsonb_array_length(m.handled_requests) - 49
        ) || %(handled)s::jsonb,
        updated_at = %(now)s
    WHERE NOT m.handled_requests @> %(handled)s::jsonb
    RETURNING m.active_services
), journal AS (
    INSERT INTO {call} (vin, operation, request_id, attempt, outcome, received_at)
    SELECT %(vin)s, %(operation)s, %(request_id)s, %(attempt)s,
           CASE WHEN EXISTS (SELECT 1 FROM changed) THEN 'handled' ELSE 'duplicate' END, %(now)s
)
SELECT active_services FROM changed
UNION ALL
SELECT active_services FROM {module} WHERE vin = %(vin)s AND NOT EXISTS (SELECT 1 FROM changed)
"""


def _change_in_one_statement(
    vin: str, services: list[str], *, request_id: str, attempt: int, enable: bool
) -> list[str]:
    from vehicles.models import EmulatedModule, EmulatorCall

    sql = _CHANGE_SQL.format(
        module=EmulatedModule._meta.db_table,
        call=EmulatorCall._meta.db_table,
        combine="UNION" if enable else "EXCEPT",
    )
    params = {
        "vin": vin,
        "services": json.dumps(list(services)),
        "fresh": json.dumps(sorted(set(services)) if enable else []),
        "activations": 1 if enable else 0,
        "deactivations": 0 if enable else 1,
        "handled": json.dumps([request_id]),
        "operation": "activate" if enable else "deactivate",
        "request_id": request_id,
        "attempt": attempt,
        "now": timezone.now(),
    }
    with connections[_db()].cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    value = row[0] if row else []
    return json.loads(value) if isinstance(value, str) else value


def _command_effect(kind: str, params: dict) -> dict:
    if kind in ("lock", "unlock"):
        return {"doors_locked": kind == "lock"}
    if kind in ("charge_start", "charge_stop"):
        return {"charging": kind == "charge_start"}
    if kind == "precondition":
        target = float(params["target_temp_c"])
        if params.get("departure_days"):  # repeating: the van keeps the schedule until replaced
            repeat = {"time": params["departure_time"], "days": list(params["departure_days"])}
            return {"precondition": {"repeat": {**repeat, "tz": params["time_zone"]}, "target": target}}
        departure = datetime.datetime.fromisoformat(params["departure_at"]).timestamp()
        return {"precondition": {"departure": departure, "target": target}}
    raise PermanentTelematicsError(_("The van does not know this command."))


MODULE_COLUMNS = [
    "vin",
    "active_services",
    "overrides",
    "manual_trips",
    "service_reset_km",
    "service_reset_on",
]


def _modules(vins: list[str]) -> list[dict]:
    """The emulated modules of these VINs. On PostgreSQL one array parameter (Django's `vin__in`
    prepares every value one by one: a tenth of a second per batch of 2,000)."""
    from vehicles.models import EmulatedModule

    connection = connections[_db()]
    if connection.vendor != "postgresql":
        return list(EmulatedModule.objects.using(_db()).filter(vin__in=vins).values(*MODULE_COLUMNS))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {', '.join(MODULE_COLUMNS)} FROM {EmulatedModule._meta.db_table} WHERE vin = ANY(%s)",
            [vins],
        )
        rows = cursor.fetchall()
    # Django has psycopg2 return jsonb as text (its JSONField decodes it): decode it here, except
    # the empty values nearly every module has (decoding 150,000 of them cost a second a round).
    # The services lists are few distinct texts: decoded once each (read only).
    services: dict[str, list] = {}
    modules = []
    for row in rows:
        module = dict(zip(MODULE_COLUMNS, row, strict=True))
        value = module["active_services"]
        if isinstance(value, str):
            if value not in services:
                services[value] = json.loads(value)
            module["active_services"] = services[value]
        for name in ("overrides", "manual_trips"):
            value = module[name]
            if value == "[]" or value == "{}":
                module[name] = [] if value == "[]" else {}
            elif isinstance(value, str):
                module[name] = json.loads(value)
        modules.append(module)
    return modules


def _vans(vins: list[str]):
    """(vin, fuel, company town, company country) of the vans the backend knows by these VINs."""
    from django.db import connection

    from vehicles.models import Vehicle

    if connection.vendor != "postgresql":
        return Vehicle.objects.filter(vin__in=vins).values_list(
            "vin", "fuel", "company__city", "company__country"
        )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT v.vin, v.fuel, c.city, c.country FROM vehicles_vehicle v "
            "JOIN companies_company c ON c.id = v.company_id WHERE v.vin = ANY(%s)",
            [vins],
        )
        return cursor.fetchall()


def simulated_time(at: datetime.datetime) -> float:
    """The emulator's simulated time (a timestamp) at real time `at`: see EmulatorClock. Simulated
    time starts as real time the first time it is asked for."""
    from vehicles.models import EmulatorClock

    scale = settings.TELEMATICS_TIME_SCALE
    clock = EmulatorClock.objects.using(_db()).first()
    if clock is None or clock.scale != scale:
        with transaction.atomic(using=_db()):
            clock = EmulatorClock.objects.using(_db()).select_for_update().first()
            if clock is None:
                clock = EmulatorClock(scale=scale, real_anchor=at, sim_anchor=at)
            elif clock.scale != scale:
                sim_now = clock.sim_anchor + (at - clock.real_anchor) * clock.scale
                clock.real_anchor, clock.sim_anchor, clock.scale = at, sim_now, scale
            clock.save(using=_db())
    return clock.sim_anchor.timestamp() + (at - clock.real_anchor).total_seconds() * clock.scale
