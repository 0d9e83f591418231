"""Checks on a PDF handed to signing or verification: size, and that it really parses as a PDF.

Magic bytes prove nothing (stack-notes §9: anything starting with ``%PDF-`` passes), so the file is
parsed with pypdf, which also tells whether it is encrypted (pyHanko cannot append to those).
"""

from __future__ import annotations

import io

from django.conf import settings
from pypdf import PdfReader
from pypdf.errors import PdfReadError

from tinhso.core.errors import ValidationFailed


def pdf_check(*, data: bytes) -> int:
    """The page count of a readable, unencrypted PDF of acceptable size; otherwise ``ValidationFailed``."""
    limit = settings.TINHSO_MAX_UPLOAD_BYTES
    if not data:
        raise ValidationFailed("Chưa chọn tệp PDF hoặc tệp rỗng.", code="file_empty")
    if len(data) > limit:
        raise ValidationFailed(
            f"Tệp quá lớn ({len(data) / 1048576:.1f} MB); dung lượng tối đa là {limit / 1048576:.0f} MB.",
            code="file_too_large",
        )
    if not data.lstrip()[:5] == b"%PDF-":
        raise ValidationFailed("Tệp không phải là tài liệu PDF.", code="invalid_pdf")
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise ValidationFailed(
                "Tệp PDF đang được đặt mật khẩu hoặc mã hóa; vui lòng dùng tệp không mã hóa.", code="pdf_encrypted"
            )
        pages = len(reader.pages)
    except ValidationFailed:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, IndexError, AttributeError, RecursionError) as exc:
        raise ValidationFailed("Tệp bị hỏng hoặc không phải là tài liệu PDF hợp lệ.", code="invalid_pdf") from exc
    if pages < 1:
        raise ValidationFailed("Tệp PDF không có trang nào.", code="invalid_pdf")
    return pages
