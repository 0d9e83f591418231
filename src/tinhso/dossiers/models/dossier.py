"""The dossier (hồ sơ): one application by one applicant for one procedure (DESIGN §2)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from tinhso.core.fields import NfcCharField, NfcTextField
from tinhso.dossiers.status import Channel, Outcome, ReturnMethod, Status, Verdict, national_status


class ApplicantKind(models.TextChoices):
    CITIZEN = "citizen", "Công dân"
    BUSINESS = "business", "Tổ chức, doanh nghiệp"


class Dossier(models.Model):
    """State of a dossier. Changed only by the services in ``dossiers.services``, each under a row
    lock, each bumping ``version`` (optimistic concurrency for callers that send it back)."""

    # TT 01/2018 Điều 19: the code's date is the day of receipt and its counter counts dossiers
    # received that day. Until an online dossier is received, ``code`` holds its provisional
    # ``reference``; the reference stays after receipt, so the one the citizen was given still works.
    code = models.CharField("mã hồ sơ", max_length=60, unique=True, null=True, blank=True,
                            help_text="Cấp khi tiếp nhận; trước đó là mã tham chiếu tạm; bản nháp chưa có mã.")
    reference = models.CharField("mã tham chiếu khi nộp", max_length=60, unique=True, null=True, blank=True,
                                 help_text="Cấp khi nộp trực tuyến, trước khi hồ sơ được tiếp nhận.")
    procedure = models.ForeignKey("catalog.Procedure", verbose_name="thủ tục", on_delete=models.PROTECT,
                                  related_name="dossiers")
    procedure_version = models.ForeignKey("catalog.ProcedureVersion", verbose_name="phiên bản thủ tục",
                                          on_delete=models.PROTECT, related_name="dossiers")
    regulation = models.ForeignKey("dossiers.Regulation", verbose_name="quy định áp dụng", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="dossiers")
    receiving_agency = models.ForeignKey("org.Agency", verbose_name="cơ quan tiếp nhận", null=True, blank=True,
                                         on_delete=models.PROTECT, related_name="received_dossiers")
    current_agency = models.ForeignKey("org.Agency", verbose_name="cơ quan đang xử lý", null=True, blank=True,
                                       on_delete=models.PROTECT, related_name="current_dossiers")
    channel = models.CharField("kênh nộp", max_length=8, choices=Channel.choices)
    status = models.CharField("trạng thái", max_length=24, choices=Status.choices, default=Status.DRAFT)
    outcome = models.CharField("kết quả giải quyết", max_length=12, choices=Outcome.choices, blank=True)
    document_case = NfcCharField("trường hợp (nhóm giấy tờ)", max_length=500, blank=True)

    # --- applicant snapshot (chủ hồ sơ) — what was declared on this dossier, not the account ---------
    applicant_kind = models.CharField("loại chủ hồ sơ", max_length=10, choices=ApplicantKind.choices,
                                      default=ApplicantKind.CITIZEN)
    applicant_name = NfcCharField("họ tên / tên tổ chức", max_length=200, blank=True)
    applicant_id_number = models.CharField("số định danh cá nhân", max_length=12, blank=True)
    applicant_tax_code = models.CharField("mã số thuế", max_length=14, blank=True)
    applicant_phone = models.CharField("số điện thoại", max_length=15, blank=True)
    applicant_email = models.EmailField("thư điện tử", blank=True)
    applicant_address = NfcCharField("địa chỉ", max_length=300, blank=True)
    applicant_birth_date = models.DateField("ngày sinh", null=True, blank=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="tài khoản nộp", null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="dossiers",
                              help_text="Tài khoản công dân, doanh nghiệp đã nộp trực tuyến.")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="người nhập", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    form_data = models.JSONField("dữ liệu biểu mẫu điện tử", default=dict, blank=True)
    note = NfcTextField("ghi chú", blank=True)

    # --- time (vn-standards §3.3 names in brackets) ------------------------------------------------
    submitted_at = models.DateTimeField("nộp lúc", null=True, blank=True)  # NgayNopHoSo
    received_at = models.DateTimeField("tiếp nhận lúc", null=True, blank=True)  # NgayTiepNhan
    due_at = models.DateTimeField("hẹn trả lúc", null=True, blank=True)  # NgayHenTra
    original_due_at = models.DateTimeField("hẹn trả ban đầu", null=True, blank=True)
    resolved_at = models.DateTimeField("xử lý xong lúc", null=True, blank=True)  # NgayKetThucXuLy
    returned_at = models.DateTimeField("trả kết quả lúc", null=True, blank=True)  # NgayTra
    closed_at = models.DateTimeField("kết thúc lúc", null=True, blank=True,
                                     help_text="Từ chối tiếp nhận, rút hồ sơ hoặc dừng xử lý.")
    return_method = models.CharField("hình thức trả kết quả", max_length=12, choices=ReturnMethod.choices,
                                     blank=True)
    paused_since = models.DateTimeField("tạm dừng tính thời hạn từ", null=True, blank=True)
    paused_minutes = models.PositiveIntegerField("số phút làm việc đã tạm dừng", default=0)
    supplement_count = models.PositiveSmallIntegerField("số lần yêu cầu bổ sung", default=0)
    verdict = models.CharField("kết quả về thời hạn", max_length=8, choices=Verdict.choices, blank=True)

    # --- where it is in the process ------------------------------------------------------------------
    current_step = models.ForeignKey("catalog.Step", verbose_name="bước hiện tại", null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    # Who must act now, denormalised so the work queue filters on one indexed table. Empty exactly
    # when nobody on the staff side has to act (draft, waiting for a reception-stage supplement,
    # refused, withdrawn, stopped, returned): services.engine keeps that invariant.
    acting_role = models.CharField("vai trò cần xử lý", max_length=16, blank=True)
    step_due_at = models.DateTimeField("hạn của bước hiện tại", null=True, blank=True)
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="người được phân công", null=True,
                                 blank=True, on_delete=models.PROTECT, related_name="assigned_dossiers")
    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="người tiếp nhận", null=True,
                                    blank=True, on_delete=models.PROTECT, related_name="+")

    version = models.PositiveIntegerField("phiên bản dữ liệu", default=1)
    search_text = models.TextField(editable=False, blank=True, default="")
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)
    updated_at = models.DateTimeField("cập nhật lúc", auto_now=True)

    class Meta:
        verbose_name = "hồ sơ"
        verbose_name_plural = "hồ sơ"
        ordering = ["-created_at"]
        indexes = [
            # Partial: only dossiers someone must act on (a small part of the table once years of
            # finished dossiers pile up), so the work queue's count and sort stay small.
            # The queue is read in (due_at, id) order: with id in the index a page of 50 is the first
            # 50 index entries, no sort. One index per kind of reader: a role, or a head (whole agency).
            models.Index(fields=["current_agency", "acting_role", "due_at", "id"], condition=~Q(acting_role=""),
                         name="dossier_queue"),
            models.Index(fields=["current_agency", "due_at", "id"], condition=~Q(acting_role=""),
                         name="dossier_queue_agency"),
            models.Index(fields=["assignee", "due_at"], name="dossier_assignee_due"),
            models.Index(fields=["receiving_agency", "status", "due_at"], name="dossier_agency_status_due"),
            models.Index(fields=["receiving_agency", "received_at"], name="dossier_agency_received"),
            models.Index(fields=["owner", "-created_at"], name="dossier_owner"),
            models.Index(fields=["-created_at", "-id"], name="dossier_created"),
            models.Index(fields=["status", "due_at"], name="dossier_status_due"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(status=Status.DRAFT) | Q(code__isnull=False),
                                   name="dossier_code_when_submitted"),
        ]

    def __str__(self) -> str:
        return self.code or f"Bản nháp #{self.pk}"

    @property
    def code_is_provisional(self) -> bool:
        """Submitted online, not received yet (or refused): the code is only the reference."""
        return self.reference is not None and self.code == self.reference

    @property
    def national_status_code(self) -> int | None:
        return national_status(self.status)

    @property
    def is_paused(self) -> bool:
        return self.paused_since is not None


class Role(models.TextChoices):
    SUBMITTED = "submitted", "Nộp kèm hồ sơ"
    SUPPLEMENT = "supplement", "Bổ sung"
    SCAN = "scan", "Bản quét tại Bộ phận Một cửa"
    RESULT = "result", "Kết quả giải quyết"


class DossierDocument(models.Model):
    """One file of a dossier (thành phần hồ sơ, or a result). Several files may answer one component."""

    Role = Role

    dossier = models.ForeignKey(Dossier, verbose_name="hồ sơ", on_delete=models.CASCADE, related_name="documents")
    required_document = models.ForeignKey("catalog.RequiredDocument", verbose_name="thành phần hồ sơ", null=True,
                                          blank=True, on_delete=models.PROTECT, related_name="+")
    name = NfcCharField("tên giấy tờ", max_length=500)
    file = models.ForeignKey("core.StoredFile", verbose_name="tệp", on_delete=models.PROTECT, related_name="+")
    role = models.CharField("loại", max_length=12, choices=Role.choices, default=Role.SUBMITTED)
    supplement_request = models.ForeignKey("dossiers.SupplementRequest", verbose_name="theo yêu cầu bổ sung",
                                           null=True, blank=True, on_delete=models.PROTECT, related_name="documents")
    is_digitised = models.BooleanField("bản số hóa từ giấy", default=False)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="người tải lên", null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField("tải lên lúc")

    class Meta:
        verbose_name = "giấy tờ của hồ sơ"
        verbose_name_plural = "giấy tờ của hồ sơ"
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.name[:120]
