from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from tinhso.accounts.models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "full_name", "kind", "email", "phone", "is_active")
    list_filter = ("kind", "is_active", "is_staff")
    search_fields = ("username", "full_name", "email", "phone")
    fieldsets = BaseUserAdmin.fieldsets + (("Tỉnh Số", {"fields": ("kind", "full_name", "phone")}),)
