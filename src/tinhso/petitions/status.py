"""Petition (PAKN) kinds, channels, statuses and the public state groups — the ONE place that maps them.

The public counters "đã trả lời / đang xử lý / từ chối xử lý" (Phú Thọ's portal footer) and the
766 indicators 19–23 (vn-standards §6.2) count these groups; nothing else lists statuses.
"""

from __future__ import annotations

from django.db import models


class Kind(models.TextChoices):
    REGULATION = "regulation", "Về quy định, thủ tục hành chính"
    CONDUCT = "conduct", "Về hành vi, thái độ của cán bộ, công chức"
    OTHER = "other", "Khác"


class Channel(models.TextChoices):
    PORTAL = "portal", "Cổng dịch vụ công"
    HOTLINE = "hotline", "Đường dây nóng"
    POST = "post", "Qua bưu chính"
    IN_PERSON = "in_person", "Trực tiếp"


STAFF_CHANNELS = (Channel.HOTLINE, Channel.POST, Channel.IN_PERSON)


class Status(models.TextChoices):
    PENDING = "pending", "Chờ tiếp nhận"
    ACCEPTED = "accepted", "Đang xử lý"
    INFO_REQUESTED = "info_requested", "Chờ người gửi bổ sung thông tin"
    ASSIGNED = "assigned", "Chuyên viên đang xử lý"
    DRAFTED = "drafted", "Chờ lãnh đạo duyệt trả lời"
    ANSWERED = "answered", "Đã trả lời"
    PUBLISHED = "published", "Đã trả lời và công khai"
    REFUSED = "refused", "Từ chối xử lý"


class Group(models.TextChoices):
    ANSWERED = "answered", "Đã trả lời"
    IN_PROGRESS = "in_progress", "Đang xử lý"
    REFUSED = "refused", "Từ chối xử lý"


GROUPS: dict[str, frozenset[str]] = {
    Group.ANSWERED: frozenset({Status.ANSWERED, Status.PUBLISHED}),
    Group.IN_PROGRESS: frozenset({Status.PENDING, Status.ACCEPTED, Status.INFO_REQUESTED, Status.ASSIGNED,
                                  Status.DRAFTED}),
    Group.REFUSED: frozenset({Status.REFUSED}),
}
# The handling clock runs (or is stopped, while waiting for the sender).
OPEN = GROUPS[Group.IN_PROGRESS]
FINISHED = GROUPS[Group.ANSWERED] | GROUPS[Group.REFUSED]


def group_of(status: str) -> str:
    return next(group for group, members in GROUPS.items() if status in members)


class Feedback(models.TextChoices):
    SATISFIED = "satisfied", "Hài lòng"
    UNSATISFIED = "unsatisfied", "Không hài lòng"
