from django.db.models import QuerySet

from .models import AuditEvent, Company, ContractGeneration, Membership


def primary_admin(company: Company):
    membership = (
        Membership.objects.select_related("user").filter(company=company, is_primary_admin=True).first()
    )
    return membership.user if membership else None


def members(company: Company) -> QuerySet[Membership]:
    return Membership.objects.for_company(company).select_related("user").order_by("created_at", "id")


def events(company: Company) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.for_company(company).select_related("dealer").order_by("-at", "-id")


def generations(company: Company) -> QuerySet[ContractGeneration]:
    return ContractGeneration.objects.filter(company=company).order_by("-number")


def verification_steps(company: Company) -> list[dict]:
    """What the dealer has verified and what is still open, for the company's notices."""
    admin = primary_admin(company)
    return [
        {"label": "company", "done": company.is_verified, "status": company.verification_status},
        {
            "label": "admin",
            "done": bool(admin and admin.verification_status == "verified"),
            "status": admin.verification_status if admin else "unverified",
            "user": admin,
        },
    ]
