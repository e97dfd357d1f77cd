from django.conf import settings
from django.db import models
from django.db.models.functions import Upper
from django.utils.translation import gettext_lazy as _

from users.models import Verification, VerificationStatus

from .windows import window_label


class Country(models.TextChoices):
    """The markets mpro serves. A company's country is fixed once it is registered."""

    AT = "AT", _("Austria")
    BE = "BE", _("Belgium")
    DE = "DE", _("Germany")
    DK = "DK", _("Denmark")
    ES = "ES", _("Spain")
    FR = "FR", _("France")
    GB = "GB", _("United Kingdom")
    IT = "IT", _("Italy")
    NL = "NL", _("Netherlands")


class Dealer(models.Model):
    """An outlet of the dealer network; also the after-sales workshops customers choose from."""

    code = models.CharField(_("dealer code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=200)
    street = models.CharField(_("street"), max_length=200)
    postal_code = models.CharField(_("postal code"), max_length=10)
    city = models.CharField(_("city"), max_length=100)
    country = models.CharField(_("country"), max_length=2, choices=Country.choices)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    # [[first weekday, last weekday, "opens", "closes"], ...], weekdays 0 = Monday: language-neutral,
    # written out in the reader's language by `opening_hours_lines`.
    opening_hours = models.JSONField(_("opening hours"), default=list, blank=True)

    class Meta:
        ordering = ["country", "city", "name"]
        indexes = [
            models.Index(Upper("name"), name="dealer_name_upper_idx"),
            models.Index(fields=["postal_code"], name="dealer_postal_idx"),
            models.Index(Upper("city"), name="dealer_city_upper_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.name}, {self.city} ({self.code})"

    @property
    def time_zone_name(self) -> str:
        from .timezones import for_country

        return for_country(self.country)

    def opening_hours_lines(self) -> list[str]:
        """["Mon–Fri 07:00–17:00", "Sat 08:00–12:00"], with the days in the active language."""
        from django.utils.dates import WEEKDAYS_ABBR

        lines = []
        for first, last, opens, closes in self.opening_hours or []:
            days = (
                str(WEEKDAYS_ABBR[first])
                if first == last
                else f"{WEEKDAYS_ABBR[first]}–{WEEKDAYS_ABBR[last]}"
            )
            lines.append(f"{days} {opens}–{closes}")
        return lines


class CompanyScopedQuerySet(models.QuerySet):
    """The one door to a company's data: every customer query starts from `for_company`."""

    def for_company(self, company: "Company"):
        return self.filter(company=company)


class CompanyQuerySet(models.QuerySet):
    def by_pro_id(self, pro_id: str):
        return self.filter(pro_id=pro_id)


class Company(Verification):
    """A customer. Identified by its PRO ID (PRO- and six upper-case letters)."""

    pro_id = models.CharField(_("PRO ID"), max_length=10, unique=True, editable=False)
    name = models.CharField(_("company name"), max_length=200)
    manager_name = models.CharField(_("manager name"), max_length=200)
    street = models.CharField(_("street"), max_length=200)
    postal_code = models.CharField(_("postal code"), max_length=10)
    city = models.CharField(_("city"), max_length=100)
    country = models.CharField(_("country"), max_length=2, choices=Country.choices)
    email = models.EmailField(_("company e-mail"), max_length=254)
    phone = models.CharField(_("company phone"), max_length=20)
    vat_number = models.CharField(_("VAT number"), max_length=20, blank=True)
    # Empty: the country's zone (companies.timezones). Pages show the company's times in this zone.
    time_zone = models.CharField(_("time zone"), max_length=64, blank=True)
    default_workshop = models.ForeignKey(
        Dealer,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("default workshop"),
    )
    # A change of name or address starts a new contract generation (see ContractGeneration).
    contract_generation = models.PositiveIntegerField(default=1, editable=False)

    created_at = models.DateTimeField(auto_now_add=True)

    objects = CompanyQuerySet.as_manager()

    class Meta:
        verbose_name = _("company")
        verbose_name_plural = _("companies")
        indexes = [
            # The dealer's "PRO ID unknown?" search: exact name + postal code + city, ignoring case.
            models.Index(Upper("name"), "postal_code", Upper("city"), name="company_name_place_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.pro_id})"

    @property
    def time_zone_name(self) -> str:
        """The zone the company's pages show times in: its own choice, else its country's."""
        from .timezones import for_country

        return self.time_zone or for_country(self.country)


class IssuedProId(models.Model):
    """Every PRO ID ever issued, so that none is reused even after a company is deleted."""

    pro_id = models.CharField(max_length=10, unique=True)
    issued_at = models.DateTimeField(auto_now_add=True)


class Role(models.TextChoices):
    ADMIN = "admin", _("Company administrator")
    FLEET_MANAGER = "fleet_manager", _("Fleet manager")
    DRIVER = "driver", _("Driver")


class InvitationStatus(models.TextChoices):
    PENDING = "pending", _("Invitation sent")
    ACCEPTED = "accepted", _("Active")


class MembershipManager(models.Manager.from_queryset(CompanyScopedQuerySet)):
    """People in companies: every membership that has a person (see `Membership.invitee_email`)."""

    # Fields nullable in the table but never empty in what this manager serves (the API schema
    # test reads it: a serializer over `objects` may declare `user.…` as non-null).
    never_null = frozenset({"user"})

    def get_queryset(self):
        return super().get_queryset().exclude(user=None)


class Membership(models.Model):
    """A person's role in a company. A user belongs to at most one company.

    An invitation to an address whose account cannot join (it belongs to another company, or to
    dealer staff) is recorded like any other, as a pending membership without a user: the
    inviting company sees the same answer and the same list row as for anyone else (issue 17,
    item 15), and the person is told why at acceptance. Such a row lives only in the inviting
    company's member pages (`Membership.with_invitees`); `objects` leaves it out everywhere else."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.CASCADE, related_name="membership"
    )
    # The invited address and names while `user` is empty (see above).
    invitee_email = models.EmailField(blank=True)
    invitee_first_name = models.CharField(max_length=150, blank=True)
    invitee_last_name = models.CharField(max_length=150, blank=True)
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    invitation_status = models.CharField(
        max_length=10, choices=InvitationStatus.choices, default=InvitationStatus.ACCEPTED
    )
    # The first administrator is the person the dealer must verify before anything activates.
    is_primary_admin = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MembershipManager()
    with_invitees = CompanyScopedQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["company", "role"], name="membership_company_role_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["company"], condition=models.Q(is_primary_admin=True), name="one_primary_admin"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} ({self.company.pro_id})"

    # What the company's member pages and API show of the person (the invitee's own data while
    # the membership has no user).
    @property
    def person_email(self) -> str:
        return self.user.email if self.user_id else self.invitee_email

    @property
    def person_first_name(self) -> str:
        return self.user.first_name if self.user_id else self.invitee_first_name

    @property
    def person_last_name(self) -> str:
        return self.user.last_name if self.user_id else self.invitee_last_name

    @property
    def person_full_name(self) -> str:
        return f"{self.person_first_name} {self.person_last_name}".strip()

    @property
    def person_verification_status(self) -> str:
        return self.user.verification_status if self.user_id else VerificationStatus.UNVERIFIED

    @property
    def is_accepted(self) -> bool:
        """An active membership: the tenancy of the user's requests (companies.tenancy)."""
        return self.invitation_status == InvitationStatus.ACCEPTED


class Invitation(models.Model):
    """A single-use, expiring link that lets an invited member set a password and join."""

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="invitations")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )


class TermsDocument(models.TextChoices):
    TERMS_OF_USE = "terms_of_use", _("Terms of use")
    PACK_TERMS = "pack_terms", _("Service pack terms")


class TermsAcceptance(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="terms_acceptances"
    )
    document = models.CharField(max_length=20, choices=TermsDocument.choices)
    version = models.CharField(max_length=20)
    accepted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "document", "version"], name="terms_accepted_once")
        ]


class ContractGeneration(models.Model):
    """A company's contract generation: base data as it stood when the generation started."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="contract_generations")
    number = models.PositiveIntegerField()
    started_at = models.DateTimeField(auto_now_add=True)
    base_data = models.JSONField(default=dict)

    class Meta:
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["company", "number"], name="generation_number_unique")]


class ActorKind(models.TextChoices):
    USER = "user", _("Customer")
    DEALER_STAFF = "dealer_staff", _("Dealer staff")
    SYSTEM = "system", _("System")


class AuditEvent(models.Model):
    """Who did what, when. Dealer staff events name the outlet and the attestation or support
    session they acted under."""

    company = models.ForeignKey(
        Company, null=True, blank=True, on_delete=models.CASCADE, related_name="events"
    )
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor_kind = models.CharField(max_length=15, choices=ActorKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_name = models.CharField(max_length=200, blank=True)
    dealer = models.ForeignKey(Dealer, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    acting_under = models.CharField(max_length=100, blank=True)
    action = models.CharField(max_length=60)
    target = models.CharField(max_length=200, blank=True)
    details = models.JSONField(default=dict, blank=True)

    objects = CompanyScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["company", "-at", "-id"], name="audit_company_at_idx"),
            models.Index(fields=["company", "target"], name="audit_company_target_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.target}"

    @property
    def acting_under_label(self) -> str:
        """`acting_under` in the reader's language (companies.windows)."""
        return window_label(self.acting_under)
