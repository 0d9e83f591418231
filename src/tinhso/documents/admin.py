"""Read-mostly admin: documents change only through their actions, so the admin edits profiles only."""

from django.contrib import admin

from tinhso.documents.models import DocumentProfile, DocumentRegister, IncomingDocument, OutgoingDocument


@admin.register(DocumentProfile)
class DocumentProfileAdmin(admin.ModelAdmin):
    list_display = ("agency", "notation", "place")
    search_fields = ("agency__name", "agency__code", "notation")


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(DocumentRegister)
class DocumentRegisterAdmin(ReadOnly):
    list_display = ("agency", "year", "kind", "series", "doc_type")
    list_filter = ("kind", "series", "year")


@admin.register(OutgoingDocument)
class OutgoingDocumentAdmin(ReadOnly):
    list_display = ("notation", "subject", "agency", "status", "issued_on")
    list_filter = ("status", "doc_type")
    search_fields = ("notation", "search_text")

    def get_queryset(self, request):
        # Secret documents never appear in the admin's lists either (issue #11 §6).
        return super().get_queryset(request).filter(confidentiality="normal").select_related("agency")


@admin.register(IncomingDocument)
class IncomingDocumentAdmin(ReadOnly):
    list_display = ("arrival_number", "their_notation", "subject", "agency", "status")
    list_filter = ("status", "doc_type")
    search_fields = ("their_notation", "search_text")

    def get_queryset(self, request):
        return super().get_queryset(request).filter(confidentiality="normal").select_related("agency")
