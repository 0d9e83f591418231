"""Users of Tỉnh Số: staff, citizens, businesses and integrators' service accounts.

The custom user model exists from the first migration so that identity fields (CCCD, MST) never need
a painful swap later.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models


class User(AbstractUser):
    class Kind(models.TextChoices):
        STAFF = "staff", "Cán bộ, công chức"
        CITIZEN = "citizen", "Công dân"
        BUSINESS = "business", "Tổ chức, doanh nghiệp"
        SERVICE = "service", "Tài khoản tích hợp"

    kind = models.CharField("loại tài khoản", max_length=16, choices=Kind.choices, default=Kind.STAFF)
    full_name = models.CharField("họ và tên", max_length=200, blank=True)
    phone = models.CharField("số điện thoại", max_length=15, blank=True)

    class Meta:
        verbose_name = "người dùng"
        verbose_name_plural = "người dùng"

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def display_name(self) -> str:
        return self.full_name or self.get_full_name() or self.username
