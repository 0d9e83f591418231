"""Who may open the staff pages, and the Vietnamese error pages they show.

A staff page needs a logged-in staff account (officer or administrator); anybody else gets a 403
page that says why. What an officer may see inside is decided by the dossiers selectors (their
agencies and roles), which answer "not found" for a dossier outside their scope.
"""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# Lazy: a module-level gettext would freeze the language active at import time.
CONFLICT_TITLE = gettext_lazy("Hồ sơ đã được người khác xử lý trong lúc bạn đang xem trang.")


def forbidden(request, message: str = ""):
    return render(request, "backoffice/error.html", {
        "title": _("Không có quyền truy cập"),
        "message": message or _("Trang này chỉ dành cho cán bộ, công chức."),
    }, status=403)


def not_found(request, message: str = ""):
    return render(request, "backoffice/error.html", {
        "title": _("Không tìm thấy"),
        "message": message or _("Không tìm thấy hồ sơ, hoặc bạn không có quyền xem hồ sơ này."),
    }, status=404)


def staff_required(view):
    """Logged in, and a staff account (officer or administrator); applicants get 403."""

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        user = request.user
        if user.kind != user.Kind.STAFF and not user.is_staff:
            return forbidden(request, _("Trang này chỉ dành cho cán bộ, công chức. Công dân, doanh nghiệp xem hồ sơ "
                                        "của mình tại mục “Hồ sơ của tôi”."))
        return view(request, *args, **kwargs)

    return wrapped
