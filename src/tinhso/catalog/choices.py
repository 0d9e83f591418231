"""Enumerations of the procedure catalogue. Codes are stored and exchanged: never rename one.

Time units are the working calendar's (``tinhso.workdays.choices.TimeUnit``) so a processing time or
a step duration can be handed to ``workdays.services.due_at`` as is.
"""

from __future__ import annotations

from django.db import models

from tinhso.org.roles import Role
from tinhso.workdays.choices import TimeUnit

# A national procedure code (vn-standards §3.1): one digit, a dot, six digits. The leading digit's
# meaning is unverified there, so every digit is accepted (the codes seen so far start with 1, 2 or 3).
PROCEDURE_CODE_PATTERN = r"\d\.\d{6}"

__all__ = [
    "PROCEDURE_CODE_PATTERN",
    "AgencyRole",
    "Channel",
    "CollectedWhen",
    "DocumentCopy",
    "FeeChannel",
    "FeeKind",
    "Level",
    "OnlineLevel",
    "ProcedureKind",
    "Role",
    "SourceRank",
    "StepAction",
    "StepScope",
    "TimeUnit",
    "VersionStatus",
]


class Level(models.TextChoices):
    """Cấp thực hiện, as far as a province is concerned (two-tier government since 01/07/2025)."""

    PROVINCE = "province", "Cấp tỉnh"
    COMMUNE = "commune", "Cấp xã"
    BOTH = "both", "Cấp tỉnh và cấp xã"


class ProcedureKind(models.TextChoices):
    STANDARD = "standard", "TTHC tiêu chuẩn"
    SPECIFIC = "specific", "TTHC đặc thù của địa phương"


class OnlineLevel(models.TextChoices):
    """Mức độ dịch vụ công trực tuyến under NĐ 42/2022 Điều 11 (vn-standards §5.2)."""

    FULL = "FULL", "Toàn trình"
    PARTIAL = "PARTIAL", "Một phần"
    NONE = "NONE", "Chưa cung cấp trực tuyến"


class Channel(models.TextChoices):
    """Cách thức thực hiện; the numbers of ``KenhThucHien`` are 1, 2, 3 (vn-standards §3.3)."""

    DIRECT = "direct", "Trực tiếp"
    ONLINE = "online", "Trực tuyến"
    POST = "post", "Qua dịch vụ bưu chính công ích"


class VersionStatus(models.TextChoices):
    DRAFT = "draft", "Bản nháp"
    PUBLISHED = "published", "Đã công bố"


class SourceRank(models.IntegerChoices):
    """How complete the source of a version is; an import never replaces a richer version."""

    MANUAL = 0, "Nhập tay"
    INDEX = 1, "Danh mục (chỉ mã, tên, lĩnh vực, cơ quan)"
    NATIONAL = 2, "Bản đầy đủ từ Cổng DVCQG"
    LOCAL = 3, "Bản đầy đủ đã được tỉnh bổ sung"


class AgencyRole(models.TextChoices):
    COMPETENT = "competent", "Cơ quan có thẩm quyền quyết định"
    RECEIVING = "receiving", "Nơi tiếp nhận hồ sơ"
    COORDINATING = "coordinating", "Cơ quan phối hợp"


class DocumentCopy(models.TextChoices):
    ORIGINAL = "original", "Bản chính"
    COPY = "copy", "Bản sao"
    ORIGINAL_AND_COPY = "original_and_copy", "Bản chính và bản sao"
    ORIGINAL_OR_COPY = "original_or_copy", "Bản chính hoặc bản sao"


class FeeKind(models.TextChoices):
    FEE = "fee", "Phí"
    CHARGE = "charge", "Lệ phí"


class CollectedWhen(models.TextChoices):
    """When a fee is collected; ``HinhThucThu`` 1 / 2 / 4 in the national sync (vn-standards §3.3)."""

    ON_SUBMISSION = "on_submission", "Khi nộp hồ sơ"
    ON_SUPPLEMENT = "on_supplement", "Khi bổ sung hồ sơ"
    ON_RESULT = "on_result", "Khi nhận kết quả"


class FeeChannel(models.TextChoices):
    ALL = "all", "Mọi cách thức nộp"
    ONLINE = "online", "Nộp trực tuyến"
    COUNTER = "counter", "Nộp trực tiếp"
    POST = "post", "Nộp qua bưu chính"


class StepScope(models.TextChoices):
    """Which agency acts in a step, relative to the dossier."""

    RECEIVING = "receiving", "Cơ quan đã tiếp nhận hồ sơ"
    COMPETENT = "competent", "Cơ quan có thẩm quyền"
    FIXED = "fixed", "Một cơ quan xác định (liên thông)"
    PARENT = "parent", "Cơ quan cấp trên của cơ quan tiếp nhận"


class StepAction(models.TextChoices):
    """The fixed set of actions a step can offer; the dossier engine implements each one."""

    FORWARD = "forward", "Chuyển bước tiếp theo"
    SEND_BACK = "send_back", "Trả lại bước trước"
    ASSIGN = "assign", "Phân công"
    REQUEST_SUPPLEMENT = "request_supplement", "Yêu cầu bổ sung hồ sơ"
    REQUEST_PAYMENT = "request_payment", "Yêu cầu thực hiện nghĩa vụ tài chính"
    CONSULT = "consult", "Lấy ý kiến"
    APPROVE = "approve", "Phê duyệt"
    DENY = "deny", "Từ chối giải quyết"
    SIGN = "sign", "Ký số"
    ISSUE_RESULT = "issue_result", "Ban hành kết quả"
    RETURN_RESULT = "return_result", "Trả kết quả"
