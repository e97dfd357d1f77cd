"""How the packs services hand work to the worker. Tasks are written to the outbox (mpro.outbox)
in the caller's transaction and published after commit, by task name (packs.tasks imports the
services, never the other way round): with the broker down the order still succeeds and its
activations are published by the sweeper when the broker is back (issue 17, item 6)."""

from __future__ import annotations

from mpro import outbox

# A mass activation (a dealer verifying a whole fleet) goes out in chunks of this many
# subscriptions per message; a chunk's rows are locked and written together (for at most
# activation.ACTIVATION_HOLD_SECONDS of backend calls a transaction), and each retries on its own.
ACTIVATION_CHUNK = 25


def enqueue_activations(ids: list[int], *, company_id: int | None = None) -> None:
    """One subscription: one task. Many: chunks of ACTIVATION_CHUNK per message, which cuts the
    broker traffic of a mass activation by that factor. Call inside the transaction that moved
    them to `activation_pending`."""
    if len(ids) == 1:
        outbox.enqueue("packs.tasks.subscription_activate", args=[ids[0]], company_id=company_id)
    elif ids:
        chunks = [[ids[i : i + ACTIVATION_CHUNK]] for i in range(0, len(ids), ACTIVATION_CHUNK)]
        outbox.enqueue_many("packs.tasks.subscriptions_activate", chunks, company_id=company_id)


def enqueue_deactivations(ids: list[int], *, company_id: int | None = None) -> None:
    outbox.enqueue_many("packs.tasks.subscription_deactivate", [[pk] for pk in ids], company_id=company_id)
