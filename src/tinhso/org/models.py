"""Administrative units, agencies, departments and staff memberships (DESIGN §2, "cơ quan, đơn vị").

Units and agencies are master data read by every other app; memberships are what every permission
check is built on (see ``selectors.py``).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from tinhso.core.fields import NfcCharField, NfcTextField
from tinhso.core.text import fold
from tinhso.core.validators import agency_code_validator, agency_identifier_validator
from tinhso.org.roles import Role


def _folded(*parts: str) -> str:
    return fold(" ".join(part for part in parts if part))


class AdministrativeUnit(models.Model):
    """A province or commune-level unit, with the dates it existed (vn-standards §0, §10).

    Codes are the GSO codes (2 digits for provinces, 5 for communes). The same code can come back
    after a reorganisation (Phú Thọ is ``25`` before and after 01/07/2025), so a code is unique only
    among the current units and among the units that ended on the same day.
    """

    class Kind(models.TextChoices):
        PROVINCE = "province", "Tỉnh"
        CITY = "city", "Thành phố trực thuộc trung ương"
        WARD = "ward", "Phường"
        COMMUNE = "commune", "Xã"
        SPECIAL_ZONE = "special_zone", "Đặc khu"
        DISTRICT = "district", "Cấp huyện (trước 01/07/2025)"
        TOWNSHIP = "township", "Thị trấn (trước 01/07/2025)"

    PROVINCIAL_KINDS = (Kind.PROVINCE, Kind.CITY)
    COMMUNAL_KINDS = (Kind.WARD, Kind.COMMUNE, Kind.SPECIAL_ZONE, Kind.TOWNSHIP)

    code = models.CharField("mã đơn vị hành chính", max_length=10)
    name = NfcCharField("tên", max_length=200, help_text="Tên đầy đủ, ví dụ “Tỉnh Phú Thọ”, “Phường Việt Trì”.")
    short_name = NfcCharField("tên ngắn", max_length=200, blank=True)
    kind = models.CharField("loại", max_length=16, choices=Kind.choices)
    parent = models.ForeignKey(
        "self", verbose_name="trực thuộc", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    valid_from = models.DateField("hiệu lực từ ngày", null=True, blank=True)
    valid_to = models.DateField("hiệu lực đến ngày", null=True, blank=True, help_text="Để trống: đang có hiệu lực.")
    dvc_code = models.CharField(
        "mã trên Cổng DVCQG", max_length=8, blank=True, help_text="Mã cấp 1 Hxx của UBND tỉnh (vn-standards §2.3)."
    )
    search_text = models.CharField(max_length=400, editable=False, db_index=True, default="")

    class Meta:
        verbose_name = "đơn vị hành chính"
        verbose_name_plural = "đơn vị hành chính"
        ordering = ["code", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["code"], condition=Q(valid_to__isnull=True), name="org_unit_current_code"),
            models.UniqueConstraint(
                fields=["code", "valid_to"], condition=Q(valid_to__isnull=False), name="org_unit_ended_code"
            ),
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True) | Q(valid_to__isnull=True) | Q(valid_from__lte=models.F("valid_to")),
                name="org_unit_valid_range",
            ),
        ]
        indexes = [models.Index(fields=["parent", "kind"])]

    def __str__(self) -> str:
        return self.name if self.valid_to is None else f"{self.name} (đến {self.valid_to:%d/%m/%Y})"

    def save(self, *args, **kwargs):
        # A derived search key, not a rule: kept here so admin edits and services both refresh it.
        self.search_text = _folded(self.name, self.short_name, self.code)
        super().save(*args, **kwargs)

    @property
    def is_current(self) -> bool:
        return self.valid_to is None


class LegacyUnitMapping(models.Model):
    """Which current unit took over (all or part of) a unit that no longer exists."""

    old_unit = models.ForeignKey(
        AdministrativeUnit, verbose_name="đơn vị cũ", on_delete=models.CASCADE, related_name="successor_links"
    )
    new_unit = models.ForeignKey(
        AdministrativeUnit, verbose_name="đơn vị mới", on_delete=models.CASCADE, related_name="predecessor_links"
    )
    note = NfcCharField("ghi chú", max_length=300, blank=True)

    class Meta:
        verbose_name = "chuyển đổi đơn vị hành chính cũ"
        verbose_name_plural = "chuyển đổi đơn vị hành chính cũ"
        constraints = [models.UniqueConstraint(fields=["old_unit", "new_unit"], name="org_legacy_mapping_unique")]

    def __str__(self) -> str:
        return f"{self.old_unit} → {self.new_unit}"


class Agency(models.Model):
    """A state body with an identifier code under QĐ 20/2020 (vn-standards §2.2), e.g. ``H44.02``."""

    class Level(models.TextChoices):
        PROVINCE = "province", "Cấp tỉnh"
        COMMUNE = "commune", "Cấp xã"
        CENTRAL = "central", "Trung ương"
        OTHER = "other", "Khác"

    class Kind(models.TextChoices):
        PEOPLE_COMMITTEE = "people_committee", "Ủy ban nhân dân"
        DEPARTMENT = "department", "Sở, ban, ngành"
        SERVICE_CENTER = "service_center", "Trung tâm Phục vụ hành chính công"
        OFFICE = "office", "Văn phòng"
        POLICE = "police", "Công an"
        OTHER = "other", "Khác"

    code = models.CharField("mã định danh", max_length=35, unique=True, validators=[agency_code_validator])
    # The 13-character QCVN 102:2016 form (vn-standards §2.1): edXML OrganId is String(13), and a
    # province may print it in dossier codes (TINHSO_DOSSIER_CODE_AGENCY_ID=qcvn102).
    identifier = models.CharField(
        "mã định danh QCVN 102", max_length=13, unique=True, null=True, blank=True,
        validators=[agency_identifier_validator], help_text="13 ký tự, dạng 000.00.00.H44 (nhóm cấp 1 ở bên phải).",
    )
    name = NfcCharField("tên cơ quan", max_length=255)
    short_name = NfcCharField("tên viết tắt", max_length=100, blank=True)
    level = models.CharField("cấp", max_length=16, choices=Level.choices)
    kind = models.CharField("loại cơ quan", max_length=24, choices=Kind.choices, default=Kind.OTHER)
    parent = models.ForeignKey(
        "self", verbose_name="cơ quan cấp trên", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    administrative_unit = models.ForeignKey(
        AdministrativeUnit,
        verbose_name="đơn vị hành chính",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="agencies",
    )
    address = NfcCharField("địa chỉ", max_length=300, blank=True)
    phone = models.CharField("điện thoại", max_length=20, blank=True)
    email = models.EmailField("thư điện tử", blank=True)
    work_calendar = models.ForeignKey(
        "workdays.WorkCalendar",
        verbose_name="lịch làm việc",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="agencies",
        help_text="Để trống: dùng lịch của cơ quan cấp trên, cuối cùng là lịch của tỉnh.",
    )
    is_active = models.BooleanField("đang hoạt động", default=True)
    search_text = models.CharField(max_length=500, editable=False, db_index=True, default="")
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)
    updated_at = models.DateTimeField("cập nhật lúc", auto_now=True)

    class Meta:
        verbose_name = "cơ quan, đơn vị"
        verbose_name_plural = "cơ quan, đơn vị"
        ordering = ["code"]
        indexes = [models.Index(fields=["level", "is_active"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    def save(self, *args, **kwargs):
        # Derived search key (diacritics-insensitive, DESIGN §5.9); refreshed on every write path.
        self.search_text = _folded(self.name, self.short_name, self.code)
        super().save(*args, **kwargs)

    def clean(self) -> None:
        super().clean()
        node, seen = self.parent, set()
        while node is not None and node.pk not in seen:
            if self.pk is not None and node.pk == self.pk:
                raise ValidationError({"parent": "Cơ quan cấp trên không được là chính nó hoặc cơ quan cấp dưới của nó."})
            seen.add(node.pk)
            node = node.parent


class Department(models.Model):
    """A unit inside an agency (phòng, bộ phận), e.g. Phòng Hành chính tư pháp of Sở Tư pháp."""

    agency = models.ForeignKey(Agency, verbose_name="cơ quan", on_delete=models.CASCADE, related_name="departments")
    code = models.CharField("mã phòng", max_length=20)
    name = NfcCharField("tên phòng, bộ phận", max_length=255)
    is_active = models.BooleanField("đang hoạt động", default=True)

    class Meta:
        verbose_name = "phòng, bộ phận"
        verbose_name_plural = "phòng, bộ phận"
        ordering = ["agency__code", "code"]
        constraints = [models.UniqueConstraint(fields=["agency", "code"], name="org_department_code_unique")]

    def __str__(self) -> str:
        return f"{self.name} — {self.agency.short_name or self.agency.name}"


class Membership(models.Model):
    """One role of one user in one agency (optionally one department), for a period.

    Several rows give several roles. Dates are days (inclusive); ``valid_to`` empty means open-ended.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="người dùng", on_delete=models.CASCADE, related_name="memberships"
    )
    agency = models.ForeignKey(Agency, verbose_name="cơ quan", on_delete=models.CASCADE, related_name="memberships")
    department = models.ForeignKey(
        Department,
        verbose_name="phòng, bộ phận",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField("vai trò", max_length=16, choices=Role.choices)
    # NĐ 61/2018 Art. 11 / NĐ 118/2025: the apology-and-extension letter is signed by the head of the
    # agency; the agency may designate someone else (a deputy, a unit head) by ticking this.
    signs_apology = models.BooleanField(
        "được giao ký văn bản xin lỗi, hẹn lại", default=False,
        help_text="Lãnh đạo cơ quan luôn được ký; đánh dấu để giao cho người khác (cấp phó, trưởng phòng).",
    )
    is_active = models.BooleanField("đang hiệu lực", default=True)
    valid_from = models.DateField("từ ngày", null=True, blank=True)
    valid_to = models.DateField("đến ngày", null=True, blank=True)
    note = NfcTextField("ghi chú", blank=True)
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)

    class Meta:
        verbose_name = "phân công cán bộ"
        verbose_name_plural = "phân công cán bộ"
        ordering = ["agency__code", "user__username", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "agency", "role"], condition=Q(department__isnull=True), name="org_membership_unique"
            ),
            models.UniqueConstraint(
                fields=["user", "agency", "department", "role"],
                condition=Q(department__isnull=False),
                name="org_membership_dept_unique",
            ),
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True) | Q(valid_to__isnull=True) | Q(valid_from__lte=models.F("valid_to")),
                name="org_membership_valid_range",
            ),
        ]
        indexes = [models.Index(fields=["user", "is_active"]), models.Index(fields=["agency", "role"])]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.agency.code}"

    def clean(self) -> None:
        super().clean()
        if self.department is not None and self.agency_id and self.department.agency_id != self.agency_id:
            raise ValidationError({"department": "Phòng, bộ phận không thuộc cơ quan đã chọn."})
