"""Admin pages of the shared kernel: all read-only; the outbox has a "retry now" action."""

from __future__ import annotations

from django.contrib import admin, messages

from tinhso.core.admin_mixins import ReadOnlyAdminMixin
from tinhso.core.events import outbox_retry
from tinhso.core.models import AuditEntry, EventDelivery, OutboxEvent, Sequence


class RetryPermissionMixin:
    def has_retry_permission(self, request):
        # The pages are read-only for everybody; retrying needs the (otherwise unused) change right.
        return request.user.has_perm("core.change_eventdelivery")


class ReadOnlyAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Counters, events and the audit log change only through their services."""


@admin.register(Sequence)
class SequenceAdmin(ReadOnlyAdmin):
    list_display = ("scope", "period", "value")
    search_fields = ("scope", "period")
    ordering = ("scope", "period")


class EventDeliveryInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = EventDelivery
    extra = 0
    can_delete = False
    fields = ("handler", "status", "attempts", "next_attempt_at", "done_at", "last_error")
    readonly_fields = fields


@admin.register(OutboxEvent)
class OutboxEventAdmin(RetryPermissionMixin, ReadOnlyAdmin):
    list_display = ("created_at", "name", "aggregate_type", "aggregate_id")
    list_filter = ("name",)
    search_fields = ("=id", "name", "aggregate_id")
    date_hierarchy = "created_at"
    inlines = [EventDeliveryInline]
    actions = ["retry_now"]

    @admin.action(description="Thử lại ngay các lượt chuyển chưa xong", permissions=["retry"])
    def retry_now(self, request, queryset):
        ids = list(EventDelivery.objects.filter(event__in=queryset).values_list("pk", flat=True))
        count = outbox_retry(actor=request.user, delivery_ids=ids)
        self.message_user(request, f"Đã đưa {count} lượt chuyển vào hàng đợi.", messages.SUCCESS)


@admin.register(EventDelivery)
class EventDeliveryAdmin(RetryPermissionMixin, ReadOnlyAdmin):
    list_display = ("event", "handler", "status", "attempts", "next_attempt_at", "done_at")
    list_filter = ("status", "handler")
    search_fields = ("handler", "=event__id", "event__name")
    list_select_related = ("event",)
    actions = ["retry_now"]

    @admin.action(description="Thử lại ngay", permissions=["retry"])
    def retry_now(self, request, queryset):
        count = outbox_retry(actor=request.user, delivery_ids=list(queryset.values_list("pk", flat=True)))
        self.message_user(request, f"Đã đưa {count} lượt chuyển vào hàng đợi.", messages.SUCCESS)


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ("seq", "at", "actor_label", "action", "target_type", "target_id")
    list_filter = ("action", "target_type")
    search_fields = ("=seq", "actor_label", "action", "=target_id")
    date_hierarchy = "at"
    readonly_fields = ("seq", "at", "actor", "actor_label", "action", "target_type", "target_id", "data",
                       "prev_hash", "hash")
