from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from . import outbox
from .models import OutboxMessage


class StateFilter(admin.SimpleListFilter):
    title = _("state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("unpublished", _("not published")), ("undelivered", _("published, not delivered"))]

    def queryset(self, request, queryset):
        if self.value() == "unpublished":
            return queryset.filter(published_at__isnull=True)
        if self.value() == "undelivered":
            return queryset.filter(published_at__isnull=False, delivered_at__isnull=True)
        return queryset


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    """Operators see what waits for the broker and publish it again by hand (the sweeper does the
    same every minute)."""

    list_display = [
        "id",
        "kind",
        "company_id",
        "created_at",
        "published_at",
        "delivered_at",
        "attempts",
        "last_error",
    ]
    list_filter = [StateFilter, "kind"]
    search_fields = ["kind", "payload"]
    actions = ["publish_again"]
    readonly_fields = [f.name for f in OutboxMessage._meta.fields]

    @admin.action(description=_("Publish again"))
    def publish_again(self, request, queryset):
        ids = list(queryset.values_list("pk", flat=True))
        queryset.update(published_at=None)
        count = outbox.publish(ids)
        self.message_user(
            request,
            _("%(count)d of %(total)d published.") % {"count": count, "total": len(ids)},
            messages.INFO,
        )
