"""Receivers of the lower apps' signals (connected in MaintenanceConfig.ready()): telematics never
imports maintenance, vehicles neither."""

from __future__ import annotations

import logging

from . import services

logger = logging.getLogger(__name__)


def on_reports_ingested(sender, *, batch, **kwargs) -> None:
    """After a stored batch: vans that reached "soon" open a due item (their workshop is informed),
    vans back to "ok" close theirs. Sent after the batch's commit: a failure here is logged and
    the next report tries again; it never undoes the batch."""
    counters = {
        ingested.vehicle_id: (ingested.report.service_due_days, ingested.report.service_due_km)
        for ingested in batch
    }
    try:
        services.due_items_sync(counters=counters)
    except Exception:  # noqa: BLE001 (the data path must not stop for maintenance)
        logger.exception("maintenance: due items of a batch of %s vans not synced", len(counters))


def on_workshop_changed(sender, *, company, vehicle_ids, actor, **kwargs) -> None:
    """Inside the workshop change's transaction: open due items follow the new workshop."""
    services.due_items_move(vehicle_ids=vehicle_ids)
