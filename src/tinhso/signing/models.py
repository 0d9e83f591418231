"""The certificate registry, the trust store, the built-in authorities and the signing audit.

Private keys are stored encrypted (``keystore.py``); the registry copies the facts of each certificate
(subject, validity, usage, fingerprint) into columns so lists and permission checks need no parsing.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from tinhso.core.fields import NfcCharField


class Certificate(models.Model):
    """A signing certificate owned by an agency (chữ ký số của cơ quan) or by one person."""

    class Kind(models.TextChoices):
        PERSONAL = "personal", "Chữ ký số cá nhân"
        AGENCY = "agency", "Chữ ký số cơ quan, tổ chức"

    class Source(models.TextChoices):
        IMPORTED = "imported", "Nhập từ tệp PKCS#12"
        GENERATED = "generated", "Cấp bởi CA thử nghiệm"

    owner_agency = models.ForeignKey(
        "org.Agency", verbose_name="cơ quan sở hữu", null=True, blank=True, on_delete=models.PROTECT,
        related_name="certificates",
    )
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="người sở hữu", null=True, blank=True, on_delete=models.PROTECT,
        related_name="certificates",
    )
    common_name = NfcCharField("tên chủ thể (CN)", max_length=255)
    organization = NfcCharField("tổ chức (O)", max_length=255, blank=True)
    subject = NfcCharField("chủ thể", max_length=1000)
    issuer = NfcCharField("tổ chức cấp", max_length=1000)
    serial_number = models.CharField("số hiệu", max_length=64)
    not_before = models.DateTimeField("hiệu lực từ")
    not_after = models.DateTimeField("hiệu lực đến")
    key_usage = models.CharField("mục đích sử dụng khóa", max_length=200, blank=True)
    fingerprint_sha256 = models.CharField("dấu vân tay SHA-256", max_length=64, unique=True)
    certificate_pem = models.TextField("chứng thư số (PEM)")
    chain_pem = models.TextField("chuỗi chứng thực (PEM)", blank=True)
    private_key_encrypted = models.TextField("khóa bí mật (đã mã hóa)", editable=False)
    image_png = models.BinaryField(
        "ảnh chữ ký / con dấu (PNG)", null=True, blank=True, editable=False,
        help_text="Ảnh chữ ký màu xanh (cá nhân) hoặc ảnh con dấu màu đỏ (cơ quan), nền trong suốt.",
    )
    seal_diameter_mm = models.DecimalField(
        "đường kính con dấu (mm)", max_digits=4, decimal_places=1, default=36,
        help_text="Ảnh con dấu được đặt đúng kích thước thật (NĐ 30/2020, Phụ lục I).",
    )
    source = models.CharField("nguồn", max_length=16, choices=Source.choices)
    revoked_at = models.DateTimeField("thu hồi lúc", null=True, blank=True)
    revocation_reason = NfcCharField("lý do thu hồi", max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="người nhập", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)

    class Meta:
        verbose_name = "chứng thư số"
        verbose_name_plural = "chứng thư số"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(owner_agency__isnull=False, owner_user__isnull=True)
                    | Q(owner_agency__isnull=True, owner_user__isnull=False)
                ),
                name="signing_certificate_one_owner",
            ),
        ]
        indexes = [models.Index(fields=["not_after"])]

    def __str__(self) -> str:
        return f"{self.common_name} ({self.serial_number[:12]}…)"

    @property
    def kind(self) -> str:
        return self.Kind.AGENCY if self.owner_agency_id else self.Kind.PERSONAL

    def get_kind_display(self) -> str:
        return self.Kind(self.kind).label


class TrustAnchor(models.Model):
    """A root certificate whose chains the platform trusts (the demo CA; the national CA roots)."""

    name = NfcCharField("tên", max_length=255)
    certificate_pem = models.TextField("chứng thư gốc (PEM)")
    fingerprint_sha256 = models.CharField("dấu vân tay SHA-256", max_length=64, unique=True)
    is_active = models.BooleanField("đang tin cậy", default=True)
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)

    class Meta:
        verbose_name = "chứng thư gốc tin cậy"
        verbose_name_plural = "chứng thư gốc tin cậy"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Authority(models.Model):
    """A key the platform itself holds: the demo root CA (issues certificates and CRLs) or the TSA."""

    class Purpose(models.TextChoices):
        ROOT_CA = "root_ca", "CA gốc thử nghiệm"
        TSA = "tsa", "Máy chủ cấp dấu thời gian"

    purpose = models.CharField("vai trò", max_length=16, choices=Purpose.choices, unique=True)
    name = NfcCharField("tên", max_length=255)
    certificate_pem = models.TextField("chứng thư số (PEM)")
    chain_pem = models.TextField("chuỗi chứng thực (PEM)", blank=True)
    private_key_encrypted = models.TextField("khóa bí mật (đã mã hóa)", editable=False)
    crl_number = models.PositiveIntegerField("số CRL", default=0)
    crl_der = models.BinaryField("danh sách thu hồi (CRL)", null=True, blank=True, editable=False)
    crl_updated_at = models.DateTimeField("CRL cập nhật lúc", null=True, blank=True)
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)

    class Meta:
        verbose_name = "đơn vị chứng thực nội bộ"
        verbose_name_plural = "đơn vị chứng thực nội bộ"

    def __str__(self) -> str:
        return f"{self.get_purpose_display()}: {self.name}"


class SignatureRecord(models.Model):
    """One signature made through the platform: who, with which certificate, on which bytes."""

    certificate = models.ForeignKey(
        Certificate, verbose_name="chứng thư số", on_delete=models.PROTECT, related_name="signatures"
    )
    # Empty for the system's automatic agency seal (``pdf_sign_system``); ``purpose`` then says which one.
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="người ký", null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    purpose = models.CharField(
        "mục đích ký tự động", max_length=60, blank=True,
        help_text="Chỉ có khi hệ thống tự đóng dấu số của cơ quan (ký số tự động), ví dụ dossier_form.receipt.",
    )
    kind = models.CharField("loại chữ ký", max_length=16, choices=Certificate.Kind.choices)
    field_name = models.CharField("tên trường chữ ký", max_length=100)
    reason = NfcCharField("lý do ký", max_length=255, blank=True)
    location = NfcCharField("nơi ký", max_length=255, blank=True)
    reference = NfcCharField(
        "tham chiếu", max_length=255, blank=True, help_text="Đối tượng được ký, ví dụ mã hồ sơ hoặc số văn bản."
    )
    page = models.PositiveIntegerField("trang (đếm từ 1)")
    document_sha256_before = models.CharField("SHA-256 trước khi ký", max_length=64, db_index=True)
    document_sha256_after = models.CharField("SHA-256 sau khi ký", max_length=64, unique=True)
    long_term = models.BooleanField("kèm dữ liệu kiểm tra dài hạn (B-LT)", default=False)
    timestamped = models.BooleanField("có dấu thời gian", default=False)
    signed_at = models.DateTimeField("ký lúc")

    class Meta:
        verbose_name = "lượt ký số"
        verbose_name_plural = "lượt ký số"
        ordering = ["-signed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.certificate.common_name} — {self.signed_at:%d/%m/%Y %H:%M}"
