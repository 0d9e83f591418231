"""Process definitions (quy trình nội bộ): the steps a dossier goes through after reception.

Stored and validated here (``catalog.process``); executed by the one-stop-shop engine. Reception
(receive, request a supplement, refuse at the counter) is the engine's fixed entry stage and is not
part of a definition: the first step starts once a dossier has been received. The format is
described, with an example, in ``docs/catalog.md``.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from tinhso.catalog.choices import Role, StepAction, StepScope, TimeUnit
from tinhso.catalog.models.procedures import ProcedureVersion, VersionChild
from tinhso.core.fields import NfcCharField, NfcTextField


class ProcessDefinition(VersionChild):
    """One per procedure version; freezes with the version."""

    version = models.OneToOneField(
        ProcedureVersion, verbose_name="phiên bản", on_delete=models.CASCADE, related_name="process"
    )
    note = NfcTextField("ghi chú", blank=True)
    # NĐ 61/2018 / NĐ 118/2025: the applicant is told ONCE, fully and in writing, what to complete —
    # over the dossier's whole life, reception and processing together (vn-standards §4.2). Only a
    # procedure whose own legal text allows more may raise the limit, and it must cite that text.
    supplement_limit = models.PositiveSmallIntegerField(
        "số lần yêu cầu bổ sung tối đa", default=1, validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text="Theo quy định chung chỉ được yêu cầu bổ sung một lần; chỉ tăng khi văn bản quy định thủ tục cho phép.",
    )
    supplement_limit_basis = NfcTextField(
        "căn cứ cho phép bổ sung nhiều lần", blank=True,
        help_text="Bắt buộc khi số lần tối đa lớn hơn 1: văn bản, điều khoản cho phép.",
    )

    class Meta:
        verbose_name = "quy trình nội bộ"
        verbose_name_plural = "quy trình nội bộ"

    def __str__(self) -> str:
        return f"Quy trình {self.version}"

    def first_step(self):
        return self.steps.order_by("order", "id").first()

    def clean(self) -> None:
        super().clean()
        if (self.supplement_limit or 1) > 1 and not (self.supplement_limit_basis or "").strip():
            raise ValidationError({"supplement_limit_basis": "Cho phép yêu cầu bổ sung nhiều lần phải ghi rõ căn cứ "
                                                             "(văn bản, điều khoản quy định thủ tục)."})


class Step(VersionChild):
    definition = models.ForeignKey(
        ProcessDefinition, verbose_name="quy trình", on_delete=models.CASCADE, related_name="steps"
    )
    code = models.SlugField("mã bước", max_length=50)
    name = NfcCharField("tên bước", max_length=200)
    order = models.PositiveIntegerField("thứ tự")
    role = models.CharField("vai trò thực hiện", max_length=16, choices=Role.choices)
    agency_scope = models.CharField("cơ quan thực hiện", max_length=16, choices=StepScope.choices)
    agency = models.ForeignKey(
        "org.Agency",
        verbose_name="cơ quan (liên thông)",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="process_steps",
        help_text="Chỉ dùng khi cơ quan thực hiện là “một cơ quan xác định”.",
    )
    department_code = models.CharField("mã phòng, bộ phận", max_length=20, blank=True)
    duration_value = models.DecimalField("thời gian", max_digits=8, decimal_places=2, default=0)
    duration_unit = models.CharField(
        "đơn vị thời gian", max_length=16, choices=TimeUnit.choices, default=TimeUnit.WORKING_DAYS
    )
    description = NfcTextField("mô tả công việc", blank=True)

    class Meta:
        verbose_name = "bước xử lý"
        verbose_name_plural = "bước xử lý"
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["definition", "code"], name="catalog_step_code_unique"),
            models.UniqueConstraint(fields=["definition", "order"], name="catalog_step_order_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.name}"

    def _version_id_for_guard(self):
        return ProcessDefinition.objects.filter(pk=self.definition_id).values_list("version_id", flat=True).first()


class Transition(VersionChild):
    """From a step, an action leads to another step, or ends the process when ``to_step`` is empty."""

    definition = models.ForeignKey(
        ProcessDefinition, verbose_name="quy trình", on_delete=models.CASCADE, related_name="transitions"
    )
    from_step = models.ForeignKey(
        Step, verbose_name="từ bước", on_delete=models.CASCADE, related_name="outgoing"
    )
    action = models.CharField("thao tác", max_length=24, choices=StepAction.choices)
    to_step = models.ForeignKey(
        Step, verbose_name="đến bước", null=True, blank=True, on_delete=models.CASCADE, related_name="incoming",
        help_text="Để trống: kết thúc quy trình.",
    )
    label = NfcCharField("nhãn nút", max_length=120, blank=True)

    class Meta:
        verbose_name = "chuyển bước"
        verbose_name_plural = "chuyển bước"
        ordering = ["from_step__order", "id"]
        constraints = [
            # An end transition has no to_step; NULLs are distinct in a unique index, so the
            # validator (catalog.process) also refuses a duplicated end transition.
            models.UniqueConstraint(fields=["from_step", "action", "to_step"], name="catalog_transition_unique"),
        ]

    def __str__(self) -> str:
        target = self.to_step.code if self.to_step_id else "kết thúc"
        return f"{self.from_step.code} —{self.action}→ {target}"

    def _version_id_for_guard(self):
        return ProcessDefinition.objects.filter(pk=self.definition_id).values_list("version_id", flat=True).first()
