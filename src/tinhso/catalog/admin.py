"""Administration of the catalogue: draft, edit and publish procedure versions.

A published version and everything under it is read-only here (``has_change_permission`` is
False, so Django shows the view-only page); edits go through "Soạn phiên bản mới". Publishing
runs every check of ``procedure_version_check`` and shows the Vietnamese errors. Every save and
delete made here (drafts, their rows, process steps) is audited like the services' writes.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Max
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html

from tinhso.catalog.choices import SourceRank, VersionStatus
from tinhso.catalog.eforms import eform_schema_check
from tinhso.catalog.models import (
    Fee,
    Procedure,
    ProcedureAgency,
    ProcedureVersion,
    ProcessDefinition,
    RequiredDocument,
    Sector,
    Step,
    Transition,
)
from tinhso.catalog.services import (
    procedure_version_check,
    procedure_version_draft,
    procedure_version_publish,
)
from tinhso.core.admin_mixins import AuditedAdminMixin
from tinhso.core.errors import DomainError, ValidationFailed


def _error_text(exc: DomainError) -> str:
    details = "; ".join(e.get("message", "") for e in exc.errors)
    return f"{exc.detail} {details}".strip()


def _version_of(obj) -> ProcedureVersion | None:
    if obj is None:
        return None
    if isinstance(obj, ProcedureVersion):
        return obj
    if isinstance(obj, ProcessDefinition):
        return obj.version
    return getattr(obj, "version", None)


class FrozenWhenPublished:
    """Nothing can be changed or deleted in or under a published version."""

    def _frozen(self, obj) -> bool:
        version = _version_of(obj)
        return version is not None and version.pk is not None and version.status == VersionStatus.PUBLISHED

    def has_change_permission(self, request, obj=None):
        return not self._frozen(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._frozen(obj) and super().has_delete_permission(request, obj)


class FrozenInline(FrozenWhenPublished):
    """Inlines also refuse new rows under a published version (``obj`` is the parent)."""

    def has_add_permission(self, request, obj=None):
        return not self._frozen(obj) and super().has_add_permission(request, obj)


class RequiredDocumentInline(FrozenInline, admin.StackedInline):
    model = RequiredDocument
    extra = 0
    fields = [("order", "code", "is_required"), "case_name", "name", ("original_or_copy", "original_qty", "copy_qty", "quantity"),
              ("template_name", "template_file"), ("accepts", "electronic_form"), ("channels", "replaced_by_eform"), "note"]


class FeeInline(FrozenInline, admin.TabularInline):
    model = Fee
    extra = 0
    fields = ["order", "kind", "name", "amount", "rule_text", "collected_when", "channel", "description"]


class ProcedureAgencyInline(FrozenInline, admin.TabularInline):
    model = ProcedureAgency
    extra = 0
    autocomplete_fields = ["agency"]


class ProcedureVersionForm(forms.ModelForm):
    """The admin builds the fields from ``fieldsets``; this only checks the e-form early."""

    def clean_eform_schema(self):
        schema = self.cleaned_data.get("eform_schema")
        if schema in (None, "", {}):
            return None
        try:
            return eform_schema_check(schema)
        except ValidationFailed as exc:
            raise ValidationError([e["message"] for e in exc.errors] or [exc.detail]) from None


@admin.register(ProcedureVersion)
class ProcedureVersionAdmin(AuditedAdminMixin, FrozenWhenPublished, admin.ModelAdmin):
    form = ProcedureVersionForm
    list_display = ["procedure_code", "number", "short_name", "status", "effective_from", "is_complete"]
    list_filter = ["status", "is_complete", "level", "online_level", "sector"]
    search_fields = ["procedure__code", "name"]
    list_select_related = ["procedure"]
    autocomplete_fields = ["procedure", "sector"]
    inlines = [RequiredDocumentInline, FeeInline, ProcedureAgencyInline]
    actions = ["publish_selected", "draft_from_selected"]
    readonly_fields = ["number", "status", "published_at", "published_by", "created_at", "created_by", "is_complete",
                       "source_rank", "source", "source_hash", "process_link"]
    fieldsets = [
        (None, {"fields": ["procedure", "number", "status", "effective_from", "decision_ref", "change_note"]}),
        ("Thông tin thủ tục", {"fields": ["name", "kind", "sector", ("level", "level_text"), "is_vertical",
                                         "applicant_types", "submission_channels", ("online_level", "legacy_online_level")]}),
        ("Thời hạn giải quyết", {"fields": [("processing_time_value", "processing_time_unit"), "processing_time_text"]}),
        ("Nội dung", {"fields": ["steps_text", "conditions_text", "result_text", "results", "legal_basis",
                                 "fees_text", "document_notes", "keywords", "notes"]}),
        ("Cơ quan (nguyên văn)", {"fields": ["agencies_text", "competent_text", "coordinating_text", "receiving_address"]}),
        ("Biểu mẫu điện tử và quy trình", {"fields": ["eform_schema", "process_link"]}),
        ("Nguồn và công bố", {"classes": ["collapse"], "fields": ["source_rank", "source", "source_hash", "is_complete",
                                                                 "created_at", "created_by", "published_at", "published_by"]}),
    ]

    @admin.display(description="mã thủ tục", ordering="procedure__code")
    def procedure_code(self, obj):
        return obj.procedure.code

    @admin.display(description="tên thủ tục")
    def short_name(self, obj):
        return obj.name[:90]

    @admin.display(description="quy trình nội bộ")
    def process_link(self, obj):
        if obj is None or obj.pk is None:
            return "Lưu bản nháp trước, rồi soạn quy trình."
        definition = ProcessDefinition.objects.filter(version=obj).first()
        if definition is None:
            url = reverse("admin:catalog_processdefinition_add") + f"?version={obj.pk}"
            return format_html('<a href="{}">Soạn quy trình nội bộ</a>', url) if obj.status == VersionStatus.DRAFT else "—"
        url = reverse("admin:catalog_processdefinition_change", args=[definition.pk])
        return format_html('<a href="{}">{} bước</a>', url, definition.steps.count())

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None:
            fields.append("procedure")
        return fields

    def save_model(self, request, obj, form, change):
        if not change:
            obj.status = VersionStatus.DRAFT
            obj.created_by = request.user
            obj.source_rank = SourceRank.LOCAL
            obj.number = (obj.procedure.versions.aggregate(top=Max("number"))["top"] or 0) + 1
        super().save_model(request, obj, form, change)

    def response_change(self, request, obj):
        if "_publish" in request.POST:
            self._publish(request, [obj])
            return HttpResponseRedirect(request.path)
        if "_draft" in request.POST:
            draft = self._draft(request, obj)
            if draft is not None:
                return HttpResponseRedirect(reverse("admin:catalog_procedureversion_change", args=[draft.pk]))
            return HttpResponseRedirect(request.path)
        return super().response_change(request, obj)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # The "publish" and "new draft" buttons post to a published (view-only) page as well.
        if request.method == "POST" and ("_draft" in request.POST or "_publish" in request.POST):
            obj = self.get_object(request, object_id)
            if obj is not None and not self.has_change_permission(request, obj):
                return self.response_change(request, obj)
        extra_context = extra_context or {}
        obj = self.get_object(request, object_id)
        if obj is not None and obj.status == VersionStatus.DRAFT:
            try:
                extra_context["publish_warnings"] = procedure_version_check(version=obj)
            except ValidationFailed as exc:
                extra_context["publish_errors"] = [e["message"] for e in exc.errors]
        return super().change_view(request, object_id, form_url, extra_context)

    def _publish(self, request, versions) -> None:
        for version in versions:
            try:
                warnings = procedure_version_check(version=version)
                procedure_version_publish(actor=request.user, version=version)
            except DomainError as exc:
                self.message_user(request, f"{version}: {_error_text(exc)}", messages.ERROR)
                continue
            self.message_user(request, f"Đã công bố {version.procedure.code} phiên bản {version.number}.", messages.SUCCESS)
            for warning in warnings:
                self.message_user(request, warning, messages.WARNING)

    def _draft(self, request, version):
        try:
            draft = procedure_version_draft(actor=request.user, procedure=version.procedure, from_version=version)
        except DomainError as exc:
            self.message_user(request, _error_text(exc), messages.ERROR)
            return None
        self.message_user(request, f"Đã tạo bản nháp phiên bản {draft.number} từ phiên bản {version.number}.", messages.SUCCESS)
        return draft

    @admin.action(description="Công bố các bản nháp đã chọn")
    def publish_selected(self, request, queryset):
        self._publish(request, list(queryset.filter(status=VersionStatus.DRAFT).select_related("procedure")))

    @admin.action(description="Soạn phiên bản mới từ phiên bản đã chọn")
    def draft_from_selected(self, request, queryset):
        for version in queryset.select_related("procedure"):
            self._draft(request, version)


class StepInline(FrozenInline, admin.TabularInline):
    model = Step
    extra = 0
    fields = ["order", "code", "name", "role", "agency_scope", "agency", "department_code", "duration_value", "duration_unit"]
    autocomplete_fields = ["agency"]


class TransitionInline(FrozenInline, admin.TabularInline):
    model = Transition
    extra = 0
    fields = ["from_step", "action", "to_step", "label"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # Only the steps of the definition being edited.
        if db_field.name in ("from_step", "to_step"):
            object_id = request.resolver_match.kwargs.get("object_id") if request.resolver_match else None
            kwargs["queryset"] = Step.objects.filter(definition_id=object_id) if object_id else Step.objects.none()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(ProcessDefinition)
class ProcessDefinitionAdmin(AuditedAdminMixin, FrozenWhenPublished, admin.ModelAdmin):
    list_display = ["__str__", "supplement_limit"]
    fields = ["version", "note", "supplement_limit", "supplement_limit_basis"]
    search_fields = ["version__procedure__code", "version__name"]
    autocomplete_fields = ["version"]
    inlines = [StepInline, TransitionInline]

    def get_changeform_initial_data(self, request):
        return {"version": request.GET.get("version")}

    def get_readonly_fields(self, request, obj=None):
        return ["version"] if obj is not None else []


@admin.register(Procedure)
class ProcedureAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["code", "current_name", "popularity", "versions_link"]
    search_fields = ["code", "search_text"]
    readonly_fields = ["current_version", "search_text", "name_rank", "created_at", "updated_at"]
    fields = ["code", "local_code", "popularity", "current_version", "search_text", "name_rank", "created_at", "updated_at"]
    list_select_related = ["current_version"]

    @admin.display(description="tên (phiên bản hiện hành)")
    def current_name(self, obj):
        return obj.current_version.name[:100] if obj.current_version_id else "—"

    @admin.display(description="phiên bản")
    def versions_link(self, obj):
        url = reverse("admin:catalog_procedureversion_changelist") + f"?procedure__id__exact={obj.pk}"
        return format_html('<a href="{}">Xem các phiên bản</a>', url)

    def get_readonly_fields(self, request, obj=None):
        return [*self.readonly_fields, "code"] if obj is not None else self.readonly_fields

    def has_delete_permission(self, request, obj=None):
        # A procedure with a published version may be referenced by dossiers: never deleted.
        if obj is not None and obj.versions.filter(status=VersionStatus.PUBLISHED).exists():
            return False
        return super().has_delete_permission(request, obj)


@admin.register(Sector)
class SectorAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "code", "national_code"]
    search_fields = ["name", "code"]
