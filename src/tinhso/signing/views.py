"""Public HTTP endpoints of the signing app: the verify page, the RFC 3161 TSA, the demo CA's files.

The verify page works without JavaScript: a plain multipart form posted back to the same URL.
"""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from tinhso.core.errors import DomainError, ValidationFailed
from tinhso.signing.services import demo_ca_certificate_der, demo_ca_crl_der, pdf_verify, tsa_respond
from tinhso.signing.tsa import CONTENT_TYPE_QUERY, CONTENT_TYPE_REPLY

# An RFC 3161 request is a few hundred bytes; anything much larger is not one.
TSA_MAX_REQUEST_BYTES = 64 * 1024


@never_cache
@require_http_methods(["GET", "POST"])
def verify_page(request):
    """``/xac-thuc-chu-ky/``: anyone uploads a PDF and reads, in Vietnamese, what each signature proves."""
    context: dict = {
        "report": None, "error": None, "file_name": "", "max_upload_mb": settings.TINHSO_MAX_UPLOAD_BYTES // 1048576,
    }
    status = 200
    if request.method == "POST":
        upload = request.FILES.get("file")
        try:
            if upload is None:
                raise ValidationFailed(_("Vui lòng chọn tệp PDF cần kiểm tra."), code="file_empty")
            if upload.size > settings.TINHSO_MAX_UPLOAD_BYTES:
                raise ValidationFailed(
                    _("Tệp quá lớn; dung lượng tối đa là %(mb)s MB.") % {"mb": settings.TINHSO_MAX_UPLOAD_BYTES // 1048576},
                    code="file_too_large",
                )
            context["file_name"] = upload.name
            context["report"] = pdf_verify(pdf=upload.read())
        except DomainError as exc:
            context["error"] = exc.detail
            status = exc.status
    return render(request, "signing/verify.html", context, status=status)


@csrf_exempt  # a protocol endpoint for machines (RFC 3161 §3.4), not a browser form
def tsa(request):
    """``POST /tsa``: ``application/timestamp-query`` in, ``application/timestamp-reply`` out."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    content_type = request.content_type or ""
    if content_type != CONTENT_TYPE_QUERY:
        return HttpResponse(
            f"Content-Type must be {CONTENT_TYPE_QUERY}", status=415, content_type="text/plain; charset=utf-8"
        )
    body = request.read(TSA_MAX_REQUEST_BYTES + 1)
    if len(body) > TSA_MAX_REQUEST_BYTES:
        return HttpResponse("Request too large", status=413, content_type="text/plain; charset=utf-8")
    try:
        reply = tsa_respond(request_der=body)
    except DomainError as exc:
        return HttpResponse(exc.detail, status=exc.status, content_type="text/plain; charset=utf-8")
    response = HttpResponse(reply, content_type=CONTENT_TYPE_REPLY)
    response["Cache-Control"] = "no-store"
    return response


def demo_crl(request):
    """The demo CA's current CRL (DER), the URL written into its certificates' CRL distribution point."""
    data = demo_ca_crl_der()
    if data is None:
        raise Http404
    response = HttpResponse(data, content_type="application/pkix-crl")
    response["Cache-Control"] = "max-age=300"
    return response


def demo_root(request):
    """The demo root certificate (DER), to install as trusted in a PDF reader for the demo."""
    data = demo_ca_certificate_der()
    if data is None:
        raise Http404
    response = HttpResponse(data, content_type="application/pkix-cert")
    response["Content-Disposition"] = 'attachment; filename="tinhso-demo-root.crt"'
    return response
