"""Dossier status and channel, and their national codes — the ONE place that maps them.

``TrangThaiHoSo`` 1–10 and ``KenhThucHien`` 1–3 are the codes of the national dossier sync
(vn-standards §3.3). Everything that shows or exports a status (API, pages, forms, sync, reports)
asks this module; nothing else hard-codes a number.
"""

from __future__ import annotations

from django.db import models


class Status(models.TextChoices):
    DRAFT = "draft", "Bản nháp"
    SUBMITTED = "submitted", "Mới đăng ký"
    RECEIVED = "received", "Được tiếp nhận"
    REFUSED = "refused", "Không được tiếp nhận"
    PROCESSING = "processing", "Đang xử lý"
    SUPPLEMENT_REQUESTED = "supplement_requested", "Yêu cầu bổ sung giấy tờ"
    PAYMENT_REQUESTED = "payment_requested", "Yêu cầu thực hiện nghĩa vụ tài chính"
    WITHDRAWN = "withdrawn", "Công dân yêu cầu rút hồ sơ"
    STOPPED = "stopped", "Dừng xử lý"
    RESOLVED = "resolved", "Đã xử lý xong"
    RETURNED = "returned", "Đã trả kết quả"


NATIONAL_STATUS: dict[str, int | None] = {
    Status.DRAFT: None,  # never leaves the citizen's account
    Status.SUBMITTED: 1,
    Status.RECEIVED: 2,
    Status.REFUSED: 3,
    Status.PROCESSING: 4,
    Status.SUPPLEMENT_REQUESTED: 5,
    Status.PAYMENT_REQUESTED: 6,
    Status.WITHDRAWN: 7,
    Status.STOPPED: 8,
    Status.RESOLVED: 9,
    Status.RETURNED: 10,
}

# Where the clock has stopped for good (NgayKetThucXuLy is set, or the dossier never started).
FINAL = frozenset({Status.REFUSED, Status.WITHDRAWN, Status.STOPPED, Status.RETURNED})
# Received and not yet resolved: the deadline clock runs (or is paused) — the work queue's statuses.
IN_PROGRESS = frozenset({
    Status.RECEIVED, Status.PROCESSING, Status.SUPPLEMENT_REQUESTED, Status.PAYMENT_REQUESTED,
})
# The applicant owes something; the clock is stopped until it arrives (vn-standards §4.3, §4.4).
PAUSED = frozenset({Status.SUPPLEMENT_REQUESTED, Status.PAYMENT_REQUESTED})
# Visible to staff (a draft is the citizen's own business until it is submitted).
STAFF_VISIBLE = frozenset(set(Status.values) - {Status.DRAFT})


class Outcome(models.TextChoices):
    APPROVED = "approved", "Giải quyết (chấp thuận)"
    DENIED = "denied", "Từ chối giải quyết"


class Channel(models.TextChoices):
    COUNTER = "counter", "Trực tiếp"
    ONLINE = "online", "Trực tuyến"
    POST = "post", "Qua dịch vụ bưu chính công ích"


NATIONAL_CHANNEL: dict[str, int] = {Channel.COUNTER: 1, Channel.ONLINE: 2, Channel.POST: 3}

# The catalogue spells the counter channel "direct" (catalog.choices.Channel).
CATALOG_CHANNEL: dict[str, str] = {Channel.COUNTER: "direct", Channel.ONLINE: "online", Channel.POST: "post"}


class ReturnMethod(models.TextChoices):
    COUNTER = "counter", "Tại Bộ phận Một cửa"
    POST = "post", "Qua dịch vụ bưu chính công ích"
    ELECTRONIC = "electronic", "Bản điện tử trên Cổng dịch vụ công"


class Verdict(models.TextChoices):
    """Kết quả giải quyết of Mẫu 05/06: per step, per agency and for the whole dossier."""

    EARLY = "early", "Trước hạn"
    ON_TIME = "on_time", "Đúng hạn"
    LATE = "late", "Quá hạn"


def national_status(status: str) -> int | None:
    return NATIONAL_STATUS[status]


def status_label(status: str) -> str:
    return str(Status(status).label)


def national_channel(channel: str) -> int:
    return NATIONAL_CHANNEL[channel]
