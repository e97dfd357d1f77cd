from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import Attestation, DealerStaff, RetailRegistration, SupportPasswordAttempt, SupportSession


@admin.register(DealerStaff)
class DealerStaffAdmin(admin.ModelAdmin):
    """Staff accounts: pick (or create) the user first, then give them a dealer ID and outlet. The
    password is the user's own (set it on the user's admin page or with create_dealer_staff)."""

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
    raw_id_fields = ["user"]

    @admin.display(description=_("name"))
    def name(self, staff: DealerStaff) -> str:
        return staff.user.get_full_name()

    @admin.display(description=_("e-mail"))
    def email(self, staff: DealerStaff) -> str:
        return staff.user.email

    def save_model(self, request, obj, form, change):
        obj.d5_id = obj.d5_id.strip().upper()
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
