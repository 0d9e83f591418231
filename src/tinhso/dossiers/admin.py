"""Admin: regulations are edited here (the dossier-code format of vn-standards §1.3); dossiers and their
records are shown read-only — they change only through the services, which lock, audit and publish."""

from __future__ import annotations

from django.contrib import admin

from tinhso.dossiers.models import (
    Consultation,
    Dossier,
    DossierDocument,
    DossierEvent,
    DossierPayment,
    FormIssue,
    Handover,
    Regulation,
    SupplementRequest,
)


@admin.register(Regulation)
class RegulationAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "effective_from", "effective_to", "dossier_code_format", "form_set")


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class DocumentInline(ReadOnlyInline):
    model = DossierDocument
    fields = ("name", "role", "required_document", "file", "uploaded_by", "uploaded_at")


class EventInline(ReadOnlyInline):
    model = DossierEvent
    fields = ("at", "label", "status_from", "status_to", "actor_label", "agency", "note", "is_public")


class HandoverInline(ReadOnlyInline):
    model = Handover
    fields = ("seq", "step_name", "from_agency", "to_agency", "given_by", "given_at", "taken_by", "planned_due_at",
              "finished_at", "verdict")


class FormInline(ReadOnlyInline):
    model = FormIssue
    fields = ("kind", "number", "year", "issued_at", "issued_by", "seal")


@admin.register(Dossier)
class DossierAdmin(admin.ModelAdmin):
    list_display = ("code", "status", "channel", "receiving_agency", "current_agency", "received_at", "due_at",
                    "verdict")
    list_filter = ("status", "channel", "verdict", "receiving_agency")
    search_fields = ("code",)
    date_hierarchy = "received_at"
    list_select_related = ("receiving_agency", "current_agency")
    inlines = [DocumentInline, HandoverInline, FormInline, EventInline]

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


for model in (SupplementRequest, DossierPayment, Consultation):
    admin.site.register(model, type(f"{model.__name__}Admin", (admin.ModelAdmin,), {
        "list_display": ("dossier", "__str__"),
        "has_add_permission": lambda self, request: False,
        "has_change_permission": lambda self, request, obj=None: False,
        "has_delete_permission": lambda self, request, obj=None: False,
    }))
