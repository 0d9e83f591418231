"""Administration of users and API keys. Writes that matter go through the services; every other
save or delete made here (a role granted in the inline, an account switched off) is audited too."""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from tinhso.accounts.models import ApiKey, User
from tinhso.accounts.services import apikey_revoke, totp_disable
from tinhso.core.admin_mixins import AuditedAdminMixin
from tinhso.org.models import Membership


def _admin_login(request, extra_context=None):
    # The admin's own login form would skip the 2FA step: send everybody through ours.
    if request.user.is_authenticated and not request.user.is_staff:
        raise PermissionDenied("Tài khoản không có quyền vào trang quản trị.")
    return redirect_to_login(request.GET.get("next") or reverse("admin:index"), reverse("accounts:login"))


admin.site.login = _admin_login


class MembershipInline(admin.TabularInline):
    model = Membership
    fk_name = "user"
    extra = 0
    fields = ("agency", "department", "role", "is_active", "valid_from", "valid_to")
    autocomplete_fields = ("agency",)
    verbose_name = "vai trò trong cơ quan"
    verbose_name_plural = "vai trò trong các cơ quan"


@admin.register(User)
class UserAdmin(AuditedAdminMixin, BaseUserAdmin):
    list_display = ("username", "full_name", "kind", "email", "phone", "two_factor", "is_active")
    list_filter = ("kind", "is_active", "is_staff", "is_superuser")
    search_fields = ("username", "full_name", "email", "phone", "id_number", "tax_code")
    ordering = ("username",)
    inlines = [MembershipInline]
    readonly_fields = ("last_login", "date_joined", "totp_enabled_at", "email_verified_at", "phone_verified_at")
    fieldsets = (
        (None, {"fields": ("username", "password", "kind")}),
        ("Thông tin cá nhân", {"fields": ("full_name", "email", "phone", "birth_date", "gender", "address")}),
        ("Định danh", {"fields": ("id_number", "tax_code", "identity_provider", "external_subject")}),
        (
            "Xác minh và bảo mật",
            {"fields": ("email_verified_at", "phone_verified_at", "totp_enabled_at")},
        ),
        (
            "Quyền quản trị",
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        ("Thời điểm", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "kind", "full_name", "password1", "password2")}),
    )
    actions = ["reset_two_factor"]

    @admin.display(description="Xác thực hai bước", boolean=True)
    def two_factor(self, obj: User) -> bool:
        return obj.totp_enabled

    @admin.action(description="Tắt xác thực hai bước (cán bộ mất điện thoại)")
    def reset_two_factor(self, request, queryset):
        for user in queryset:
            totp_disable(actor=request.user, user=user)
        self.message_user(request, f"Đã tắt xác thực hai bước cho {queryset.count()} tài khoản.", messages.SUCCESS)


@admin.register(ApiKey)
class ApiKeyAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("name", "prefix", "agency", "created_at", "last_used_at", "revoked_at")
    list_filter = ("agency", ("revoked_at", admin.EmptyFieldListFilter))
    search_fields = ("name", "prefix", "agency__code", "agency__name")
    readonly_fields = ("name", "prefix", "user", "agency", "created_at", "created_by", "last_used_at", "revoked_at")
    actions = ["revoke"]

    def has_add_permission(self, request):
        # The raw key can be shown only once, at creation: `tinhso apikey create` prints it.
        return False

    @admin.action(description="Thu hồi các khóa đã chọn")
    def revoke(self, request, queryset):
        for key in queryset:
            apikey_revoke(actor=request.user, prefix=key.prefix)
        self.message_user(request, f"Đã thu hồi {queryset.count()} khóa API.", messages.SUCCESS)
