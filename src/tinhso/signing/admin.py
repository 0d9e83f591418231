"""Admin of the registry. Private keys never appear; certificates enter through the import form or the
CLI (``tinhso pki import-p12``), so every one of them passes the checks of ``certificate_import_pkcs12``."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.shortcuts import redirect, render
from django.urls import path

from tinhso.core.errors import DomainError
from tinhso.org.models import Agency
from tinhso.signing.models import Authority, Certificate, SignatureRecord, TrustAnchor
from tinhso.signing.services import certificate_import_pkcs12, certificate_revoke


class Pkcs12ImportForm(forms.Form):
    file = forms.FileField(label="Tệp PKCS#12 (.p12, .pfx)")
    password = forms.CharField(label="Mật khẩu của tệp", widget=forms.PasswordInput, required=False)
    owner_agency = forms.ModelChoiceField(
        label="Cơ quan sở hữu (chữ ký cơ quan)", queryset=Agency.objects.filter(is_active=True), required=False
    )
    owner_username = forms.CharField(label="Tên đăng nhập của cán bộ sở hữu (chữ ký cá nhân)", required=False)
    image = forms.FileField(label="Ảnh chữ ký / con dấu (PNG nền trong suốt)", required=False)


@admin.register(Certificate)
class CertificateAdmin(admin.ModelAdmin):
    list_display = ("common_name", "kind_label", "owner", "not_after", "revoked_at", "source")
    list_filter = ("source", "revoked_at")
    search_fields = ("common_name", "organization", "fingerprint_sha256", "serial_number")
    readonly_fields = (
        "owner_agency", "owner_user", "common_name", "organization", "subject", "issuer", "serial_number",
        "not_before", "not_after", "key_usage", "fingerprint_sha256", "certificate_pem", "chain_pem", "source",
        "revoked_at", "revocation_reason", "created_by", "created_at",
    )
    fields = readonly_fields + ("seal_diameter_mm",)
    actions = ["revoke_selected"]
    change_list_template = "signing/admin_certificate_change_list.html"

    @admin.display(description="loại")
    def kind_label(self, obj):
        return obj.get_kind_display()

    @admin.display(description="chủ sở hữu")
    def owner(self, obj):
        return obj.owner_agency or obj.owner_user

    def has_add_permission(self, request):
        return False  # through the import view, which runs every check

    def has_delete_permission(self, request, obj=None):
        return False  # signatures refer to it; revoke instead

    def get_urls(self):
        return [path("import/", self.admin_site.admin_view(self.import_view), name="signing_certificate_import"),
                *super().get_urls()]

    def import_view(self, request):
        form = Pkcs12ImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            owner_user = None
            if form.cleaned_data["owner_username"]:
                owner_user = get_user_model().objects.filter(username=form.cleaned_data["owner_username"]).first()
            image = form.cleaned_data["image"]
            try:
                certificate = certificate_import_pkcs12(
                    actor=request.user, data=form.cleaned_data["file"].read(),
                    password=form.cleaned_data["password"] or "",
                    owner_agency=form.cleaned_data["owner_agency"], owner_user=owner_user,
                    image_png=image.read() if image else None,
                )
            except DomainError as exc:
                form.add_error(None, exc.detail)
            else:
                messages.success(request, f"Đã nhập chứng thư số “{certificate.common_name}”.")
                return redirect("admin:signing_certificate_change", certificate.pk)
        context = {**self.admin_site.each_context(request), "form": form, "title": "Nhập chứng thư số (PKCS#12)",
                   "opts": self.model._meta}
        return render(request, "signing/admin_import.html", context)

    @admin.action(description="Thu hồi các chứng thư số đã chọn")
    def revoke_selected(self, request, queryset):
        for certificate in queryset:
            try:
                certificate_revoke(actor=request.user, certificate=certificate, reason="Thu hồi bởi quản trị viên")
            except DomainError as exc:
                self.message_user(request, f"{certificate}: {exc.detail}", level=messages.ERROR)


@admin.register(TrustAnchor)
class TrustAnchorAdmin(admin.ModelAdmin):
    list_display = ("name", "fingerprint_sha256", "is_active", "created_at")
    readonly_fields = ("fingerprint_sha256", "certificate_pem", "created_at")
    fields = ("name", "is_active", *readonly_fields)

    def has_add_permission(self, request):
        return False  # tinhso pki trust-add checks that it is a CA certificate


@admin.register(Authority)
class AuthorityAdmin(admin.ModelAdmin):
    list_display = ("purpose", "name", "crl_number", "crl_updated_at", "created_at")
    readonly_fields = ("purpose", "name", "certificate_pem", "chain_pem", "crl_number", "crl_updated_at", "created_at")
    fields = readonly_fields

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SignatureRecord)
class SignatureRecordAdmin(admin.ModelAdmin):
    list_display = ("signed_at", "certificate", "signed_by", "kind", "reference", "long_term")
    list_filter = ("kind", "long_term")
    search_fields = ("reference", "document_sha256_before", "document_sha256_after")
    readonly_fields = [f.name for f in SignatureRecord._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
