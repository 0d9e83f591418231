"""The transport endpoints, modelled on the VXP operations (vn-standards §8.4; docs/exchange.md):

- ``POST /exchange/v1/messages`` — deliver a package (body: the edXML bytes);
- ``GET /exchange/v1/messages?since=`` — packages waiting for the caller (systems that poll);
- ``GET /exchange/v1/messages/{id}`` — one package as it travelled;
- ``POST /exchange/v1/messages/{id}/status`` — a status package answering document ``{id}``.

Callers are peers of the directory and name themselves with their credential
(``Authorization: Bearer …``). Answers are JSON; a refusal is ``{"status": "refused", "status_code": "02",
"code", "reason"}`` with HTTP 422.
"""

from __future__ import annotations

import json
from datetime import datetime

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from tinhso.exchange.delivery import deliveries_fetched
from tinhso.exchange.errors import ExchangeError
from tinhso.exchange.peers import peer_authenticate
from tinhso.exchange.receiving import message_receive
from tinhso.exchange.selectors import message_for_peer, messages_waiting_for

PROBLEM = "application/problem+json"


def _problem(status: int, code: str, detail: str) -> JsonResponse:
    return JsonResponse({"type": f"urn:tinhso:error:{code}", "title": detail, "status": status, "code": code,
                         "detail": detail}, status=status, content_type=PROBLEM,
                        json_dumps_params={"ensure_ascii": False})


def _caller(request: HttpRequest):
    header = request.headers.get("Authorization", "")
    scheme, _, credential = header.partition(" ")
    return peer_authenticate(credential.strip()) if scheme.lower() == "bearer" else None


def _unauthenticated() -> JsonResponse:
    return _problem(401, ExchangeError.NOT_AUTHENTICATED,
                    "Hệ thống gọi đến chưa được xác thực (thiếu hoặc sai khóa truy cập liên thông).")


def _trace(request: HttpRequest) -> list:
    try:
        value = json.loads(request.headers.get("X-Edxml-Trace", "[]"))
    except ValueError:
        return []
    return value[:20] if isinstance(value, list) else []


@csrf_exempt
@require_http_methods(["GET", "POST"])
def messages(request: HttpRequest) -> HttpResponse:
    caller = _caller(request)
    if caller is None:
        return _unauthenticated()
    if request.method == "POST":
        answer = message_receive(data=request.body, caller=caller, trace=_trace(request))
        return JsonResponse(answer.body, status=answer.http_status, json_dumps_params={"ensure_ascii": False})
    since = None
    if request.GET.get("since"):
        try:
            since = datetime.fromisoformat(request.GET["since"])
        except ValueError:
            return _problem(400, "invalid_input", "Tham số since phải là thời điểm ISO 8601.")
        if timezone.is_naive(since):
            since = timezone.make_aware(since)
    return JsonResponse({"items": messages_waiting_for(peer=caller, since=since)},
                        json_dumps_params={"ensure_ascii": False})


@csrf_exempt
@require_http_methods(["GET"])
def message_detail(request: HttpRequest, message_id: str) -> HttpResponse:
    caller = _caller(request)
    if caller is None:
        return _unauthenticated()
    message = message_for_peer(peer=caller, message_id=message_id)
    if message is None:
        return _problem(404, ExchangeError.MESSAGE_NOT_FOUND, "Không có gói tin này cho hệ thống gọi đến.")
    if message.direction != "in":
        deliveries_fetched(message=message, peer=caller)
    return HttpResponse(bytes(message.raw), content_type="application/xml; charset=utf-8")


@csrf_exempt
@require_http_methods(["POST"])
def message_status(request: HttpRequest, message_id: str) -> HttpResponse:
    caller = _caller(request)
    if caller is None:
        return _unauthenticated()
    if message_for_peer(peer=caller, message_id=message_id) is None:
        return _problem(404, ExchangeError.MESSAGE_NOT_FOUND, "Không có gói tin này cho hệ thống gọi đến.")
    answer = message_receive(data=request.body, caller=caller, trace=_trace(request))
    return JsonResponse(answer.body, status=answer.http_status, json_dumps_params={"ensure_ascii": False})
