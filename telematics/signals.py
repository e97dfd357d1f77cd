"""What other apps hear from the data path, without telematics importing them.

`reports_ingested` is sent once per stored batch, after its transaction commits, with
`batch: list[IngestedReport]`. Trips listen for ignition changes, maintenance for service-due
counters, alerts for fuel / battery / geofences. Receivers must be quick or enqueue a task."""

from __future__ import annotations

from dataclasses import dataclass

from django.dispatch import Signal

from vehicles.telematics import Report

reports_ingested = Signal()


@dataclass(frozen=True, slots=True)
class IngestedReport:
    vehicle_id: int
    company_id: int
    report: Report
    # "on" / "off" when the ignition changed since the previous stored report (None otherwise;
    # a first report is a change when the ignition is on).
    ignition_change: str | None
    previous_odometer_km: float | None
    # True while the van's driver has private mode on (telematics.privacy): `report` then carries
    # the last position recorded before it, not where the van is.
    position_withheld: bool = False
