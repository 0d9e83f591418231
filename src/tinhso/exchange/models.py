"""Inter-agency exchange (liên thông văn bản): the directory of peers, every message as it travelled,
its delivery to each recipient, and the hash-chained exchange log (docs/exchange.md)."""

from __future__ import annotations

import uuid

from django.db import models

from tinhso.core.fields import NfcCharField, NfcTextField


class Peer(models.Model):
    """Another system we exchange with, for the agency codes matching ``code_pattern``: an exact code, or a
    pattern with ``*`` (``*.H36`` for QCVN 102 codes, whose province is the last part; ``H36.*`` for
    QĐ 20/2020 codes, whose province comes first). The most specific match wins (``peer_for``).
    ``endpoint`` blank means "reach it through the hub". ``certificate_pem`` holds the certificates
    that may sign for those codes: the leaf, or the CA that issues that system's agency certificates.
    Credentials: the one we present to it (encrypted), and the hash of the one it presents to us."""

    code_pattern = models.CharField("mã định danh (hoặc mẫu có *)", max_length=40, unique=True)
    name = NfcCharField("tên hệ thống, cơ quan", max_length=255)
    endpoint = models.URLField("địa chỉ liên thông", blank=True)
    certificate_pem = models.TextField("chứng thư số được ký thay mặt", blank=True)
    send_credential = models.TextField("khóa truy cập gửi sang (mã hóa)", blank=True)
    accept_credential_hash = models.CharField("băm khóa truy cập nhận về", max_length=64, blank=True, db_index=True)
    is_hub = models.BooleanField("là trục liên thông", default=False)
    is_active = models.BooleanField("đang dùng", default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "hệ thống liên thông"
        verbose_name_plural = "danh bạ liên thông"
        ordering = ["code_pattern"]

    def __str__(self) -> str:
        return f"{self.code_pattern} — {self.name}"


class Message(models.Model):
    class Direction(models.TextChoices):
        OUT = "out", "Gửi đi"
        IN = "in", "Nhận về"
        RELAY = "relay", "Chuyển tiếp (trục)"

    class Kind(models.TextChoices):
        DOCUMENT = "document", "Văn bản"
        STATUS = "status", "Trạng thái"

    class State(models.TextChoices):
        # outgoing
        QUEUED = "queued", "Chờ gửi"
        SENT = "sent", "Đã gửi"
        # incoming document
        ARRIVED = "arrived", "Đã đến, chờ văn thư"
        REGISTERED = "registered", "Đã vào sổ"
        REFUSED = "refused", "Từ chối"
        # incoming status, relay
        ACCEPTED = "accepted", "Đã nhận"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    message_id = models.CharField("mã gói tin", max_length=64, db_index=True)
    direction = models.CharField(max_length=5, choices=Direction.choices)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    state = models.CharField(max_length=12, choices=State.choices)
    from_code = models.CharField("cơ quan gửi", max_length=35, db_index=True)
    from_name = NfcCharField(max_length=255, blank=True)
    to_codes = models.JSONField("cơ quan nhận", default=list)
    document_id = models.CharField("DocumentId", max_length=200, db_index=True, blank=True)
    business_type = models.PositiveSmallIntegerField(default=0)
    status_code = models.CharField(max_length=2, blank=True)
    description = NfcTextField(blank=True)
    subject = NfcCharField(max_length=500, blank=True)
    raw = models.BinaryField("gói tin nguyên gốc")
    sha256 = models.CharField(max_length=64)
    signer = NfcCharField("người, cơ quan ký gói tin", max_length=255, blank=True)
    signer_fingerprint = models.CharField(max_length=64, blank=True)
    signed_at = models.DateTimeField("thời điểm ký (dấu thời gian)", null=True, blank=True)
    refusal_code = models.CharField(max_length=40, blank=True)
    refusal_reason = NfcTextField(blank=True)
    ignored_elements = models.JSONField(default=list, blank=True)
    answer = models.JSONField("trả lời bên gửi", default=dict, blank=True)
    version = models.PositiveIntegerField(default=1)
    trace = models.JSONField("các chặng chuyển", default=list, blank=True)
    via_peer = models.ForeignKey(Peer, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    outgoing = models.ForeignKey("documents.OutgoingDocument", null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="exchange_messages")
    incoming = models.ForeignKey("documents.IncomingDocument", null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="exchange_messages")
    agency = models.ForeignKey("org.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                               help_text="Cơ quan của hệ thống này gửi hoặc nhận gói tin")
    # One row per local recipient of a received message ("" for what we send or relay): two agencies of
    # this instance named in one message each register their own copy.
    local_code = models.CharField(max_length=35, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "gói tin liên thông"
        verbose_name_plural = "gói tin liên thông"
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["message_id", "direction", "local_code"],
                                               name="exchange_message_once")]
        indexes = [models.Index(fields=["direction", "kind", "state"])]

    def __str__(self) -> str:
        return f"{self.get_direction_display()} {self.kind} {self.message_id}"


class Delivery(models.Model):
    """A message on its way to one recipient system."""

    class State(models.TextChoices):
        QUEUED = "queued", "Đang chờ gửi"
        DELIVERED = "delivered", "Đã chuyển đến"
        REFUSED = "refused", "Bị từ chối"
        FAILED = "failed", "Gửi không được"

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="deliveries")
    recipient_code = models.CharField(max_length=35)
    peer = models.ForeignKey(Peer, null=True, blank=True, on_delete=models.PROTECT, related_name="deliveries")
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    answer = models.JSONField(default=dict, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True, db_index=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "lượt chuyển gói tin"
        verbose_name_plural = "lượt chuyển gói tin"
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["message", "recipient_code"], name="exchange_delivery_once")]

    def __str__(self) -> str:
        return f"{self.message_id} → {self.recipient_code}: {self.state}"


class LogEntry(models.Model):
    """Append-only, each entry chained to the previous by SHA-256 and naming the message's SHA-256, so
    a changed archive or a changed log both show (``tinhso exchange verify``)."""

    seq = models.PositiveBigIntegerField(unique=True)
    at = models.DateTimeField()
    event = models.CharField(max_length=40)
    message_id = models.CharField(max_length=64, db_index=True)
    message_sha256 = models.CharField(max_length=64)
    detail = models.JSONField(default=dict)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = "nhật ký liên thông"
        verbose_name_plural = "nhật ký liên thông"
        ordering = ["seq"]

    def __str__(self) -> str:
        return f"{self.seq} {self.event} {self.message_id}"
