"""Top-level URLs. Each app owns its own ``urls.py``; the JSON API is assembled in ``tinhso.api``."""

from django.contrib import admin
from django.urls import include, path

from tinhso.api.api import api

admin.site.site_header = "Quản trị Tỉnh Số"
admin.site.site_title = "Quản trị Tỉnh Số"
admin.site.index_title = "Quản trị hệ thống"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("exchange/v1/", include("tinhso.exchange.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("tai-khoan/", include("tinhso.accounts.urls")),
    path("can-bo/", include("tinhso.backoffice.urls")),
    path("thu-tuc/", include("tinhso.catalog.urls")),
    path("", include("tinhso.portal.urls")),
]
