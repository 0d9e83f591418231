"""Admin of notifications: a read-only log with the action "Gửi lại" (resend), audited."""

from __future__ import annotations

from django.contrib import admin, messages

from tinhso.core.admin_mixins import ReadOnlyAdminMixin
from tinhso.notifications.models import Notification, OneTimeCode
from tinhso.notifications.services import notification_resend


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("created_at", "channel", "recipient", "subject", "kind", "status", "attempts", "sent_at")
    list_filter = ("channel", "status", "kind")
    search_fields = ("recipient", "subject", "=event_id", "kind")
    date_hierarchy = "created_at"
    list_select_related = ("user",)
    actions = ["resend"]

    def has_resend_permission(self, request):
        # The log is read-only for everybody; resending needs the (otherwise unused) change right.
        return request.user.has_perm("notifications.change_notification")

    @admin.action(description="Gửi lại các thông báo đã chọn", permissions=["resend"])
    def resend(self, request, queryset):
        count = notification_resend(actor=request.user, notification_ids=list(queryset.values_list("pk", flat=True)))
        self.message_user(request, f"Đã đưa {count} thông báo vào hàng đợi gửi lại.", messages.SUCCESS)


@admin.register(OneTimeCode)
class OneTimeCodeAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("created_at", "purpose", "destination", "channel", "expires_at", "attempts", "used_at")
    list_filter = ("purpose", "channel")
    search_fields = ("destination",)
    exclude = ("code_hash",)
