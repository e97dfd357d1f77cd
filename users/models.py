import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.hashers import check_password, make_password
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra)

    def get_by_natural_key(self, email: str):
        return self.get(email__iexact=email)


class LicenceCategory(models.TextChoices):
    NONE = "", _("None")
    B = "B", "B"
    BE = "BE", "BE"
    C1 = "C1", "C1"
    C1E = "C1E", "C1E"
    C = "C", "C"
    CE = "CE", "CE"
    D1 = "D1", "D1"
    D = "D", "D"


class VerificationStatus(models.TextChoices):
    UNVERIFIED = "unverified", _("Not verified")
    VERIFIED = "verified", _("Verified")
    REJECTED = "rejected", _("Rejected")


class IdentityMode(models.TextChoices):
    ID_CARD = "id_card", _("ID card")
    PASSPORT = "passport", _("Passport")
    PERSONALLY_KNOWN = "personally_known", _("Personally known to the dealer")


class Verification(models.Model):
    """A dealer's check of a company, a person or a vehicle: unverified → verified | rejected.

    Activation waits for the company, its first administrator and the van to be verified
    (`companies.selectors.company_blockers`, `vehicles.selectors.activation_blockers`). The writes
    below only set the fields; the services around them lock the row, audit and release."""

    VERIFICATION_FIELDS = ("verification_status", "verified_at", "verified_by", "rejection_reason")

    verification_status = models.CharField(
        max_length=10, choices=VerificationStatus.choices, default=VerificationStatus.UNVERIFIED
    )
    verified_at = models.DateTimeField(null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    rejection_reason = models.TextField(blank=True)

    class Meta:
        abstract = True

    @property
    def is_verified(self) -> bool:
        return self.verification_status == VerificationStatus.VERIFIED

    def _set_verification(self, status: str, *, by, reason: str, save: bool, also: tuple = ()) -> None:
        self.verification_status = status
        self.verified_at = timezone.now() if status == VerificationStatus.VERIFIED else None
        self.verified_by = by if status == VerificationStatus.VERIFIED else None
        self.rejection_reason = reason
        if save:
            self.save(update_fields=[*self.VERIFICATION_FIELDS, *also])

    def mark_verified(self, *, by, save: bool = True) -> None:
        self._set_verification(VerificationStatus.VERIFIED, by=by, reason="", save=save)

    def mark_rejected(self, *, reason: str, save: bool = True) -> None:
        self._set_verification(VerificationStatus.REJECTED, by=None, reason=reason, save=save)

    def reset_verification(self, *, save: bool = True) -> None:
        """Back to unverified (a van moving to another company is checked again)."""
        self._set_verification(VerificationStatus.UNVERIFIED, by=None, reason="", save=save)


class User(AbstractBaseUser, Verification, PermissionsMixin):
    """A person. Logs in by e-mail; belongs to at most one company (companies.Membership)."""

    email = models.EmailField(_("e-mail address"), max_length=254, unique=True)
    first_name = models.CharField(_("first name"), max_length=100, blank=True)
    last_name = models.CharField(_("last name"), max_length=100, blank=True)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    mobile = models.CharField(_("mobile"), max_length=20, blank=True)
    licence_category = models.CharField(
        _("driving-licence category"), max_length=3, choices=LicenceCategory.choices, blank=True
    )
    language = models.CharField(_("language"), max_length=2, choices=settings.LANGUAGES, default="en")
    # Hashed like a password; only its owner sets it, dealer staff type it in to act for the company.
    support_password = models.CharField(max_length=128, blank=True, editable=False)
    support_password_set_at = models.DateTimeField(null=True, blank=True, editable=False)

    # Identity check by a dealer (Verification: compared with an ID document, or known personally).
    verification_mode = models.CharField(max_length=20, choices=IdentityMode.choices, blank=True)
    # Set when a verified person changed name or date of birth (FAQ 8): until then the company's live
    # services keep running while the dealer checks the ID again; cleared by the next verification.
    verification_grace_until = models.DateTimeField(null=True, blank=True, editable=False)

    is_staff = models.BooleanField(_("admin site access"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        indexes = [models.Index(Lower("email"), name="user_email_lower_idx")]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    def save(self, *args, **kwargs):
        self.email = (self.email or "").strip().lower()
        super().save(*args, **kwargs)

    def get_full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def get_short_name(self) -> str:
        return self.first_name or self.email

    # The support password is a second secret of the user's: never stored or shown in clear.
    def set_support_password(self, raw: str) -> None:
        self.support_password = make_password(raw)
        self.support_password_set_at = timezone.now()

    def check_support_password(self, raw: str) -> bool:
        return bool(self.support_password) and check_password(raw, self.support_password)

    @property
    def has_support_password(self) -> bool:
        return bool(self.support_password)

    def mark_verified(self, *, by, mode: str = "", save: bool = True) -> None:
        """A person is verified in one of the IdentityMode ways (which ends any grace period)."""
        self.verification_mode = mode
        self.verification_grace_until = None
        self._set_verification(
            VerificationStatus.VERIFIED,
            by=by,
            reason="",
            save=save,
            also=("verification_mode", "verification_grace_until"),
        )

    @property
    def verification_grace_running(self) -> bool:
        """Unverified after a change of identity data, and still within the grace period."""
        return (
            self.verification_status != VerificationStatus.VERIFIED
            and self.verification_grace_until is not None
            and self.verification_grace_until > timezone.now()
        )

    def reset_verification_for_new_identity(self, *, grace_until, save: bool = True) -> None:
        """Name or date of birth no longer match what the dealer checked: unverified again, with the
        live services kept running until `grace_until`."""
        self.verification_mode = ""
        self.verification_grace_until = grace_until
        self._set_verification(
            VerificationStatus.UNVERIFIED,
            by=None,
            reason="",
            save=save,
            also=("verification_mode", "verification_grace_until"),
        )


def hash_token(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class ApiToken(models.Model):
    """A REST API token. The secret is shown once; only its SHA-256 is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(max_length=8, editable=False)
    created = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @classmethod
    def issue(cls, *, user: User, name: str) -> tuple["ApiToken", str]:
        secret = "mpro_" + secrets.token_urlsafe(32)
        token = cls.objects.create(user=user, name=name, key_hash=hash_token(secret), prefix=secret[5:13])
        return token, secret

    @classmethod
    def find(cls, secret: str) -> "ApiToken | None":
        # The caller's tenancy (companies.tenancy.TENANCY_RELATIONS) comes in the same query:
        # a token request then needs no second one to know its company and role.
        return (
            cls.objects.select_related("user__membership__company__default_workshop", "user__dealer_staff")
            .filter(key_hash=hash_token(secret))
            .first()
        )
