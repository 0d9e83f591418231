"""Public URLs of the signing app, included at the site root by ``portal/urls.py`` (namespace ``portal``)."""

from django.urls import path

from tinhso.signing import views
from tinhso.signing.services.authorities import DEMO_CRL_PATH, DEMO_ROOT_PATH

urlpatterns = [
    path("xac-thuc-chu-ky/", views.verify_page, name="signature_verify"),
    path("tsa", views.tsa, name="tsa"),
    path(DEMO_CRL_PATH.lstrip("/"), views.demo_crl, name="pki_demo_crl"),
    path(DEMO_ROOT_PATH.lstrip("/"), views.demo_root, name="pki_demo_root"),
]
