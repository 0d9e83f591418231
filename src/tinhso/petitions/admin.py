"""Admin: routing rules are edited here (audited); petitions are read-only (they change only by actions)."""

from django.contrib import admin

from tinhso.core.admin_mixins import AuditedAdminMixin, ReadOnlyAdminMixin
from tinhso.petitions.models import Petition, RoutingRule


@admin.register(RoutingRule)
class RoutingRuleAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("position", "kind", "sector", "commune", "agency", "is_active")
    list_editable = ("is_active",)
    list_filter = ("is_active", "kind")
    ordering = ("position", "id")
    autocomplete_fields = ()
    raw_id_fields = ("sector", "commune", "agency")


@admin.register(Petition)
class PetitionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("code", "kind", "status", "agency", "received_at", "due_at")
    list_filter = ("status", "kind", "channel")
    search_fields = ("code",)
    # Personal data stays out of the admin list; the backoffice page logs each read.
    exclude = ("sender_name", "sender_phone", "sender_email", "sender_address", "search_text")
