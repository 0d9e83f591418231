"""Domain errors: a stable machine ``code`` and a Vietnamese ``detail`` for the person.

Services raise these; the API renders them as ``application/problem+json`` (RFC 9457) and the HTML
views show ``detail`` as a message. Codes are part of the public contract: never rename one.
"""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """Base class. ``status`` is the HTTP status the API answers with."""

    status = 400
    code = "bad_request"
    title = "Yêu cầu không hợp lệ"

    def __init__(self, detail: str, *, code: str | None = None, errors: list[dict[str, Any]] | None = None):
        super().__init__(detail)
        self.detail = detail
        if code:
            self.code = code
        self.errors = errors or []

    def as_problem(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "type": f"urn:tinhso:error:{self.code}",
            "title": self.title,
            "status": self.status,
            "code": self.code,
            "detail": self.detail,
        }
        if self.errors:
            body["errors"] = self.errors
        return body


class ValidationFailed(DomainError):
    """Input that breaks a rule: bad identification number, missing document, wrong file type…"""

    status = 422
    code = "invalid_input"
    title = "Dữ liệu không hợp lệ"


class NotAuthenticated(DomainError):
    status = 401
    code = "not_authenticated"
    title = "Chưa đăng nhập"

    def __init__(self, detail: str = "Vui lòng đăng nhập để thực hiện thao tác này.", **kwargs: Any):
        super().__init__(detail, **kwargs)


class PermissionDenied(DomainError):
    status = 403
    code = "forbidden"
    title = "Không có quyền"

    def __init__(self, detail: str = "Bạn không có quyền thực hiện thao tác này.", **kwargs: Any):
        super().__init__(detail, **kwargs)


class NotFound(DomainError):
    status = 404
    code = "not_found"
    title = "Không tìm thấy"

    def __init__(self, detail: str = "Không tìm thấy dữ liệu yêu cầu.", **kwargs: Any):
        super().__init__(detail, **kwargs)


class Conflict(DomainError):
    """The state changed under the caller (a stale or concurrent action), or a duplicate."""

    status = 409
    code = "conflict"
    title = "Xung đột trạng thái"


class RateLimited(DomainError):
    status = 429
    code = "rate_limited"
    title = "Quá nhiều yêu cầu"

    def __init__(self, detail: str = "Bạn đã thử quá nhiều lần. Vui lòng thử lại sau ít phút.", **kwargs: Any):
        super().__init__(detail, **kwargs)
