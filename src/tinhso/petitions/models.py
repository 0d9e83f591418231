"""Feedback (phản ánh, kiến nghị — PAKN): the petition, its history, attachments, routing rules, alerts."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from tinhso.core.fields import NfcCharField, NfcTextField
from tinhso.core.text import fold
from tinhso.petitions.status import Channel, Feedback, Kind, Status


class Petition(models.Model):
    """One piece of feedback from one sender. ``agency`` is the agency handling it now; a transfer
    changes it and restarts the deadlines (vn-standards §6.2: "within N working days of receipt or
    transfer")."""

    code = models.CharField("mã phản ánh", max_length=24, unique=True)
    kind = models.CharField("phân loại", max_length=16, choices=Kind.choices)
    channel = models.CharField("kênh tiếp nhận", max_length=16, choices=Channel.choices)
    status = models.CharField("trạng thái", max_length=16, choices=Status.choices, default=Status.PENDING)
    subject = NfcCharField("tiêu đề", max_length=200)
    content = NfcTextField("nội dung")
    # Who sent it. Personal data: shown only to the handling agency's staff, each read logged.
    sender_user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="tài khoản người gửi", null=True,
                                    blank=True, on_delete=models.SET_NULL, related_name="petitions_sent")
    sender_name = NfcCharField("họ tên người gửi", max_length=200)
    sender_phone = models.CharField("điện thoại người gửi", max_length=20, blank=True, db_index=True)
    sender_email = models.EmailField("thư điện tử người gửi", blank=True)
    sender_address = NfcCharField("địa chỉ người gửi", max_length=300, blank=True)
    phone_verified = models.BooleanField("điện thoại đã xác thực", default=False)
    publish_consent = models.BooleanField("đồng ý công khai", default=True)
    is_personal = models.BooleanField("nội dung riêng tư (không công khai)", default=False)
    commune = models.ForeignKey("org.AdministrativeUnit", verbose_name="xã, phường", null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")
    sector = models.ForeignKey("catalog.Sector", verbose_name="lĩnh vực", null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    procedure = models.ForeignKey("catalog.Procedure", verbose_name="thủ tục", null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    dossier = models.ForeignKey("dossiers.Dossier", verbose_name="hồ sơ", null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")
    named_officer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="cán bộ bị phản ánh", null=True,
                                      blank=True, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey("org.Agency", verbose_name="cơ quan xử lý", on_delete=models.PROTECT,
                               related_name="petitions")
    intake_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="cán bộ nhập", null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="chuyên viên xử lý", null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="petitions_assigned")
    # The clock of the current agency (restarted by a transfer and by a reopening).
    received_at = models.DateTimeField("gửi lúc", default=timezone.now, db_index=True)
    clock_started_at = models.DateTimeField("bắt đầu tính hạn lúc")
    refuse_due_at = models.DateTimeField("hạn từ chối")
    info_due_at = models.DateTimeField("hạn yêu cầu bổ sung")
    due_at = models.DateTimeField("hạn xử lý", db_index=True)
    paused_at = models.DateTimeField("tạm dừng từ", null=True, blank=True)
    paused_minutes = models.PositiveIntegerField("phút làm việc đã tạm dừng", default=0)
    info_requested_count = models.PositiveSmallIntegerField("số lần yêu cầu bổ sung", default=0)
    info_question = NfcTextField("nội dung yêu cầu bổ sung", blank=True)
    info_answer = NfcTextField("thông tin người gửi bổ sung", blank=True)
    status_before_pause = models.CharField(max_length=16, blank=True, editable=False)
    answer = NfcTextField("nội dung trả lời", blank=True)
    answered_at = models.DateTimeField("trả lời lúc", null=True, blank=True)
    answered_by_agency = models.ForeignKey("org.Agency", verbose_name="cơ quan trả lời", null=True, blank=True,
                                           on_delete=models.PROTECT, related_name="+")
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="lãnh đạo duyệt", null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    publish_due_at = models.DateTimeField("hạn công khai", null=True, blank=True)
    published_at = models.DateTimeField("công khai lúc", null=True, blank=True, db_index=True)
    refusal_reason = NfcTextField("lý do từ chối", blank=True)
    refused_at = models.DateTimeField("từ chối lúc", null=True, blank=True)
    feedback = models.CharField("đánh giá của người gửi", max_length=16, choices=Feedback.choices, blank=True)
    feedback_at = models.DateTimeField("đánh giá lúc", null=True, blank=True)
    objection = NfcTextField("ý kiến không đồng ý", blank=True)
    objected_at = models.DateTimeField("không đồng ý lúc", null=True, blank=True)
    reopened_count = models.PositiveSmallIntegerField("số lần mở lại", default=0)
    version = models.PositiveIntegerField("phiên bản", default=1)
    search_text = models.TextField(editable=False, default="")
    created_at = models.DateTimeField("tạo lúc", default=timezone.now)

    class Meta:
        verbose_name = "phản ánh, kiến nghị"
        verbose_name_plural = "phản ánh, kiến nghị"
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["agency", "status"], name="petition_agency_status"),
            models.Index(fields=["status", "-published_at"], name="petition_public_list"),
            models.Index(fields=["status", "due_at"], name="petition_open_due"),
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.subject}"

    def save(self, *args, **kwargs):
        # The folded copy is what the public search matches ("tra loi" finds "trả lời").
        self.search_text = fold(f"{self.code} {self.subject} {self.content} {self.answer}")
        super().save(*args, **kwargs)

    @classmethod
    def from_db(cls, db, field_names, values):
        row = super().from_db(db, field_names, values)
        # What the tallies count this row as, so a transition moves it between the right two counts.
        if "agency_id" in row.__dict__ and "status" in row.__dict__:
            row._tallied = (row.agency_id, row.status)
        return row

    @property
    def publishable(self) -> bool:
        return self.publish_consent and not self.is_personal


class PetitionEvent(models.Model):
    """One line of the history: received, transferred (with both agencies), answered…"""

    petition = models.ForeignKey(Petition, verbose_name="phản ánh", on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField("lúc")
    action = models.CharField("thao tác", max_length=32)
    label = NfcCharField("mô tả", max_length=200)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="người thực hiện", null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    actor_label = NfcCharField("người thực hiện (tên)", max_length=200, blank=True)
    agency = models.ForeignKey("org.Agency", verbose_name="cơ quan", null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    status_from = models.CharField(max_length=16, blank=True)
    status_to = models.CharField(max_length=16)
    note = NfcTextField("ghi chú", blank=True)
    is_public = models.BooleanField("người gửi thấy", default=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = "diễn biến xử lý"
        verbose_name_plural = "diễn biến xử lý"
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.petition_id}: {self.label}"


class PetitionAttachment(models.Model):
    petition = models.ForeignKey(Petition, verbose_name="phản ánh", on_delete=models.CASCADE,
                                 related_name="attachments")
    file = models.ForeignKey("core.StoredFile", verbose_name="tệp", on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField("đính kèm lúc", default=timezone.now)

    class Meta:
        verbose_name = "tệp đính kèm"
        verbose_name_plural = "tệp đính kèm"
        ordering = ["added_at", "id"]

    def __str__(self) -> str:
        return str(self.file_id)


class RoutingRule(models.Model):
    """Ordered routing (Signalen): the first active rule whose filled fields all match decides the agency.
    An empty field matches anything, so the last rule can be a catch-all."""

    position = models.PositiveIntegerField("thứ tự", default=100, db_index=True)
    kind = models.CharField("phân loại", max_length=16, choices=Kind.choices, blank=True)
    sector = models.ForeignKey("catalog.Sector", verbose_name="lĩnh vực", null=True, blank=True,
                               on_delete=models.CASCADE, related_name="+")
    commune = models.ForeignKey("org.AdministrativeUnit", verbose_name="xã, phường", null=True, blank=True,
                                on_delete=models.CASCADE, related_name="+")
    agency = models.ForeignKey("org.Agency", verbose_name="cơ quan tiếp nhận", on_delete=models.CASCADE,
                               related_name="+")
    is_active = models.BooleanField("đang áp dụng", default=True)
    note = NfcCharField("ghi chú", max_length=300, blank=True)

    class Meta:
        verbose_name = "quy tắc phân luồng"
        verbose_name_plural = "quy tắc phân luồng"
        ordering = ["position", "id"]

    def __str__(self) -> str:
        parts = [self.get_kind_display() if self.kind else "", str(self.sector or ""), str(self.commune or "")]
        return f"{self.position}. {' · '.join(p for p in parts if p) or 'mọi phản ánh'} → {self.agency}"


class PetitionAlert(models.Model):
    """The sweep announced at-risk/overdue for this due date (once)."""

    class Kind(models.TextChoices):
        AT_RISK = "at_risk", "Sắp đến hạn"
        OVERDUE = "overdue", "Quá hạn"

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="alerts")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    due_at = models.DateTimeField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["petition", "kind", "due_at"], name="petition_alert_once")]

    def __str__(self) -> str:
        return f"{self.petition_id}: {self.kind} {self.due_at:%d/%m/%Y}"


class PetitionTally(models.Model):
    """How many petitions an agency holds in one status, kept in the transaction of every status change
    (``services.tally_move``): the public counters read a few dozen rows instead of counting the table.
    ``tinhso petitions recount`` rebuilds them from the petitions (after a bulk load)."""

    agency = models.ForeignKey("org.Agency", verbose_name="cơ quan", on_delete=models.CASCADE, related_name="+")
    status = models.CharField("trạng thái", max_length=16, choices=Status.choices)
    count = models.IntegerField("số phản ánh", default=0)

    class Meta:
        verbose_name = "số phản ánh theo trạng thái"
        verbose_name_plural = "số phản ánh theo trạng thái"
        constraints = [models.UniqueConstraint(fields=["agency", "status"], name="petition_tally_once")]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.status}: {self.count}"
