"""Building blocks for the admin pages of every app (this module registers nothing)."""

from __future__ import annotations

from tinhso.core.audit import audit_record


class ReadOnlyAdminMixin:
    """For a ``ModelAdmin`` or an inline over rows that change only through their services (counters,
    events, the audit log, the notification log): the admin may look, never add, edit or delete, so no
    change escapes the service's transaction, audit entry and events."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AuditedAdminMixin:
    """Every save or delete made on this admin page, its inlines included, goes into the audit chain
    (``<app>.<model>_admin_create|update|delete``), as the services' own writes do: a holiday moved,
    a role granted or a draft procedure edited by hand leaves the same trace as a service call.
    Django's own ``LogEntry`` is not enough: it is an ordinary table anybody with SQL can rewrite."""

    def _audit(self, request, obj, verb: str, data: dict) -> None:
        audit_record(actor=request.user, action=f"{obj._meta.app_label}.{obj._meta.model_name}_admin_{verb}",
                     target=obj, data=data)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if form.changed_data or not change:  # a page saved as it was (e.g. to press "publish") changed nothing
            self._audit(request, obj, "update" if change else "create", {"fields": sorted(form.changed_data)})

    def delete_model(self, request, obj):
        # Recorded first: a deleted row has no primary key left to point at.
        self._audit(request, obj, "delete", {"repr": str(obj)})
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)

    def save_formset(self, request, form, formset, change):
        for deleted in formset.deleted_forms:
            if deleted.instance.pk is not None:
                self._audit(request, deleted.instance, "delete", {"repr": str(deleted.instance)})
        super().save_formset(request, form, formset, change)
        for obj in formset.new_objects:
            self._audit(request, obj, "create", {"repr": str(obj)})
        for obj, fields in formset.changed_objects:
            self._audit(request, obj, "update", {"fields": sorted(fields)})
