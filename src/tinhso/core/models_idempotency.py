"""The ``IdempotencyRecord`` table: stored answers of POSTs sent with an ``Idempotency-Key``.

Kept apart from ``core/models.py`` so ``core/idempotency.py`` owns its model; the app's models module
imports it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class IdempotencyRecord(models.Model):
    """The answer given to the first request with (user, key, method, path), replayed to retries."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="người gọi", on_delete=models.CASCADE, related_name="+"
    )
    key = models.CharField("khóa Idempotency-Key", max_length=255)
    method = models.CharField("phương thức", max_length=10)
    path = models.CharField("đường dẫn", max_length=500)
    request_hash = models.CharField("băm nội dung yêu cầu", max_length=64)
    status = models.PositiveSmallIntegerField("mã trạng thái HTTP")
    body = models.JSONField("nội dung trả lời", default=dict)
    created_at = models.DateTimeField("lúc", default=timezone.now, db_index=True)

    class Meta:
        app_label = "core"
        verbose_name = "yêu cầu không lặp (Idempotency-Key)"
        verbose_name_plural = "yêu cầu không lặp (Idempotency-Key)"
        constraints = [
            models.UniqueConstraint(fields=["user", "key", "method", "path"], name="core_idempotency_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.method} {self.path} [{self.key}]"
