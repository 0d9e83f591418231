"""Procedures (thủ tục hành chính) and their immutable published versions.

A ``Procedure`` is the stable identity (national code). Everything a decision can change — names,
times, fees, documents, agencies, e-form, process — lives on a ``ProcedureVersion``. A published
version never changes, and neither do its child rows, so a dossier keeps the exact rules it was
received under (DESIGN §5.1; peers: Open Zaak case types). Changes go through a new draft.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import FileExtensionValidator, RegexValidator
from django.db import models
from django.db.models import Q

from tinhso.catalog.choices import (
    PROCEDURE_CODE_PATTERN,
    AgencyRole,
    Channel,
    CollectedWhen,
    DocumentCopy,
    FeeChannel,
    FeeKind,
    Level,
    OnlineLevel,
    ProcedureKind,
    SourceRank,
    TimeUnit,
    VersionStatus,
)
from tinhso.core.errors import Conflict
from tinhso.core.fields import NfcCharField, NfcTextField

# Form templates citizens download and fill in (mẫu đơn, tờ khai): documents, not executables or pages.
TEMPLATE_EXTENSIONS = ["pdf", "doc", "docx", "odt", "xls", "xlsx", "ods"]
PUBLISHED_IMMUTABLE = "Phiên bản đã công bố thì không được sửa hoặc xóa; hãy tạo bản nháp mới."


def _published_conflict() -> Conflict:
    return Conflict(PUBLISHED_IMMUTABLE, code="version_published")


class Sector(models.Model):
    """Lĩnh vực. ``code`` is a slug of the name unless the national category code is known."""

    code = models.SlugField("mã lĩnh vực", max_length=80, unique=True)
    name = NfcCharField("tên lĩnh vực", max_length=300, unique=True)
    national_code = models.CharField(
        "mã trên Cổng DVCQG", max_length=40, blank=True, help_text="Ví dụ G15-TP07 (vn-standards §1.2)."
    )

    class Meta:
        verbose_name = "lĩnh vực"
        verbose_name_plural = "lĩnh vực"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Procedure(models.Model):
    """The identity of a procedure: its national code and what is kept across versions."""

    code = models.CharField(
        "mã thủ tục", max_length=20, unique=True, help_text="Mã TTHC quốc gia, ví dụ 1.001193 (vn-standards §3.1).",
        validators=[RegexValidator(
            rf"^{PROCEDURE_CODE_PATTERN}\Z", "Mã thủ tục phải có dạng d.dddddd, ví dụ 1.001193.",
            code="invalid_procedure_code",
        )],
    )
    local_code = models.CharField(
        "mã thủ tục tại địa phương",
        max_length=60,
        blank=True,
        help_text="Ví dụ 1.001193.000.00.00.H44 (vn-standards §1.4).",
    )
    # Usage count behind "most used procedures": seeded by imports (never lowered by one), raised by
    # one for each dossier received (dossiers/handlers.py → services.usage.procedure_popularity_bump).
    popularity = models.PositiveIntegerField("số lượt sử dụng", default=0)
    # Denormalised for lists and search; refreshed on publish and by ``tinhso catalog refresh``.
    # ``selectors.procedure_current_version`` computes the exact answer for a given day.
    current_version = models.ForeignKey(
        "catalog.ProcedureVersion",
        verbose_name="phiên bản hiện hành",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    search_text = models.TextField("chuỗi tìm kiếm", blank=True, default="", editable=False)
    # Position of the current name in Vietnamese collation (core.text.sort_key), so lists sort in
    # SQL the same way on both databases; recomputed by services.search_index.procedure_ranks_refresh.
    name_rank = models.PositiveIntegerField("thứ tự tên", default=0, editable=False)
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)
    updated_at = models.DateTimeField("cập nhật lúc", auto_now=True)

    class Meta:
        verbose_name = "thủ tục hành chính"
        verbose_name_plural = "thủ tục hành chính"
        ordering = ["code"]
        indexes = [models.Index(fields=["-popularity", "name_rank"], name="catalog_procedure_popular")]

    def __str__(self) -> str:
        name = self.current_version.name if self.current_version_id and self.current_version else ""
        return f"{self.code} — {name}" if name else self.code


class ProcedureVersion(models.Model):
    """One version of a procedure's rules. Published versions are immutable."""

    procedure = models.ForeignKey(Procedure, verbose_name="thủ tục", on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField("số phiên bản")
    status = models.CharField(
        "trạng thái", max_length=16, choices=VersionStatus.choices, default=VersionStatus.DRAFT, db_index=True
    )
    effective_from = models.DateField("áp dụng từ ngày", null=True, blank=True)
    decision_ref = NfcCharField("quyết định công bố", max_length=300, blank=True)
    change_note = NfcTextField("nội dung thay đổi", blank=True)

    name = NfcTextField("tên thủ tục")
    kind = models.CharField("loại thủ tục", max_length=16, choices=ProcedureKind.choices, default=ProcedureKind.STANDARD)
    sector = models.ForeignKey(Sector, verbose_name="lĩnh vực", on_delete=models.PROTECT, related_name="versions")
    level = models.CharField("cấp thực hiện", max_length=16, choices=Level.choices)
    level_text = NfcCharField("cấp thực hiện (nguyên văn)", max_length=200, blank=True)
    is_vertical = models.BooleanField("ngành dọc", default=False)
    applicant_types = models.JSONField("đối tượng thực hiện", default=list, blank=True)

    processing_time_value = models.DecimalField(
        "thời hạn giải quyết", max_digits=8, decimal_places=2, null=True, blank=True
    )
    processing_time_unit = models.CharField(
        "đơn vị thời hạn", max_length=16, choices=TimeUnit.choices, blank=True, default=""
    )
    processing_time_text = NfcTextField("thời hạn giải quyết (nguyên văn)", blank=True)

    online_level = models.CharField(
        "mức độ dịch vụ công trực tuyến", max_length=8, choices=OnlineLevel.choices, default=OnlineLevel.NONE
    )
    legacy_online_level = models.PositiveSmallIntegerField(
        "mức độ theo NĐ 43/2011 (cũ)", null=True, blank=True, help_text="2, 3 hoặc 4; chỉ giữ làm dữ liệu."
    )
    submission_channels = models.JSONField("cách thức nộp", default=list, blank=True)

    steps_text = NfcTextField("trình tự thực hiện", blank=True)
    conditions_text = NfcTextField("yêu cầu, điều kiện", blank=True)
    result_text = NfcTextField("kết quả thực hiện", blank=True)
    results = models.JSONField("danh sách kết quả", default=list, blank=True)
    legal_basis = models.JSONField(
        "căn cứ pháp lý", default=list, blank=True, help_text="Danh sách {number, title, issued, issuer, effective, url}."
    )
    fees_text = NfcTextField("phí, lệ phí (nguyên văn)", blank=True)
    document_notes = models.JSONField("ghi chú thành phần hồ sơ", default=list, blank=True)
    agencies_text = models.JSONField("cơ quan thực hiện (nguyên văn)", default=list, blank=True)
    competent_text = models.JSONField("cơ quan có thẩm quyền (nguyên văn)", default=list, blank=True)
    coordinating_text = models.JSONField("cơ quan phối hợp (nguyên văn)", default=list, blank=True)
    receiving_address = NfcTextField("địa chỉ tiếp nhận hồ sơ", blank=True)
    keywords = NfcTextField("từ khóa", blank=True)
    notes = NfcTextField(
        "ghi chú dữ liệu", blank=True, help_text="Những điểm chưa kiểm chứng hoặc khác với nguồn; hiển thị công khai."
    )
    eform_schema = models.JSONField("biểu mẫu điện tử (JSON Schema)", null=True, blank=True)

    # Meets the minimum content of NĐ 63/2010 Điều 8.2 (vn-standards §3.2) plus what the engine
    # needs (a receiving agency and a process definition): only such versions accept dossiers.
    is_complete = models.BooleanField("đủ thông tin để tiếp nhận hồ sơ", default=False, editable=False)
    source_rank = models.PositiveSmallIntegerField(
        "mức đầy đủ của nguồn", choices=SourceRank.choices, default=SourceRank.MANUAL
    )
    source = models.JSONField("nguồn dữ liệu", default=dict, blank=True)
    source_hash = models.CharField("mã băm nguồn", max_length=64, blank=True, db_index=True)

    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="người tạo", null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    published_at = models.DateTimeField("công bố lúc", null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="người công bố", null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )

    class Meta:
        verbose_name = "phiên bản thủ tục"
        verbose_name_plural = "phiên bản thủ tục"
        ordering = ["procedure__code", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["procedure", "number"], name="catalog_version_number_unique"),
            # At most one open draft per procedure, so two editors cannot fork the rules.
            models.UniqueConstraint(
                fields=["procedure"], condition=Q(status=VersionStatus.DRAFT), name="catalog_one_draft"
            ),
            models.CheckConstraint(
                condition=Q(status=VersionStatus.DRAFT) | Q(effective_from__isnull=False, published_at__isnull=False),
                name="catalog_published_has_dates",
            ),
        ]
        indexes = [models.Index(fields=["procedure", "status", "effective_from"], name="catalog_version_current")]
        permissions = [("publish_procedureversion", "Được soạn và công bố phiên bản thủ tục")]

    def __str__(self) -> str:
        return f"{self.procedure.code} v{self.number} ({self.get_status_display()})"

    def save(self, *args, **kwargs):
        # The guard sits in save() as well as in the services and the admin: no write path may
        # change a version a dossier may already be running on.
        if self.pk and ProcedureVersion.objects.filter(pk=self.pk, status=VersionStatus.PUBLISHED).exists():
            raise _published_conflict()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.pk and ProcedureVersion.objects.filter(pk=self.pk, status=VersionStatus.PUBLISHED).exists():
            raise _published_conflict()
        return super().delete(*args, **kwargs)

    @property
    def is_published(self) -> bool:
        return self.status == VersionStatus.PUBLISHED


class VersionChild(models.Model):
    """Rows that belong to one version and freeze with it."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self._guard()
        if self.pk:
            # Moving a row out of a published version is a change to that version too.
            old = type(self).objects.filter(pk=self.pk).first()
            if old is not None and old._version_id_for_guard() != self._version_id_for_guard():
                old._guard()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self._guard()
        return super().delete(*args, **kwargs)

    def _version_id_for_guard(self):
        return self.version_id

    def _guard(self) -> None:
        version_id = self._version_id_for_guard()
        if version_id and ProcedureVersion.objects.filter(pk=version_id, status=VersionStatus.PUBLISHED).exists():
            raise _published_conflict()


class ProcedureAgency(VersionChild):
    """An agency that decides, receives or coordinates a procedure in this province."""

    version = models.ForeignKey(
        ProcedureVersion, verbose_name="phiên bản", on_delete=models.CASCADE, related_name="agency_links"
    )
    agency = models.ForeignKey(
        "org.Agency", verbose_name="cơ quan", on_delete=models.PROTECT, related_name="procedure_links"
    )
    role = models.CharField("vai trò", max_length=16, choices=AgencyRole.choices)

    class Meta:
        verbose_name = "cơ quan thực hiện"
        verbose_name_plural = "cơ quan thực hiện"
        ordering = ["role", "agency__code"]
        constraints = [
            models.UniqueConstraint(fields=["version", "agency", "role"], name="catalog_procedure_agency_unique")
        ]
        indexes = [models.Index(fields=["agency", "role"], name="catalog_agency_role")]

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.agency}"


class RequiredDocument(VersionChild):
    """Thành phần hồ sơ. Dossiers reference these rows by id (or ``code`` within the version)."""

    version = models.ForeignKey(
        ProcedureVersion, verbose_name="phiên bản", on_delete=models.CASCADE, related_name="documents"
    )
    code = models.CharField("mã thành phần", max_length=60, help_text="Duy nhất trong một phiên bản.")
    order = models.PositiveIntegerField("thứ tự", default=0)
    case_name = NfcTextField("trường hợp, nhóm giấy tờ", blank=True)
    name = NfcTextField("tên giấy tờ")
    original_or_copy = models.CharField(
        "loại bản", max_length=20, choices=DocumentCopy.choices, default=DocumentCopy.ORIGINAL
    )
    original_qty = models.PositiveSmallIntegerField("số bản chính", default=0)
    copy_qty = models.PositiveSmallIntegerField("số bản sao", default=0)
    quantity = models.PositiveSmallIntegerField("số lượng", null=True, blank=True)
    is_required = models.BooleanField("bắt buộc", default=True)
    template_name = NfcCharField("mẫu đơn, tờ khai", max_length=500, blank=True)
    template_file = models.FileField(
        "tệp mẫu", upload_to="catalog/templates/%Y/", blank=True,
        validators=[FileExtensionValidator(TEMPLATE_EXTENSIONS)],
        help_text="Mẫu đơn, tờ khai để người dân tải về: PDF, Word, Excel hoặc OpenDocument.",
    )
    accepts = models.JSONField(
        "định dạng chấp nhận", default=list, blank=True, help_text='Ví dụ ["pdf", "image"]; để trống: pdf và ảnh.'
    )
    electronic_form = models.BooleanField("có biểu mẫu điện tử", default=False)
    note = NfcTextField("ghi chú", blank=True)
    # The conditions under which the paper is asked (docs/catalog.md "Thành phần hồ sơ theo trường
    # hợp"): filled by the importer from the text ("khi làm thủ tục trực tiếp", "nếu … nộp hồ sơ theo
    # hình thức trực tuyến"), editable here. ``is_required`` False covers "trong trường hợp …".
    channels = models.JSONField(
        "chỉ yêu cầu khi nộp", default=list, blank=True,
        help_text='Cách thức nộp mà giấy tờ này được yêu cầu, ví dụ ["direct", "post"]; để trống: mọi cách thức.',
    )
    replaced_by_eform = models.BooleanField(
        "được thay bằng biểu mẫu điện tử", default=False,
        help_text="Tờ khai mà biểu mẫu điện tử của thủ tục thay thế: không yêu cầu tải lên khi nộp trực tuyến.",
    )

    class Meta:
        verbose_name = "thành phần hồ sơ"
        verbose_name_plural = "thành phần hồ sơ"
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["version", "code"], name="catalog_document_code_unique")]

    def __str__(self) -> str:
        return self.name[:120]

    def clean(self):
        from django.core.exceptions import ValidationError

        wrong = [c for c in self.channels or [] if c not in Channel.values] if isinstance(self.channels, list) else [1]
        if wrong:
            raise ValidationError({"channels": f"Cách thức nộp chỉ nhận: {', '.join(Channel.values)}."})

    @property
    def channels_display(self) -> str:
        return ", ".join(str(Channel(c).label).lower() for c in self.channels or [] if c in Channel.values)

    def is_asked(self, *, channel: str, has_eform: bool) -> bool:
        """Whether a dossier filed by ``channel`` (catalogue spelling: direct, online, post) is asked
        for this paper at all: not when the text limits it to other channels, and never online
        when it is the declaration the version's e-form replaces (the e-form *is* that paper)."""
        if self.channels and channel not in self.channels:
            return False
        return not (self.replaced_by_eform and has_eform and channel == Channel.ONLINE)


class Fee(VersionChild):
    """Phí or lệ phí. ``amount`` is VND, or empty when the amount follows a rule (``rule_text``)."""

    version = models.ForeignKey(ProcedureVersion, verbose_name="phiên bản", on_delete=models.CASCADE, related_name="fees")
    order = models.PositiveIntegerField("thứ tự", default=0)
    kind = models.CharField("loại", max_length=8, choices=FeeKind.choices, default=FeeKind.CHARGE)
    name = NfcCharField("tên khoản thu", max_length=300, blank=True)
    amount = models.DecimalField("mức thu (đồng)", max_digits=14, decimal_places=0, null=True, blank=True)
    rule_text = NfcTextField("cách tính", blank=True, help_text="Khi mức thu không cố định, ví dụ theo trang.")
    collected_when = models.CharField(
        "thời điểm thu", max_length=16, choices=CollectedWhen.choices, default=CollectedWhen.ON_SUBMISSION
    )
    channel = models.CharField("áp dụng cho", max_length=8, choices=FeeChannel.choices, default=FeeChannel.ALL)
    description = NfcTextField("mô tả", blank=True)

    class Meta:
        verbose_name = "phí, lệ phí"
        verbose_name_plural = "phí, lệ phí"
        ordering = ["order", "id"]
        constraints = [models.CheckConstraint(condition=Q(amount__gte=0) | Q(amount__isnull=True), name="catalog_fee_amount")]

    def __str__(self) -> str:
        return self.name or self.get_kind_display()


class SearchWord(models.Model):
    """Every folded word of the catalogue's search text, append-only.

    The search expands a query word to the catalogue words within one typo, in Python, then
    retrieves with ``LIKE`` on those words (GIN trigram index on PostgreSQL). New rows only ever
    get added, so ``MAX(id)`` tells a process whether its cached vocabulary is stale.
    """

    word = models.CharField(max_length=64, unique=True)

    class Meta:
        verbose_name = "từ tìm kiếm"
        verbose_name_plural = "từ tìm kiếm"

    def __str__(self) -> str:
        return self.word
