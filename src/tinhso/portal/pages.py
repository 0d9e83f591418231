"""Small pieces every citizen page uses: who may open it, and the Vietnamese error pages."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# Lazy: a module-level gettext would freeze the language active at import time.
CONFLICT_TITLE = gettext_lazy("Hồ sơ đã được người khác xử lý trong lúc bạn đang xem trang.")


def applicant_required(view):
    """Logged in with a citizen or business account; staff get a 403 page that says why."""

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_applicant:
            return forbidden(request, _("Trang này dành cho tài khoản công dân, tổ chức, doanh nghiệp. "
                                        "Cán bộ xử lý hồ sơ tại trang Nghiệp vụ."))
        return view(request, *args, **kwargs)

    return wrapped


def forbidden(request, message: str):
    return render(request, "portal/error.html", {"title": _("Không có quyền truy cập"), "message": message},
                  status=403)


def not_found(request, message: str = ""):
    return render(request, "portal/error.html", {
        "title": _("Không tìm thấy"),
        "message": message or _("Không tìm thấy trang hoặc hồ sơ bạn yêu cầu."),
    }, status=404)
