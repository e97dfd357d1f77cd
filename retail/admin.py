from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from companies.models import Dealer
from mpro.errors import DomainError

from .models import (
    Attestation,
    DealerStaff,
    RetailRegistration,
    SupportPasswordAttempt,
    SupportSession,
    normalize_d5_id,
)
from .services import dealer_staff_create


class DealerStaffCreationForm(forms.ModelForm):
    """Adding a staff member creates their login too (as `manage.py create_dealer_staff` does)."""

    email = forms.EmailField(label=_("E-mail"))
    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    password = forms.CharField(label=_("Password"), strip=False, widget=forms.PasswordInput)

    class Meta:
        model = DealerStaff
        fields = ["d5_id", "dealer"]

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        try:
            self.instance = dealer_staff_create(
                d5_id=cleaned["d5_id"],
                password=cleaned["password"],
                dealer_code=cleaned["dealer"].code,
                email=cleaned["email"],
                first_name=cleaned["first_name"],
                last_name=cleaned["last_name"],
            )
        except DomainError as error:
            field = {"d5_id_taken": "d5_id", "email_taken": "email"}.get(error.code, error.field)
            self.add_error(field if field in self.fields else None, str(error.message))
        return cleaned

    def validate_unique(self):
        # dealer_staff_create checked the dealer ID and created the row already.
        pass

    def save(self, commit=True):
        self.save_m2m = lambda: None
        return self.instance


@admin.register(DealerStaff)
class DealerStaffAdmin(admin.ModelAdmin):
    """Staff accounts. Adding one creates the person's login too; change its password with
    `manage.py changepassword <e-mail>`."""

    list_display = ["d5_id", "name", "email", "dealer"]
    list_select_related = ["user", "dealer"]
    search_fields = [
        "d5_id",
        "user__email",
        "user__first_name",
        "user__last_name",
        "dealer__code",
        "dealer__name",
    ]
    list_filter = ["dealer__country"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = DealerStaffCreationForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["d5_id", "dealer", "email", "first_name", "last_name", "password"]
        return ["user", "d5_id", "dealer"]

    def get_readonly_fields(self, request, obj=None):
        return ["user"] if obj is not None else []

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "dealer":
            kwargs["queryset"] = Dealer.objects.order_by("code")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description=_("name"))
    def name(self, staff: DealerStaff) -> str:
        return staff.user.get_full_name()

    @admin.display(description=_("e-mail"))
    def email(self, staff: DealerStaff) -> str:
        return staff.user.email

    def save_model(self, request, obj, form, change):
        obj.d5_id = normalize_d5_id(obj.d5_id)
        super().save_model(request, obj, form, change)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records of what happened: readable, never edited by hand."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Attestation)
class AttestationAdmin(ReadOnlyAdmin):
    list_display = ["id", "staff", "company", "created_at", "expires_at"]
    list_select_related = ["staff__user", "staff__dealer", "company"]
    search_fields = ["company__pro_id", "staff__d5_id"]


@admin.register(SupportSession)
class SupportSessionAdmin(ReadOnlyAdmin):
    list_display = ["id", "staff", "company", "created_at", "expires_at"]
    list_select_related = ["staff__user", "staff__dealer", "company"]
    search_fields = ["company__pro_id", "staff__d5_id"]


@admin.register(SupportPasswordAttempt)
class SupportPasswordAttemptAdmin(ReadOnlyAdmin):
    list_display = ["id", "staff", "company", "at", "succeeded", "blocked"]
    list_select_related = ["staff__user", "staff__dealer", "company"]
    list_filter = ["succeeded", "blocked"]
    search_fields = ["company__pro_id", "staff__d5_id"]


@admin.register(RetailRegistration)
class RetailRegistrationAdmin(ReadOnlyAdmin):
    list_display = ["company", "dealer", "staff", "created_at"]
    list_select_related = ["company", "dealer", "staff__user", "staff__dealer"]
    search_fields = ["company__pro_id", "company__name", "dealer__code"]
