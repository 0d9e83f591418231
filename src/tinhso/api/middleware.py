"""The two API answers no handler produces, as problem+json too: an unknown address under ``/api/``
(Django's URL resolver would answer with the HTML 404 page) and a method the endpoint does not have
(django-ninja answers with plain-text "Method not allowed"). Every other error is shaped by the
exception handlers of ``tinhso.api.api``.
"""

from __future__ import annotations

from django.http import JsonResponse

from tinhso.core.errors import DomainError, NotFound

API_PREFIX = "/api/"


class MethodNotAllowed(DomainError):
    status = 405
    code = "method_not_allowed"
    title = "Phương thức không được hỗ trợ"


class ApiProblemMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            not request.path.startswith(API_PREFIX)
            or response.status_code not in (404, 405)
            or "json" in response.get("Content-Type", "")
        ):
            return response
        if response.status_code == 404:
            error: DomainError = NotFound(
                f"Không có địa chỉ API “{request.path}”. Danh sách các địa chỉ ở /api/v1/docs.", code="not_found"
            )
        else:
            allowed = response.get("Allow", "")
            error = MethodNotAllowed(
                f"Địa chỉ này không nhận phương thức {request.method}; dùng: {allowed or '—'}."
            )
        problem = JsonResponse(error.as_problem(), status=error.status, content_type="application/problem+json")
        if response.has_header("Allow"):
            problem["Allow"] = response["Allow"]
        return problem
