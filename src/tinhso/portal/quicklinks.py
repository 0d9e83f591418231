"""Quick links on the portal home page. Other apps append theirs (``QUICK_LINKS.append(...)`` in
their ``apps.py`` ``ready()``, or here); a link whose URL does not resolve is simply not shown."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class QuickLink:
    url_name: str
    label: str | Promise  # lazy: translated when the page is rendered, in the visitor's language
    description: str | Promise


QUICK_LINKS: list[QuickLink] = [
    QuickLink("catalog:search", _("Thủ tục hành chính"),
              _("Tra cứu thủ tục: thành phần hồ sơ, thời hạn, phí, lệ phí, nơi nộp")),
    QuickLink("portal:agency_list", _("Cơ quan, đơn vị"),
              _("Danh bạ các cơ quan tiếp nhận và giải quyết thủ tục của tỉnh")),
    QuickLink("portal:tracking", _("Tra cứu hồ sơ"),
              _("Xem tình trạng giải quyết bằng mã hồ sơ và số điện thoại người nộp")),
    QuickLink("accounts:login", _("Đăng nhập"),
              _("Công dân đăng nhập bằng số định danh cá nhân, doanh nghiệp bằng mã số thuế")),
    QuickLink("portal:register", _("Đăng ký tài khoản"),
              _("Tạo tài khoản để nộp hồ sơ trực tuyến và theo dõi hồ sơ của mình")),
    QuickLink("api:openapi-view", _("Tài liệu API"), _("Dành cho hệ thống tích hợp: danh mục, lịch làm việc, hồ sơ")),
]

# The home search box: the first target whose URL exists. The catalogue adds its procedure search
# in front (``SEARCH_TARGETS.insert(0, …)``); until then the box searches the agency directory.
SEARCH_TARGETS: list[tuple[str, str | Promise, str | Promise]] = [
    ("catalog:search", _("Tìm thủ tục hành chính"), _("Ví dụ: đăng ký khai sinh, chung thuc ban sao")),
    ("portal:agency_list", _("Tìm cơ quan, đơn vị"), _("Ví dụ: Sở Tư pháp, phường Việt Trì")),
]


def _url(name: str) -> str | None:
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


def quick_links() -> list[dict[str, str | Promise]]:
    return [
        {"url": url, "label": link.label, "description": link.description}
        for link in QUICK_LINKS
        if (url := _url(link.url_name)) is not None
    ]


def search_target() -> dict[str, str | Promise] | None:
    for name, label, placeholder in SEARCH_TARGETS:
        url = _url(name)
        if url is not None:
            return {"url": url, "label": label, "placeholder": placeholder}
    return None
