"""What the alerts app hears from the data path."""

from __future__ import annotations

import logging

from . import services

logger = logging.getLogger(__name__)


def on_reports_ingested(sender, batch, **kwargs) -> None:
    """Evaluates the stored batch (after its commit). A fixed number of queries per batch, so the
    reporting task stays quick; a failure here is logged and never undoes the stored reports."""
    try:
        outcome = services.alerts_evaluate(batch=batch)
    except Exception:
        logger.exception("alerts: evaluating a batch of %d reports failed", len(batch))
        return
    if outcome.raised or outcome.cleared:
        logger.info("alerts: %d raised, %d cleared", len(outcome.raised), outcome.cleared)
