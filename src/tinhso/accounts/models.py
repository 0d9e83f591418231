"""Users of Tỉnh Số: staff, citizens, businesses and integrators' service accounts.

The custom user model exists from the first migration so that identity fields (CCCD, MST) never need
a painful swap later. Applicants are identified by their 12-digit personal identification number
(citizens, vn-standards §9.1) or their tax code (businesses, §9.2); an external identity provider
(VNeID through the national SSO, §9.4) links by ``identity_provider`` + ``external_subject``.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q

from tinhso.core.fields import NfcCharField
from tinhso.core.validators import id_number_validator, phone_validator, tax_code_validator


class User(AbstractUser):
    class Kind(models.TextChoices):
        STAFF = "staff", "Cán bộ, công chức"
        CITIZEN = "citizen", "Công dân"
        BUSINESS = "business", "Tổ chức, doanh nghiệp"
        SERVICE = "service", "Tài khoản tích hợp"

    class Gender(models.TextChoices):
        MALE = "male", "Nam"
        FEMALE = "female", "Nữ"

    kind = models.CharField("loại tài khoản", max_length=16, choices=Kind.choices, default=Kind.STAFF)
    full_name = NfcCharField("họ và tên", max_length=200, blank=True)
    phone = models.CharField(
        "số điện thoại", max_length=15, blank=True, validators=[phone_validator], help_text="Dạng 0xxxxxxxxx."
    )

    # --- applicant identity -------------------------------------------------------------------------
    # NULL rather than "" when absent: both are unique, and many accounts have neither.
    id_number = models.CharField(
        "số định danh cá nhân", max_length=12, unique=True, null=True, blank=True, validators=[id_number_validator]
    )
    tax_code = models.CharField(
        "mã số thuế", max_length=14, unique=True, null=True, blank=True, validators=[tax_code_validator]
    )
    birth_date = models.DateField("ngày sinh", null=True, blank=True)
    gender = models.CharField("giới tính", max_length=8, choices=Gender.choices, blank=True)
    address = NfcCharField("địa chỉ", max_length=300, blank=True)
    email_verified_at = models.DateTimeField("xác minh thư điện tử lúc", null=True, blank=True)
    phone_verified_at = models.DateTimeField("xác minh số điện thoại lúc", null=True, blank=True)
    identity_provider = models.CharField(
        "nhà cung cấp định danh", max_length=64, blank=True, help_text="Ví dụ: vneid (qua Cổng DVCQG)."
    )
    external_subject = models.CharField(
        "mã chủ thể bên ngoài", max_length=255, blank=True, help_text="Giá trị “sub” do nhà cung cấp định danh trả về."
    )

    # --- two-factor authentication (staff) ----------------------------------------------------------
    # The TOTP secret is stored encrypted (accounts/crypto.py); while ``totp_enabled_at`` is empty it is
    # a pending enrolment that the owner may still see, afterwards it is never shown again.
    totp_secret = models.TextField("khóa TOTP (đã mã hóa)", blank=True, editable=False)
    totp_enabled_at = models.DateTimeField("bật xác thực hai bước lúc", null=True, blank=True, editable=False)
    # Last accepted 30-second step: a code is accepted once, so an observed code cannot be replayed.
    totp_last_step = models.BigIntegerField(null=True, blank=True, editable=False)
    # SHA-256 of the unused one-time recovery codes.
    totp_recovery_hashes = models.JSONField(default=list, blank=True, editable=False)

    class Meta:
        verbose_name = "người dùng"
        verbose_name_plural = "người dùng"
        constraints = [
            models.UniqueConstraint(
                fields=["identity_provider", "external_subject"],
                condition=~Q(external_subject=""),
                name="accounts_user_external_identity",
            )
        ]

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def display_name(self) -> str:
        return self.full_name or self.get_full_name() or self.username

    @property
    def totp_enabled(self) -> bool:
        return self.totp_enabled_at is not None

    @property
    def is_applicant(self) -> bool:
        return self.kind in (self.Kind.CITIZEN, self.Kind.BUSINESS)


class ApiKey(models.Model):
    """A key an integrator sends as ``Authorization: Bearer ts_<prefix>_<secret>``.

    The key acts as its service ``user``, whose memberships (in ``agency``) decide what it may do.
    Only the SHA-256 of the whole key is stored: the secret part has 256 random bits, so a fast
    hash is as safe as a slow one here and keeps every API request cheap (docs/accounts.md).
    """

    name = NfcCharField("tên khóa", max_length=200)
    prefix = models.CharField("tiền tố", max_length=16, unique=True)
    key_hash = models.CharField("băm SHA-256", max_length=64, editable=False)
    user = models.ForeignKey(User, verbose_name="tài khoản tích hợp", on_delete=models.CASCADE, related_name="api_keys")
    agency = models.ForeignKey(
        "org.Agency", verbose_name="cơ quan", on_delete=models.PROTECT, related_name="api_keys"
    )
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)
    created_by = models.ForeignKey(
        User, verbose_name="người tạo", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_used_at = models.DateTimeField("dùng lần cuối", null=True, blank=True)
    revoked_at = models.DateTimeField("thu hồi lúc", null=True, blank=True)

    class Meta:
        verbose_name = "khóa API"
        verbose_name_plural = "khóa API"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} (ts_{self.prefix}_…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
