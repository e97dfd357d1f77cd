"""Service packs: every write and business rule of buying, activating and ending subscriptions.

The portal pages, the REST API, the Retail site (dealer staff acting for a customer) and the
Celery tasks all call these functions. Each write runs in one transaction, records its AuditEvent
and enqueues its tasks on commit (`queue`, by task name). One module per job:

    ordering    the check of an order (also the review step) and the order itself
    activation  release after verification, activation through the backend, give up, retry
    ending      cancel (now or at period end), switch services off
    daily       the daily run: reminders, paid periods, renewals, expiry
    generations a new contract generation takes the live subscriptions along

Life of a subscription:
    awaiting_verification ──(company, primary administrator and vehicle verified)──▶ activation_pending
    activation_pending ──(task: backend says yes)──▶ active
                       ──(task: permanent error, or transient errors past the retry cap)──▶ activation_failed
    activation_failed ──(retry)──▶ activation_pending
    any live status ──(cancel)──▶ cancelled          (deactivation runs as a task)
    a live subscription with notice given ──(daily task, after its end date)──▶ expired
"""

from .activation import (
    activations_requeue,
    stale_activations,
    subscription_activate,
    subscription_activation_give_up,
    subscription_retry,
    subscriptions_activate,
    subscriptions_release,
)
from .daily import TRIAL_REMINDER_DAYS, subscriptions_daily
from .ending import (
    current_period_end,
    subscription_cancel,
    subscription_deactivate,
    subscriptions_cancel_for_vehicle,
)
from .generations import subscriptions_move_to_generation
from .ordering import (
    MAX_ORDER_VEHICLES,
    NotFoundError,
    OrderQuote,
    order_place,
    order_quote,
    order_terms_check,
    trial_end,
)

__all__ = [
    "MAX_ORDER_VEHICLES",
    "TRIAL_REMINDER_DAYS",
    "activations_requeue",
    "stale_activations",
    "NotFoundError",
    "OrderQuote",
    "current_period_end",
    "order_place",
    "order_quote",
    "order_terms_check",
    "subscription_activate",
    "subscription_activation_give_up",
    "subscription_cancel",
    "subscription_deactivate",
    "subscription_retry",
    "subscriptions_cancel_for_vehicle",
    "subscriptions_daily",
    "subscriptions_move_to_generation",
    "subscriptions_activate",
    "subscriptions_release",
    "trial_end",
]
