"""Messages to people (e-mail, SMS, in-app) and the one-time codes sent through them (docs/notifications.md)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from tinhso.core.fields import NfcCharField, NfcTextField


class Channel(models.TextChoices):
    EMAIL = "email", "Thư điện tử"
    SMS = "sms", "Tin nhắn SMS"
    IN_APP = "in_app", "Thông báo trên Cổng"


class Notification(models.Model):
    """One message to one recipient on one channel.

    Written in the caller's transaction (``queued``) and sent by a task after commit, so a rolled-back
    action never sends anything. ``(event_id, kind, channel, recipient)`` is unique when ``event_id``
    is set: an event delivered twice produces one message.
    """

    Channel = Channel

    class Status(models.TextChoices):
        QUEUED = "queued", "Chờ gửi"
        SENT = "sent", "Đã gửi"
        FAILED = "failed", "Gửi lỗi"

    channel = models.CharField("kênh", max_length=8, choices=Channel.choices)
    recipient = models.CharField("người nhận", max_length=254,
                                 help_text="Địa chỉ thư điện tử, số điện thoại, hoặc user:<id> cho thông báo trên Cổng.")
    subject = NfcCharField("tiêu đề", max_length=300, blank=True)
    body = NfcTextField("nội dung")
    status = models.CharField("tình trạng", max_length=8, choices=Status.choices, default=Status.QUEUED)
    event_id = models.CharField("mã sự kiện", max_length=64, blank=True, default="")
    kind = models.CharField("loại thông báo", max_length=80, blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="tài khoản", null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="notifications")
    attachments = models.JSONField("tệp đính kèm", default=list, blank=True, help_text='[{"file": <id>, "name": …}]')
    created_at = models.DateTimeField("tạo lúc", default=timezone.now)
    sent_at = models.DateTimeField("gửi lúc", null=True, blank=True)
    read_at = models.DateTimeField("đọc lúc", null=True, blank=True)
    attempts = models.PositiveSmallIntegerField("số lần gửi", default=0)
    next_attempt_at = models.DateTimeField("gửi lại lúc", null=True, blank=True)
    error = models.TextField("lỗi gần nhất", blank=True)
    provider_message_id = models.CharField("mã tin của nhà cung cấp", max_length=200, blank=True)
    sensitive = models.BooleanField("chứa mã bí mật", default=False,
                                    help_text="Các dãy số trong nội dung được che đi sau khi gửi (mã xác thực).")

    class Meta:
        verbose_name = "thông báo"
        verbose_name_plural = "thông báo"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["event_id", "kind", "channel", "recipient"], condition=~Q(event_id=""),
                                    name="notification_once_per_event"),
        ]
        indexes = [
            models.Index(fields=["user", "channel", "-created_at"], name="notification_inbox"),
            models.Index(fields=["status", "next_attempt_at"], name="notification_due"),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} → {self.recipient}: {self.subject or self.body[:60]}"


class OneTimeCode(models.Model):
    """A 6-digit code sent to prove control of an e-mail address or a phone (registration, issue #4).

    Only a keyed hash is stored. The newest code of a (purpose, destination) is the only valid one.
    """

    purpose = models.CharField("mục đích", max_length=40)
    destination = models.CharField("gửi tới", max_length=254)
    channel = models.CharField("kênh", max_length=8, choices=Channel.choices)
    code_hash = models.CharField("mã (băm)", max_length=64)
    created_at = models.DateTimeField("tạo lúc", default=timezone.now)
    expires_at = models.DateTimeField("hết hạn lúc")
    attempts = models.PositiveSmallIntegerField("số lần nhập sai", default=0)
    used_at = models.DateTimeField("đã dùng lúc", null=True, blank=True)

    class Meta:
        verbose_name = "mã xác thực một lần"
        verbose_name_plural = "mã xác thực một lần"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["purpose", "destination", "-created_at"], name="otp_latest")]

    def __str__(self) -> str:
        return f"{self.purpose} → {self.destination}"
