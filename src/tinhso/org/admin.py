"""Administration of units, agencies, departments and memberships, in Vietnamese.

Every save or delete made here is written to the audit log, like the services' own writes.
"""

from __future__ import annotations

from django.contrib import admin

from tinhso.core.admin_mixins import AuditedAdminMixin
from tinhso.org.models import AdministrativeUnit, Agency, Department, LegacyUnitMapping, Membership


class AuditedAdmin(AuditedAdminMixin, admin.ModelAdmin):
    pass


@admin.register(AdministrativeUnit)
class AdministrativeUnitAdmin(AuditedAdmin):
    list_display = ("code", "name", "kind", "parent", "dvc_code", "valid_from", "valid_to")
    list_filter = ("kind", ("valid_to", admin.EmptyFieldListFilter))
    search_fields = ("code", "name", "search_text", "dvc_code")
    list_select_related = ("parent",)
    autocomplete_fields = ("parent",)
    ordering = ("code",)


@admin.register(LegacyUnitMapping)
class LegacyUnitMappingAdmin(AuditedAdmin):
    list_display = ("old_unit", "new_unit", "note")
    search_fields = ("old_unit__name", "old_unit__code", "new_unit__name", "new_unit__code")
    list_select_related = ("old_unit", "new_unit")
    autocomplete_fields = ("old_unit", "new_unit")


class DepartmentInline(admin.TabularInline):
    model = Department
    extra = 0
    fields = ("code", "name", "is_active")


@admin.register(Agency)
class AgencyAdmin(AuditedAdmin):
    list_display = ("code", "identifier", "name", "level", "kind", "parent", "administrative_unit", "work_calendar",
                    "is_active")
    list_filter = ("level", "kind", "is_active")
    search_fields = ("code", "identifier", "name", "short_name", "search_text")
    list_select_related = ("parent", "administrative_unit", "work_calendar")
    autocomplete_fields = ("parent", "administrative_unit")
    inlines = [DepartmentInline]
    fieldsets = (
        (None, {"fields": ("code", "identifier", "name", "short_name", "level", "kind", "is_active")}),
        ("Trực thuộc", {"fields": ("parent", "administrative_unit")}),
        ("Liên hệ", {"fields": ("address", "phone", "email")}),
        ("Lịch làm việc", {"fields": ("work_calendar",)}),
    )


@admin.register(Department)
class DepartmentAdmin(AuditedAdmin):
    list_display = ("code", "name", "agency", "is_active")
    list_filter = ("is_active", "agency__level")
    search_fields = ("code", "name", "agency__code", "agency__name")
    list_select_related = ("agency",)
    autocomplete_fields = ("agency",)


@admin.register(Membership)
class MembershipAdmin(AuditedAdmin):
    list_display = ("user", "agency", "department", "role", "signs_apology", "is_active", "valid_from", "valid_to")
    list_filter = ("role", "is_active", "signs_apology", "agency__level", "agency")
    search_fields = ("user__username", "user__full_name", "agency__code", "agency__name")
    list_select_related = ("user", "agency", "department")
    autocomplete_fields = ("user", "agency", "department")
