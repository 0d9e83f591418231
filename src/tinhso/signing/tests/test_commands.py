"""``tinhso pki …`` and the demo loader."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tinhso.org.demo import demo_loaders
from tinhso.signing import pki
from tinhso.signing.models import Certificate, TrustAnchor
from tinhso.signing.tests.factories import agency_with_staff

pytestmark = pytest.mark.django_db


def _run(*args) -> str:
    out = StringIO()
    call_command("pki", *args, stdout=out)
    return out.getvalue()


def test_demo_init_is_idempotent(fast_keys):
    agency_with_staff()
    assert "chứng thư mới: 1 cơ quan, 1 lãnh đạo" in _run("demo-init")
    assert "CA thử nghiệm: đã có" in _run("demo-init") and Certificate.objects.count() == 2


def test_import_p12_and_trust_add(fast_keys, tmp_path, monkeypatch):
    _agency, _leader, _clerk, specialist = agency_with_staff()
    _run("demo-init")
    root = pki.ca_create(subject=pki.name_build(common_name="CA quốc gia (thử)"))
    (tmp_path / "root.pem").write_text(pki.certificates_to_pem([root.certificate]))
    assert "Đã thêm" in _run("trust-add", str(tmp_path / "root.pem"))
    leaf = pki.certificate_issue(issuer=root, subject=pki.name_build(common_name="Trần Văn Minh"))
    (tmp_path / "minh.p12").write_bytes(pki.pkcs12_write(material=leaf, password="mk"))
    monkeypatch.setenv("P12_PASSWORD", "mk")
    out = _run("import-p12", str(tmp_path / "minh.p12"), "--user", specialist.username, "--password-env", "P12_PASSWORD")
    assert "Đã nhập: Trần Văn Minh" in out
    assert TrustAnchor.objects.count() == 2
    monkeypatch.setenv("P12_PASSWORD", "sai")
    with pytest.raises(CommandError, match="pkcs12_wrong_password"):
        _run("import-p12", str(tmp_path / "minh.p12"), "--user", specialist.username, "--password-env", "P12_PASSWORD")


def test_demo_loader_is_registered():
    assert "signing.pki" in [loader.name for loader in demo_loaders()]
