"""Tables of the shared kernel: gapless counters, the event outbox and the hash-chained audit log."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from tinhso.core.fields import NfcCharField


class Sequence(models.Model):
    """One gapless counter: ``value`` is the last number handed out for (scope, period)."""

    scope = NfcCharField("phạm vi", max_length=120)
    period = NfcCharField("kỳ", max_length=32, blank=True, default="")
    value = models.PositiveBigIntegerField("số đã cấp gần nhất", default=0)

    class Meta:
        verbose_name = "bộ đếm số thứ tự"
        verbose_name_plural = "bộ đếm số thứ tự"
        constraints = [models.UniqueConstraint(fields=["scope", "period"], name="core_sequence_scope_period")]

    def __str__(self) -> str:
        return f"{self.scope}/{self.period}: {self.value}" if self.period else f"{self.scope}: {self.value}"


class OutboxEvent(models.Model):
    """A domain event written in the same transaction as the change it reports (DESIGN §5.4)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField("tên sự kiện", max_length=100, db_index=True)
    payload = models.JSONField("dữ liệu", default=dict)
    aggregate_type = models.CharField("loại đối tượng", max_length=100, blank=True, default="")
    aggregate_id = models.CharField("mã đối tượng", max_length=64, blank=True, default="")
    created_at = models.DateTimeField("thời điểm", default=timezone.now, db_index=True)

    class Meta:
        verbose_name = "sự kiện"
        verbose_name_plural = "sự kiện"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["aggregate_type", "aggregate_id"], name="core_event_aggregate")]

    def __str__(self) -> str:
        return f"{self.name} ({self.aggregate_type} {self.aggregate_id})".replace(" ( )", "")


class EventDelivery(models.Model):
    """The state of one handler for one event; (event, handler) is unique, which makes it idempotent."""

    class Status(models.TextChoices):
        PENDING = "pending", "Chờ xử lý"
        FAILED = "failed", "Lỗi, chờ thử lại"
        DONE = "done", "Đã xử lý"
        DEAD = "dead", "Đã ngừng thử lại"

    event = models.ForeignKey(OutboxEvent, on_delete=models.CASCADE, related_name="deliveries",
                              verbose_name="sự kiện")
    handler = models.CharField("bộ xử lý", max_length=200)
    status = models.CharField("trạng thái", max_length=16, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField("số lần đã chạy", default=0)
    next_attempt_at = models.DateTimeField("lần chạy tiếp theo", default=timezone.now)
    last_error = models.TextField("lỗi gần nhất", blank=True, default="")
    done_at = models.DateTimeField("hoàn thành lúc", null=True, blank=True)

    class Meta:
        verbose_name = "lượt chuyển sự kiện"
        verbose_name_plural = "lượt chuyển sự kiện"
        constraints = [models.UniqueConstraint(fields=["event", "handler"], name="core_delivery_event_handler")]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="core_delivery_due")]

    def __str__(self) -> str:
        return f"{self.handler} ← {self.event_id} [{self.status}]"


class AppendOnlyQuerySet(models.QuerySet):
    """Bulk update and delete are refused: audit entries are written once and never changed."""

    def update(self, **kwargs):
        raise TypeError("Nhật ký kiểm tra chỉ được ghi thêm, không được sửa.")

    def delete(self):
        raise TypeError("Nhật ký kiểm tra chỉ được ghi thêm, không được xóa.")


class AuditEntry(models.Model):
    """One entry of the append-only audit log, chained to the previous one by hash (DESIGN §5.11).

    ``hash = sha256(prev_hash + canonical JSON of the other fields)``; see ``tinhso.core.audit``.
    """

    seq = models.PositiveBigIntegerField("số thứ tự", primary_key=True)
    at = models.DateTimeField("thời điểm", db_index=True)
    # PROTECT: a person who appears in the log is deactivated, never deleted, so the entry keeps
    # pointing at them; deleting would also rewrite actor_id and break the hash.
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="+", verbose_name="người thực hiện")
    actor_label = NfcCharField("tên người thực hiện", max_length=300, blank=True, default="")
    action = models.CharField("hành động", max_length=100, db_index=True)
    target_type = models.CharField("loại đối tượng", max_length=100, blank=True, default="")
    target_id = models.CharField("mã đối tượng", max_length=64, blank=True, default="")
    data = models.JSONField("chi tiết", default=dict)
    prev_hash = models.CharField("hash bản ghi trước", max_length=64)
    hash = models.CharField("hash", max_length=64, unique=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = "nhật ký kiểm tra"
        verbose_name_plural = "nhật ký kiểm tra"
        ordering = ["-seq"]
        indexes = [models.Index(fields=["target_type", "target_id"], name="core_audit_target")]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.target_type} {self.target_id}".strip()

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise TypeError("Nhật ký kiểm tra chỉ được ghi thêm, không được sửa.")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("Nhật ký kiểm tra chỉ được ghi thêm, không được xóa.")


# Models kept in their own files, next to the module that owns them (core/files.py, core/idempotency.py).
from tinhso.core.models_files import StoredFile  # noqa: E402, F401
from tinhso.core.models_idempotency import IdempotencyRecord  # noqa: E402, F401
