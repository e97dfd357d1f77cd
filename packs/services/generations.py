"""Contract generations: a change of the company's name or address starts a new one (FAQ 7), and
the live subscriptions move onto it. Orders keep the generation they were placed in."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from companies.audit import Actor, record
from companies.models import Company

from ..models import LIVE_STATUSES, Subscription


def subscriptions_move_to_generation(*, company: Company, generation: int, actor: Actor) -> int:
    """Moves the company's live subscriptions to contract generation `generation`; returns how many
    moved. Called inside companies.services.company_update's transaction (through the
    `contract_generation_started` signal), so the new generation and the move commit together."""
    with transaction.atomic():
        moved = (
            Subscription.objects.for_company(company)
            .filter(status__in=LIVE_STATUSES)
            .exclude(contract_generation=generation)
            .update(contract_generation=generation, updated_at=timezone.now())
        )
        if moved:
            record(
                actor=actor,
                company=company,
                action="subscriptions.moved_to_generation",
                target=company.pro_id,
                details={"generation": generation, "count": moved},
            )
    return moved


def on_contract_generation_started(
    sender, *, company: Company, generation: int, actor: Actor, **kwargs
) -> None:
    subscriptions_move_to_generation(company=company, generation=generation, actor=actor)
