"""``tinhso pki …``: the platform's certificates from the command line.

    tinhso pki demo-init                 demo root CA, TSA, certificates for demo agencies and leaders
    tinhso pki crl-refresh               reissue the demo CA's revocation list
    tinhso pki trust-add root.pem        trust a root CA (e.g. the national CA root)
    tinhso pki import-p12 file.p12 --agency H44 | --user username   (asks for the password)
    tinhso pki list                      the registry
"""

from __future__ import annotations

import getpass
import os
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from tinhso.core.errors import DomainError
from tinhso.org.models import Agency
from tinhso.signing.models import Certificate
from tinhso.signing.services import (
    certificate_import_pkcs12,
    crl_refresh,
    pki_demo_init,
    trust_anchor_add,
)


class Command(BaseCommand):
    help = "Chứng thư số: CA thử nghiệm, danh sách thu hồi, chứng thư gốc tin cậy, nhập PKCS#12."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("demo-init", help="Tạo CA thử nghiệm, TSA và chứng thư cho cơ quan, lãnh đạo của tỉnh demo.")
        sub.add_parser("crl-refresh", help="Cấp lại danh sách chứng thư bị thu hồi (CRL) của CA thử nghiệm.")
        trust = sub.add_parser("trust-add", help="Thêm chứng thư gốc tin cậy (PEM).")
        trust.add_argument("pem", help="đường dẫn tệp PEM")
        trust.add_argument("--name", default="")
        imp = sub.add_parser("import-p12", help="Nhập chứng thư số từ tệp PKCS#12 (.p12/.pfx).")
        imp.add_argument("file")
        owner = imp.add_mutually_exclusive_group(required=True)
        owner.add_argument("--agency", help="mã định danh cơ quan sở hữu, ví dụ H44.02")
        owner.add_argument("--user", help="tên đăng nhập của cán bộ sở hữu")
        imp.add_argument("--image", help="ảnh PNG nền trong suốt: chữ ký (cá nhân) hoặc con dấu (cơ quan)")
        imp.add_argument("--password-env", help="đọc mật khẩu từ biến môi trường này thay vì hỏi")
        sub.add_parser("list", help="Liệt kê chứng thư số trong hệ thống.")

    def handle(self, *args, action: str, **options):
        try:
            getattr(self, "_" + action.replace("-", "_"))(**options)
        except DomainError as exc:
            raise CommandError(f"{exc.detail} [{exc.code}]") from exc

    def _demo_init(self, **options):
        summary = pki_demo_init(actor=None)
        self.stdout.write(
            f"CA thử nghiệm: {'đã tạo' if summary.ca_created else 'đã có'}; "
            f"máy chủ dấu thời gian: {'đã tạo' if summary.tsa_created else 'đã có'}; "
            f"chứng thư mới: {summary.agency_certificates} cơ quan, {summary.personal_certificates} lãnh đạo."
        )

    def _crl_refresh(self, **options):
        ca = crl_refresh(force=True)
        if ca is None:
            raise CommandError("Chưa có CA thử nghiệm; chạy “tinhso pki demo-init” trước.")
        self.stdout.write(f"Đã cấp CRL số {ca.crl_number}.")

    def _trust_add(self, *, pem: str, name: str, **options):
        anchor, created = trust_anchor_add(actor=None, certificate_pem=Path(pem).read_text(), name=name)
        self.stdout.write(f"{'Đã thêm' if created else 'Đã có'}: {anchor.name} ({anchor.fingerprint_sha256})")

    def _import_p12(self, *, file: str, agency: str | None, user: str | None, image: str | None,
                    password_env: str | None, **options):
        owner_agency = owner_user = None
        if agency:
            owner_agency = Agency.objects.filter(code=agency.upper()).first()
            if owner_agency is None:
                raise CommandError(f"Không có cơ quan mã {agency}.")
        else:
            owner_user = get_user_model().objects.filter(username=user).first()
            if owner_user is None:
                raise CommandError(f"Không có người dùng {user}.")
        password = os.environ.get(password_env, "") if password_env else getpass.getpass("Mật khẩu PKCS#12: ")
        certificate = certificate_import_pkcs12(
            actor=None, data=Path(file).read_bytes(), password=password, owner_agency=owner_agency,
            owner_user=owner_user, image_png=Path(image).read_bytes() if image else None,
        )
        self.stdout.write(f"Đã nhập: {certificate.common_name} (id {certificate.pk}, {certificate.fingerprint_sha256})")

    def _list(self, **options):
        for c in Certificate.objects.select_related("owner_agency", "owner_user").order_by("id"):
            owner = c.owner_agency.code if c.owner_agency_id else c.owner_user.get_username()
            state = "THU HỒI" if c.revoked_at else f"đến {c.not_after:%d/%m/%Y}"
            self.stdout.write(f"{c.pk:>4}  {c.get_kind_display():<28} {owner:<20} {c.common_name}  [{state}]")
