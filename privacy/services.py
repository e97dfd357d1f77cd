"""Subject access, erasure and company closure, built from the registries in mpro.personal_data.

Each person and company plan is a dry run: what goes, what is anonymised, what stays and why, and
what blocks it. Erasing and closing run the same steps in one transaction."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from companies.audit import Actor, record
from companies.models import Company, Membership
from mpro import personal_data as pd
from mpro.errors import ConflictError, DomainError
from packs.models import Subscription


@dataclass
class Plan:
    items: list[pd.Item] = field(default_factory=list)
    blockers: list = field(default_factory=list)

    @property
    def allowed(self) -> bool:
        return not self.blockers

    def as_dict(self) -> dict:
        return {
            "allowed": self.allowed,
            "blockers": [str(b) for b in self.blockers],
            "items": [
                {"what": str(i.label), "count": i.count, "outcome": i.outcome, "why": str(i.why)}
                for i in self.items
            ],
        }


# --- subject access ------------------------------------------------------------------------------
def export_data(user) -> dict:
    sections = {s.key: s.collect(user) for s in pd.ordered(pd.SECTIONS)}
    return {
        "generated_at": timezone.now().isoformat(),
        "format": "mpro-personal-data/1",
        "sections": sections,
    }


def export_archive(*, user, actor: Actor) -> tuple[str, bytes]:
    """A zip with everything in one `mpro-personal-data.json` plus one file per section."""
    data = export_data(user)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mpro-personal-data.json", json.dumps(data, indent=2, ensure_ascii=False))
        for key, section in data["sections"].items():
            archive.writestr(f"sections/{key}.json", json.dumps(section, indent=2, ensure_ascii=False))
    membership = Membership.objects.select_related("company").filter(user=user).first()
    record(
        actor=actor,
        company=membership.company if membership else None,
        action="privacy.export_downloaded",
        target=user.email,
    )
    return f"mpro-personal-data-{timezone.now():%Y%m%d}.zip", buffer.getvalue()


# --- erasure of a person -------------------------------------------------------------------------
def pseudonym_for(user) -> str:
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:user:{user.pk}".encode()).hexdigest()[:10].upper()
    return f"Former user {digest}"


def account_erasure_plan(user) -> Plan:
    plan = Plan()
    for step in pd.ordered(pd.PERSON_STEPS):
        plan.items.extend(i for i in step.plan(user) if i.count)
        if step.blockers:
            plan.blockers.extend(step.blockers(user))
    return plan


def account_erase(*, user, actor: Actor) -> str:
    """Erases the person's account: their profile goes, the records the law keeps name a
    pseudonym. Refused (409) while a blocker stands. Returns the pseudonym."""
    with transaction.atomic():
        user = get_user_model().objects.select_for_update().get(pk=user.pk)
        plan = account_erasure_plan(user)
        if not plan.allowed:
            raise ConflictError(plan.blockers[0], code="erasure_blocked")
        ctx = pd.ErasureContext(
            actor=actor,
            pseudonym=pseudonym_for(user),
            email=user.email,
            names=[n for n in (user.get_full_name(), user.first_name, user.last_name) if len(n) > 1],
        )
        for step in pd.ordered(pd.PERSON_STEPS):
            if step.erase:
                step.erase(user, ctx)
        record(actor=Actor.system(), company=None, action="privacy.account_erased", target=ctx.pseudonym)
    return ctx.pseudonym


# --- closing a company ---------------------------------------------------------------------------
def company_closure_plan(company: Company) -> Plan:
    plan = Plan()
    live = Subscription.objects.for_company(company).live().count()
    if live:
        plan.blockers.append(
            _(
                "%(count)s subscriptions are still running. Cancel them and wait until they have ended: "
                "the company's data is deleted after the contract period."
            )
            % {"count": live}
        )
    for step in pd.ordered(pd.COMPANY_STEPS):
        plan.items.extend(i for i in step.plan(company) if i.count)
        if step.blockers:
            plan.blockers.extend(step.blockers(company))
    return plan


def company_close(*, company: Company, actor: Actor, confirm_pro_id: str) -> None:
    """Deletes the company and everything it owns; its activity log is kept, detached, until its
    retention ends. The administrator confirms by typing the PRO ID."""
    if (confirm_pro_id or "").strip().upper() != company.pro_id:
        raise DomainError(_("Type the company's PRO ID to confirm."), field="confirm_pro_id")
    with transaction.atomic():
        company = Company.objects.select_for_update().get(pk=company.pk)
        plan = company_closure_plan(company)
        if not plan.allowed:
            raise ConflictError(plan.blockers[0], code="closure_blocked")
        pro_id = company.pro_id
        ctx = pd.ErasureContext(actor=actor, pseudonym="")
        for step in pd.ordered(pd.COMPANY_STEPS):
            if step.erase:
                step.erase(company, ctx)
        record(actor=actor, company=None, action="privacy.company_closed", target=pro_id)
