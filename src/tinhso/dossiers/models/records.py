"""What happens to a dossier, kept as append-only records: timeline, handovers (Mẫu 05/06), forms
issued, supplement requests, payment obligations, consultations, lateness alerts."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from tinhso.core.fields import NfcCharField, NfcTextField
from tinhso.dossiers.models.dossier import Dossier
from tinhso.dossiers.status import Status, Verdict

_USER = settings.AUTH_USER_MODEL


class DossierEvent(models.Model):
    """One line of the timeline. ``is_public`` rows appear in tracking: their ``note`` never holds
    personal data, and tracking never shows the actor."""

    dossier = models.ForeignKey(Dossier, verbose_name="hồ sơ", on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField("lúc")
    action = models.CharField("thao tác", max_length=40)
    label = NfcCharField("nội dung", max_length=300)
    actor = models.ForeignKey(_USER, verbose_name="người thực hiện", null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    actor_label = NfcCharField("tên người thực hiện", max_length=300, blank=True)
    agency = models.ForeignKey("org.Agency", verbose_name="cơ quan", null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    status_from = models.CharField("trạng thái trước", max_length=24, choices=Status.choices, blank=True)
    status_to = models.CharField("trạng thái sau", max_length=24, choices=Status.choices, blank=True)
    note = NfcTextField("ghi chú", blank=True)
    is_public = models.BooleanField("hiện khi tra cứu", default=True)
    data = models.JSONField("chi tiết", default=dict, blank=True)

    class Meta:
        verbose_name = "diễn biến hồ sơ"
        verbose_name_plural = "diễn biến hồ sơ"
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["dossier", "at"], name="dossier_event_timeline")]

    def __str__(self) -> str:
        return f"{self.dossier} {self.action}"


class Handover(models.Model):
    """One row of the handover log (phiếu kiểm soát quá trình, Mẫu 05 of 2018 / 06 of 2025):
    created when a step starts, closed when it ends, never rewritten otherwise."""

    dossier = models.ForeignKey(Dossier, verbose_name="hồ sơ", on_delete=models.CASCADE, related_name="handovers")
    seq = models.PositiveSmallIntegerField("số thứ tự")
    step = models.ForeignKey("catalog.Step", verbose_name="bước", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+")
    step_code = models.CharField("mã bước", max_length=50)
    step_name = NfcCharField("tên bước", max_length=200)
    role = models.CharField("vai trò thực hiện", max_length=16, blank=True)
    from_agency = models.ForeignKey("org.Agency", verbose_name="bên giao", null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    to_agency = models.ForeignKey("org.Agency", verbose_name="bên nhận", on_delete=models.PROTECT, related_name="+")
    given_by = models.ForeignKey(_USER, verbose_name="người giao", null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+")
    given_at = models.DateTimeField("giao lúc")
    taken_by = models.ForeignKey(_USER, verbose_name="người nhận", null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+")
    planned_due_at = models.DateTimeField("hạn xử lý", null=True, blank=True)
    finished_at = models.DateTimeField("xong lúc", null=True, blank=True)
    finished_action = models.CharField("thao tác kết thúc", max_length=24, blank=True)
    verdict = models.CharField("kết quả", max_length=8, choices=Verdict.choices, blank=True)
    note = NfcTextField("ghi chú", blank=True)

    class Meta:
        verbose_name = "lượt giao nhận hồ sơ"
        verbose_name_plural = "lượt giao nhận hồ sơ"
        ordering = ["dossier", "seq"]
        constraints = [models.UniqueConstraint(fields=["dossier", "seq"], name="dossier_handover_seq")]
        indexes = [models.Index(fields=["to_agency", "finished_at"], name="dossier_handover_agency")]

    def __str__(self) -> str:
        return f"{self.dossier} #{self.seq} {self.step_name}"


class FormIssue(models.Model):
    """A legal form issued for a dossier, numbered gaplessly per agency, kind and year.

    ``data`` is the snapshot the PDF is rendered from (``dossiers.printing.render_form``), so a reprint
    years later shows what was issued, whatever changed since.
    """

    class Kind(models.TextChoices):
        RECEIPT = "receipt", "Giấy tiếp nhận hồ sơ và hẹn trả kết quả"
        SUPPLEMENT_REQUEST = "supplement_request", "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ"
        REFUSAL = "refusal", "Phiếu từ chối tiếp nhận giải quyết hồ sơ"
        APOLOGY = "apology", "Văn bản xin lỗi và hẹn lại ngày trả kết quả"
        STOP = "stop", "Thông báo dừng giải quyết hồ sơ"
        WITHDRAWAL = "withdrawal", "Thông báo về việc rút hồ sơ"
        HANDOVER_LOG = "handover_log", "Phiếu kiểm soát quá trình giải quyết hồ sơ"

    dossier = models.ForeignKey(Dossier, verbose_name="hồ sơ", on_delete=models.CASCADE, related_name="forms")
    kind = models.CharField("loại phiếu", max_length=20, choices=Kind.choices)
    agency = models.ForeignKey("org.Agency", verbose_name="cơ quan ban hành", on_delete=models.PROTECT,
                               related_name="+")
    year = models.PositiveSmallIntegerField("năm")
    number = models.PositiveIntegerField("số")
    issued_at = models.DateTimeField("ban hành lúc")
    issued_by = models.ForeignKey(_USER, verbose_name="người lập", null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    data = models.JSONField("nội dung", default=dict)
    pdf = models.ForeignKey("core.StoredFile", verbose_name="bản PDF", null=True, blank=True,
                            on_delete=models.SET_NULL, related_name="+")

    class Seal(models.TextChoices):
        NOT_REQUIRED = "", "Không cần (bản giấy)"
        SEALED = "sealed", "Đã ký số tự động"
        NO_CERTIFICATE = "no_certificate", "Chưa ký số: cơ quan chưa có chứng thư số"
        FAILED = "failed", "Chưa ký số: lỗi khi ký"

    # Online dossiers get their forms electronically, sealed by the system (dossiers.printing.sealing);
    # a form that went out unsealed stays marked so that staff can see it.
    seal = models.CharField("chữ ký số cơ quan", max_length=16, choices=Seal.choices, blank=True, default="")

    class Meta:
        verbose_name = "phiếu đã ban hành"
        verbose_name_plural = "phiếu đã ban hành"
        ordering = ["issued_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "kind", "year", "number"], name="dossier_form_number"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} số {self.number}/{self.year}"


class SupplementRequest(models.Model):
    """Phiếu yêu cầu bổ sung (Mẫu 02): what is missing and why. At reception at most one per dossier
    (vn-standards §4.2: once, complete, in writing)."""

    class Stage(models.TextChoices):
        RECEPTION = "reception", "Khi tiếp nhận"
        PROCESSING = "processing", "Trong quá trình giải quyết"

    dossier = models.ForeignKey(Dossier, verbose_name="hồ sơ", on_delete=models.CASCADE,
                                related_name="supplement_requests")
    stage = models.CharField("giai đoạn", max_length=12, choices=Stage.choices)
    items = models.JSONField("nội dung cần bổ sung", default=list,
                             help_text="[{required_document_id, name, reason}]")
    reason = NfcTextField("lý do")
    requested_by = models.ForeignKey(_USER, verbose_name="người yêu cầu", null=True, on_delete=models.SET_NULL,
                                     related_name="+")
    requested_at = models.DateTimeField("yêu cầu lúc")
    form = models.ForeignKey(FormIssue, verbose_name="phiếu", null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+")
    resume_step = models.ForeignKey("catalog.Step", verbose_name="bước tiếp theo khi đã bổ sung", null=True,
                                    blank=True, on_delete=models.PROTECT, related_name="+")
    fulfilled_at = models.DateTimeField("đã bổ sung lúc", null=True, blank=True)
    fulfilled_by = models.ForeignKey(_USER, verbose_name="người bổ sung", null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = "yêu cầu bổ sung"
        verbose_name_plural = "yêu cầu bổ sung"
        ordering = ["requested_at", "id"]

    def __str__(self) -> str:
        return f"{self.dossier}: {self.get_stage_display()}"


class DossierPayment(models.Model):
    """A financial obligation (nghĩa vụ tài chính, status 6) and how it was settled.

    Minimal on purpose: the amount due (from the version's fees unless staff set it) and staff
    confirming payment or waiving it. A payment gateway (``payments``) will confirm through the
    same service.
    """

    class State(models.TextChoices):
        REQUESTED = "requested", "Chờ nộp"
        PAID = "paid", "Đã nộp"
        WAIVED = "waived", "Được miễn, giảm"

    dossier = models.ForeignKey(Dossier, verbose_name="hồ sơ", on_delete=models.CASCADE, related_name="payments")
    amount = models.DecimalField("số tiền (đồng)", max_digits=14, decimal_places=0)
    items = models.JSONField("các khoản", default=list, blank=True)
    state = models.CharField("tình trạng", max_length=12, choices=State.choices, default=State.REQUESTED)
    note = NfcTextField("ghi chú", blank=True)
    resume_step = models.ForeignKey("catalog.Step", verbose_name="bước tiếp theo khi đã nộp", null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    requested_by = models.ForeignKey(_USER, verbose_name="người yêu cầu", null=True, on_delete=models.SET_NULL,
                                     related_name="+")
    requested_at = models.DateTimeField("yêu cầu lúc")
    settled_by = models.ForeignKey(_USER, verbose_name="người xác nhận", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    settled_at = models.DateTimeField("xác nhận lúc", null=True, blank=True)
    reference = models.CharField("số biên lai / mã giao dịch", max_length=100, blank=True)

    class Meta:
        verbose_name = "nghĩa vụ tài chính"
        verbose_name_plural = "nghĩa vụ tài chính"
        ordering = ["requested_at", "id"]

    def __str__(self) -> str:
        return f"{self.dossier}: {self.amount} đ ({self.get_state_display()})"


class Consultation(models.Model):
    """A request for another agency's opinion (lấy ý kiến); the dossier stays at its step."""

    dossier = models.ForeignKey(Dossier, verbose_name="hồ sơ", on_delete=models.CASCADE,
                                related_name="consultations")
    from_agency = models.ForeignKey("org.Agency", verbose_name="cơ quan hỏi", on_delete=models.PROTECT,
                                    related_name="+")
    to_agency = models.ForeignKey("org.Agency", verbose_name="cơ quan được hỏi", on_delete=models.PROTECT,
                                  related_name="consultations_received")
    question = NfcTextField("nội dung xin ý kiến")
    requested_by = models.ForeignKey(_USER, verbose_name="người hỏi", null=True, on_delete=models.SET_NULL,
                                     related_name="+")
    requested_at = models.DateTimeField("hỏi lúc")
    due_at = models.DateTimeField("hạn trả lời", null=True, blank=True)
    answer = NfcTextField("ý kiến", blank=True)
    answered_by = models.ForeignKey(_USER, verbose_name="người trả lời", null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    answered_at = models.DateTimeField("trả lời lúc", null=True, blank=True)

    class Meta:
        verbose_name = "xin ý kiến"
        verbose_name_plural = "xin ý kiến"
        ordering = ["requested_at", "id"]
        indexes = [models.Index(fields=["to_agency", "answered_at"], name="dossier_consult_agency")]

    def __str__(self) -> str:
        return f"{self.dossier} → {self.to_agency.code}"


class DossierAlert(models.Model):
    """Marks that the sweep announced a lateness state, so it announces it once per due date."""

    class Kind(models.TextChoices):
        AT_RISK = "at_risk", "Sắp đến hạn"
        OVERDUE = "overdue", "Quá hạn"

    dossier = models.ForeignKey(Dossier, verbose_name="hồ sơ", on_delete=models.CASCADE, related_name="alerts")
    kind = models.CharField("loại", max_length=8, choices=Kind.choices)
    due_at = models.DateTimeField("theo hạn")
    created_at = models.DateTimeField("lúc")

    class Meta:
        verbose_name = "cảnh báo thời hạn"
        verbose_name_plural = "cảnh báo thời hạn"
        constraints = [models.UniqueConstraint(fields=["dossier", "kind", "due_at"], name="dossier_alert_once")]

    def __str__(self) -> str:
        return f"{self.dossier} {self.kind}"


class DossierAccess(models.Model):
    """An agency that received, held or was consulted on a dossier: its staff may read it.

    Written by the engine whenever a dossier reaches an agency (reception, a step, a consultation),
    never removed. It turns "the dossiers of my agencies" into one index range, newest first
    (``agency, -dossier_created_at``), instead of an ``OR`` over four conditions that makes
    PostgreSQL scan the whole table (docs/dossiers.md "Reads").
    """

    dossier = models.ForeignKey(Dossier, verbose_name="hồ sơ", on_delete=models.CASCADE, related_name="access")
    agency = models.ForeignKey("org.Agency", verbose_name="cơ quan", on_delete=models.PROTECT, related_name="+")
    dossier_created_at = models.DateTimeField("hồ sơ tạo lúc")

    class Meta:
        verbose_name = "cơ quan được xem hồ sơ"
        verbose_name_plural = "cơ quan được xem hồ sơ"
        constraints = [models.UniqueConstraint(fields=["dossier", "agency"], name="dossier_access_unique")]
        indexes = [models.Index(fields=["agency", "-dossier_created_at", "-dossier"], name="dossier_access_list")]

    def __str__(self) -> str:
        return f"{self.dossier} → {self.agency.code}"
