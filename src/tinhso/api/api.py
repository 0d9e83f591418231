"""The JSON API at ``/api/v1/``: one NinjaAPI assembled from each app's router.

Conventions (DESIGN §5.12): snake_case JSON, ISO 8601 times with +07:00, errors as
``application/problem+json`` with a stable ``code`` and a Vietnamese ``detail``, paginated lists,
``Idempotency-Key`` on creating POSTs.
"""

from __future__ import annotations

from importlib import import_module

from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from tinhso.api.auth import DEFAULT_AUTH
from tinhso.api.validation import validation_errors
from tinhso.core.errors import (
    DomainError,
    NotAuthenticated,
    NotFound,
    PermissionDenied,
    RateLimited,
    ValidationFailed,
)

api = NinjaAPI(
    title="Tỉnh Số API",
    version="1",
    description="API của nền tảng chính quyền điện tử Tỉnh Số. Lỗi trả về dạng application/problem+json.",
    auth=DEFAULT_AUTH,
    docs_url="/docs",
    openapi_url="/openapi.json",
    urls_namespace="api",
)

# (prefix, "module:attribute") — each app exposes a ninja Router in its api.py.
ROUTERS: list[tuple[str, str]] = [
    ("", "tinhso.core.api:router"),
    ("", "tinhso.org.api:router"),
    ("", "tinhso.accounts.api:router"),
    ("", "tinhso.signing.api:router"),
    ("", "tinhso.catalog.api:router"),
    ("", "tinhso.dossiers.api:router"),
    ("", "tinhso.dossiers.printing.api:router"),
    ("", "tinhso.documents.api:router"),
    ("", "tinhso.petitions.api:router"),
    ("", "tinhso.ratings.api:router"),
    ("", "tinhso.reports.api:router"),
]

for prefix, target in ROUTERS:
    module_name, attr = target.split(":")
    api.add_router(prefix, getattr(import_module(module_name), attr))


def problem(request, error: DomainError):
    response = api.create_response(request, error.as_problem(), status=error.status)
    response["Content-Type"] = "application/problem+json"
    return response


@api.exception_handler(DomainError)
def _domain_error(request, exc: DomainError):
    return problem(request, exc)


@api.exception_handler(NinjaValidationError)
def _validation_error(request, exc: NinjaValidationError):
    return problem(
        request,
        ValidationFailed(
            "Dữ liệu gửi lên không đúng định dạng; xem chi tiết trong 'errors'.", errors=validation_errors(exc.errors)
        ),
    )


@api.exception_handler(AuthenticationError)
def _auth_error(request, exc):
    return problem(request, NotAuthenticated())


@api.exception_handler(Http404)
def _not_found(request, exc):
    return problem(request, NotFound())


@api.exception_handler(HttpError)
def _http_error(request, exc: HttpError):
    # django-ninja raises these itself, in English: a failed CSRF check of a session (403) and a body
    # it cannot parse (400). The codes stay as they were; the words become Vietnamese.
    if exc.status_code == 403:
        error: DomainError = PermissionDenied(
            "Yêu cầu dùng phiên đăng nhập nhưng thiếu mã chống giả mạo (CSRF): gửi kèm tiêu đề X-CSRFToken, "
            "hoặc dùng khóa API (Authorization: Bearer …)."
        )
    elif exc.status_code == 429:
        error = RateLimited()
    elif exc.status_code == 400:
        error = DomainError("Không đọc được nội dung yêu cầu: nội dung phải là JSON hợp lệ.", code="http_error")
    else:
        error = DomainError("Yêu cầu không được chấp nhận.", code="http_error")
        error.status = exc.status_code
    return problem(request, error)
