from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from . import services
from .models import Order, Pack, Price, Service, Subscription


class PriceInline(admin.TabularInline):
    model = Price
    extra = 0
    fields = ["country", "currency", "amount", "trial_months", "source"]


@admin.register(Pack)
class PackAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "is_bundle", "is_active", "sort_order"]
    list_editable = ["is_active", "sort_order"]
    filter_horizontal = ["services"]
    inlines = [PriceInline]
    search_fields = ["code", "name"]


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "requires_module", "fuels", "model_families", "sort_order"]
    search_fields = ["code", "name"]


@admin.register(Price)
class PriceAdmin(admin.ModelAdmin):
    list_display = ["pack", "country", "currency", "amount", "trial_months", "source"]
    list_editable = ["amount", "trial_months"]
    list_filter = ["country", "currency"]
    list_select_related = ["pack"]


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    list_display = ["id", "company", "pack", "placed_at", "placed_by_name", "total", "currency"]
    list_select_related = ["company", "pack"]
    raw_id_fields = ["company", "placed_by"]
    readonly_fields = ["placed_at"]


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    list_display = ["id", "company", "vehicle", "pack", "status", "trial_ends_at", "activated_at"]
    list_filter = ["status", "pack"]
    list_select_related = ["company", "vehicle", "pack"]
    raw_id_fields = ["order", "company", "vehicle"]
    search_fields = ["vehicle__vin", "company__pro_id"]
    actions = ["activate_again"]

    @admin.action(description=_("Enqueue the activation again (pending ones)"))
    def activate_again(self, request, queryset):
        """For activations stuck in `activation_pending` (the sweeper does the same every minute)."""
        count = services.activations_requeue(ids=list(queryset.values_list("pk", flat=True)))
        self.message_user(
            request, _("%(count)d activation(s) enqueued again.") % {"count": count}, messages.INFO
        )
