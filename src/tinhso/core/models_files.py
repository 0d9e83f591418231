"""The ``StoredFile`` table (DESIGN §5.6): one row per accepted upload, the bytes addressed by SHA-256.

Kept apart from ``core/models.py`` so the file kernel (``core/files.py``) owns its model; the app's
models module imports it.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from tinhso.core.fields import NfcCharField


class StoredFile(models.Model):
    """An uploaded file that passed the checks of ``core.files.file_store``.

    Each upload gets its own row (its own uploader and name, so nobody learns another person's file
    name), while identical bytes are stored once under their SHA-256 (``storage_name``). The id is a
    random UUID: file ids travel in API bodies and must not be guessable.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    sha256 = models.CharField("SHA-256", max_length=64, db_index=True)
    size = models.PositiveBigIntegerField("kích thước (byte)")
    content_type = models.CharField("kiểu nội dung", max_length=100)
    original_name = NfcCharField("tên tệp gốc", max_length=255)
    storage_name = models.CharField("tên trong kho lưu trữ", max_length=300)
    page_count = models.PositiveIntegerField("số trang", null=True, blank=True)
    virus_scanned = models.BooleanField("đã quét virus", default=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="người tải lên", null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    created_at = models.DateTimeField("tải lên lúc", default=timezone.now, db_index=True)

    class Meta:
        app_label = "core"
        verbose_name = "tệp đã lưu"
        verbose_name_plural = "tệp đã lưu"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["uploaded_by", "-created_at"], name="core_file_uploader")]

    def __str__(self) -> str:
        return f"{self.original_name} ({self.sha256[:12]})"
