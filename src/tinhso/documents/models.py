"""Official documents under NĐ 30/2020: registers (sổ), outgoing (văn bản đi) and incoming (văn bản đến).

Both kinds carry agency codes of QĐ 20/2020 for their counterpart (``recipient code``, ``sender_code``)
so that the edXML exchange can deliver and receive them; an incoming document records where it came
from (``source``: upload, internal delivery, edXML).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from tinhso.core.fields import NfcCharField, NfcTextField
from tinhso.core.text import fold
from tinhso.core.validators import agency_code_validator
from tinhso.documents.kinds import Confidentiality, DocumentType, SigningAuthority, Urgency

USER = settings.AUTH_USER_MODEL


class DocumentProfile(models.Model):
    """How an agency writes its documents: its abbreviation in notations (``UBND``, ``STP``), the place
    name of the date line, the governing body printed above its name, and the types it numbers in a
    separate series (Điều 15: "theo quy định của người đứng đầu")."""

    agency = models.OneToOneField("org.Agency", on_delete=models.CASCADE, related_name="document_profile",
                                  verbose_name="cơ quan")
    notation = models.CharField("viết tắt tên cơ quan (ký hiệu)", max_length=20)
    place = NfcCharField("địa danh", max_length=100)
    governing_body = NfcCharField("tên cơ quan chủ quản", max_length=255, blank=True)
    separate_types = models.JSONField("loại văn bản lấy số riêng", default=list, blank=True)

    class Meta:
        verbose_name = "thiết lập văn bản của cơ quan"
        verbose_name_plural = "thiết lập văn bản của cơ quan"

    def __str__(self) -> str:
        return f"{self.notation} — {self.agency}"


class DocumentRegister(models.Model):
    """A numbering series (sổ văn bản) of one agency in one year. Numbers come from ``core.sequences``
    under ``scope_key``; a new year is a new register, so numbering restarts at 01 on 1 January."""

    class Kind(models.TextChoices):
        OUTGOING = "outgoing", "Văn bản đi"
        INCOMING = "incoming", "Văn bản đến"

    class Series(models.TextChoices):
        ADMINISTRATIVE = "administrative", "Văn bản hành chính"
        PER_TYPE = "per_type", "Riêng theo loại"
        SECRET = "secret", "Văn bản mật"
        INCOMING = "incoming", "Văn bản đến"

    agency = models.ForeignKey("org.Agency", on_delete=models.PROTECT, related_name="document_registers")
    year = models.PositiveSmallIntegerField("năm")
    kind = models.CharField("loại sổ", max_length=10, choices=Kind.choices)
    series = models.CharField("dãy số", max_length=16, choices=Series.choices)
    doc_type = models.CharField("loại văn bản", max_length=4, choices=DocumentType.choices, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "sổ văn bản"
        verbose_name_plural = "sổ văn bản"
        constraints = [models.UniqueConstraint(fields=["agency", "year", "kind", "series", "doc_type"],
                                               name="documents_register_unique")]

    def __str__(self) -> str:
        extra = f" {self.doc_type}" if self.doc_type else ""
        return f"{self.get_kind_display()} {self.year} — {self.get_series_display()}{extra} ({self.agency.code})"

    @property
    def scope_key(self) -> str:
        return f"documents:register:{self.pk}"


class OutgoingDocument(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Dự thảo"
        IN_REVIEW = "in_review", "Chờ lãnh đạo phòng duyệt"
        RETURNED = "returned", "Trả lại để sửa"
        AWAITING_SIGNATURE = "awaiting_signature", "Chờ ký"
        SIGNED = "signed", "Đã ký, chờ phát hành"
        ISSUED = "issued", "Đã phát hành"
        RECALLED = "recalled", "Đã thu hồi"
        REPLACED = "replaced", "Đã được thay thế"

    agency = models.ForeignKey("org.Agency", on_delete=models.PROTECT, related_name="outgoing_documents")
    department = models.ForeignKey("org.Department", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="outgoing_documents", verbose_name="đơn vị soạn thảo")
    unit_abbr = models.CharField("viết tắt đơn vị soạn thảo", max_length=20, blank=True)
    doc_type = models.CharField("loại văn bản", max_length=4, choices=DocumentType.choices)
    subject = NfcCharField("trích yếu", max_length=500)
    body = NfcTextField("nội dung", blank=True)
    authority = models.CharField("thẩm quyền ký", max_length=5, choices=SigningAuthority.choices, blank=True)
    signer = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name="người ký")
    signer_title = NfcCharField("chức vụ người ký", max_length=150)
    head_title = NfcCharField("chức vụ người đứng đầu (sau TM./KT.)", max_length=150, blank=True)
    urgency = models.CharField("độ khẩn", max_length=12, choices=Urgency.choices, default=Urgency.NORMAL)
    confidentiality = models.CharField("độ mật", max_length=10, choices=Confidentiality.choices,
                                       default=Confidentiality.NORMAL)
    reply_due = models.DateField("hạn trả lời", null=True, blank=True)
    keep_unit = NfcCharField("đơn vị lưu (Lưu: VT, …)", max_length=50, blank=True)
    uploaded_file = models.ForeignKey("core.StoredFile", null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="+", verbose_name="tệp PDF tự soạn")
    attachments = models.ManyToManyField("core.StoredFile", blank=True, related_name="+")
    reply_to = models.ForeignKey("IncomingDocument", null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="replies", verbose_name="trả lời văn bản đến")
    replaces = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="replaced_by", verbose_name="thay thế văn bản")

    status = models.CharField("trạng thái", max_length=20, choices=Status.choices, default=Status.DRAFT)
    version = models.PositiveIntegerField(default=1)
    drafted_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    reviewer = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    register = models.ForeignKey(DocumentRegister, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="outgoing_documents")
    number = models.PositiveIntegerField("số", null=True, blank=True)
    notation = models.CharField("số, ký hiệu", max_length=40, blank=True)
    issued_on = models.DateField("ngày ban hành", null=True, blank=True)
    issued_at = models.DateTimeField(null=True, blank=True)
    issued_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField(null=True, blank=True)
    # False when the leader approved without a personal certificate (TINHSO_DOCUMENT_SIGNING_REQUIRED off):
    # the statistics report "signed electronically or not" from this, not from signed_at.
    digitally_signed = models.BooleanField("đã ký số", default=False)
    signed_file = models.ForeignKey("core.StoredFile", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", verbose_name="bản đã ký")
    recall_reason = NfcTextField(blank=True)
    participants = models.ManyToManyField(USER, blank=True, related_name="+")
    search_text = models.CharField(max_length=1200, editable=False, default="", db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "văn bản đi"
        verbose_name_plural = "văn bản đi"
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["register", "number"], condition=Q(number__isnull=False),
                                               name="documents_outgoing_number_unique")]
        indexes = [models.Index(fields=["agency", "status"]), models.Index(fields=["issued_on"])]

    def __str__(self) -> str:
        return self.notation or f"Dự thảo #{self.pk}: {self.subject[:60]}"

    def save(self, *args, **kwargs):
        self.search_text = fold(" ".join([self.notation, self.subject, self.agency.name if self.agency_id else ""]))
        super().save(*args, **kwargs)

    @property
    def ref(self) -> str:
        return f"di-{self.pk}"

    @property
    def is_secret(self) -> bool:
        return self.confidentiality != Confidentiality.NORMAL


class OutgoingRecipient(models.Model):
    """One addressee: an agency of this instance (``agency``) or an outside one known by its QĐ 20/2020
    code (``code``); ``name`` is what the Nơi nhận list prints."""

    document = models.ForeignKey(OutgoingDocument, on_delete=models.CASCADE, related_name="recipients")
    agency = models.ForeignKey("org.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    code = models.CharField("mã định danh", max_length=35, validators=[agency_code_validator])
    name = NfcCharField("tên nơi nhận", max_length=255)
    for_information = models.BooleanField("để biết", default=False)
    delivered_incoming = models.ForeignKey("IncomingDocument", null=True, blank=True, on_delete=models.SET_NULL,
                                           related_name="+")

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class DraftVersion(models.Model):
    """Each saved state of a draft, kept (Điều 10: the drafts stay with the document)."""

    document = models.ForeignKey(OutgoingDocument, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    subject = NfcCharField(max_length=500)
    body = NfcTextField(blank=True)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["document", "number"], name="documents_draft_version_unique")]

    def __str__(self) -> str:
        return f"{self.document_id} v{self.number}"


class DraftComment(models.Model):
    document = models.ForeignKey(OutgoingDocument, on_delete=models.CASCADE, related_name="comments")
    version_number = models.PositiveIntegerField()
    author = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    text = NfcTextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.text[:60]


class IncomingDocument(models.Model):
    class Status(models.TextChoices):
        REGISTERED = "registered", "Đã vào sổ, chờ phân công"
        ASSIGNED = "assigned", "Đã phân công"
        IN_PROGRESS = "in_progress", "Đang giải quyết"
        DONE = "done", "Đã giải quyết"
        RECALLED = "recalled", "Đã bị thu hồi"

    class Source(models.TextChoices):
        UPLOAD = "upload", "Tải lên, quét"
        INTERNAL = "internal", "Nhận trên hệ thống"
        EDXML = "edxml", "Liên thông edXML"
        PAPER = "paper", "Bản giấy (chỉ thông tin)"

    class DeadlineState(models.TextChoices):
        NONE = "", "—"
        ON_TRACK = "on_track", "Trong hạn"
        AT_RISK = "at_risk", "Sắp đến hạn"
        OVERDUE = "overdue", "Quá hạn"

    agency = models.ForeignKey("org.Agency", on_delete=models.PROTECT, related_name="incoming_documents")
    register = models.ForeignKey(DocumentRegister, on_delete=models.PROTECT, related_name="incoming_documents")
    arrival_number = models.PositiveIntegerField("số đến")
    arrived_at = models.DateTimeField("ngày đến")
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.UPLOAD)
    sender_code = models.CharField("mã cơ quan gửi", max_length=35, blank=True, validators=[agency_code_validator])
    sender_name = NfcCharField("cơ quan ban hành", max_length=255)
    their_notation = models.CharField("số, ký hiệu", max_length=40)
    their_date = models.DateField("ngày văn bản")
    doc_type = models.CharField("loại văn bản", max_length=4, choices=DocumentType.choices)
    subject = NfcCharField("trích yếu", max_length=500)
    urgency = models.CharField(max_length=12, choices=Urgency.choices, default=Urgency.NORMAL)
    confidentiality = models.CharField(max_length=10, choices=Confidentiality.choices, default=Confidentiality.NORMAL)
    signer_name = NfcCharField("người ký", max_length=100, blank=True)
    page_count = models.PositiveIntegerField("số trang", null=True, blank=True)
    file = models.ForeignKey("core.StoredFile", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    metadata_only = models.BooleanField("chỉ đăng ký thông tin", default=False)
    signature_summary = models.JSONField("kết quả kiểm tra chữ ký", default=dict, blank=True)
    duplicate_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    from_outgoing = models.ForeignKey(OutgoingDocument, null=True, blank=True, on_delete=models.SET_NULL,
                                      related_name="deliveries")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.REGISTERED)
    version = models.PositiveIntegerField(default=1)
    registered_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    instruction = NfcTextField("ý kiến chỉ đạo", blank=True)
    due_at = models.DateTimeField("hạn giải quyết", null=True, blank=True)
    deadline_state = models.CharField(max_length=10, choices=DeadlineState.choices, blank=True, default="")
    finished_at = models.DateTimeField(null=True, blank=True)
    result_note = NfcTextField("kết quả giải quyết", blank=True)
    reply = models.ForeignKey(OutgoingDocument, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    participants = models.ManyToManyField(USER, blank=True, related_name="+")
    search_text = models.CharField(max_length=1200, editable=False, default="", db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "văn bản đến"
        verbose_name_plural = "văn bản đến"
        ordering = ["-arrived_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["register", "arrival_number"],
                                               name="documents_incoming_number_unique")]
        indexes = [models.Index(fields=["agency", "status"]), models.Index(fields=["agency", "arrived_at"]),
                   models.Index(fields=["sender_name", "their_notation", "their_date"])]

    def __str__(self) -> str:
        return f"Đến số {self.arrival_number}: {self.their_notation}"

    def save(self, *args, **kwargs):
        self.search_text = fold(" ".join([str(self.arrival_number or ""), self.their_notation, self.subject,
                                          self.sender_name, self.sender_code]))
        super().save(*args, **kwargs)

    @property
    def ref(self) -> str:
        return f"den-{self.pk}"

    @property
    def is_secret(self) -> bool:
        return self.confidentiality != Confidentiality.NORMAL


class Assignment(models.Model):
    """Who handles an incoming document (Phiếu giải quyết): chủ trì, phối hợp, để biết — a unit or a
    person; the unit head's hand-over to a specialist is a row with ``parent``."""

    class Role(models.TextChoices):
        LEAD = "lead", "Chủ trì"
        COORDINATE = "coordinate", "Phối hợp"
        INFORM = "inform", "Để biết"

    document = models.ForeignKey(IncomingDocument, on_delete=models.CASCADE, related_name="assignments")
    role = models.CharField(max_length=10, choices=Role.choices)
    department = models.ForeignKey("org.Department", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="children")
    deadline_days = models.PositiveSmallIntegerField(null=True, blank=True)
    due_at = models.DateTimeField(null=True, blank=True)
    instruction = NfcTextField(blank=True)
    assigned_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    assigned_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [models.CheckConstraint(condition=Q(department__isnull=False) | Q(user__isnull=False),
                                              name="documents_assignment_target")]

    def __str__(self) -> str:
        return f"{self.get_role_display()} {self.department or self.user}"


class ProgressNote(models.Model):
    document = models.ForeignKey(IncomingDocument, on_delete=models.CASCADE, related_name="progress_notes")
    author = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    text = NfcTextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.text[:60]


class DocumentEvent(models.Model):
    """The timeline of a document (who did what, when, with which note), append-only."""

    outgoing = models.ForeignKey(OutgoingDocument, null=True, blank=True, on_delete=models.CASCADE,
                                 related_name="events")
    incoming = models.ForeignKey(IncomingDocument, null=True, blank=True, on_delete=models.CASCADE,
                                 related_name="events")
    action = models.CharField(max_length=40)
    label = NfcCharField(max_length=200)
    actor = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    actor_label = NfcCharField(max_length=200, blank=True)
    note = NfcTextField(blank=True)
    data = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "id"]
        constraints = [models.CheckConstraint(
            condition=Q(outgoing__isnull=False, incoming__isnull=True) | Q(outgoing__isnull=True, incoming__isnull=False),
            name="documents_event_one_target")]

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M} {self.label}"
